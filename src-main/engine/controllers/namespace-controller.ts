/** Deletes everything in a namespace being deleted, then releases the namespace's `kubernetes` finalizer. */
import { ControllerLoop } from './controller-loop';
import type { ObjectService } from '../api/object-service';
import { deepCopy, isPlainObject } from '../object';
import { resourceKey } from '../registry/resource-type';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import { WorkQueue, type WorkQueueOptions } from './work-queue';

export class NamespaceController {
  private readonly queue: WorkQueue;
  private readonly loop: ControllerLoop;

  constructor(
    private readonly service: ObjectService,
    queueOptions: WorkQueueOptions = {},
  ) {
    this.queue = new WorkQueue((name) => this.reconcile(name), queueOptions);
    this.loop = new ControllerLoop({ source: service.store, queue: this.queue, onEvent: (e) => this.onEvent(e), initialKeys: () => this.service.store.list('namespaces').flatMap((ns) => (ns.metadata.deletionTimestamp ? [ns.metadata.name ?? ''] : [])) });
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

  private onEvent(e: StoreEvent): void {
    if (e.resource === 'namespaces') {
      if (e.type !== 'DELETED' && e.object.metadata.deletionTimestamp) this.queue.add(e.name);
      return;
    }
    if (e.namespace && e.type === 'DELETED') {
      const ns = this.service.store.get('namespaces', '', e.namespace);
      if (ns?.metadata.deletionTimestamp) this.queue.add(e.namespace);
    }
  }

  private reconcile(name: string): void {
    const nsType = this.service.typeOf('namespaces');
    const ns = this.service.store.get('namespaces', '', name);
    if (!nsType || !ns || !ns.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const t of this.service.types) {
      if (!t.namespaced) continue;
      for (const o of this.service.store.list(resourceKey(t), name)) {
        remaining++;
        if (o.metadata.deletionTimestamp) continue;
        try {
          this.service.delete(t, name, o.metadata.name ?? '', { propagationPolicy: 'Background' });
        } catch (err) {
          if (!(err instanceof StatusError && err.code === 404)) throw err;
        }
      }
    }
    const left = this.service.types.filter((t) => t.namespaced).reduce((n, t) => n + this.service.store.list(resourceKey(t), name).length, 0);
    if (left > 0) {
      // Objects with finalizers or graceful termination: look again soon (their DELETED events also requeue).
      if (remaining > 0) this.queue.addAfter(name, 1000);
      return;
    }
    const next = deepCopy(ns);
    const spec = isPlainObject(next.spec) ? next.spec : {};
    spec.finalizers = [];
    next.spec = spec;
    try {
      this.service.update(nsType, '', name, next);
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
  }
}
