import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { ALL_RESOURCE_TYPES, findResourceType, nameValidatorFor } from './index';

describe('registry index', () => {
  it('lists every kind once in discovery order', () => {
    expect(ALL_RESOURCE_TYPES.map((t) => `${t.group || 'core'}/${t.plural}`)).toEqual([
      'core/configmaps',
      'core/endpoints',
      'core/events',
      'core/namespaces',
      'core/nodes',
      'core/persistentvolumeclaims',
      'core/persistentvolumes',
      'core/pods',
      'core/secrets',
      'core/serviceaccounts',
      'core/services',
      'apps/deployments',
      'apps/replicasets',
      'autoscaling/horizontalpodautoscalers',
      'storage.k8s.io/storageclasses',
      'discovery.k8s.io/endpointslices',
    ]);
  });

  it('finds types by group, version and plural', () => {
    expect(findResourceType('apps', 'v1', 'deployments')?.kind).toBe('Deployment');
    expect(findResourceType('', 'v1', 'pods')?.kind).toBe('Pod');
    expect(findResourceType('apps', 'v1beta1', 'deployments')).toBeUndefined();
  });

  it('uses the real short names, categories and scopes', () => {
    const summary = Object.fromEntries(
      ALL_RESOURCE_TYPES.map((t) => [t.plural, `${t.shortNames.join(',')}|${t.categories.join(',')}|${t.namespaced ? 'ns' : 'cluster'}`]),
    );
    expect(summary).toEqual({
      configmaps: 'cm||ns',
      endpoints: 'ep||ns',
      events: 'ev||ns',
      namespaces: 'ns||cluster',
      nodes: 'no||cluster',
      persistentvolumeclaims: 'pvc||ns',
      persistentvolumes: 'pv||cluster',
      pods: 'po|all|ns',
      secrets: '||ns',
      serviceaccounts: 'sa||ns',
      services: 'svc|all|ns',
      deployments: 'deploy|all|ns',
      replicasets: 'rs|all|ns',
      horizontalpodautoscalers: 'hpa|all|ns',
      storageclasses: 'sc||cluster',
      endpointslices: '||ns',
    });
  });

  it('gives every type a name column and rows as wide as its columns', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    for (const t of ALL_RESOURCE_TYPES) {
      const obj: KubeObject = { apiVersion: t.group ? `${t.group}/${t.version}` : t.version, kind: t.kind, metadata: { name: 'x' } };
      t.applyDefaults(obj);
      expect(t.tableRow(obj, now), t.plural).toHaveLength(t.tableColumns.length);
      expect(t.tableColumns.filter((c) => c.format === 'name').map((c) => c.name), t.plural).toEqual(['Name']);
      expect(t.tableColumns.find((c) => c.name === 'Age')?.type ?? 'string', t.plural).toBe('string');
    }
  });

  it('never shares verb arrays between types', () => {
    const pods = findResourceType('', 'v1', 'pods');
    const svc = findResourceType('', 'v1', 'services');
    expect(pods?.verbs).not.toBe(svc?.verbs);
  });

  it('maps kinds to their name validators', () => {
    expect(nameValidatorFor({ group: '', plural: 'namespaces' })).toBe('dns1123Label');
    expect(nameValidatorFor({ group: '', plural: 'services' })).toBe('dns1035Label');
    expect(nameValidatorFor({ group: 'apps', plural: 'deployments' })).toBe('dns1123Subdomain');
  });
});
