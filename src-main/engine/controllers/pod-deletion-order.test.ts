import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { podsToDelete } from './pod-deletion-order';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface PodOptions {
  node?: string;
  phase?: string;
  readySince?: number;
  created?: number;
  restarts?: number;
  cost?: string;
  uid?: string;
}

function pod(name: string, o: PodOptions = {}): KubeObject {
  const conditions = o.readySince === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readySince) }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      uid: o.uid ?? name,
      creationTimestamp: ago(o.created ?? 10_000),
      annotations: o.cost === undefined ? undefined : { 'controller.kubernetes.io/pod-deletion-cost': o.cost },
    },
    spec: { nodeName: o.node ?? 'node-1' },
    status: { phase: o.phase ?? 'Running', conditions, containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }] },
  };
}

const first = (pods: KubeObject[], n = 1): string[] => podsToDelete(pods, n, NOW).map((p) => p.metadata.name ?? '');

describe('pod deletion order', () => {
  it.each([
    ['unscheduled before scheduled', [pod('a', { readySince: 100 }), pod('b', { node: '', phase: 'Pending' })], 'b'],
    ['Pending before Running', [pod('a', { readySince: 100 }), pod('b', { phase: 'Pending' })], 'b'],
    ['Unknown before Running', [pod('a', { readySince: 100 }), pod('b', { phase: 'Unknown', readySince: 100 })], 'b'],
    ['not ready before ready', [pod('a', { readySince: 100 }), pod('b')], 'b'],
    ['lower deletion cost first', [pod('a', { readySince: 100, cost: '10' }), pod('b', { readySince: 100, cost: '-5' })], 'b'],
    ['ready for less time first', [pod('a', { readySince: 4000 }), pod('b', { readySince: 30 })], 'b'],
    ['more restarts first', [pod('a', { readySince: 100 }), pod('b', { readySince: 100, restarts: 3 })], 'b'],
    ['newer first', [pod('a', { readySince: 100, created: 5000 }), pod('b', { readySince: 100, created: 60 })], 'b'],
    ['ready-time before restarts', [pod('a', { readySince: 30, restarts: 0 }), pod('b', { readySince: 4000, restarts: 9 })], 'a'],
  ])('%s', (_name, pods, expected) => {
    expect(first(pods)).toEqual([expected]);
    expect(first([...pods].reverse())).toEqual([expected]);
  });

  it('compares times in powers of two, then by uid', () => {
    // 100 s and 120 s ago fall in the same power-of-two bucket of nanoseconds
    const a = pod('a', { readySince: 120, uid: 'uid-2' });
    const b = pod('b', { readySince: 100, uid: 'uid-1' });
    expect(first([a, b])).toEqual(['b']);
    const c = pod('c', { readySince: 100, uid: 'uid-3' });
    expect(first([a, c])).toEqual(['a']);
  });

  it('ranks pods with more siblings on their node first', () => {
    const pods = [pod('a', { readySince: 100, node: 'n1' }), pod('b', { readySince: 100, node: 'n2' }), pod('c', { readySince: 100, node: 'n2' })];
    expect(first(pods)).not.toEqual(['a']);
  });

  it('returns everything when asked for all, and nothing for 0', () => {
    const pods = [pod('a'), pod('b')];
    expect(podsToDelete(pods, 5, NOW)).toHaveLength(2);
    expect(podsToDelete(pods, 0, NOW)).toEqual([]);
  });
});
