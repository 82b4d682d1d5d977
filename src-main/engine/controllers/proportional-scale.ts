/**
 * What a Deployment does when its replicas change, or while it is paused (sync.go scale()): one active
 * ReplicaSet takes the new size; a saturated new ReplicaSet drains the old ones; otherwise, mid-rollout,
 * the extra (or missing) replicas are shared among the active ReplicaSets in proportion to their size.
 */
import {
  activeReplicaSets,
  bySizeNewer,
  bySizeOlder,
  findActiveOrLatest,
  isSaturated,
  maxSurge,
  replicaCount,
  type DeploymentFacts,
  type ReplicaSetFacts,
  type ScaleDecision,
} from './deployment-replicas';

/** Go's math.Round: halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** getReplicaSetFraction: this ReplicaSet's share of a change in the Deployment's maximum size. */
export function replicaSetFraction(rs: ReplicaSetFacts, d: DeploymentFacts): number {
  if (d.replicas === 0) return -rs.replicas;
  const maxNow = d.replicas + maxSurge(d);
  let maxBefore = rs.maxReplicas;
  if (maxBefore === undefined || maxBefore === 0) maxBefore = d.statusReplicas;
  // An unannotated ReplicaSet of a Deployment that has no status yet: no basis for a proportion.
  if (maxBefore === 0) return 0;
  return roundHalfAway((rs.replicas * maxNow) / maxBefore) - rs.replicas;
}

/** GetProportion: the fraction, bounded by what is still left to add or remove. */
export function proportion(rs: ReplicaSetFacts, d: DeploymentFacts, toAdd: number, added: number): number {
  if (rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** The scale step: decisions for the ReplicaSets whose size (or, proportionally, annotations) must change. */
export function proportionalScale(d: DeploymentFacts, newRS: ReplicaSetFacts | undefined, oldRSs: readonly ReplicaSetFacts[]): ScaleDecision[] {
  const single = findActiveOrLatest(newRS, oldRSs);
  if (single) return single.replicas === d.replicas ? [] : [{ name: single.name, replicas: d.replicas }];
  if (isSaturated(d, newRS)) {
    return activeReplicaSets(oldRSs).map((rs) => ({ name: rs.name, replicas: 0 }));
  }
  if (d.strategy !== 'RollingUpdate') return [];
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = d.replicas > 0 ? d.replicas + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(all);
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return rs.replicas;
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return rs.replicas + p;
  });
  // The leftover goes to (or comes from) the largest ReplicaSet.
  if (all.length > 0 && toAdd !== 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  return all.map((rs, i) => ({ name: rs.name, replicas: sizes[i], force: true }));
}
