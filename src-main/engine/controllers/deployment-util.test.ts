import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { compareByRevision, findNewReplicaSet, newReplicaSetBody, selectsEverything } from './deployment-util';

const template = (image: string, hash?: string): Record<string, unknown> => ({
  metadata: { labels: hash ? { app: 'web', 'pod-template-hash': hash } : { app: 'web' } },
  spec: { containers: [{ name: 'c', image }] },
});
const d: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ns', uid: 'd' },
  spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, template: template('v1'), minReadySeconds: 5 },
};
const rs = (name: string, image: string, created: string, revision?: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, creationTimestamp: created, annotations: revision ? { 'deployment.kubernetes.io/revision': revision } : undefined },
  spec: { template: template(image, 'h') },
});

describe('deployment-util', () => {
  it('finds the oldest ReplicaSet with the Deployment\'s template', () => {
    const rss = [rs('b', 'v1', '2025-01-02T00:00:00Z'), rs('a', 'v1', '2025-01-01T00:00:00Z'), rs('c', 'v2', '2024-01-01T00:00:00Z')];
    expect(findNewReplicaSet(d, rss)?.metadata.name).toBe('a');
    expect(findNewReplicaSet(d, [rs('c', 'v2', '2024-01-01T00:00:00Z')])).toBeUndefined();
  });

  it('builds the new ReplicaSet with the hash in labels, selector and template', () => {
    const body = newReplicaSetBody(d, 'abc', 2);
    expect(body.metadata).toEqual({
      name: 'web-abc',
      namespace: 'ns',
      labels: { app: 'web', 'pod-template-hash': 'abc' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd', controller: true, blockOwnerDeletion: true }],
    });
    expect(body.spec).toEqual({
      replicas: 2,
      minReadySeconds: 5,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      template: template('v1', 'abc'),
    });
    // the Deployment is not changed
    expect((d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels).toEqual({ app: 'web' });
  });

  it('orders by revision then age, and spots an empty selector', () => {
    const sorted = [rs('x', 'v', '2025-01-02T00:00:00Z', '2'), rs('y', 'v', '2025-01-03T00:00:00Z', '1'), rs('z', 'v', '2025-01-01T00:00:00Z', '1')].sort(compareByRevision);
    expect(sorted.map((r) => r.metadata.name)).toEqual(['z', 'y', 'x']);
    expect(selectsEverything({ ...d, spec: { selector: {} } })).toBe(true);
    expect(selectsEverything(d)).toBe(false);
  });
});
