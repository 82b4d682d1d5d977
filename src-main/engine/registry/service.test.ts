import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { serviceType } from './service';

function svc(spec: Record<string, unknown>): KubeObject {
  const s: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec,
  };
  serviceType.applyDefaults(s);
  return s;
}

function messages(s: KubeObject, old?: KubeObject): string[] {
  return serviceType.validate(s, old).map((c) => `${c.field}: ${c.message}`);
}

const now = Date.parse('2024-05-01T13:00:00Z');

describe('serviceType defaults', () => {
  it('fills a ClusterIP service', () => {
    const s = svc({ selector: { app: 'web' }, ports: [{ port: 80 }] });
    expect(s.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    });
  });

  it('adds externalTrafficPolicy for NodePort and LoadBalancer, and the ClientIP timeout', () => {
    expect(svc({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] }).spec).toMatchObject({
      externalTrafficPolicy: 'Cluster',
      ports: [{ targetPort: 'http' }],
    });
    expect(svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }).spec).toMatchObject({ allocateLoadBalancerNodePorts: true });
    expect(svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }).spec).toMatchObject({
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    });
  });

  it('mirrors clusterIP into clusterIPs', () => {
    expect(svc({ clusterIP: 'None' }).spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'] });
  });
});

describe('serviceType validation', () => {
  it('passes a valid service and a headless one without ports', () => {
    expect(messages(svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }))).toEqual([]);
    expect(messages(svc({ clusterIP: 'None', selector: { app: 'web' } }))).toEqual([]);
  });

  it('requires ports, names for several ports, and a known type', () => {
    expect(messages(svc({}))).toEqual(['spec.ports: Required value']);
    expect(messages(svc({ ports: [{ port: 80 }, { port: 443 }] }))).toEqual([
      'spec.ports[0].name: Required value',
      'spec.ports[1].name: Required value',
    ]);
    expect(messages(svc({ type: 'Magic', ports: [{ port: 80 }] }))).toEqual([
      'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    ]);
  });

  it('checks port numbers, duplicate names and node ports', () => {
    expect(messages(svc({ ports: [{ port: 70000 }] }))).toEqual([
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(messages(svc({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }))).toEqual([
      'spec.ports[1].name: Duplicate value: "a"',
    ]);
    expect(messages(svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }))).toEqual([
      'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ]);
    expect(messages(svc({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([
      "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
    ]);
  });

  it('validates ExternalName services', () => {
    expect(messages(svc({ type: 'ExternalName', externalName: 'example.com.' }))).toEqual([]);
    expect(messages(svc({ type: 'ExternalName' }))).toEqual(['spec.externalName: Required value']);
  });

  it('keeps clusterIP once set', () => {
    const old = svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' });
    const next = deepCopy(old);
    (next.spec as Record<string, unknown>).clusterIP = '10.96.0.11';
    (next.spec as Record<string, unknown>).clusterIPs = ['10.96.0.11'];
    expect(messages(next, old)).toEqual(['spec.clusterIPs[0]: Invalid value: "10.96.0.11": may not change once set']);
  });
});

describe('serviceType table', () => {
  it('prints a ClusterIP service', () => {
    const s = svc({ selector: { app: 'web' }, ports: [{ port: 80 }], clusterIP: '10.96.0.10' });
    expect(serviceType.tableRow(s, now)).toEqual(['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '60m', 'app=web']);
  });

  it('prints a NodePort service with its node ports', () => {
    const s = svc({ type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP' }] });
    expect(serviceType.tableRow(s, now).slice(1, 5)).toEqual(['NodePort', '<none>', '<none>', '80:30080/TCP,53/UDP']);
    expect(serviceType.tableRow(s, now)[6]).toBe('<none>');
  });

  it('prints <pending> until a LoadBalancer has an address', () => {
    const s = svc({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 31000 }] });
    expect(serviceType.tableRow(s, now)[3]).toBe('<pending>');
    s.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
    expect(serviceType.tableRow(s, now)[3]).toBe('127.0.0.1');
  });

  it('clears status on create', () => {
    const s = svc({ ports: [{ port: 80 }] });
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
    serviceType.prepareForCreate?.(s);
    expect(s.status).toEqual({ loadBalancer: {} });
  });
});
