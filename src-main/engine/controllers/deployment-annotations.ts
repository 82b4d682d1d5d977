/**
 * The annotations the deployment controller keeps on ReplicaSets and Deployments (deployment_util.go):
 * revision numbers, revision history on reuse, and the desired/max replicas that proportional scaling reads.
 */
import type { KubeObject } from '../object';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const DEPRECATED_ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

/** Longest revision-history annotation kept, in characters (the controller's maxRevHistoryLengthInChars). */
export const MAX_REVISION_HISTORY_CHARS = 2000;

const SKIPPED = new Set([
  LAST_APPLIED_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  DEPRECATED_ROLLBACK_TO_ANNOTATION,
]);

/** Whether a Deployment annotation stays off its ReplicaSets. */
export function skipCopyAnnotation(key: string): boolean {
  return SKIPPED.has(key);
}

function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  return Number(text);
}

/** The revision of a ReplicaSet, 0 when missing or not a number. */
export function revisionOf(obj: KubeObject): number {
  return parseInteger(obj.metadata.annotations?.[REVISION_ANNOTATION]) ?? 0;
}

export function maxRevision(replicaSets: readonly KubeObject[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** The desired-replicas annotation, if it holds an int32. */
export function desiredReplicasAnnotation(rs: KubeObject): number | undefined {
  return parseInteger(rs.metadata.annotations?.[DESIRED_REPLICAS_ANNOTATION]);
}

export function maxReplicasAnnotation(rs: KubeObject): number | undefined {
  return parseInteger(rs.metadata.annotations?.[MAX_REPLICAS_ANNOTATION]);
}

/** Set one annotation on an object the caller owns; true when it changed. */
function setAnnotation(obj: KubeObject, key: string, value: string): boolean {
  if (obj.metadata.annotations?.[key] === value) return false;
  obj.metadata.annotations = { ...obj.metadata.annotations, [key]: value };
  return true;
}

/** Copy the Deployment's annotations onto `rs` (which the caller owns), except the skipped ones. */
export function copyDeploymentAnnotations(deployment: KubeObject, rs: KubeObject): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(deployment.metadata.annotations ?? {})) {
    if (!skipCopyAnnotation(k) && setAnnotation(rs, k, v)) changed = true;
  }
  return changed;
}

/** Set desired-replicas and max-replicas on `rs` (owned by the caller); true when they changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const desiredChanged = setAnnotation(rs, DESIRED_REPLICAS_ANNOTATION, String(desired));
  const maxChanged = setAnnotation(rs, MAX_REPLICAS_ANNOTATION, String(max));
  return desiredChanged || maxChanged;
}

export function replicasAnnotationsNeedUpdate(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations on `rs` (owned by the caller): copy the Deployment's annotations, raise the
 * revision to `newRevision` if it is lower (recording the old one in revision-history: a rollback to or reuse
 * of an old template), and for a ReplicaSet about to be created the replicas annotations. True on change.
 */
export function setNewReplicaSetAnnotations(
  deployment: KubeObject,
  rs: KubeObject,
  newRevision: number,
  exists: boolean,
  desired: number,
  max: number,
): boolean {
  let changed = copyDeploymentAnnotations(deployment, rs);
  const oldText = rs.metadata.annotations?.[REVISION_ANNOTATION];
  let oldRevision = parseInteger(oldText);
  if (oldRevision === undefined) {
    // A revision that is not a number is left alone, as the controller does.
    if (oldText !== undefined && oldText !== '') return changed;
    oldRevision = 0;
  }
  if (oldRevision < newRevision) {
    setAnnotation(rs, REVISION_ANNOTATION, String(newRevision));
    changed = true;
    if (oldText !== undefined) appendRevisionHistory(rs, oldText);
  }
  if (!exists && setReplicasAnnotations(rs, desired, max)) changed = true;
  return changed;
}

function appendRevisionHistory(rs: KubeObject, oldRevision: string): void {
  const history = rs.metadata.annotations?.[REVISION_HISTORY_ANNOTATION] ?? '';
  if (history === '') {
    setAnnotation(rs, REVISION_HISTORY_ANNOTATION, oldRevision);
    return;
  }
  const revisions = history.split(',');
  let total = history.length + oldRevision.length + 1;
  let start = 0;
  while (total > MAX_REVISION_HISTORY_CHARS && start < revisions.length) {
    total -= revisions[start].length + 1;
    start++;
  }
  if (total <= MAX_REVISION_HISTORY_CHARS) setAnnotation(rs, REVISION_HISTORY_ANNOTATION, [...revisions.slice(start), oldRevision].join(','));
}

/** Set the Deployment's revision annotation on `deployment` (owned by the caller); true when it changed. */
export function setDeploymentRevision(deployment: KubeObject, revision: string): boolean {
  return setAnnotation(deployment, REVISION_ANNOTATION, revision);
}
