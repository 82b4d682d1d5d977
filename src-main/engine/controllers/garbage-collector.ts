/**
 * The garbage collector: deletes objects whose owners are all gone (Background), deletes an owner's
 * dependents before the owner (Foreground), and strips owner references before an owner goes (Orphan).
 * Level-based: each key is an owner uid, and reconciling it looks at what exists now.
 */
import { ControllerLoop } from './controller-loop';
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { deepCopy } from '../object';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import { WorkQueue, type WorkQueueOptions } from './work-queue';

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

export class GarbageCollector {
  private readonly queue: WorkQueue;
  private readonly loop: ControllerLoop;

  constructor(
    private readonly service: ObjectService,
    queueOptions: WorkQueueOptions = {},
  ) {
    this.queue = new WorkQueue((uid) => this.reconcile(uid), { concurrency: 1, ...queueOptions });
    this.loop = new ControllerLoop({ source: service.store, queue: this.queue, onEvent: (e) => this.onEvent(e), initialKeys: () => this.catchUpKeys() });
  }

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  idle(): Promise<void> {
    return this.loop.idle();
  }

  /** What happened while the engine was down: dangling owner references and pending finalizers. */
  private *catchUpKeys(): Iterable<string> {
    for (const resource of this.service.store.resources()) {
      for (const o of this.service.store.list(resource)) {
        for (const ref of o.metadata.ownerReferences ?? []) if (!this.service.uidExists(ref.uid)) yield ref.uid;
        if (o.metadata.deletionTimestamp && o.metadata.uid) yield o.metadata.uid;
      }
    }
  }

  private onEvent(e: StoreEvent): void {
    const uid = e.object.metadata.uid;
    if (e.type === 'DELETED') {
      if (uid) this.queue.add(uid);
    } else if (uid && e.object.metadata.deletionTimestamp) {
      const f = e.object.metadata.finalizers ?? [];
      if (f.includes(FOREGROUND) || f.includes(ORPHAN)) this.queue.add(uid);
    }
    // A dependent that changed or went away may unblock its owner's foreground deletion.
    for (const ref of e.object.metadata.ownerReferences ?? []) {
      if (e.type === 'DELETED' || e.object.metadata.deletionTimestamp) this.queue.add(ref.uid);
    }
    if (e.type === 'ADDED') {
      // An object created with a reference to an owner that is already gone is garbage too.
      for (const ref of e.object.metadata.ownerReferences ?? []) if (!this.service.uidExists(ref.uid)) this.queue.add(ref.uid);
    }
  }

  private reconcile(uid: string): void {
    const where = this.service.owners.locate(uid);
    const owner = where ? this.service.store.get(where.resource, where.namespace, where.name) : undefined;
    const dependents = this.service.dependentsOf(uid);
    if (!owner) {
      for (const d of dependents) this.releaseOrCollect(d.type, d.object, uid);
      return;
    }
    const finalizers = owner.metadata.finalizers ?? [];
    if (!owner.metadata.deletionTimestamp) return;
    const ownerType = this.service.typeOf(where?.resource ?? '');
    if (!ownerType) return;
    if (finalizers.includes(ORPHAN)) {
      for (const d of dependents) this.stripReference(d.type, d.object, uid);
      this.removeFinalizer(ownerType, owner, ORPHAN);
      return;
    }
    if (finalizers.includes(FOREGROUND)) {
      let waiting = false;
      for (const d of dependents) {
        waiting = true;
        if (!d.object.metadata.deletionTimestamp) {
          this.ignoreNotFound(() =>
            this.service.delete(d.type, d.object.metadata.namespace ?? '', d.object.metadata.name ?? '', { propagationPolicy: 'Foreground' }),
          );
        }
      }
      if (!waiting) this.removeFinalizer(ownerType, owner, FOREGROUND);
    }
  }

  /** The owner `uid` is gone: delete the dependent if no owner is left, else drop the dangling reference. */
  private releaseOrCollect(type: NonNullable<ReturnType<ObjectService['typeOf']>>, dep: KubeObject, uid: string): void {
    const others = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid && this.service.uidExists(r.uid));
    if (others.length > 0) {
      this.stripReference(type, dep, uid);
      return;
    }
    if (dep.metadata.deletionTimestamp) return;
    this.ignoreNotFound(() => this.service.delete(type, dep.metadata.namespace ?? '', dep.metadata.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: dep.metadata.uid } }));
  }

  private stripReference(type: NonNullable<ReturnType<ObjectService['typeOf']>>, dep: KubeObject, uid: string): void {
    const next = deepCopy(dep);
    next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
    if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
    this.ignoreNotFound(() => this.service.update(type, dep.metadata.namespace ?? '', dep.metadata.name ?? '', next));
  }

  private removeFinalizer(type: NonNullable<ReturnType<ObjectService['typeOf']>>, owner: KubeObject, finalizer: string): void {
    const next = deepCopy(owner);
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    this.ignoreNotFound(() => this.service.update(type, owner.metadata.namespace ?? '', owner.metadata.name ?? '', next));
  }

  private ignoreNotFound(fn: () => unknown): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof StatusError && (err.code === 404 || err.code === 409)) return;
      throw err;
    }
  }
}
