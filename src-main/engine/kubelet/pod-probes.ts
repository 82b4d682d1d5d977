/**
 * The probes of one pod (the kubelet's prober manager for it): one ProbeWorker per probe of each running
 * container instance. A startup probe gates liveness and readiness; readiness sets the ready flag; a failed
 * liveness or startup probe marks the instance for a restart. A restarted container gets new workers.
 */
import type Docker from 'dockerode';
import type { Clock } from '../controllers/work-queue';
import { asObject, type JsonObject } from '../registry/json-access';
import type { ObservedContainer } from './observed-container';
import { nameOf } from './pod-sync-plan';
import type { ProbeView } from './pod-status';
import { ProbeWorker, type ProbeKind } from './probe-worker';

/** Makes a probe worker; tests pass fakes. */
export type ProbeWorkerFactory = (opts: ConstructorParameters<typeof ProbeWorker>[0]) => { start(): void; stop(): void };

interface InstanceProbes {
  name: string;
  workers: Map<ProbeKind, { start(): void; stop(): void }>;
  view: ProbeView;
  livenessFailed: boolean;
  startupFailed: boolean;
}

export interface PodProbesOptions {
  docker: Docker;
  /** a probe result changed the pod's status or calls for a restart: sync the pod */
  onChange: () => void;
  /** a probe attempt failed: the Unhealthy event */
  onUnhealthy: (container: string, message: string) => void;
  clock?: Clock;
  factory?: ProbeWorkerFactory;
}

export class PodProbes {
  private readonly instances = new Map<string, InstanceProbes>();
  private readonly factory: ProbeWorkerFactory;

  constructor(private readonly opts: PodProbesOptions) {
    this.factory = opts.factory ?? ((o) => new ProbeWorker(o));
  }

  /** Run probes for exactly the running app containers given. */
  update(running: ReadonlyArray<{ observed: ObservedContainer; spec: JsonObject }>, podIP: string): void {
    const keep = new Set<string>();
    for (const { observed, spec } of running) {
      keep.add(observed.id);
      if (this.instances.has(observed.id)) continue;
      this.add(observed, spec, podIP);
    }
    for (const [id, inst] of this.instances) {
      if (keep.has(id)) continue;
      for (const w of inst.workers.values()) w.stop();
      this.instances.delete(id);
    }
  }

  private add(observed: ObservedContainer, spec: JsonObject, podIP: string): void {
    const startup = asObject(spec.startupProbe);
    const readiness = asObject(spec.readinessProbe);
    const liveness = asObject(spec.livenessProbe);
    const inst: InstanceProbes = { name: nameOf(spec), workers: new Map(), view: {}, livenessFailed: false, startupFailed: false };
    if (!startup && !readiness && !liveness) {
      this.instances.set(observed.id, inst);
      return;
    }
    if (readiness) inst.view.ready = false;
    const startedAt = observed.startedAtMs || undefined;
    const make = (kind: ProbeKind, probe: JsonObject, onResult: (ok: boolean) => void): void => {
      const worker = this.factory({
        kind,
        probe,
        target: { podIP, containerId: observed.id },
        docker: this.opts.docker,
        clock: this.opts.clock,
        container: spec,
        startedAt,
        onResult: (ok) => onResult(ok),
        onProbe: (ok, message) => {
          if (!ok) this.opts.onUnhealthy(inst.name, message);
        },
      });
      inst.workers.set(kind, worker);
      worker.start();
    };
    const startOthers = (): void => {
      if (readiness)
        make('readiness', readiness, (ok) => {
          inst.view.ready = ok;
          this.opts.onChange();
        });
      if (liveness)
        make('liveness', liveness, (ok) => {
          if (ok) return;
          inst.livenessFailed = true;
          this.opts.onChange();
        });
    };
    if (startup) {
      inst.view.started = false;
      make('startup', startup, (ok) => {
        if (ok) {
          inst.view.started = true;
          startOthers();
        } else {
          inst.startupFailed = true;
        }
        this.opts.onChange();
      });
    } else {
      startOthers();
    }
    this.instances.set(observed.id, inst);
  }

  view(containerId: string): ProbeView | undefined {
    return this.instances.get(containerId)?.view;
  }

  livenessFailed(): Set<string> {
    return new Set([...this.instances].filter(([, i]) => i.livenessFailed).map(([id]) => id));
  }

  startupFailed(): Set<string> {
    return new Set([...this.instances].filter(([, i]) => i.startupFailed).map(([id]) => id));
  }

  stop(): void {
    for (const inst of this.instances.values()) for (const w of inst.workers.values()) w.stop();
    this.instances.clear();
  }
}
