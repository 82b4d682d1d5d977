import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { ClusterNames } from './cluster-names';

function source(objects: Record<string, KubeObject>): { get(r: string, ns: string, n: string): KubeObject | undefined } {
  return { get: (r, ns, n) => objects[`${r}/${ns}/${n}`] };
}
const obj = (kind: string, rest: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind, metadata: {}, ...rest });
const ep = (ips: string[], notReady: string[] = [], hostnames: Record<string, string> = {}): KubeObject =>
  obj('Endpoints', { subsets: [{ addresses: ips.map((ip) => ({ ip, ...(hostnames[ip] ? { hostname: hostnames[ip] } : {}) })), notReadyAddresses: notReady.map((ip) => ({ ip })) }] });

const names = new ClusterNames(
  source({
    'namespaces//default': obj('Namespace'),
    'services/default/web': obj('Service', { spec: { clusterIP: '10.96.0.20' } }),
    'endpoints/default/web': ep(['172.18.0.2', '172.18.0.3', '172.18.0.4'], ['172.18.0.9']),
    'services/default/db': obj('Service', { spec: { clusterIP: 'None' } }),
    'endpoints/default/db': ep(['172.18.0.7', '172.18.0.8'], [], { '172.18.0.7': 'db-0' }),
    'services/default/idle': obj('Service', { spec: { clusterIP: '10.96.0.21' } }),
    'services/default/hidle': obj('Service', { spec: { clusterIP: 'None' } }),
  }),
);

describe('ClusterNames', () => {
  it('answers a ClusterIP Service with one ready endpoint, round-robin, never a not-ready one', () => {
    const seen = Array.from({ length: 6 }, () => names.resolve('web.default.svc.cluster.local', true));
    expect(seen.map((a) => (a.kind === 'addresses' ? a.addresses : []))).toEqual([
      ['172.18.0.2'],
      ['172.18.0.3'],
      ['172.18.0.4'],
      ['172.18.0.2'],
      ['172.18.0.3'],
      ['172.18.0.4'],
    ]);
    expect(names.resolve('web.default.svc.cluster.local', false)).toEqual({ kind: 'nodata' });
  });

  it('answers a headless Service with every ready endpoint, rotated, and its pods by hostname', () => {
    const a = names.resolve('db.default.svc.cluster.local', true);
    const b = names.resolve('db.default.svc.cluster.local', true);
    expect(a).toEqual({ kind: 'addresses', addresses: ['172.18.0.7', '172.18.0.8'] });
    expect(b).toEqual({ kind: 'addresses', addresses: ['172.18.0.8', '172.18.0.7'] });
    expect(names.resolve('db-0.db.default.svc.cluster.local', true)).toEqual({ kind: 'addresses', addresses: ['172.18.0.7'] });
    expect(names.resolve('db-1.db.default.svc.cluster.local', true)).toEqual({ kind: 'nxdomain' });
  });

  it('NXDOMAIN for unknown cluster names, NODATA for names that exist without a ready address, forward for the rest', () => {
    expect(names.resolve('nope.default.svc.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    expect(names.resolve('web.other.svc.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    // the search-list expansions of "web.default" that must fail
    expect(names.resolve('web.default.default.svc.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    expect(names.resolve('web.default.svc.svc.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    expect(names.resolve('a.b.c.d.svc.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    expect(names.resolve('idle.default.svc.cluster.local', true)).toEqual({ kind: 'nodata' });
    expect(names.resolve('hidle.default.svc.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    expect(names.resolve('default.svc.cluster.local', true)).toEqual({ kind: 'nodata' });
    expect(names.resolve('nons.svc.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    expect(names.resolve('cluster.local', true)).toEqual({ kind: 'nodata' });
    expect(names.resolve('foo.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    expect(names.resolve('example.com', true)).toEqual({ kind: 'forward' });
    expect(names.resolve('notcluster.local', true)).toEqual({ kind: 'forward' });
  });

  it('answers dashed pod IPs in a namespace that exists', () => {
    expect(names.resolve('172-18-0-5.default.pod.cluster.local', true)).toEqual({ kind: 'addresses', addresses: ['172.18.0.5'] });
    expect(names.resolve('172-18-0-999.default.pod.cluster.local', true)).toEqual({ kind: 'nxdomain' });
    expect(names.resolve('172-18-0-5.nons.pod.cluster.local', true)).toEqual({ kind: 'nxdomain' });
  });

  describe('when ClusterIPs are routable', () => {
    let routable = true;
    const routed = new ClusterNames(
      source({
        'namespaces//default': obj('Namespace'),
        'services/default/web': obj('Service', { spec: { clusterIP: '10.96.0.20' } }),
        'endpoints/default/web': ep(['172.18.0.2', '172.18.0.3']),
        'services/default/idle': obj('Service', { spec: { clusterIP: '10.96.0.21' } }),
        'services/default/db': obj('Service', { spec: { clusterIP: 'None' } }),
        'endpoints/default/db': ep(['172.18.0.7', '172.18.0.8']),
        'services/default/kubernetes': obj('Service', { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1' } }),
        'services/default/ext': obj('Service', { spec: { type: 'ExternalName', externalName: 'example.com' } }),
      }),
      'cluster.local',
      () => routable,
    );

    it('a Service name answers its ClusterIP (TTL 5), with or without ready endpoints', () => {
      for (let i = 0; i < 3; i++) expect(routed.resolve('web.default.svc.cluster.local', true)).toEqual({ kind: 'addresses', addresses: ['10.96.0.20'], ttl: 5 });
      expect(routed.resolve('idle.default.svc.cluster.local', true)).toEqual({ kind: 'addresses', addresses: ['10.96.0.21'], ttl: 5 });
      expect(routed.resolve('web.default.svc.cluster.local', false)).toEqual({ kind: 'nodata' });
    });

    it('headless, ExternalName and kubernetes (not served) answer as before', () => {
      expect(routed.resolve('db.default.svc.cluster.local', true)).toMatchObject({ kind: 'addresses', addresses: expect.arrayContaining(['172.18.0.7', '172.18.0.8']) });
      expect(routed.resolve('ext.default.svc.cluster.local', true)).toEqual({ kind: 'nodata' });
      expect(routed.resolve('kubernetes.default.svc.cluster.local', true)).toEqual({ kind: 'nodata' });
    });

    it('back to pod IPs as soon as they are not routable', () => {
      routable = false;
      expect(routed.resolve('web.default.svc.cluster.local', true)).toEqual({ kind: 'addresses', addresses: ['172.18.0.2'] });
      routable = true;
    });
  });
});
