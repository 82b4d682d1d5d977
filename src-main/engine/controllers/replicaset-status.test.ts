import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { calculateReplicaSetStatus, nextAvailabilityCheck, replicaSetStatusChanged } from './replicaset-status';

const NOW = Date.parse('2025-01-01T00:01:00Z');

const rs = (minReadySeconds = 0, status: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', generation: 4 },
  spec: { replicas: 3, minReadySeconds, template: { metadata: { labels: { app: 'web', tier: 'fe' } } } },
  status,
});

const pod = (labels: Record<string, string>, readyAt?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { labels },
  status: { phase: 'Running', conditions: readyAt ? [{ type: 'Ready', status: 'True', lastTransitionTime: readyAt }] : [] },
});

describe('ReplicaSet status', () => {
  const pods = [pod({ app: 'web', tier: 'fe' }, '2025-01-01T00:00:00Z'), pod({ app: 'web', tier: 'fe' }, '2025-01-01T00:00:55Z'), pod({ app: 'web' })];

  it('counts replicas, fully labeled, ready and available (after minReadySeconds)', () => {
    expect(calculateReplicaSetStatus(rs(), pods, NOW)).toEqual({ replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 4 });
    expect(calculateReplicaSetStatus(rs(10), pods, NOW)).toEqual({ replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
    expect(calculateReplicaSetStatus(rs(), [], NOW)).toEqual({ replicas: 0, observedGeneration: 4 });
  });

  it('adds ReplicaFailure on a failed create or delete and removes it once managing works again', () => {
    const failed = calculateReplicaSetStatus(rs(), [], NOW, { kind: 'create', message: 'quota exceeded' });
    expect(failed.conditions).toEqual([{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2025-01-01T00:01:00Z', reason: 'FailedCreate', message: 'quota exceeded' }]);
    const again = calculateReplicaSetStatus(rs(0, failed), [], NOW + 5000, { kind: 'create', message: 'still' });
    expect(again.conditions).toEqual(failed.conditions);
    expect(calculateReplicaSetStatus(rs(0, failed), [], NOW).conditions).toBeUndefined();
    expect(calculateReplicaSetStatus(rs(), [], NOW, { kind: 'delete', message: 'x' }).conditions).toMatchObject([{ reason: 'FailedDelete' }]);
  });

  it('compares with the stored status as Go would decode it', () => {
    expect(replicaSetStatusChanged(rs(0, { replicas: 0, readyReplicas: 0, observedGeneration: 4 }), { replicas: 0, observedGeneration: 4 })).toBe(false);
    expect(replicaSetStatusChanged(rs(0, {}), { replicas: 0, observedGeneration: 4 })).toBe(true);
  });

  it('says when the next pod becomes available', () => {
    expect(nextAvailabilityCheck(rs(10), pods, NOW)).toBe(5001);
    expect(nextAvailabilityCheck(rs(0), pods, NOW)).toBeUndefined();
  });
});
