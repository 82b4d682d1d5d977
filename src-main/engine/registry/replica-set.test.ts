import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { replicaSetType } from './replica-set';

function newReplicaSet(): KubeObject {
  const rs: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-abc', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec: {
      selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } },
      template: {
        metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } },
        spec: { containers: [{ name: 'web', image: 'nginx' }, { name: 'log', image: 'busybox' }] },
      },
    },
  };
  replicaSetType.applyDefaults(rs);
  return rs;
}

describe('replicaSetType', () => {
  it('defaults replicas and the template', () => {
    const rs = newReplicaSet();
    expect(rs.spec).toMatchObject({ replicas: 1, template: { spec: { restartPolicy: 'Always', containers: [{ imagePullPolicy: 'Always' }, {}] } } });
  });

  it('validates selector, replicas and immutability', () => {
    const rs = newReplicaSet();
    expect(replicaSetType.validate(rs)).toEqual([]);
    const bad = deepCopy(rs);
    (bad.spec as Record<string, unknown>).replicas = -2;
    (bad.spec as Record<string, unknown>).selector = { matchLabels: { app: 'other' } };
    expect(replicaSetType.validate(bad, rs).map((c) => c.field)).toEqual([
      'spec.replicas',
      'spec.template.metadata.labels',
      'spec.selector',
    ]);
    expect(replicaSetType.validate(bad, rs)[2].message).toMatch(/field is immutable$/);
  });

  it('keeps status.replicas on create and exposes scale', () => {
    const rs = newReplicaSet();
    rs.status = { replicas: 4 };
    replicaSetType.prepareForCreate?.(rs);
    expect(rs.status).toEqual({ replicas: 0 });
    expect(replicaSetType.scale?.selector(rs)).toBe('app=web,pod-template-hash=abc');
    expect(replicaSetType.fieldSelectors['status.replicas'](rs)).toBe('0');
  });

  it('prints integer Desired/Current/Ready and the wide cells', () => {
    const rs = newReplicaSet();
    rs.status = { replicas: 1, readyReplicas: 1 };
    expect(replicaSetType.tableRow(rs, Date.parse('2024-05-01T12:00:45Z'))).toEqual([
      'web-abc',
      1,
      1,
      1,
      '45s',
      'web,log',
      'nginx,busybox',
      'app=web,pod-template-hash=abc',
    ]);
    expect(replicaSetType.tableColumns.slice(1, 4).map((c) => c.type)).toEqual(['integer', 'integer', 'integer']);
  });
});
