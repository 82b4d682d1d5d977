import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { BURST_REPLICAS, planReplicaSet, podFromTemplate } from './replicaset-planner';

const NOW = Date.parse('2025-01-01T00:00:00Z');

const rs = (replicas: number, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web', namespace: 'default', uid: 'rs-uid', ...extra },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
  },
});

function pod(name: string, o: { owner?: string; labels?: Record<string, string>; phase?: string; deleting?: boolean; ready?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: name,
      labels: o.labels ?? { app: 'web' },
      ownerReferences: o.owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: o.owner, controller: true }] : undefined,
      deletionTimestamp: o.deleting ? '2025-01-01T00:00:00Z' : undefined,
      creationTimestamp: '2024-12-31T00:00:00Z',
    },
    spec: { nodeName: 'n' },
    status: { phase: o.phase ?? 'Running', conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-12-31T00:00:00Z' }] : [] },
  };
}

const names = (pods: KubeObject[]): string[] => pods.map((p) => p.metadata.name ?? '');

describe('planReplicaSet', () => {
  it('creates what is missing, counting only active pods', () => {
    const plan = planReplicaSet({
      rs: rs(3),
      pods: [pod('a', { owner: 'rs-uid' }), pod('done', { owner: 'rs-uid', phase: 'Succeeded' }), pod('failed', { owner: 'rs-uid', phase: 'Failed' }), pod('gone', { owner: 'rs-uid', deleting: true })],
      now: NOW,
      expectationsSatisfied: true,
    });
    expect(names(plan.owned)).toEqual(['a']);
    expect(plan.create).toBe(2);
    expect(plan.delete).toEqual([]);
  });

  it('deletes the surplus in deletion order', () => {
    const plan = planReplicaSet({
      rs: rs(1),
      pods: [pod('ready', { owner: 'rs-uid', ready: true }), pod('pending', { owner: 'rs-uid', phase: 'Pending' }), pod('unready', { owner: 'rs-uid' })],
      now: NOW,
      expectationsSatisfied: true,
    });
    expect(names(plan.delete)).toEqual(['pending', 'unready']);
  });

  it('adopts orphans it selects, releases owned pods it no longer selects, ignores others', () => {
    const plan = planReplicaSet({
      rs: rs(2),
      pods: [
        pod('orphan'),
        pod('orphan-other-labels', { labels: { app: 'db' } }),
        pod('stray', { owner: 'rs-uid', labels: { app: 'db' } }),
        pod('foreign', { owner: 'other-uid' }),
        pod('orphan-deleting', { deleting: true }),
      ],
      now: NOW,
      expectationsSatisfied: true,
    });
    expect(names(plan.adopt)).toEqual(['orphan']);
    expect(names(plan.release)).toEqual(['stray']);
    expect(names(plan.owned)).toEqual(['orphan']);
    expect(plan.create).toBe(1);
  });

  it('does not create or delete while expectations are pending, or when being deleted', () => {
    expect(planReplicaSet({ rs: rs(3), pods: [], now: NOW, expectationsSatisfied: false }).create).toBe(0);
    const deleting = planReplicaSet({ rs: rs(3, { deletionTimestamp: '2025-01-01T00:00:00Z' }), pods: [pod('orphan')], now: NOW, expectationsSatisfied: true });
    expect(deleting.create).toBe(0);
    expect(deleting.adopt).toEqual([]);
  });

  it('creates at most a burst per sync', () => {
    expect(planReplicaSet({ rs: rs(2000), pods: [], now: NOW, expectationsSatisfied: true }).create).toBe(BURST_REPLICAS);
  });

  it('builds pods from the template with generateName and a controller reference', () => {
    const p = podFromTemplate(rs(1));
    expect(p.metadata).toEqual({
      generateName: 'web-',
      namespace: 'default',
      labels: { app: 'web' },
      annotations: { a: 'b' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(p.spec).toEqual({ containers: [{ name: 'c', image: 'x' }] });
  });
});
