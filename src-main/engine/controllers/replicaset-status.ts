/**
 * ReplicaSet status from the pods it owns (replica_set_utils.go calculateStatus), rendered as the API
 * server would serialize it (Go's omitempty: zero counts are left out, except replicas).
 */
import type { KubeObject } from '../object';
import { jsonEqual } from '../object';
import { asObject, getArray, getNumber, getObject, stringMap } from '../registry/json-access';
import { formatTime } from './object-source';
import { isPodAvailable, isPodReady, msUntilAvailable } from './pod-state';

export const REPLICA_FAILURE = 'ReplicaFailure';

/** Why the last create or delete of pods failed, to report as a ReplicaFailure condition. */
export interface ManageError {
  kind: 'create' | 'delete';
  message: string;
}

export function minReadySecondsOf(obj: KubeObject): number {
  return getNumber(obj, 'spec', 'minReadySeconds') ?? 0;
}

/** Whether every template label is on the pod (fullyLabeledReplicas). */
function fullyLabeled(pod: KubeObject, templateLabels: Record<string, string>): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(templateLabels).every(([k, v]) => labels[k] === v);
}

export function calculateReplicaSetStatus(rs: KubeObject, owned: readonly KubeObject[], now: number, manageError?: ManageError): Record<string, unknown> {
  const minReady = minReadySecondsOf(rs);
  const templateLabels = stringMap(getObject(rs, 'spec', 'template', 'metadata')?.labels);
  const status: Record<string, unknown> = { replicas: owned.length };
  const counts: Array<[string, number]> = [
    ['fullyLabeledReplicas', owned.filter((p) => fullyLabeled(p, templateLabels)).length],
    ['readyReplicas', owned.filter(isPodReady).length],
    ['availableReplicas', owned.filter((p) => isPodAvailable(p, minReady, now)).length],
    ['observedGeneration', rs.metadata.generation ?? 0],
  ];
  for (const [k, v] of counts) if (v !== 0) status[k] = v;
  let conditions = getArray(rs, 'status', 'conditions').filter((c) => asObject(c) !== undefined);
  const failure = conditions.some((c) => asObject(c)?.type === REPLICA_FAILURE);
  if (manageError && !failure) {
    conditions = [
      ...conditions,
      {
        type: REPLICA_FAILURE,
        status: 'True',
        lastTransitionTime: formatTime(now),
        reason: manageError.kind === 'create' ? 'FailedCreate' : 'FailedDelete',
        message: manageError.message,
      },
    ];
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => asObject(c)?.type !== REPLICA_FAILURE);
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/** Whether the stored status differs from the computed one (absent zero fields count as zero). */
export function replicaSetStatusChanged(rs: KubeObject, next: Record<string, unknown>): boolean {
  const current = asObject(rs.status) ?? {};
  const normalized: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(current)) {
    if (v === 0 && k !== 'replicas') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (v === null || v === undefined) continue;
    normalized[k] = v;
  }
  if (normalized.replicas === undefined) normalized.replicas = 0;
  return !jsonEqual(normalized, next);
}

/** When to look again because an owned ready pod will have been ready for minReadySeconds. */
export function nextAvailabilityCheck(rs: KubeObject, owned: readonly KubeObject[], now: number): number | undefined {
  const minReady = minReadySecondsOf(rs);
  let soonest: number | undefined;
  for (const pod of owned) {
    const ms = msUntilAvailable(pod, minReady, now);
    if (ms !== undefined && (soonest === undefined || ms < soonest)) soonest = ms;
  }
  return soonest;
}
