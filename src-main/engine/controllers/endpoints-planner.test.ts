import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { desiredEndpoints, desiredSlices, findPort, managesEndpoints, planEndpoints } from './endpoints-planner';

const svc = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', uid: 'svc-uid', labels: { team: 'a' } },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }], ...spec },
});

function pod(name: string, ip: string, o: { ready?: boolean; labels?: Record<string, string>; ports?: unknown[]; deleting?: boolean; phase?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: o.labels ?? { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) },
    spec: { nodeName: 'skiff', containers: [{ name: 'c', image: 'i', ports: o.ports ?? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
    status: { phase: o.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

describe('planEndpoints', () => {
  it('resolves named and numbered target ports per pod and splits ready from not ready', () => {
    const plan = planEndpoints(svc({}), [pod('b', '172.18.0.10', { ready: false }), pod('a', '172.18.0.9'), pod('other', '172.18.0.11', { labels: { app: 'x' } })]);
    expect(plan.unresolved).toEqual([]);
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0].ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    // sorted numerically by IP: .9 before .10
    expect(plan.groups[0].endpoints.map((e) => [e.pod.name, e.ready])).toEqual([['a', true], ['b', false]]);
    const ep = desiredEndpoints(svc({}), plan);
    expect(ep.subsets).toEqual([
      {
        addresses: [{ ip: '172.18.0.9', nodeName: 'skiff', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' } }],
        notReadyAddresses: [{ ip: '172.18.0.10', nodeName: 'skiff', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: 'uid-b' } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(ep.metadata.labels).toEqual({ team: 'a' });
    const numbered = planEndpoints(svc({ ports: [{ port: 80, targetPort: 9090, protocol: 'TCP' }] }), [pod('a', '172.18.0.9')]);
    expect(numbered.groups[0].ports).toEqual([{ name: '', port: 9090, protocol: 'TCP' }]);
    // pods listen elsewhere than the Service port: reported (in-cluster clients get pod IPs), not for headless
    expect(plan.unmapped).toEqual([{ servicePort: 'http', port: 80, targetPort: 8080 }]);
    expect(numbered.unmapped).toEqual([{ servicePort: '80', port: 80, targetPort: 9090 }]);
    expect(planEndpoints(svc({ clusterIP: 'None' }), [pod('a', '172.18.0.9')]).unmapped).toEqual([]);
    expect(planEndpoints(svc({ ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }] }), [pod('a', '172.18.0.9')]).unmapped).toEqual([]);
  });

  it('leaves a pod out of a port whose targetPort name it lacks, and reports it', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }, { name: 'admin', port: 81, targetPort: 'admin', protocol: 'TCP' }] });
    const plan = planEndpoints(s, [pod('a', '172.18.0.2'), pod('b', '172.18.0.3', { ports: [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9000 }] })]);
    expect(plan.unresolved).toEqual([{ pod: 'a', servicePort: 'admin', targetPort: 'admin' }]);
    expect(plan.groups.map((g) => [g.ports.map((p) => p.name).join('+'), g.endpoints.map((e) => e.pod.name).join()])).toEqual([
      ['admin+http', 'b'],
      ['http', 'a'],
    ]);
    const none = planEndpoints(svc({ ports: [{ name: 'http', port: 80, targetPort: 'nope', protocol: 'TCP' }] }), [pod('a', '172.18.0.2')]);
    expect(none.groups).toEqual([]);
    expect(none.unresolved).toHaveLength(1);
  });

  it('skips pods without an IP and finished pods; terminating pods are only in slices, not ready', () => {
    const plan = planEndpoints(svc({}), [pod('noip', ''), pod('done', '172.18.0.5', { phase: 'Succeeded' }), pod('bye', '172.18.0.6', { deleting: true })]);
    expect(plan.groups[0].endpoints.map((e) => [e.pod.name, e.ready, e.terminating])).toEqual([['bye', false, true]]);
    expect(desiredEndpoints(svc({}), plan).subsets).toBeUndefined();
    const [slice] = desiredSlices(svc({}), plan);
    expect(slice.body.endpoints).toEqual([
      { addresses: ['172.18.0.6'], conditions: { ready: false, serving: false, terminating: true }, nodeName: 'skiff', targetRef: { kind: 'Pod', namespace: 'default', name: 'bye', uid: 'uid-bye' } },
    ]);
  });

  it('publishNotReadyAddresses lists every pod as ready; selector-less and ExternalName services are not managed', () => {
    const plan = planEndpoints(svc({ publishNotReadyAddresses: true }), [pod('a', '172.18.0.2', { ready: false })]);
    expect(plan.groups[0].endpoints[0].ready).toBe(true);
    expect(managesEndpoints(svc({ selector: undefined }))).toBe(false);
    expect(managesEndpoints(svc({ selector: {} }))).toBe(false);
    expect(managesEndpoints(svc({ type: 'ExternalName' }))).toBe(false);
  });

  it('labels and owns slices like Kubernetes, with one empty slice when nothing matches', () => {
    const slices = desiredSlices(svc({ clusterIP: 'None' }), planEndpoints(svc({}), []));
    expect(slices).toHaveLength(1);
    expect(slices[0].body).toMatchObject({
      apiVersion: 'discovery.k8s.io/v1',
      addressType: 'IPv4',
      endpoints: [],
      ports: [],
      metadata: {
        generateName: 'web-',
        labels: { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'service.kubernetes.io/headless': '' },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid', controller: true, blockOwnerDeletion: true }],
      },
    });
  });

  it('findPort: numbers, numeric strings, names with protocol', () => {
    const p = pod('a', '1.2.3.4', { ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns', containerPort: 5353 }] });
    expect(findPort(p, 80, 'TCP')).toBe(80);
    expect(findPort(p, '8080', 'TCP')).toBe(8080);
    expect(findPort(p, 'dns', 'UDP')).toBe(53);
    expect(findPort(p, 'dns', 'TCP')).toBe(5353);
    expect(findPort(p, 'missing', 'TCP')).toBeUndefined();
  });
});
