/**
 * Deployment status and conditions (sync.go calculateStatus, progress.go syncRolloutStatus,
 * deployment_util.go conditions): the counts `kubectl rollout status` reads, Available, and Progressing
 * with its deadline.
 */
import type { KubeObject } from '../object';
import { asNumber, asObject, asString, getArray, getNumber, getObject } from '../registry/json-access';
import {
  actualReplicaCount,
  availableReplicaCount,
  maxUnavailable,
  readyReplicaCount,
  replicaCount,
  type DeploymentFacts,
  type ReplicaSetFacts,
} from './deployment-replicas';
import { formatTime, parseTime } from './object-source';

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';

export const REASON_MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const REASON_MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';
export const REASON_NEW_RS_CREATED = 'NewReplicaSetCreated';
export const REASON_FOUND_NEW_RS = 'FoundNewReplicaSet';
export const REASON_RS_UPDATED = 'ReplicaSetUpdated';
export const REASON_NEW_RS_AVAILABLE = 'NewReplicaSetAvailable';
export const REASON_TIMED_OUT = 'ProgressDeadlineExceeded';
export const REASON_PAUSED = 'DeploymentPaused';
export const REASON_RESUMED = 'DeploymentResumed';
export const REASON_FAILED_RS_CREATE = 'ReplicaSetCreateError';

/** progressDeadlineSeconds of MaxInt32 means "no deadline". */
const NO_DEADLINE = 2147483647;

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface DeploymentCondition {
  type: string;
  status: ConditionStatus;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
  collisionCount?: number;
}

function parseCondition(raw: unknown): DeploymentCondition | undefined {
  const c = asObject(raw);
  const type = asString(c?.type);
  if (!c || !type) return undefined;
  const status = c.status === 'True' || c.status === 'False' ? c.status : 'Unknown';
  const out: DeploymentCondition = { type, status };
  for (const k of ['lastUpdateTime', 'lastTransitionTime', 'reason', 'message'] as const) {
    const v = asString(c[k]);
    if (v) out[k] = v;
  }
  return out;
}

export function parseDeploymentStatus(d: KubeObject): DeploymentStatus {
  const s = getObject(d, 'status') ?? {};
  const n = (k: string): number => asNumber(s[k]) ?? 0;
  const status: DeploymentStatus = {
    observedGeneration: n('observedGeneration'),
    replicas: n('replicas'),
    updatedReplicas: n('updatedReplicas'),
    readyReplicas: n('readyReplicas'),
    availableReplicas: n('availableReplicas'),
    unavailableReplicas: n('unavailableReplicas'),
    conditions: getArray(d, 'status', 'conditions').flatMap((c) => parseCondition(c) ?? []),
  };
  const collisions = asNumber(s.collisionCount);
  if (collisions !== undefined) status.collisionCount = collisions;
  return status;
}

/** The status as the API server serializes it: zero counts and empty lists omitted. */
export function renderDeploymentStatus(s: DeploymentStatus): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const counts: Array<[string, number]> = [
    ['observedGeneration', s.observedGeneration],
    ['replicas', s.replicas],
    ['updatedReplicas', s.updatedReplicas],
    ['readyReplicas', s.readyReplicas],
    ['availableReplicas', s.availableReplicas],
    ['unavailableReplicas', s.unavailableReplicas],
  ];
  for (const [k, v] of counts) if (v !== 0) out[k] = v;
  if (s.conditions.length > 0) out.conditions = s.conditions.map((c) => ({ ...c }));
  if (s.collisionCount !== undefined) out.collisionCount = s.collisionCount;
  return out;
}

export function cloneStatus(s: DeploymentStatus): DeploymentStatus {
  return { ...s, conditions: s.conditions.map((c) => ({ ...c })) };
}

export function getCondition(s: DeploymentStatus, type: string): DeploymentCondition | undefined {
  return s.conditions.find((c) => c.type === type);
}

export function newCondition(type: string, status: ConditionStatus, reason: string, message: string, now: number): DeploymentCondition {
  const t = formatTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/**
 * SetDeploymentCondition: nothing changes for the same status and reason; the transition time is kept
 * when only the reason changes; the condition moves to the end of the list.
 */
export function setCondition(s: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(s, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  s.conditions = [...s.conditions.filter((c) => c.type !== condition.type), next];
}

export function removeCondition(s: DeploymentStatus, type: string): void {
  s.conditions = s.conditions.filter((c) => c.type !== type);
}

export function progressDeadlineOf(d: KubeObject): number | undefined {
  const v = getNumber(d, 'spec', 'progressDeadlineSeconds');
  return v === undefined || v === NO_DEADLINE ? undefined : v;
}

/** calculateStatus: counts from the ReplicaSets and the Available condition; other conditions carried over. */
export function calculateStatus(
  d: DeploymentFacts,
  generation: number,
  current: DeploymentStatus,
  allRSs: readonly ReplicaSetFacts[],
  newRS: ReplicaSetFacts | undefined,
  now: number,
): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: generation,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicaCount(allRSs) - available),
    conditions: current.conditions.map((c) => ({ ...c })),
  };
  if (current.collisionCount !== undefined) status.collisionCount = current.collisionCount;
  if (available >= d.replicas - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', REASON_MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', REASON_MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Every replica updated, running and available, and the latest spec observed. */
export function deploymentComplete(replicas: number, generation: number, s: DeploymentStatus): boolean {
  return s.updatedReplicas === replicas && s.replicas === replicas && s.availableReplicas === replicas && s.observedGeneration >= generation;
}

/** Any sign of progress between two statuses. */
export function deploymentProgressing(prev: DeploymentStatus, next: DeploymentStatus): boolean {
  const oldBefore = prev.replicas - prev.updatedReplicas;
  const oldAfter = next.replicas - next.updatedReplicas;
  return (
    next.updatedReplicas > prev.updatedReplicas ||
    oldAfter < oldBefore ||
    next.readyReplicas > prev.readyReplicas ||
    next.availableReplicas > prev.availableReplicas
  );
}

/** No progress reported for progressDeadlineSeconds since the Progressing condition's lastUpdateTime. */
export function deploymentTimedOut(deadlineSeconds: number | undefined, s: DeploymentStatus, now: number): boolean {
  if (deadlineSeconds === undefined) return false;
  const cond = getCondition(s, PROGRESSING);
  if (!cond) return false;
  if (cond.reason === REASON_NEW_RS_AVAILABLE) return false;
  if (cond.reason === REASON_TIMED_OUT) return true;
  const from = parseTime(cond.lastUpdateTime) ?? 0;
  return from + deadlineSeconds * 1000 < now;
}

export interface RolloutStatusInput {
  name: string;
  facts: DeploymentFacts;
  generation: number;
  deadlineSeconds: number | undefined;
  /** the status as this sync has it so far (stored status plus conditions set earlier in the sync) */
  current: DeploymentStatus;
  allRSs: readonly ReplicaSetFacts[];
  newRS: ReplicaSetFacts | undefined;
  /** the ReplicaFailure of the new (else any) ReplicaSet, as a Deployment condition */
  replicaFailure: DeploymentCondition | undefined;
  now: number;
}

/** syncRolloutStatus: the status with Progressing estimated (complete, progressing, or timed out). */
export function rolloutStatus(input: RolloutStatusInput): DeploymentStatus {
  const { facts, now, current } = input;
  const next = calculateStatus(facts, input.generation, current, input.allRSs, input.newRS, now);
  if (input.deadlineSeconds === undefined) removeCondition(next, PROGRESSING);
  const currentCond = getCondition(current, PROGRESSING);
  const isComplete = next.replicas === next.updatedReplicas && currentCond?.reason === REASON_NEW_RS_AVAILABLE;
  if (input.deadlineSeconds !== undefined && !isComplete) {
    const rsName = input.newRS?.name;
    if (deploymentComplete(facts.replicas, input.generation, next)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${input.name}" has successfully progressed.`;
      setCondition(next, newCondition(PROGRESSING, 'True', REASON_NEW_RS_AVAILABLE, msg, now));
    } else if (deploymentProgressing(current, next)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${input.name}" is progressing.`;
      const cond = newCondition(PROGRESSING, 'True', REASON_RS_UPDATED, msg, now);
      // Progress refreshes lastUpdateTime even with the same reason; the transition time stays while True.
      if (currentCond) {
        if (currentCond.status === 'True') cond.lastTransitionTime = currentCond.lastTransitionTime;
        removeCondition(next, PROGRESSING);
      }
      setCondition(next, cond);
    } else if (deploymentTimedOut(input.deadlineSeconds, next, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${input.name}" has timed out progressing.`;
      setCondition(next, newCondition(PROGRESSING, 'False', REASON_TIMED_OUT, msg, now));
    }
  }
  if (input.replicaFailure) setCondition(next, input.replicaFailure);
  else removeCondition(next, REPLICA_FAILURE);
  return next;
}

/**
 * requeueStuckDeployment: when to look again to notice a missed deadline, in ms from now, or
 * undefined when there is nothing to watch for.
 */
export function stuckRequeueDelay(deadlineSeconds: number | undefined, replicas: number, generation: number, current: DeploymentStatus, next: DeploymentStatus, now: number): number | undefined {
  const cond = getCondition(current, PROGRESSING);
  if (deadlineSeconds === undefined || !cond) return undefined;
  if (deploymentComplete(replicas, generation, next) || cond.reason === REASON_TIMED_OUT) return undefined;
  const after = (parseTime(cond.lastUpdateTime) ?? 0) + deadlineSeconds * 1000 - now;
  // The deadline passes once now is strictly after it: 1 ms past it when close, a second to be safe otherwise.
  return after < 1000 ? Math.max(1, after + 1) : after + 1000;
}

/** A ReplicaSet's ReplicaFailure condition as a Deployment condition (ReplicaSetToDeploymentCondition). */
export function replicaFailureOf(rs: KubeObject): DeploymentCondition | undefined {
  for (const raw of getArray(rs, 'status', 'conditions')) {
    const c = asObject(raw);
    if (!c || c.type !== REPLICA_FAILURE) continue;
    const status = c.status === 'True' || c.status === 'False' ? c.status : 'Unknown';
    const t = asString(c.lastTransitionTime);
    const out: DeploymentCondition = { type: REPLICA_FAILURE, status };
    if (t) {
      out.lastUpdateTime = t;
      out.lastTransitionTime = t;
    }
    const reason = asString(c.reason);
    if (reason) out.reason = reason;
    const message = asString(c.message);
    if (message) out.message = message;
    return out;
  }
  return undefined;
}
