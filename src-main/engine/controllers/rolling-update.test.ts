import { describe, expect, it } from 'vitest';
import { maxSurge, maxUnavailable, type DeploymentFacts, type IntOrString, type ReplicaSetFacts } from './deployment-replicas';
import { cleanupUnhealthyReplicas, reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDownOldForRollingUpdate } from './rolling-update';

const rolling = (replicas: number, surge: IntOrString, unavailable: IntOrString): DeploymentFacts => ({
  replicas,
  strategy: 'RollingUpdate',
  maxSurge: surge,
  maxUnavailable: unavailable,
  statusReplicas: replicas,
});

const rs = (name: string, replicas: number, available = replicas, created = 0): ReplicaSetFacts => ({
  name,
  replicas,
  statusReplicas: replicas,
  readyReplicas: available,
  availableReplicas: available,
  created,
});

/**
 * A whole rollout, one controller decision per step, with the ReplicaSet controller and kubelet modelled as
 * instant (pods exist as soon as a ReplicaSet is scaled) and new pods becoming available one step later.
 * Returns the (new, old) sizes after each step; asserts the bounds at every step.
 */
function simulate(d: DeploymentFacts, newHealthy = true): Array<[number, number]> {
  let oldRS = rs('old', d.replicas, d.replicas, 0);
  let newRS = rs('new', 0, 0, 1);
  const trace: Array<[number, number]> = [];
  for (let step = 0; step < 100; step++) {
    const all = [oldRS, newRS];
    const target = reconcileNewReplicaSet(d, all, newRS);
    if (target !== newRS.replicas) {
      newRS = { ...newRS, replicas: target, statusReplicas: target };
    } else {
      const downs = reconcileOldReplicaSets(d, all, oldRS.replicas > 0 ? [oldRS] : [], newRS);
      for (const down of downs) {
        const removedUnavailable = Math.min(oldRS.replicas - oldRS.availableReplicas, oldRS.replicas - down.replicas);
        const available = oldRS.availableReplicas - (oldRS.replicas - down.replicas - removedUnavailable);
        oldRS = { ...oldRS, replicas: down.replicas, statusReplicas: down.replicas, availableReplicas: available, readyReplicas: available };
      }
      if (downs.length === 0) {
        // Nothing to do: time passes and new pods become available (or stay broken).
        if (!newHealthy || newRS.availableReplicas === newRS.replicas) break;
        newRS = { ...newRS, availableReplicas: newRS.replicas, readyReplicas: newRS.replicas };
      }
    }
    const total = oldRS.replicas + newRS.replicas;
    const available = oldRS.availableReplicas + newRS.availableReplicas;
    expect(total).toBeLessThanOrEqual(d.replicas + maxSurge(d));
    expect(available).toBeGreaterThanOrEqual(d.replicas - maxUnavailable(d));
    trace.push([newRS.replicas, oldRS.replicas]);
  }
  return trace;
}

describe('rolling update arithmetic', () => {
  it('10 replicas, 25% / 25%: surge 3, unavailable 2', () => {
    const trace = simulate(rolling(10, '25%', '25%'));
    expect(trace[0]).toEqual([3, 10]);
    expect(trace[1]).toEqual([3, 8]);
    expect(trace[trace.length - 1]).toEqual([10, 0]);
  });

  it('maxSurge 1, maxUnavailable 0: one extra pod at a time, never one less', () => {
    const trace = simulate(rolling(3, 1, 0));
    expect(trace).toEqual([
      [1, 3],
      [1, 3],
      [1, 2],
      [2, 2],
      [2, 2],
      [2, 1],
      [3, 1],
      [3, 1],
      [3, 0],
    ]);
  });

  it('maxSurge 0, maxUnavailable 1: one pod down before one up', () => {
    const trace = simulate(rolling(3, 0, 1));
    expect(trace.slice(0, 4)).toEqual([
      [0, 2],
      [1, 2],
      [1, 2],
      [1, 1],
    ]);
    expect(trace[trace.length - 1]).toEqual([3, 0]);
  });

  it('percentages round surge up and unavailability down (5 replicas, 10%/10% -> 1/0)', () => {
    const trace = simulate(rolling(5, '10%', '10%'));
    expect(Math.max(...trace.map(([n, o]) => n + o))).toBe(6);
    expect(trace[trace.length - 1]).toEqual([5, 0]);
  });

  it('a broken new template stops after the surge and the unavailability budget', () => {
    const trace = simulate(rolling(10, '25%', '25%'), false);
    expect(trace[trace.length - 1]).toEqual([5, 8]);
  });

  it('scales the new ReplicaSet down when it is above the desired size', () => {
    expect(reconcileNewReplicaSet(rolling(3, 1, 0), [rs('new', 5)], rs('new', 5))).toBe(3);
    expect(reconcileNewReplicaSet(rolling(3, 1, 0), [rs('new', 3)], rs('new', 3))).toBe(3);
  });

  it('cleans up unavailable old replicas first, oldest ReplicaSet first', () => {
    const older = rs('older', 3, 1, 0);
    const old = rs('old', 3, 3, 1);
    expect(cleanupUnhealthyReplicas([old, older], 5).decisions).toEqual([{ name: 'older', replicas: 1 }]);
    expect(cleanupUnhealthyReplicas([old, older], 1).decisions).toEqual([{ name: 'older', replicas: 2 }]);
    // unhealthy old pods do not block the rollout: 10 replicas, old has 4 unavailable
    const d = rolling(10, 0, 1);
    const newRS = rs('new', 0, 0, 2);
    const downs = reconcileOldReplicaSets(d, [rs('o', 10, 6), newRS], [rs('o', 10, 6)], newRS);
    expect(downs).toEqual([{ name: 'o', replicas: 9 }]);
  });

  it('scales old ReplicaSets down by the availability above the minimum, oldest first', () => {
    const d = rolling(10, 3, 2);
    expect(scaleDownOldForRollingUpdate(d, [rs('a', 5, 5, 0), rs('b', 5, 5, 1), rs('n', 3, 3, 2)], [rs('b', 5, 5, 1), rs('a', 5, 5, 0)])).toEqual([{ name: 'a', replicas: 0 }]);
    expect(scaleDownOldForRollingUpdate(d, [rs('a', 5, 5, 0), rs('b', 5, 3, 1)], [rs('a', 5, 5, 0), rs('b', 5, 3, 1)])).toEqual([]);
  });
});
