/** What controllers read from a pod's status (k8s.io/kubernetes/pkg/api/v1/pod and controller_utils). */
import type { KubeObject } from '../object';
import { asArray, asNumber, asObject, asString, getArray, getString } from '../registry/json-access';
import { parseTime } from './object-source';

/** Neither finished (Succeeded/Failed) nor being deleted: counts towards replicas. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = getString(pod, 'status', 'phase');
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: KubeObject): Record<string, unknown> | undefined {
  for (const c of getArray(pod, 'status', 'conditions')) {
    const cond = asObject(c);
    if (cond && cond.type === 'Ready') return cond;
  }
  return undefined;
}

/** The Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the pod became Ready (the condition's lastTransitionTime), for ready pods with that time set. */
export function podReadySince(pod: KubeObject): number | undefined {
  const cond = readyCondition(pod);
  if (cond?.status !== 'True') return undefined;
  return parseTime(cond.lastTransitionTime);
}

/**
 * Ready for at least minReadySeconds (podutil.IsPodAvailable): the readiness must have started strictly
 * before now - minReadySeconds.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/**
 * Milliseconds from `now` until a ready-but-not-yet-available pod becomes available, or undefined when the
 * pod is not waiting for that (not ready, already available, or no minReadySeconds).
 */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, now: number): number | undefined {
  if (minReadySeconds <= 0 || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) return undefined;
  const since = podReadySince(pod);
  if (since === undefined) return undefined;
  return Math.max(1, since + minReadySeconds * 1000 + 1 - now);
}

/**
 * The highest restart count among regular containers, and among restartable init containers (sidecars),
 * as the ReplicaSet deletion ranking compares them.
 */
export function maxContainerRestarts(pod: KubeObject): { regular: number; sidecar: number } {
  let regular = 0;
  for (const s of getArray(pod, 'status', 'containerStatuses')) {
    regular = Math.max(regular, asNumber(asObject(s)?.restartCount) ?? 0);
  }
  const sidecars = new Set<string>();
  for (const c of asArray(asObject(pod.spec)?.initContainers) ?? []) {
    const container = asObject(c);
    if (container && container.restartPolicy === 'Always') sidecars.add(asString(container.name) ?? '');
  }
  let sidecar = 0;
  for (const s of getArray(pod, 'status', 'initContainerStatuses')) {
    const status = asObject(s);
    if (status && sidecars.has(asString(status.name) ?? '')) sidecar = Math.max(sidecar, asNumber(status.restartCount) ?? 0);
  }
  return { regular, sidecar };
}
