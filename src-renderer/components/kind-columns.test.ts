import { describe, expect, it } from 'vitest';
import { RESOURCE_KINDS } from '../../src-main/contract/kinds';
import type { PodRow } from '../../src-main/contract/rows';
import { columnsFor, KIND_LABELS, NAV_KINDS, searchableText } from './kind-columns';

const pod: PodRow = {
  uid: 'u1',
  name: 'web-1',
  namespace: 'shop',
  createdAt: '2025-01-01T00:00:00Z',
  labels: { app: 'web' },
  resourceVersion: '1',
  deleting: false,
  phase: 'Running',
  status: 'CrashLoopBackOff',
  readyContainers: 0,
  totalContainers: 1,
  restarts: 4,
  podIP: '10.0.0.7',
  nodeName: 'skiff',
  owner: { kind: 'ReplicaSet', name: 'web-abc' },
  containers: ['main'],
  initContainers: [],
};

describe('columnsFor', () => {
  it('shows the namespace column only across all namespaces', () => {
    expect(columnsFor('pods', 0, true).map((c) => c.id)).toContain('namespace');
    expect(columnsFor('pods', 0, false).map((c) => c.id)).not.toContain('namespace');
  });

  it('has the pod columns the console promises', () => {
    expect(columnsFor('pods', 0, false).map((c) => c.header)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Owner']);
  });

  it('sorts pods by restarts and age', () => {
    const cols = columnsFor('pods', Date.parse('2025-01-02T00:00:00Z'), false);
    expect(cols.find((c) => c.id === 'restarts')?.sortValue?.(pod)).toBe(4);
    expect(cols.find((c) => c.id === 'age')?.render(pod)).toBe('24h');
  });

  it('has columns and a label for every kind', () => {
    for (const kind of RESOURCE_KINDS) {
      expect(columnsFor(kind, 0, true).length).toBeGreaterThan(1);
      expect(KIND_LABELS[kind]).not.toBe('');
    }
    expect(NAV_KINDS).toContain('pvcs');
  });
});

describe('searchableText', () => {
  it('searches name, namespace, status, node and IP', () => {
    expect(searchableText(pod)).toEqual(expect.arrayContaining(['web-1', 'shop', 'CrashLoopBackOff', 'skiff', '10.0.0.7']));
  });
});
