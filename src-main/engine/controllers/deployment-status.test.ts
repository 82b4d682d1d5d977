import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import type { DeploymentFacts, ReplicaSetFacts } from './deployment-replicas';
import {
  calculateStatus,
  deploymentTimedOut,
  getCondition,
  newCondition,
  parseDeploymentStatus,
  renderDeploymentStatus,
  replicaFailureOf,
  rolloutStatus,
  setCondition,
  stuckRequeueDelay,
  type DeploymentStatus,
} from './deployment-status';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const facts: DeploymentFacts = { replicas: 4, strategy: 'RollingUpdate', maxSurge: 1, maxUnavailable: 1, statusReplicas: 4 };
const rs = (name: string, replicas: number, available: number, statusReplicas = replicas): ReplicaSetFacts => ({
  name,
  replicas,
  statusReplicas,
  readyReplicas: available,
  availableReplicas: available,
  created: 0,
});
const empty = (): DeploymentStatus => ({ observedGeneration: 0, replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 0, conditions: [] });

describe('deployment status', () => {
  it('counts replicas and sets Available against replicas - maxUnavailable', () => {
    const s = calculateStatus(facts, 3, empty(), [rs('old', 2, 2), rs('new', 3, 1)], rs('new', 3, 1), T0);
    expect(s).toMatchObject({ observedGeneration: 3, replicas: 5, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, unavailableReplicas: 2 });
    expect(getCondition(s, 'Available')).toMatchObject({ status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    const low = calculateStatus(facts, 3, s, [rs('new', 4, 2)], rs('new', 4, 2), T0 + 5000);
    expect(getCondition(low, 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable', lastTransitionTime: '2025-01-01T00:00:05Z' });
  });

  it('keeps lastTransitionTime when only the reason changes, and moves the condition last', () => {
    const s = empty();
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', T0));
    setCondition(s, newCondition('Available', 'True', 'MinimumReplicasAvailable', 'b', T0));
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'c', T0 + 60_000));
    expect(s.conditions.map((c) => c.type)).toEqual(['Available', 'Progressing']);
    expect(getCondition(s, 'Progressing')).toMatchObject({ lastTransitionTime: '2025-01-01T00:00:00Z', lastUpdateTime: '2025-01-01T00:01:00Z' });
    // same status and reason: nothing changes
    setCondition(s, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'd', T0 + 120_000));
    expect(getCondition(s, 'Progressing')?.message).toBe('c');
  });

  it('renders like Go: zero counts and empty lists left out; parses back', () => {
    const s = { ...empty(), observedGeneration: 2, replicas: 3 };
    expect(renderDeploymentStatus(s)).toEqual({ observedGeneration: 2, replicas: 3 });
    const d: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, status: { replicas: 3, conditions: [{ type: 'Available', status: 'True' }], collisionCount: 1 } };
    expect(parseDeploymentStatus(d)).toMatchObject({ replicas: 3, availableReplicas: 0, collisionCount: 1, conditions: [{ type: 'Available', status: 'True' }] });
  });

  const input = (current: DeploymentStatus, all: ReplicaSetFacts[], now: number) => ({
    name: 'web',
    facts,
    generation: 1,
    deadlineSeconds: 600 as number | undefined,
    current,
    allRSs: all,
    newRS: all[all.length - 1],
    replicaFailure: undefined,
    now,
  });

  it('reports ReplicaSetUpdated on progress, NewReplicaSetAvailable when complete', () => {
    const start = empty();
    setCondition(start, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'Created new replica set "web-1"', T0));
    const progressing = rolloutStatus(input(start, [rs('old', 4, 4), rs('web-1', 1, 0)], T0 + 10_000));
    expect(getCondition(progressing, 'Progressing')).toMatchObject({
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: 'ReplicaSet "web-1" is progressing.',
      lastUpdateTime: '2025-01-01T00:00:10Z',
      lastTransitionTime: '2025-01-01T00:00:00Z',
    });
    const done = rolloutStatus(input({ ...progressing, observedGeneration: 1 }, [rs('old', 0, 0), rs('web-1', 4, 4)], T0 + 20_000));
    expect(getCondition(done, 'Progressing')).toMatchObject({ reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-1" has successfully progressed.' });
  });

  it('times out after progressDeadlineSeconds without progress, and says when to look', () => {
    const start = empty();
    setCondition(start, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'x', T0));
    const all = [rs('old', 3, 3), rs('web-1', 2, 0)];
    const base = { ...rolloutStatus(input(start, all, T0)), conditions: start.conditions };
    expect(stuckRequeueDelay(30, 4, 1, base, base, T0 + 10_000)).toBe(21_000);
    expect(stuckRequeueDelay(30, 4, 1, base, base, T0 + 29_500)).toBe(501);
    expect(deploymentTimedOut(30, base, T0 + 30_000)).toBe(false);
    expect(deploymentTimedOut(30, base, T0 + 30_001)).toBe(true);
    const late = rolloutStatus({ ...input(base, all, T0 + 31_000), deadlineSeconds: 30 });
    expect(getCondition(late, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' });
    expect(stuckRequeueDelay(30, 4, 1, late, late, T0 + 40_000)).toBeUndefined();
  });

  it('drops Progressing without a deadline and carries ReplicaSet failures', () => {
    const start = empty();
    setCondition(start, newCondition('Progressing', 'True', 'ReplicaSetUpdated', 'x', T0));
    const failure = replicaFailureOf({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {},
      status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: '2025-01-01T00:00:00Z' }] },
    });
    const s = rolloutStatus({ ...input(start, [rs('web-1', 4, 4)], T0), deadlineSeconds: undefined, replicaFailure: failure });
    expect(getCondition(s, 'Progressing')).toBeUndefined();
    expect(getCondition(s, 'ReplicaFailure')).toMatchObject({ status: 'True', reason: 'FailedCreate', message: 'quota', lastUpdateTime: '2025-01-01T00:00:00Z' });
  });
});
