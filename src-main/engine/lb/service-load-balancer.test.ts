import { createServer as createHttpServer, request, type Server as HttpServer, Agent } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectService } from '../api/object-service';
import { EventRecorder } from '../controllers/event-recorder';
import { closeTestService, newTestService, typeOf } from '../controllers/test-harness';
import { deepCopy } from '../object';
import type { KubeObject } from '../object';
import { desiredListeners, ServiceLoadBalancer } from './service-load-balancer';

async function listenFree(server: Server | HttpServer, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return addr.port;
}

/** A free port in the NodePort range (bind-probed). */
async function freeNodePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = 30000 + Math.floor(Math.random() * 2700);
    const s = createServer();
    try {
      await listenFree(s, port);
      await new Promise<void>((r) => s.close(() => r()));
      return port;
    } catch {
      // taken, try another
    }
  }
  throw new Error('no free node port');
}

function get(port: number, agent?: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ServiceLoadBalancer', () => {
  /** store events are delivered after the write is durable (next turn): let them and the syncs run */
  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setImmediate(r));
      await lb.idle();
    }
  }

  let service: ObjectService;
  let lb: ServiceLoadBalancer;
  const backends: HttpServer[] = [];
  const blockers: Server[] = [];

  beforeEach(() => {
    service = newTestService();
    lb = new ServiceLoadBalancer({ service, events: new EventRecorder(service), retryMs: 100 });
    lb.start();
  });
  afterEach(async () => {
    await lb.stop();
    for (const s of [...backends.splice(0), ...blockers.splice(0)]) {
      (s as HttpServer).closeAllConnections?.();
      await new Promise<void>((r) => s.close(() => r()));
    }
    closeTestService(service);
  });

  async function backend(name: string): Promise<number> {
    const s = createHttpServer((_req, res) => res.end(name));
    backends.push(s);
    return listenFree(s);
  }

  function createService(name: string, type: string, nodePort: number, port = 80): void {
    service.create(typeOf(service, 'services'), 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type, ports: [{ name: 'http', port, targetPort: 8080, nodePort }] } });
  }

  function setEndpoints(name: string, ready: Array<[string, number]>, notReady: Array<[string, number]> = []): void {
    const type = typeOf(service, 'endpoints');
    const addr = ([pod]: [string, number]): Record<string, unknown> => ({ ip: '127.0.0.1', targetRef: { kind: 'Pod', namespace: 'default', name: pod } });
    // one subset per backend port: every backend is 127.0.0.1 on its own port
    const subsets = [...ready.map((b) => ({ addresses: [addr(b)], ports: [{ name: 'http', port: b[1] }] })), ...notReady.map((b) => ({ notReadyAddresses: [addr(b)], ports: [{ name: 'http', port: b[1] }] }))];
    const body = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, ...(subsets.length ? { subsets } : {}) };
    const cur = service.tryGet(type, 'default', name);
    if (cur) service.update(type, 'default', name, { ...deepCopy(body), metadata: { ...cur.metadata } });
    else service.create(type, 'default', body);
  }

  it('spreads connections round-robin over ready endpoints and counts requests per pod', async () => {
    const ports = await Promise.all(['a', 'b', 'c'].map(backend));
    const nodePort = await freeNodePort();
    createService('web', 'NodePort', nodePort);
    setEndpoints('web', [['pod-a', ports[0]], ['pod-b', ports[1]], ['pod-c', ports[2]]], [['pod-d', 1]]);
    await settle();
    expect(lb.listeners('default', 'web')).toEqual([{ host: '127.0.0.1', port: nodePort, kind: 'nodePort', listening: true, backends: 3 }]);
    const bodies: string[] = [];
    for (let i = 0; i < 30; i++) bodies.push(await get(nodePort));
    expect(['a', 'b', 'c'].map((n) => bodies.filter((b) => b === n).length)).toEqual([10, 10, 10]);
    // keep-alive: three requests on one connection are three requests
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 3; i++) await get(nodePort, agent);
    agent.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const totals = ['pod-a', 'pod-b', 'pod-c'].map((p) => lb.totals('default', p)?.requests ?? 0);
    expect(totals.reduce((a, b) => a + b, 0)).toBe(33);
    expect(lb.totals('default', 'pod-a')?.bytesOut).toBeGreaterThan(0);
    expect(lb.requestRate('default', 'pod-a', 10_000)).toBeGreaterThan(0);
    // a not-ready endpoint is known (rate 0), an unknown pod is undefined
    expect(lb.requestRate('default', 'pod-d')).toBe(0);
    expect(lb.requestRate('default', 'nobody')).toBeUndefined();
  });

  it('skips a backend whose connect fails, and stops sending to one that leaves the ready set', async () => {
    const good = await backend('good');
    const other = await backend('other');
    const dead = createServer();
    const deadPort = await listenFree(dead);
    await new Promise<void>((r) => dead.close(() => r()));
    const nodePort = await freeNodePort();
    createService('web', 'NodePort', nodePort);
    setEndpoints('web', [['pod-dead', deadPort], ['pod-good', good], ['pod-other', other]]);
    await settle();
    const bodies = await Promise.all(Array.from({ length: 12 }, () => get(nodePort)));
    expect(bodies.every((b) => b === 'good' || b === 'other')).toBe(true);
    setEndpoints('web', [['pod-good', good]], [['pod-other', other]]);
    await settle();
    const after = await Promise.all(Array.from({ length: 10 }, () => get(nodePort)));
    expect(after).toEqual(Array(10).fill('good'));
  });

  it('reports a taken port as a PortConflict Warning and listens once it is free', async () => {
    const blocker = createServer();
    const nodePort = await freeNodePort();
    await listenFree(blocker, nodePort);
    const good = await backend('good');
    createService('web', 'NodePort', nodePort);
    setEndpoints('web', [['pod-good', good]]);
    await settle();
    const events = service.list(typeOf(service, 'events'), 'default').items.filter((e) => e.reason === 'PortConflict');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'Warning', involvedObject: { kind: 'Service', name: 'web' } });
    expect(String(events[0].message)).toContain(`Cannot listen on 127.0.0.1:${nodePort} for nodePort ${nodePort} of port "http": address already in use`);
    await new Promise<void>((r) => blocker.close(() => r()));
    for (let i = 0; i < 50 && !lb.listeners('default', 'web')[0]?.listening; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await get(nodePort)).toBe('good');
  });

  it('a LoadBalancer Service also listens on its port and reports ingress 127.0.0.1; deleting it frees the ports', async () => {
    const good = await backend('good');
    const nodePort = await freeNodePort();
    const probe = createServer();
    const port = await listenFree(probe);
    await new Promise<void>((r) => probe.close(() => r()));
    createService('lb', 'LoadBalancer', nodePort, port);
    setEndpoints('lb', [['pod-good', good]]);
    await settle();
    expect(await get(port)).toBe('good');
    expect(await get(nodePort)).toBe('good');
    expect(service.get(typeOf(service, 'services'), 'default', 'lb').status).toEqual({ loadBalancer: { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }] } });
    service.delete(typeOf(service, 'services'), 'default', 'lb');
    await settle();
    expect(lb.listeners('default', 'lb')).toEqual([]);
    await expect(get(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('with routable ClusterIPs: puts the address on the host before listening on <clusterIP>:<port>, and takes it off after', async () => {
    await lb.stop();
    const calls: string[] = [];
    lb = new ServiceLoadBalancer({ service, events: new EventRecorder(service), retryMs: 60_000, clusterIps: { add: async (ip) => (calls.push(`add ${ip}`), true), remove: async (ip) => void calls.push(`remove ${ip}`) } });
    lb.start();
    await settle();
    // the kubernetes Service is not served (API on loopback only, the same IP in every engine)
    expect(calls).toEqual([]);
    service.create(typeOf(service, 'services'), 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cip' }, spec: { clusterIP: '10.96.254.253', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    setEndpoints('cip', [['pod-a', 8080]]);
    await settle();
    expect(calls).toEqual(['add 10.96.254.253']);
    expect(lb.listeners('default', 'cip')).toMatchObject([{ host: '10.96.254.253', port: 80, kind: 'clusterIP', backends: 1 }]);
    // this fake never put the address on lo, so listening fails: a ListenFailed Warning naming the ClusterIP
    const failed = service.list(typeOf(service, 'events'), 'default').items.find((e) => e.reason === 'ListenFailed');
    expect(lb.listeners('default', 'cip')[0].listening).toBe(false);
    expect(String(failed?.message)).toContain('Cannot listen on 10.96.254.253:80 for clusterIP port 80 of port "http"');
    expect(service.get(typeOf(service, 'services'), 'default', 'cip').status ?? {}).not.toHaveProperty('loadBalancer.ingress');
    service.delete(typeOf(service, 'services'), 'default', 'cip');
    await settle();
    expect(calls).toEqual(['add 10.96.254.253', 'remove 10.96.254.253']);
    expect(lb.listeners('default', 'cip')).toEqual([]);
  });
});

describe('desiredListeners', () => {
  const svc = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP' }], ...spec } });
  const endpoints: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'x' }, subsets: [{ addresses: [{ ip: '172.18.0.5', targetRef: { name: 'p' } }], ports: [{ name: 'http', port: 8080 }] }] };
  const of = (s: KubeObject, clusterIps = true): string[] => desiredListeners(s, endpoints, { host: '127.0.0.1', clusterIps }).map((d) => `${d.kind} ${d.host}:${d.port} -> ${d.backends.map((b) => `${b.ip}:${b.port}`).join(',')}`);

  it('every TCP port of a Service with a ClusterIP, remapped to the target port; node ports as before', () => {
    expect(of(svc('a', { type: 'ClusterIP', clusterIP: '10.96.1.2' }))).toEqual(['clusterIP 10.96.1.2:80 -> 172.18.0.5:8080']);
    expect(of(svc('a', { type: 'NodePort', clusterIP: '10.96.1.2' }))).toEqual(['clusterIP 10.96.1.2:80 -> 172.18.0.5:8080', 'nodePort 127.0.0.1:30080 -> 172.18.0.5:8080']);
    expect(of(svc('a', { type: 'LoadBalancer', clusterIP: '10.96.1.2' }))).toHaveLength(3);
  });

  it('none for headless, ExternalName and the kubernetes Service, nor when ClusterIPs are not routable', () => {
    expect(of(svc('a', { clusterIP: 'None' }))).toEqual([]);
    expect(of(svc('a', { type: 'ExternalName', externalName: 'example.com' }))).toEqual([]);
    expect(of(svc('kubernetes', { clusterIP: '10.96.0.1' }))).toEqual([]);
    expect(of(svc('a', { clusterIP: '10.96.1.2' }), false)).toEqual([]);
    expect(of(svc('a', { type: 'NodePort', clusterIP: '10.96.1.2' }), false)).toEqual(['nodePort 127.0.0.1:30080 -> 172.18.0.5:8080']);
  });
});
