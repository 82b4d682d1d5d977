/**
 * The ReplicaSet planner (pure): given a ReplicaSet and the pods of its namespace, which pods it claims
 * (adopt/release by selector), how many pods to create and which to delete. The executor performs this.
 */
import { labelSelectorFromObject, matchesLabels, NOTHING, type LabelSelector } from '../api/selectors/label-selector';
import type { KubeObject } from '../object';
import { deepCopy } from '../object';
import { asObject, getNumber, getObject, stringMap } from '../registry/json-access';
import { claimDecision, newControllerRef } from './controller-ref';
import { podsToDelete } from './pod-deletion-order';
import { isPodActive } from './pod-state';

/** Most pods one sync creates or deletes (the ReplicaSet controller's burstReplicas). */
export const BURST_REPLICAS = 500;

export interface ReplicaSetPlanInput {
  rs: KubeObject;
  /** every pod of the ReplicaSet's namespace */
  pods: readonly KubeObject[];
  now: number;
  /** false while creates or deletes of an earlier sync have not been observed */
  expectationsSatisfied: boolean;
}

export interface ReplicaSetPlan {
  /** orphans to adopt (store objects; the executor adds the controller reference) */
  adopt: KubeObject[];
  /** owned pods the selector no longer matches */
  release: KubeObject[];
  /** the active pods that are the ReplicaSet's once the claims are done */
  owned: KubeObject[];
  /** pods to create from the template */
  create: number;
  /** pods to delete, in the order to delete them */
  delete: KubeObject[];
}

/** The ReplicaSet's selector; one that does not parse selects nothing (validation prevents it). */
export function selectorOf(obj: KubeObject): LabelSelector {
  try {
    return labelSelectorFromObject(getObject(obj, 'spec')?.selector);
  } catch {
    return NOTHING;
  }
}

export function desiredReplicas(rs: KubeObject): number {
  return getNumber(rs, 'spec', 'replicas') ?? 1;
}

export function planReplicaSet(input: ReplicaSetPlanInput): ReplicaSetPlan {
  const { rs } = input;
  const selector = selectorOf(rs);
  const plan: ReplicaSetPlan = { adopt: [], release: [], owned: [], create: 0, delete: [] };
  for (const pod of input.pods) {
    // Finished and terminating pods are neither counted nor claimed; they are replaced.
    if (!isPodActive(pod)) continue;
    switch (claimDecision(rs, pod, matchesLabels(selector, pod.metadata.labels))) {
      case 'owned':
        plan.owned.push(pod);
        break;
      case 'adopt':
        plan.adopt.push(pod);
        plan.owned.push(pod);
        break;
      case 'release':
        plan.release.push(pod);
        break;
      case 'ignore':
        break;
    }
  }
  if (!input.expectationsSatisfied || rs.metadata.deletionTimestamp) return plan;
  const diff = plan.owned.length - desiredReplicas(rs);
  if (diff < 0) plan.create = Math.min(-diff, BURST_REPLICAS);
  else if (diff > 0) plan.delete = podsToDelete(plan.owned, Math.min(diff, BURST_REPLICAS), input.now);
  return plan;
}

/** The pod a ReplicaSet creates (controller.GetPodFromTemplate): template metadata and spec, a controller ref. */
export function podFromTemplate(rs: KubeObject): KubeObject {
  const template = getObject(rs, 'spec', 'template') ?? {};
  const meta = asObject(template.metadata) ?? {};
  const metadata: KubeObject['metadata'] = {
    generateName: `${rs.metadata.name ?? ''}-`,
    namespace: rs.metadata.namespace,
    labels: stringMap(meta.labels),
    ownerReferences: [newControllerRef(rs)],
  };
  const annotations = stringMap(meta.annotations);
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (Array.isArray(meta.finalizers) && meta.finalizers.length > 0) {
    metadata.finalizers = meta.finalizers.filter((f): f is string => typeof f === 'string');
  }
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: deepCopy(asObject(template.spec) ?? {}) };
}
