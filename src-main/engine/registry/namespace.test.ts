import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { namespaceType } from './namespace';

function ns(extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', creationTimestamp: '2024-05-01T12:00:00Z' }, ...extra };
}

describe('namespaceType', () => {
  it('labels the namespace with its name and defaults the phase', () => {
    const n = ns();
    n.metadata.labels = { 'kubernetes.io/metadata.name': 'spoofed', team: 'a' };
    namespaceType.applyDefaults(n);
    expect(n.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team-a', team: 'a' });
    expect(n.status).toEqual({ phase: 'Active' });
  });

  it('adds the kubernetes finalizer and resets status on create', () => {
    const n = ns({ spec: { finalizers: ['example.com/x'] }, status: { phase: 'Terminating' } });
    namespaceType.prepareForCreate?.(n);
    expect(n.spec).toEqual({ finalizers: ['example.com/x', 'kubernetes'] });
    expect(n.status).toEqual({ phase: 'Active' });
    const bare = ns();
    namespaceType.prepareForCreate?.(bare);
    expect(bare.spec).toEqual({ finalizers: ['kubernetes'] });
  });

  it('validates spec.finalizers', () => {
    expect(namespaceType.validate(ns({ spec: { finalizers: ['kubernetes'] } }))).toEqual([]);
    expect(namespaceType.validate(ns({ spec: { finalizers: ['custom'] } })).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]);
  });

  it('is cluster-scoped without deletecollection and prints its phase', () => {
    expect(namespaceType.namespaced).toBe(false);
    expect(namespaceType.verbs).not.toContain('deletecollection');
    const n = ns({ status: { phase: 'Active' } });
    expect(namespaceType.tableRow(n, Date.parse('2024-05-01T12:00:30Z'))).toEqual(['team-a', 'Active', '30s']);
    expect(namespaceType.fieldSelectors['status.phase'](n)).toBe('Active');
  });
});
