import { describe, expect, it } from 'vitest';
import type { DeploymentFacts, ReplicaSetFacts } from './deployment-replicas';
import { proportionalScale, replicaSetFraction } from './proportional-scale';

/** A ReplicaSet annotated for a Deployment of `before` replicas (max = before + surge). */
const rs = (name: string, replicas: number, created: number, before: number, surge = 0): ReplicaSetFacts => ({
  name,
  replicas,
  statusReplicas: replicas,
  readyReplicas: replicas,
  availableReplicas: replicas,
  created,
  desiredReplicas: before,
  maxReplicas: before + surge,
});

const d = (replicas: number, surge = 0, statusReplicas = replicas): DeploymentFacts => ({ replicas, strategy: 'RollingUpdate', maxSurge: surge, maxUnavailable: 0, statusReplicas });

function sizes(deployment: DeploymentFacts, newRS: ReplicaSetFacts | undefined, oldRSs: ReplicaSetFacts[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of [...oldRSs, ...(newRS ? [newRS] : [])]) out[r.name] = r.replicas;
  for (const dec of proportionalScale(deployment, newRS, oldRSs)) out[dec.name] = dec.replicas;
  return out;
}

describe('proportional scaling (the cases of the deployment controller\'s TestScale)', () => {
  it('one active ReplicaSet takes the whole new size', () => {
    expect(sizes(d(12), rs('new', 10, 2, 10), [rs('old', 0, 1, 10)])).toEqual({ new: 12, old: 0 });
    expect(sizes(d(5), rs('new', 10, 2, 10), [])).toEqual({ new: 5 });
    expect(sizes(d(5), undefined, [rs('old', 10, 1, 10)])).toEqual({ old: 5 });
    // nothing active: the newest grows
    expect(sizes(d(3), rs('new', 0, 2, 0), [rs('old', 0, 1, 0)])).toEqual({ new: 3, old: 0 });
  });

  it.each([
    ['5 -> 10', 10, 5, 2, [3], 4, [6]],
    ['5 -> 3', 3, 5, 2, [3], 1, [2]],
    ['9 -> 4', 4, 9, 8, [1], 4, [0]],
    ['7 -> 10', 10, 7, 2, [3, 2], 3, [4, 3]],
    ['13 -> 8', 8, 13, 2, [8, 3], 1, [5, 2]],
    ['leftover 3 -> 4', 4, 3, 1, [1, 1], 2, [1, 1]],
    ['leftover 4 -> 3', 3, 4, 2, [1, 1], 1, [1, 1]],
    ['to zero', 0, 9, 4, [5], 0, [0]],
  ])('%s', (_name, replicas, before, newSize, oldSizes, newWant, oldWant) => {
    const oldRSs = oldSizes.map((n, i) => rs(`old${i}`, n, i, before));
    const result = sizes(d(replicas), rs('new', newSize, 10, before), oldRSs);
    expect(result.new).toBe(newWant);
    expect(oldSizes.map((_, i) => result[`old${i}`])).toEqual(oldWant);
  });

  it('mid-rollout with surge: 10 -> 20 shares 12 more among 8 old and 5 new', () => {
    const result = sizes(d(20, 5), rs('new', 5, 2, 10, 3), [rs('old', 8, 1, 10, 3)]);
    expect(result).toEqual({ new: 10, old: 15 });
  });

  it('a saturated new ReplicaSet drains the old ones', () => {
    const newRS = rs('new', 3, 2, 3);
    expect(proportionalScale(d(3), newRS, [rs('old', 1, 1, 3)])).toEqual([{ name: 'old', replicas: 0 }]);
  });

  it('refreshes the annotations of ReplicaSets it keeps the size of', () => {
    const decisions = proportionalScale(d(10, 0, 10), rs('new', 5, 2, 10), [rs('old', 5, 1, 10)]);
    expect(decisions).toEqual([
      { name: 'old', replicas: 5, force: true },
      { name: 'new', replicas: 5, force: true },
    ]);
  });

  it('falls back to status.replicas without a max-replicas annotation', () => {
    const plain: ReplicaSetFacts = { name: 'x', replicas: 4, statusReplicas: 4, readyReplicas: 4, availableReplicas: 4, created: 0 };
    expect(replicaSetFraction(plain, d(16, 0, 8))).toBe(4);
    expect(replicaSetFraction(plain, d(16, 0, 0))).toBe(0);
  });

  it('does nothing proportional for Recreate', () => {
    expect(proportionalScale({ ...d(10), strategy: 'Recreate' }, rs('new', 2, 2, 5), [rs('old', 3, 1, 5)])).toEqual([]);
  });
});
