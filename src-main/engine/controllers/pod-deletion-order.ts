/**
 * Which pods a ReplicaSet deletes first when it has too many (controller.ActivePodsWithRanks, with the
 * LogarithmicScaleDown and PodDeletionCost gates on, as they are by default):
 *  1. unscheduled before scheduled
 *  2. Pending before Unknown before Running
 *  3. not ready before ready
 *  4. lower controller.kubernetes.io/pod-deletion-cost first
 *  5. more pods of the same owner on the node first
 *  6. ready for less time first (compared in powers of two of the time since, ties by uid)
 *  7. more container restarts first
 *  8. created more recently first (powers of two again, ties by uid)
 */
import type { KubeObject } from '../object';
import { getString } from '../registry/json-access';
import { parseTime } from './object-source';
import { isPodActive, isPodReady, maxContainerRestarts, podReadySince } from './pod-state';

export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: KubeObject): number {
  const raw = pod.metadata.annotations?.[POD_DELETION_COST];
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return 0;
  const n = Number(raw);
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/** floor(log2(now - t)) in nanoseconds, -1 for times not in the past. */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/**
 * "More recent first" for two times where undefined is the zero time (which comes first): negative when
 * `a` goes first, positive when `b` does, 0 when they tie.
 */
function recentFirst(a: number | undefined, b: number | undefined, now: number, uidA: string, uidB: string): number {
  if (a === b) return 0;
  if (a === undefined || b === undefined) return a === undefined ? -1 : 1;
  const diff = logRank(a, now) - logRank(b, now);
  if (diff !== 0) return diff;
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}

/** A pod with the number of pods of the same owner active on its node ("rank"). */
export interface RankedPod {
  pod: KubeObject;
  rank: number;
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const nodeA = getString(pa, 'spec', 'nodeName');
  const nodeB = getString(pb, 'spec', 'nodeName');
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phaseA = PHASE_ORDINAL[getString(pa, 'status', 'phase')] ?? 0;
  const phaseB = PHASE_ORDINAL[getString(pb, 'status', 'phase')] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const costA = deletionCost(pa);
  const costB = deletionCost(pb);
  if (costA !== costB) return costA - costB;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const uidA = pa.metadata.uid ?? '';
  const uidB = pb.metadata.uid ?? '';
  if (readyA && readyB) {
    const since = recentFirst(podReadySince(pa), podReadySince(pb), now, uidA, uidB);
    if (since !== 0) return since;
  }
  const restartsA = maxContainerRestarts(pa);
  const restartsB = maxContainerRestarts(pb);
  if (restartsA.regular !== restartsB.regular) return restartsB.regular - restartsA.regular;
  if (restartsA.sidecar !== restartsB.sidecar) return restartsB.sidecar - restartsA.sidecar;
  return recentFirst(parseTime(pa.metadata.creationTimestamp), parseTime(pb.metadata.creationTimestamp), now, uidA, uidB);
}

/**
 * The `count` pods to delete first. `related` are the active pods of the same owner (for a single node,
 * every scheduled pod ranks the same; the rank matters only across nodes).
 */
export function podsToDelete(pods: readonly KubeObject[], count: number, now: number, related: readonly KubeObject[] = pods): KubeObject[] {
  if (count <= 0) return [];
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const node = getString(p, 'spec', 'nodeName');
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(getString(pod, 'spec', 'nodeName')) ?? 0 }));
  if (count < ranked.length) ranked.sort((a, b) => compareForDeletion(a, b, now));
  return ranked.slice(0, count).map((r) => r.pod);
}
