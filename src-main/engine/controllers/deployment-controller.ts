/**
 * The Deployment controller: rolls ReplicaSets for each Deployment (RollingUpdate, Recreate, scaling,
 * pausing, revision history) and writes the status `kubectl rollout status` reads. Level-based on
 * "namespace/name" keys; deployment-planner.ts decides, this file reads the world and performs the plan.
 */
import { Controller } from './controller-base';
import type { ObjectService } from '../api/object-service';
import { matchesLabels } from '../api/selectors/label-selector';
import type { KubeObject, OwnerReference } from '../object';
import { deepCopy } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import { isGoneOrConflict, requireType, type ControllerOptions } from './controller-options';
import { controllerRefOf } from './controller-ref';
import { newCondition, parseDeploymentStatus, progressDeadlineOf, PROGRESSING, REASON_FAILED_RS_CREATE, renderDeploymentStatus, setCondition } from './deployment-status';
import { strategyType, templateOf } from './deployment-util';
import { planDeployment, type DeploymentPlan, type PlannedEvent } from './deployment-planner';
import { objectKey, RESOURCE_DEPLOYMENTS, RESOURCE_PODS, RESOURCE_REPLICA_SETS, splitKey } from './object-source';
import { selectorOf } from './replicaset-planner';
import { equalIgnoreHash } from './template-equality';

const COMPONENT = 'deployment-controller';

/** The plan stopped because the view is behind the store: look again shortly, without counting a failure. */
const STALE_VIEW_RETRY_MS = 50;

export class DeploymentController extends Controller {
  private readonly deploymentType: ResourceType;
  private readonly rsType: ResourceType;

  constructor(service: ObjectService, opts: ControllerOptions = {}) {
    super(service, opts);
    this.deploymentType = requireType(service, RESOURCE_DEPLOYMENTS);
    this.rsType = requireType(service, RESOURCE_REPLICA_SETS);
  }

  protected initialKeys(): string[] {
    return this.source.list(RESOURCE_DEPLOYMENTS).map(objectKey);
  }

  // ------------------------------------------------------------------ events -> keys

  protected onEvent(e: StoreEvent): void {
    if (e.resource === RESOURCE_DEPLOYMENTS) {
      if (e.type !== 'DELETED') this.queue.add(`${e.namespace}/${e.name}`);
    } else if (e.resource === RESOURCE_REPLICA_SETS) {
      this.onReplicaSetEvent(e);
    } else if (e.resource === RESOURCE_PODS && e.type === 'DELETED') {
      this.onPodDeleted(e.object);
    }
  }

  /** The key of the Deployment a controller reference names, if it exists with that uid. */
  private deploymentKey(namespace: string, ref: OwnerReference | undefined): string | undefined {
    if (!ref || ref.kind !== 'Deployment' || ref.apiVersion.split('/')[0] !== 'apps') return undefined;
    const d = this.source.get(RESOURCE_DEPLOYMENTS, namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? `${namespace}/${ref.name}` : undefined;
  }

  private onReplicaSetEvent(e: StoreEvent): void {
    const key = this.deploymentKey(e.namespace, controllerRefOf(e.object));
    const prevKey = e.prev ? this.deploymentKey(e.namespace, controllerRefOf(e.prev)) : undefined;
    if (prevKey && prevKey !== key) this.queue.add(prevKey);
    if (key) {
      this.queue.add(key);
      return;
    }
    if (e.type === 'DELETED' || controllerRefOf(e.object)) return;
    // An orphan: every Deployment selecting it may adopt it.
    for (const d of this.source.list(RESOURCE_DEPLOYMENTS, e.namespace)) {
      if (matchesLabels(selectorOf(d), e.object.metadata.labels)) this.queue.add(objectKey(d));
    }
  }

  /** Recreate waits until the old pods are gone; the last one going is its cue. */
  private onPodDeleted(pod: KubeObject): void {
    const namespace = pod.metadata.namespace ?? '';
    const rsRef = controllerRefOf(pod);
    if (!rsRef || rsRef.kind !== 'ReplicaSet') return;
    const rs = this.source.get(RESOURCE_REPLICA_SETS, namespace, rsRef.name);
    const key = rs ? this.deploymentKey(namespace, controllerRefOf(rs)) : undefined;
    if (!key) return;
    const d = this.source.get(RESOURCE_DEPLOYMENTS, namespace, splitKey(key).name);
    if (d && strategyType(d) === 'Recreate') this.queue.add(key);
  }

  // ------------------------------------------------------------------ reconcile

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const d = this.source.get(RESOURCE_DEPLOYMENTS, namespace, name);
    if (!d) return;
    const plan = planDeployment({
      deployment: d,
      replicaSets: this.source.list(RESOURCE_REPLICA_SETS, namespace),
      pods: strategyType(d) === 'Recreate' ? this.source.list(RESOURCE_PODS, namespace) : [],
      now: this.clock.now(),
    });
    if (this.execute(d, plan) === 'stale') {
      this.timers.after(key, STALE_VIEW_RETRY_MS);
      return;
    }
    if (plan.requeueAfterMs !== undefined) this.timers.after(key, plan.requeueAfterMs);
  }

  private record(d: KubeObject, events: readonly PlannedEvent[]): void {
    for (const e of events) this.events.record(d, e.type, e.reason, e.message, COMPONENT);
  }

  /** Perform the plan in order; a failed write throws (the key is retried with backoff). */
  private execute(d: KubeObject, plan: DeploymentPlan): 'done' | 'stale' {
    const namespace = d.metadata.namespace ?? '';
    let generation: number | undefined;
    for (const action of plan.actions) {
      switch (action.type) {
        case 'claimReplicaSet':
          try {
            this.service.update(this.rsType, namespace, action.object.metadata.name ?? '', action.object);
          } catch (err) {
            if (!(err instanceof StatusError && err.code === 404)) throw err;
          }
          break;
        case 'createReplicaSet': {
          const outcome = this.createReplicaSet(d, action.object);
          if (outcome !== 'created') return outcome;
          this.record(d, action.events);
          break;
        }
        case 'updateReplicaSet':
          this.service.update(this.rsType, namespace, action.object.metadata.name ?? '', action.object);
          this.record(d, action.events);
          break;
        case 'deleteReplicaSet':
          try {
            this.service.delete(this.rsType, namespace, action.name, { preconditions: { uid: action.uid } });
          } catch (err) {
            if (!isGoneOrConflict(err)) throw err;
          }
          break;
        case 'event':
          this.record(d, [action.event]);
          break;
        case 'updateDeploymentAnnotations': {
          const next = deepCopy(d);
          next.metadata.annotations = action.annotations;
          // Annotations bump a Deployment's generation here (its status subresource keeps all metadata).
          generation = this.service.update(this.deploymentType, namespace, d.metadata.name ?? '', next).metadata.generation;
          break;
        }
      }
    }
    if (plan.status) {
      const status = { ...plan.status };
      // The generation our own annotation write added is observed by construction: the spec is the one planned on.
      if (generation !== undefined && status.observedGeneration === d.metadata.generation) status.observedGeneration = generation;
      this.writeStatus(d, status);
    }
    return 'done';
  }

  private createReplicaSet(d: KubeObject, body: KubeObject): 'created' | 'stale' {
    const namespace = d.metadata.namespace ?? '';
    try {
      this.service.create(this.rsType, namespace, body);
      return 'created';
    } catch (err) {
      if (err instanceof StatusError && err.code === 409 && err.reason === 'AlreadyExists') {
        const existing = this.service.tryGet(this.rsType, namespace, body.metadata.name ?? '');
        if (existing && controllerRefOf(existing)?.uid === d.metadata.uid && equalIgnoreHash(templateOf(existing), templateOf(d))) return 'stale';
        // A true hash collision: count it so the next hash differs.
        const status = parseDeploymentStatus(d);
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        this.writeStatus(d, renderDeploymentStatus(status));
        return 'stale';
      }
      if (err instanceof StatusError && err.code === 403) throw err;
      const message = `Failed to create new replica set "${body.metadata.name ?? ''}": ${err instanceof Error ? err.message : String(err)}`;
      if (progressDeadlineOf(d) !== undefined) {
        const status = parseDeploymentStatus(d);
        setCondition(status, newCondition(PROGRESSING, 'False', REASON_FAILED_RS_CREATE, message, this.clock.now()));
        this.writeStatus(d, renderDeploymentStatus(status));
      }
      this.events.record(d, 'Warning', REASON_FAILED_RS_CREATE, message, COMPONENT);
      throw err;
    }
  }

  private writeStatus(d: KubeObject, status: Record<string, unknown>): void {
    const namespace = d.metadata.namespace ?? '';
    const name = d.metadata.name ?? '';
    const fresh = this.service.tryGet(this.deploymentType, namespace, name);
    if (!fresh || fresh.metadata.uid !== d.metadata.uid) return;
    this.service.update(this.deploymentType, namespace, name, { ...fresh, status }, { subresource: 'status' });
  }
}
