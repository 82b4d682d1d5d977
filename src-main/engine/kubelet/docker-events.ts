/**
 * Docker's event stream for this engine's containers (the kubelet's PLEG, pushed instead of polled): start,
 * die, oom and destroy of containers carrying our cluster label, by pod uid. The stream reconnects after a
 * delay when Docker goes away (as Podman Desktop does) and reports each (re)connection, after which the
 * kubelet resyncs every pod, since events may have been missed meanwhile.
 */
import type Docker from 'dockerode';
import { realClock, type Clock } from '../controllers/work-queue';
import { asObject, asString } from '../registry/json-access';
import { LABEL_CLUSTER, LABEL_POD_UID } from './labels';

/** Container actions that change a pod's state (exec_* of probes and the like are noise). */
const ACTIONS = new Set(['start', 'die', 'oom', 'destroy', 'kill', 'stop']);

export interface ContainerEvent {
  podUid: string;
  action: string;
  containerId: string;
}

/** One line of `GET /events`, if it is a container event of interest. */
export function parseDockerEvent(line: string): ContainerEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  const o = asObject(parsed);
  if (!o || (asString(o.Type) ?? asString(o.type)) !== 'container') return undefined;
  const action = (asString(o.Action) ?? asString(o.status) ?? '').split(':')[0];
  if (!ACTIONS.has(action)) return undefined;
  const actor = asObject(o.Actor) ?? {};
  const attributes = asObject(actor.Attributes) ?? {};
  const podUid = asString(attributes[LABEL_POD_UID]) ?? '';
  if (!podUid) return undefined;
  return { podUid, action, containerId: asString(actor.ID) ?? asString(o.id) ?? '' };
}

export interface DockerEventStreamOptions {
  docker: Docker;
  clusterId: string;
  onEvent: (e: ContainerEvent) => void;
  /** the stream is (again) connected: anything may have changed while it was not */
  onConnect: () => void;
  /** first reconnect delay; doubles up to maxReconnectMs */
  reconnectMs?: number;
  maxReconnectMs?: number;
  clock?: Clock;
}

export class DockerEventStream {
  private stream: NodeJS.ReadableStream | undefined;
  private timer: unknown;
  private running = false;
  private failures = 0;
  private readonly clock: Clock;

  constructor(private readonly opts: DockerEventStreamOptions) {
    this.clock = opts.clock ?? realClock;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const s = this.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    this.stream = undefined;
    s?.destroy?.();
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    if (!this.running) return;
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.opts.docker.getEvents({ filters: { type: ['container'], label: [`${LABEL_CLUSTER}=${this.opts.clusterId}`] } });
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (!this.running) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      return;
    }
    this.stream = stream;
    this.failures = 0;
    let buffer = '';
    stream.on('data', (chunk: Buffer | string) => {
      buffer += chunk.toString();
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        const e = line ? parseDockerEvent(line) : undefined;
        if (e) this.opts.onEvent(e);
        nl = buffer.indexOf('\n');
      }
    });
    let closed = false;
    const onClose = (): void => {
      if (closed) return;
      closed = true;
      if (this.stream === stream) this.stream = undefined;
      if (this.running) this.scheduleReconnect();
    };
    stream.on('error', onClose);
    stream.on('end', onClose);
    stream.on('close', onClose);
    this.opts.onConnect();
  }

  private scheduleReconnect(): void {
    if (!this.running || this.timer !== undefined) return;
    const base = this.opts.reconnectMs ?? 1000;
    const delay = Math.min(this.opts.maxReconnectMs ?? 10_000, base * 2 ** this.failures++);
    this.timer = this.clock.setTimeout(() => void this.connect(), delay);
  }
}
