/**
 * RollingUpdate arithmetic (rolling.go): grow the new ReplicaSet while the total stays within
 * replicas + maxSurge, and shrink old ones while availability stays at least replicas - maxUnavailable,
 * taking out old replicas that are not available first.
 */
import {
  availableReplicaCount,
  byCreation,
  maxUnavailable,
  newRSNewReplicas,
  replicaCount,
  type DeploymentFacts,
  type ReplicaSetFacts,
  type ScaleDecision,
} from './deployment-replicas';

/** reconcileNewReplicaSet: the size the new ReplicaSet should have now (its current size when it must wait). */
export function reconcileNewReplicaSet(d: DeploymentFacts, allRSs: readonly ReplicaSetFacts[], newRS: ReplicaSetFacts): number {
  if (newRS.replicas === d.replicas) return newRS.replicas;
  if (newRS.replicas > d.replicas) return d.replicas;
  return newRSNewReplicas(d, allRSs, newRS);
}

/**
 * reconcileOldReplicaSets: scale-downs of old ReplicaSets, in order. `oldRSs` are the active old ones;
 * `allRSs` includes the new one.
 */
export function reconcileOldReplicaSets(
  d: DeploymentFacts,
  allRSs: readonly ReplicaSetFacts[],
  oldRSs: readonly ReplicaSetFacts[],
  newRS: ReplicaSetFacts,
): ScaleDecision[] {
  if (replicaCount(oldRSs) === 0) return [];
  const allPods = replicaCount(allRSs);
  const minAvailable = d.replicas - maxUnavailable(d);
  const newRSUnavailable = newRS.replicas - newRS.availableReplicas;
  const maxScaledDown = allPods - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return [];
  const { decisions, remaining } = cleanupUnhealthyReplicas(oldRSs, maxScaledDown);
  const scaled = new Map(remaining.map((rs) => [rs.name, rs]));
  const all = allRSs.map((rs) => scaled.get(rs.name) ?? rs);
  return [...decisions, ...scaleDownOldForRollingUpdate(d, all, remaining)];
}

/**
 * Scale old ReplicaSets down by their unavailable replicas, oldest first, at most `maxCleanup` in all:
 * those pods count for nothing, and the ReplicaSet deletes not-ready pods first.
 */
export function cleanupUnhealthyReplicas(oldRSs: readonly ReplicaSetFacts[], maxCleanup: number): { decisions: ScaleDecision[]; remaining: ReplicaSetFacts[] } {
  const sorted = [...oldRSs].sort(byCreation);
  const decisions: ScaleDecision[] = [];
  let total = 0;
  const remaining = sorted.map((rs) => {
    if (total >= maxCleanup || rs.replicas === 0 || rs.replicas === rs.availableReplicas) return rs;
    const down = Math.min(maxCleanup - total, rs.replicas - rs.availableReplicas);
    total += down;
    decisions.push({ name: rs.name, replicas: rs.replicas - down });
    return { ...rs, replicas: rs.replicas - down };
  });
  return { decisions, remaining };
}

/** Scale old ReplicaSets down, oldest first, by as much as availability above the minimum allows. */
export function scaleDownOldForRollingUpdate(d: DeploymentFacts, allRSs: readonly ReplicaSetFacts[], oldRSs: readonly ReplicaSetFacts[]): ScaleDecision[] {
  const minAvailable = d.replicas - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return [];
  const budget = available - minAvailable;
  const decisions: ScaleDecision[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (rs.replicas === 0) continue;
    const down = Math.min(rs.replicas, budget - total);
    decisions.push({ name: rs.name, replicas: rs.replicas - down });
    total += down;
  }
  return decisions;
}
