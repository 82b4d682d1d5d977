/**
 * One probe of one container, run on its schedule (the kubelet's prober worker): a thin loop around
 * ProbeState (timing, thresholds) and the exec/httpGet/tcpSocket/grpc runners. httpGet, tcpSocket and grpc
 * connect from the engine host to the pod IP (reachable on Linux for a Docker bridge network).
 */
import type Docker from 'dockerode';
import { realClock, type Clock } from '../controllers/work-queue';
import { probeAction, type ProbeAction } from './probe-action';
import { execProbe } from './probe-exec';
import { grpcProbe } from './probe-grpc';
import { httpProbe } from './probe-http';
import { ProbeState, probeMessage, probeTiming, type ProbeKind, type ProbeOutcome } from './probe-state';
import { tcpProbe } from './probe-tcp';

export type { ProbeKind } from './probe-state';

/** Where a probe goes: the pod IP for network probes, the Docker container for exec. */
export interface ProbeTarget {
  podIP: string;
  containerId: string;
}

/** Runs one probe attempt; the default runs the real exec/httpGet/tcpSocket/grpc probes. */
export type ProbeRunner = (action: ProbeAction, target: ProbeTarget, timeoutMs: number) => Promise<ProbeOutcome>;

export interface ProbeWorkerOptions {
  kind: ProbeKind;
  /** the container's livenessProbe / readinessProbe / startupProbe */
  probe: Record<string, unknown>;
  target: ProbeTarget;
  docker: Docker;
  /** the probe's state changed (see ProbeState for initial states); message like `Liveness probe failed: ...` */
  onResult: (ok: boolean, message: string) => void;
  clock?: Clock;
  /** every attempt (the kubelet records an Unhealthy event for each failure); errored attempts report ok=false */
  onProbe?: (ok: boolean, message: string) => void;
  /** when the container started (ms since epoch); initialDelaySeconds counts from it. Default: start() */
  startedAt?: number;
  /** the container spec, to resolve named ports */
  container?: Record<string, unknown>;
  /** tests of the loop inject this */
  runner?: ProbeRunner;
}

/** Extra time past timeoutSeconds before an attempt that did not return (a stuck Docker call) counts as errored. */
const GUARD_MS = 2000;

export function defaultRunner(docker: Docker): ProbeRunner {
  return (action, target, timeoutMs) => {
    switch (action.type) {
      case 'exec':
        return execProbe(docker, target.containerId, action.command, timeoutMs);
      case 'http':
        return httpProbe({ scheme: action.scheme, host: action.host ?? target.podIP, port: action.port, path: action.path, headers: action.headers }, timeoutMs);
      case 'tcp':
        return tcpProbe(action.host ?? target.podIP, action.port, timeoutMs);
      case 'grpc':
        return grpcProbe(target.podIP, action.port, action.service, timeoutMs);
      case 'invalid':
        return Promise.resolve({ result: 'unknown', output: action.error });
    }
  };
}

/** One probe of one container. Create one per container instance (a restarted container gets a new worker). */
export class ProbeWorker {
  private readonly clock: Clock;
  private readonly runner: ProbeRunner;
  private readonly action: ProbeAction;
  private state: ProbeState | undefined;
  private timer: unknown;
  private running = false;

  constructor(private readonly opts: ProbeWorkerOptions) {
    this.clock = opts.clock ?? realClock;
    this.runner = opts.runner ?? defaultRunner(opts.docker);
    this.action = probeAction(opts.probe, opts.container);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.state ??= new ProbeState(this.opts.kind, probeTiming(this.opts.kind, this.opts.probe), this.opts.startedAt ?? this.clock.now());
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const at = this.state?.nextProbeAt();
    if (!this.running || at === undefined) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.attempt();
    }, Math.max(0, at - this.clock.now()));
  }

  private async attempt(): Promise<void> {
    const state = this.state;
    if (!this.running || !state) return;
    const startedAt = this.clock.now();
    const outcome = await this.runGuarded(state.timing.timeoutMs);
    if (!this.running) return;
    this.opts.onProbe?.(outcome.result === 'success', probeMessage(this.opts.kind, outcome));
    const transition = state.record(outcome, startedAt, this.clock.now());
    if (transition) this.opts.onResult(transition.ok, transition.message);
    this.schedule();
  }

  private runGuarded(timeoutMs: number): Promise<ProbeOutcome> {
    let guard: unknown;
    const timedOut = new Promise<ProbeOutcome>((resolve) => {
      guard = this.clock.setTimeout(() => resolve({ result: 'unknown', output: `probe did not return within ${timeoutMs + GUARD_MS} ms` }), timeoutMs + GUARD_MS);
    });
    const run = this.runner(this.action, this.opts.target, timeoutMs).catch((err: unknown): ProbeOutcome => ({
      result: 'unknown',
      output: err instanceof Error ? err.message : String(err),
    }));
    return Promise.race([run, timedOut]).finally(() => this.clock.clearTimeout(guard));
  }
}
