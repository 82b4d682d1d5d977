import { describe, expect, it } from 'vitest';
import {
  findActiveOrLatest,
  isSaturated,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  scaledValue,
  type DeploymentFacts,
  type IntOrString,
  type ReplicaSetFacts,
} from './deployment-replicas';

function rsFacts(name: string, replicas: number, more: Partial<ReplicaSetFacts> = {}): ReplicaSetFacts {
  return { name, replicas, statusReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, created: 0, ...more };
}

const rolling = (replicas: number, surge: IntOrString, unavailable: IntOrString): DeploymentFacts => ({
  replicas,
  strategy: 'RollingUpdate',
  maxSurge: surge,
  maxUnavailable: unavailable,
  statusReplicas: replicas,
});

describe('deployment replica arithmetic', () => {
  it.each([
    // [value, total, roundUp, expected]
    [3, 10, true, 3],
    ['25%', 10, true, 3],
    ['25%', 10, false, 2],
    ['50%', 3, true, 2],
    ['50%', 3, false, 1],
    ['10%', 5, true, 1],
    ['10%', 5, false, 0],
    ['100%', 7, false, 7],
    ['0%', 7, true, 0],
  ] as Array<[IntOrString, number, boolean, number]>)('scaledValue(%s of %i, up=%s) = %i', (value, total, up, expected) => {
    expect(scaledValue(value, total, up)).toBe(expected);
  });

  it.each([
    // [replicas, maxSurge, maxUnavailable, surge, unavailable]
    [10, '25%', '25%', 3, 2],
    [10, 1, 0, 1, 0],
    [10, 0, 1, 0, 1],
    [3, '25%', '25%', 1, 0],
    [1, '25%', '25%', 1, 0],
    [5, '10%', '10%', 1, 0],
    // both fenceposts round to zero: unavailable becomes 1
    [3, '0%', '10%', 0, 1],
    [4, 0, '20%', 0, 1],
    [10, '100%', '100%', 10, 10],
  ] as Array<[number, IntOrString, IntOrString, number, number]>)('%i replicas, surge %s, unavailable %s -> %i / %i', (replicas, s, u, surge, unavailable) => {
    expect(resolveFenceposts(s, u, replicas)).toEqual({ surge, unavailable });
    expect(maxSurge(rolling(replicas, s, u))).toBe(surge);
    expect(maxUnavailable(rolling(replicas, s, u))).toBe(Math.min(unavailable, replicas));
  });

  it('has no surge or unavailability for Recreate, and none unavailable at 0 replicas', () => {
    expect(maxSurge({ replicas: 5, strategy: 'Recreate', statusReplicas: 5 })).toBe(0);
    expect(maxUnavailable({ replicas: 5, strategy: 'Recreate', statusReplicas: 5 })).toBe(0);
    expect(maxUnavailable(rolling(0, 1, 1))).toBe(0);
    expect(maxUnavailable(rolling(2, 0, 5))).toBe(2);
  });

  it.each([
    // [deployment replicas, surge, old replicas, new replicas, expected new]
    [10, '25%', 10, 0, 3],
    [10, '25%', 8, 3, 5],
    [10, '25%', 8, 5, 5],
    [10, 0, 10, 0, 0],
    [10, 0, 9, 0, 1],
    [3, 1, 3, 0, 1],
    [3, 5, 3, 0, 3],
  ])('newRSNewReplicas: %i replicas, surge %s, old %i, new %i -> %i', (replicas, surge, oldN, newN, expected) => {
    const d = rolling(replicas, surge, 0);
    const newRS = rsFacts('new', newN);
    expect(newRSNewReplicas(d, [rsFacts('old', oldN), newRS], newRS)).toBe(expected);
  });

  it('counts the pods an old ReplicaSet has not yet deleted against the surge', () => {
    const d = rolling(10, '25%', '25%');
    const newRS = rsFacts('new', 3);
    // spec already 8, but 10 pods still there
    expect(newRSNewReplicas(d, [rsFacts('old', 8, { statusReplicas: 10 }), newRS], newRS)).toBe(3);
    expect(newRSNewReplicas({ ...d, strategy: 'Recreate' }, [rsFacts('old', 8), newRS], newRS)).toBe(10);
  });

  it('finds the single active ReplicaSet, or the newest when none is active', () => {
    const a = rsFacts('a', 0, { created: 1 });
    const b = rsFacts('b', 0, { created: 2 });
    expect(findActiveOrLatest(undefined, [a, b])?.name).toBe('b');
    expect(findActiveOrLatest(rsFacts('n', 0), [a, b])?.name).toBe('n');
    expect(findActiveOrLatest(rsFacts('n', 0), [a, rsFacts('c', 2)])?.name).toBe('c');
    expect(findActiveOrLatest(rsFacts('n', 1), [rsFacts('c', 2)])).toBeUndefined();
    expect(findActiveOrLatest(undefined, [])).toBeUndefined();
  });

  it('is saturated when the new ReplicaSet is full, annotated for it and available', () => {
    const d = rolling(3, 1, 0);
    expect(isSaturated(d, rsFacts('n', 3, { desiredReplicas: 3 }))).toBe(true);
    expect(isSaturated(d, rsFacts('n', 3))).toBe(false);
    expect(isSaturated(d, rsFacts('n', 3, { desiredReplicas: 3, availableReplicas: 2 }))).toBe(false);
    expect(isSaturated(d, undefined)).toBe(false);
  });
});
