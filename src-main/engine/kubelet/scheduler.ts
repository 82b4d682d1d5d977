/**
 * The single-node scheduler: binds every pending pod of the default scheduler to this node at once (the
 * Binding sets spec.nodeName, then PodScheduled True and a Scheduled event), unless the node is full
 * (pods-per-node limit) or the pod's nodeSelector does not match the node, in which case the pod stays
 * Pending with PodScheduled False / Unschedulable and a FailedScheduling event, and is retried when pods go
 * away or the node changes.
 */
import type { ObjectService } from '../api/object-service';
import { WorkQueue } from '../controllers/work-queue';
import { jsonEqual, type KubeObject } from '../object';
import { asArray, asObject, getString, stringMap } from '../registry/json-access';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import type { EventSink } from '../controllers/event-recorder';
import { toKubeTime } from './observed-container';

export const SCHEDULER_NAME = 'default-scheduler';

export interface PodSchedulerOptions {
  service: ObjectService;
  nodeName: string;
  maxPods: number;
  recorder: EventSink;
  now?: () => number;
}

function isTerminal(pod: KubeObject): boolean {
  const phase = getString(pod, 'status', 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
}

function wantsScheduling(pod: KubeObject): boolean {
  if (getString(pod, 'spec', 'nodeName') || pod.metadata.deletionTimestamp || isTerminal(pod)) return false;
  return (getString(pod, 'spec', 'schedulerName') || SCHEDULER_NAME) === SCHEDULER_NAME;
}

/** Why the pod does not fit the node (the filter plugins' wording), or undefined when it fits. */
export function unfitReason(pod: KubeObject, boundPods: number, maxPods: number, nodeLabels: Record<string, string>): string | undefined {
  const selector = stringMap(asObject(pod.spec)?.nodeSelector);
  for (const [k, v] of Object.entries(selector)) if (nodeLabels[k] !== v) return "node(s) didn't match Pod's node affinity/selector";
  if (boundPods >= maxPods) return 'Too many pods';
  return undefined;
}

export class PodScheduler {
  private readonly queue: WorkQueue;
  private readonly pods: ResourceType;
  private readonly nodes: ResourceType;
  private readonly unschedulable = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: PodSchedulerOptions) {
    const pods = opts.service.typeOf('pods');
    const nodes = opts.service.typeOf('nodes');
    if (!pods || !nodes) throw new Error('the registry has no pods or nodes');
    this.pods = pods;
    this.nodes = nodes;
    this.now = opts.now ?? Date.now;
    this.queue = new WorkQueue((key) => this.schedule(key), { maxDelayMs: 5000 });
  }

  start(): void {
    this.unsubscribe = this.opts.service.store.subscribe((e) => this.onEvent(e));
    this.queue.start();
    for (const pod of this.opts.service.all(this.pods)) if (wantsScheduling(pod)) this.queue.add(keyOf(pod));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === 'nodes' && e.name === this.opts.nodeName) {
      if (!jsonEqual(e.object.metadata.labels, e.prev?.metadata.labels)) this.retryUnschedulable();
      return;
    }
    if (e.resource !== 'pods') return;
    if (e.type !== 'DELETED' && wantsScheduling(e.object)) {
      this.queue.add(keyOf(e.object));
      return;
    }
    // A pod leaving this node (gone or finished) frees a slot.
    const wasHere = e.prev && getString(e.prev, 'spec', 'nodeName') === this.opts.nodeName && !isTerminal(e.prev);
    const isHere = e.type !== 'DELETED' && getString(e.object, 'spec', 'nodeName') === this.opts.nodeName && !isTerminal(e.object);
    if ((wasHere && !isHere) || (e.type === 'DELETED' && getString(e.object, 'spec', 'nodeName') === this.opts.nodeName)) this.retryUnschedulable();
    if (e.type === 'DELETED') this.unschedulable.delete(keyOf(e.object));
  }

  private retryUnschedulable(): void {
    for (const key of this.unschedulable) this.queue.add(key);
  }

  private boundPods(): number {
    return this.opts.service.all(this.pods).filter((p) => getString(p, 'spec', 'nodeName') === this.opts.nodeName && !isTerminal(p)).length;
  }

  private schedule(key: string): void {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const { service } = this.opts;
    const pod = service.tryGet(this.pods, namespace, name);
    if (!pod || !wantsScheduling(pod)) {
      this.unschedulable.delete(key);
      return;
    }
    const node = service.tryGet(this.nodes, '', this.opts.nodeName);
    const why = node ? unfitReason(pod, this.boundPods(), this.opts.maxPods, node.metadata.labels ?? {}) : 'node(s) were not ready';
    if (why) {
      this.unschedulable.add(key);
      this.markUnschedulable(pod, `0/1 nodes are available: 1 ${why}.`);
      return;
    }
    this.unschedulable.delete(key);
    try {
      const bound = service.update(this.pods, namespace, name, { ...pod, spec: { ...asObject(pod.spec), nodeName: this.opts.nodeName } });
      this.setScheduledCondition(bound, { type: 'PodScheduled', status: 'True' });
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return;
      throw err;
    }
    this.opts.recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${this.opts.nodeName}`, SCHEDULER_NAME);
  }

  private markUnschedulable(pod: KubeObject, message: string): void {
    const changed = this.setScheduledCondition(pod, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message });
    if (changed) this.opts.recorder.record(pod, 'Warning', 'FailedScheduling', message, SCHEDULER_NAME);
  }

  /** Replace the PodScheduled condition; returns whether anything changed. */
  private setScheduledCondition(pod: KubeObject, condition: Record<string, string>): boolean {
    const status = asObject(pod.status) ?? {};
    const conditions = (asArray(status.conditions) ?? []).flatMap((c) => {
      const o = asObject(c);
      return o ? [o] : [];
    });
    const old = conditions.find((c) => c.type === 'PodScheduled');
    if (old && old.status === condition.status && old.reason === condition.reason && old.message === condition.message) return false;
    const next = { ...condition, lastProbeTime: null, lastTransitionTime: old && old.status === condition.status ? old.lastTransitionTime : toKubeTime(this.now()) };
    const others = conditions.filter((c) => c.type !== 'PodScheduled');
    const updated = { ...pod, status: { ...status, conditions: [...others, next] } };
    this.opts.service.update(this.pods, pod.metadata.namespace ?? '', pod.metadata.name ?? '', updated, { subresource: 'status' });
    return true;
  }
}

function keyOf(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}
