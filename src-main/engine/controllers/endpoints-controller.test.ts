import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { deepCopy } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { EndpointsController } from './endpoints-controller';
import { closeTestService, FakeClock, newTestService, settle, typeOf } from './test-harness';

describe('EndpointsController', () => {
  let service: ObjectService;
  let controller: EndpointsController;
  let pods: ResourceType;
  let services: ResourceType;
  let endpoints: ResourceType;
  let slices: ResourceType;
  let events: ResourceType;

  beforeEach(() => {
    service = newTestService();
    pods = typeOf(service, 'pods');
    services = typeOf(service, 'services');
    endpoints = typeOf(service, 'endpoints');
    slices = typeOf(service, 'endpointslices.discovery.k8s.io');
    events = typeOf(service, 'events');
    controller = new EndpointsController(service, { clock: new FakeClock() });
    controller.start();
  });
  afterEach(() => {
    controller.stop();
    closeTestService(service);
  });

  const run = (): Promise<void> => settle([controller], 5);

  function createPod(name: string, ip: string, ready: boolean, labels: Record<string, string> = { app: 'web' }): void {
    service.create(pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels },
      spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    setStatus(name, ip, ready);
  }

  function setStatus(name: string, ip: string, ready: boolean): void {
    const cur = deepCopy(service.get(pods, 'default', name));
    cur.status = { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    service.update(pods, 'default', name, cur, { subresource: 'status' });
  }

  function createService(name: string, spec: Record<string, unknown>): KubeObject {
    return service.create(services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } });
  }

  const ips = (name: string, field: 'addresses' | 'notReadyAddresses'): string[] => {
    const ep = service.tryGet(endpoints, 'default', name);
    const subsets = (ep?.subsets as Array<Record<string, Array<{ ip: string }>>> | undefined) ?? [];
    return subsets.flatMap((s) => (s[field] ?? []).map((a) => a.ip));
  };
  const sliceOf = (svc: string): KubeObject[] => service.list(slices, 'default').items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);

  it('keeps Endpoints and the EndpointSlice current as pods come, change readiness and go', async () => {
    createService('web', { selector: { app: 'web' } });
    createPod('a', '172.18.0.2', true);
    createPod('b', '172.18.0.3', false);
    createPod('x', '172.18.0.4', true, { app: 'other' });
    await run();
    expect(ips('web', 'addresses')).toEqual(['172.18.0.2']);
    expect(ips('web', 'notReadyAddresses')).toEqual(['172.18.0.3']);
    let [slice] = sliceOf('web');
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect((slice.endpoints as Array<{ addresses: string[]; conditions: { ready: boolean } }>).map((e) => [e.addresses[0], e.conditions.ready])).toEqual([
      ['172.18.0.2', true],
      ['172.18.0.3', false],
    ]);
    setStatus('b', '172.18.0.3', true);
    await run();
    expect(ips('web', 'addresses')).toEqual(['172.18.0.2', '172.18.0.3']);
    service.delete(pods, 'default', 'a', { gracePeriodSeconds: 0 });
    await run();
    expect(ips('web', 'addresses')).toEqual(['172.18.0.3']);
    expect(sliceOf('web')).toHaveLength(1);
    [slice] = sliceOf('web');
    expect((slice.endpoints as unknown[]).length).toBe(1);
    // a relabelled pod leaves
    const b = deepCopy(service.get(pods, 'default', 'b'));
    b.metadata.labels = { app: 'gone' };
    service.update(pods, 'default', 'b', b);
    await run();
    expect(service.get(endpoints, 'default', 'web').subsets).toBeUndefined();
  });

  it('restores what a user deletes, and removes Endpoints when the Service goes', async () => {
    createService('web', { selector: { app: 'web' } });
    createPod('a', '172.18.0.2', true);
    await run();
    service.delete(endpoints, 'default', 'web');
    service.delete(slices, 'default', sliceOf('web')[0].metadata.name ?? '');
    await run();
    expect(ips('web', 'addresses')).toEqual(['172.18.0.2']);
    expect(sliceOf('web')).toHaveLength(1);
    service.delete(services, 'default', 'web');
    await run();
    expect(service.tryGet(endpoints, 'default', 'web')).toBeUndefined();
    expect(sliceOf('web')).toHaveLength(0);
  });

  it('leaves the endpoints of a Service without selector alone, and shows an empty set for a selector that matches nothing', async () => {
    createService('manual', {});
    service.create(endpoints, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '192.168.1.1' }], ports: [{ name: 'http', port: 80 }] }] });
    createService('empty', { selector: { app: 'nobody' } });
    createPod('a', '172.18.0.2', true);
    await run();
    expect(ips('manual', 'addresses')).toEqual(['192.168.1.1']);
    expect(sliceOf('manual')).toHaveLength(0);
    expect(service.get(endpoints, 'default', 'empty').subsets).toBeUndefined();
    expect(sliceOf('empty')[0].endpoints).toEqual([]);
  });

  it('records a Warning when a targetPort name matches no container port', async () => {
    createService('bad', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'metrics' }] });
    createPod('a', '172.18.0.2', true);
    await run();
    expect(service.get(endpoints, 'default', 'bad').subsets).toBeUndefined();
    const warnings = service.list(events, 'default').items.filter((e) => e.reason === 'TargetPortNotFound');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ type: 'Warning', involvedObject: { kind: 'Service', name: 'bad' } });
    expect(String(warnings[0].message)).toContain('targetPort "metrics" matches no container port of pod(s) a');
    // no repeat on an unrelated resync
    setStatus('a', '172.18.0.2', true);
    await run();
    expect(service.list(events, 'default').items.filter((e) => e.reason === 'TargetPortNotFound')[0].count).toBe(1);
  });

  it('warns once when pods listen on another port than the Service port (in-cluster clients get pod IPs)', async () => {
    createService('remap', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    createService('same', { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
    createPod('a', '172.18.0.2', true);
    await run();
    const warnings = service.list(events, 'default').items.filter((e) => e.reason === 'PortNotRemapped');
    expect(warnings.map((w) => (w.involvedObject as { name: string }).name)).toEqual(['remap']);
    expect(String(warnings[0].message)).toContain('must connect to port 8080, not 80');
  });

  it('no PortNotRemapped Warning when ClusterIPs are routable (the load balancer remaps the port)', async () => {
    const routed = new EndpointsController(service, { clock: new FakeClock(), clusterIpsRoutable: () => true });
    controller.stop();
    routed.start();
    try {
      createService('remap', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
      createPod('a', '172.18.0.2', true);
      await settle([routed], 5);
      expect(service.get(endpoints, 'default', 'remap').subsets).toBeDefined();
      expect(service.list(events, 'default').items.filter((e) => e.reason === 'PortNotRemapped')).toEqual([]);
    } finally {
      routed.stop();
    }
  });
});
