import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import type { DeploymentFacts, ReplicaSetFacts } from './deployment-replicas';
import { oldPodsRunning, recreateStep } from './recreate';

const rs = (name: string, replicas: number, statusReplicas = replicas): ReplicaSetFacts => ({
  name,
  replicas,
  statusReplicas,
  readyReplicas: statusReplicas,
  availableReplicas: statusReplicas,
  created: 0,
});
const pod = (phase: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: phase }, status: { phase } });
const d: DeploymentFacts = { replicas: 3, strategy: 'Recreate', statusReplicas: 3 };

describe('Recreate', () => {
  it('scales every active old ReplicaSet to zero first', () => {
    expect(recreateStep(d, [rs('a', 3), rs('b', 0), rs('c', 1)], true)).toEqual({
      kind: 'scaleDownOld',
      decisions: [
        { name: 'a', replicas: 0 },
        { name: 'c', replicas: 0 },
      ],
    });
  });

  it('waits while old pods run, then scales the new ReplicaSet up fully', () => {
    expect(recreateStep(d, [rs('a', 0)], true)).toEqual({ kind: 'waitForOldPods' });
    expect(recreateStep(d, [rs('a', 0)], false)).toEqual({ kind: 'scaleUpNew', replicas: 3 });
    expect(recreateStep(d, [], false)).toEqual({ kind: 'scaleUpNew', replicas: 3 });
  });

  it('counts old pods that are terminating or not finished, but not the new ReplicaSet\'s', () => {
    expect(oldPodsRunning([rs('a', 0, 1)], new Map(), undefined)).toBe(true);
    expect(oldPodsRunning([rs('a', 0, 0)], new Map([['old-uid', [pod('Running')]]]), 'new-uid')).toBe(true);
    expect(oldPodsRunning([rs('a', 0, 0)], new Map([['old-uid', [pod('Pending')]]]), 'new-uid')).toBe(true);
    expect(oldPodsRunning([rs('a', 0, 0)], new Map([['old-uid', [pod('Failed'), pod('Succeeded')]]]), 'new-uid')).toBe(false);
    expect(oldPodsRunning([rs('a', 0, 0)], new Map([['new-uid', [pod('Running')]]]), 'new-uid')).toBe(false);
  });
});
