/**
 * The ReplicaSet controller: keeps the number of active pods of each ReplicaSet at spec.replicas, claims
 * pods by selector, and reports status. Level-based on "namespace/name" keys; the planning is in
 * replicaset-planner.ts and replicaset-status.ts, this file only reads, writes and tracks expectations.
 */
import { Controller } from './controller-base';
import type { ObjectService } from '../api/object-service';
import { matchesLabels } from '../api/selectors/label-selector';
import type { KubeObject, OwnerReference } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import { isGoneOrConflict, requireType, type ControllerOptions } from './controller-options';
import { controllerRefOf, withControllerRef, withoutOwner } from './controller-ref';
import { ControllerExpectations } from './expectations';
import { objectKey, RESOURCE_PODS, RESOURCE_REPLICA_SETS, splitKey } from './object-source';
import { planReplicaSet, podFromTemplate, selectorOf } from './replicaset-planner';
import { calculateReplicaSetStatus, nextAvailabilityCheck, replicaSetStatusChanged, type ManageError } from './replicaset-status';

const COMPONENT = 'replicaset-controller';

function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof StatusError && err.code === 403 && /being terminated/.test(err.message);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class ReplicaSetController extends Controller {
  readonly expectations: ControllerExpectations;
  private readonly podType: ResourceType;
  private readonly rsType: ResourceType;

  constructor(service: ObjectService, opts: ControllerOptions = {}) {
    super(service, opts);
    this.expectations = new ControllerExpectations(() => this.clock.now());
    this.podType = requireType(service, RESOURCE_PODS);
    this.rsType = requireType(service, RESOURCE_REPLICA_SETS);
  }

  protected initialKeys(): string[] {
    return this.source.list(RESOURCE_REPLICA_SETS).map(objectKey);
  }

  // ------------------------------------------------------------------ events -> keys

  protected onEvent(e: StoreEvent): void {
    if (e.resource === RESOURCE_REPLICA_SETS) {
      const key = `${e.namespace}/${e.name}`;
      if (e.type === 'DELETED') this.expectations.forget(key);
      else this.queue.add(key);
    } else if (e.resource === RESOURCE_PODS) {
      this.onPodEvent(e);
    }
  }

  /** The key of the ReplicaSet a controller reference names, if that ReplicaSet exists with that uid. */
  private ownerKey(pod: KubeObject, ref: OwnerReference | undefined): string | undefined {
    if (!ref || ref.kind !== 'ReplicaSet' || ref.apiVersion.split('/')[0] !== 'apps') return undefined;
    const namespace = pod.metadata.namespace ?? '';
    const rs = this.source.get(RESOURCE_REPLICA_SETS, namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return undefined;
    return `${namespace}/${ref.name}`;
  }

  private onPodEvent(e: StoreEvent): void {
    const pod = e.object;
    const podKey = objectKey(pod);
    const key = this.ownerKey(pod, controllerRefOf(pod));
    if (e.type === 'DELETED' || (e.type === 'ADDED' && pod.metadata.deletionTimestamp)) {
      if (key) {
        this.expectations.deletionObserved(key, podKey);
        this.queue.add(key);
      }
      return;
    }
    if (e.type === 'ADDED') {
      if (key) {
        this.expectations.creationObserved(key);
        this.queue.add(key);
      } else {
        this.enqueueSelecting(pod);
      }
      return;
    }
    const prev = e.prev;
    if (key && pod.metadata.deletionTimestamp && !prev?.metadata.deletionTimestamp) this.expectations.deletionObserved(key, podKey);
    const prevKey = prev ? this.ownerKey(prev, controllerRefOf(prev)) : undefined;
    if (prevKey && prevKey !== key) this.queue.add(prevKey);
    if (key) this.queue.add(key);
    else this.enqueueSelecting(pod);
  }

  /** An orphan pod: every ReplicaSet that selects it may adopt it. */
  private enqueueSelecting(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) return;
    for (const rs of this.source.list(RESOURCE_REPLICA_SETS, pod.metadata.namespace ?? '')) {
      if (matchesLabels(selectorOf(rs), pod.metadata.labels)) this.queue.add(objectKey(rs));
    }
  }

  // ------------------------------------------------------------------ reconcile

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = this.source.get(RESOURCE_REPLICA_SETS, namespace, name);
    if (!rs) {
      this.expectations.forget(key);
      return;
    }
    const now = this.clock.now();
    const plan = planReplicaSet({
      rs,
      pods: this.source.list(RESOURCE_PODS, namespace),
      now,
      expectationsSatisfied: this.expectations.satisfied(key),
    });
    let owned = this.claim(rs, plan.owned, plan.adopt, plan.release);
    let manageError: ManageError | undefined;
    if (plan.create > 0) manageError = this.createPods(rs, key, plan.create);
    else if (plan.delete.length > 0) {
      const deleted = new Set<KubeObject>();
      manageError = this.deletePods(rs, key, plan.delete, deleted);
      // Pods just deleted are terminating: the status says so now rather than one sync later, so the
      // deployment controller never counts them as available while it scales down further.
      owned = owned.filter((p) => !deleted.has(p));
    }
    this.writeStatus(rs, calculateReplicaSetStatus(rs, owned, now, manageError));
    if (manageError) throw new Error(manageError.message);
    const wait = nextAvailabilityCheck(rs, owned, now);
    if (wait !== undefined) this.timers.after(key, wait);
  }

  /** Adopt and release; returns the owned pods without those that vanished meanwhile. */
  private claim(rs: KubeObject, owned: KubeObject[], adopt: KubeObject[], release: KubeObject[]): KubeObject[] {
    const namespace = rs.metadata.namespace ?? '';
    const gone = new Set<KubeObject>();
    if (adopt.length > 0) {
      // Adopt only for a ReplicaSet that is really there and not being deleted (RecheckDeletionTimestamp).
      const fresh = this.service.tryGet(this.rsType, namespace, rs.metadata.name ?? '');
      if (!fresh || fresh.metadata.uid !== rs.metadata.uid || fresh.metadata.deletionTimestamp) {
        for (const p of adopt) gone.add(p);
      } else {
        for (const pod of adopt) {
          if (!this.writePod(pod, withControllerRef(pod, rs))) gone.add(pod);
        }
      }
    }
    for (const pod of release) this.writePod(pod, withoutOwner(pod, rs.metadata.uid ?? ''));
    return owned.filter((p) => !gone.has(p));
  }

  /** Update a pod; false when it is gone. A conflict is thrown so the key is retried. */
  private writePod(pod: KubeObject, next: KubeObject): boolean {
    try {
      this.service.update(this.podType, pod.metadata.namespace ?? '', pod.metadata.name ?? '', next);
      return true;
    } catch (err) {
      if (err instanceof StatusError && err.code === 404) return false;
      throw err;
    }
  }

  private createPods(rs: KubeObject, key: string, count: number): ManageError | undefined {
    const namespace = rs.metadata.namespace ?? '';
    // Expect first: the watch may report a pod before create() returns to us.
    this.expectations.expectCreations(key, count);
    for (let i = 0; i < count; i++) {
      try {
        const pod = this.service.create(this.podType, namespace, podFromTemplate(rs));
        this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`, COMPONENT);
      } catch (err) {
        // This pod and the ones not attempted will never be observed.
        for (let j = i; j < count; j++) this.expectations.creationObserved(key);
        if (isNamespaceTerminating(err)) return undefined;
        const message = errorMessage(err);
        this.events.record(rs, 'Warning', 'FailedCreate', `Error creating: ${message}`, COMPONENT);
        return { kind: 'create', message };
      }
    }
    return undefined;
  }

  /** Delete pods; those deleted (or already gone) are added to `deleted`. */
  private deletePods(rs: KubeObject, key: string, pods: readonly KubeObject[], deleted: Set<KubeObject>): ManageError | undefined {
    this.expectations.expectDeletions(key, pods.map(objectKey));
    let failure: ManageError | undefined;
    for (const pod of pods) {
      try {
        this.service.delete(this.podType, pod.metadata.namespace ?? '', pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid } });
        deleted.add(pod);
        this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`, COMPONENT);
      } catch (err) {
        this.expectations.deletionObserved(key, objectKey(pod));
        if (isGoneOrConflict(err)) {
          deleted.add(pod);
          continue;
        }
        const message = errorMessage(err);
        this.events.record(rs, 'Warning', 'FailedDelete', `Error deleting: ${message}`, COMPONENT);
        failure ??= { kind: 'delete', message };
      }
    }
    return failure;
  }

  private writeStatus(rs: KubeObject, status: Record<string, unknown>): void {
    if (!replicaSetStatusChanged(rs, status)) return;
    const namespace = rs.metadata.namespace ?? '';
    const name = rs.metadata.name ?? '';
    const fresh = this.service.tryGet(this.rsType, namespace, name);
    if (!fresh || fresh.metadata.uid !== rs.metadata.uid) return;
    this.service.update(this.rsType, namespace, name, { ...fresh, status }, { subresource: 'status' });
  }
}
