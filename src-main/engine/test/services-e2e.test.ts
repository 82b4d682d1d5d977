/**
 * Services end to end on real Docker with real kubectl, with routable ClusterIPs (addresses on the host's lo,
 * the load balancer listening on them): a client pod reaches a 3-replica Deployment on the Service port 80
 * (pods listen on 8080) by every DNS form of its Service name and by $WEB_SERVICE_HOST:$WEB_SERVICE_PORT;
 * connections spread evenly over ready pods, an unready one gets none, and in-cluster traffic is counted per
 * pod. A NodePort Service answers on 127.0.0.1 and loses no request while a pod is deleted under load; bad
 * input (a selector that matches nothing, a targetPort name no container has, a taken NodePort or ClusterIP
 * port) gets clear status and events. Deleting a Service and stopping the engine take the addresses off lo.
 * The fallback without routable ClusterIPs is in cluster-ip-fallback-e2e.test.ts.
 */
import { createServer, type Server } from 'node:net';
import { addressLabel } from '../lb/cluster-ip-addresses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';
import { CLIENT_GET, counts, freeNodePort, hostGet, ipCommand, loAddresses, webDeployment } from './pod-client';
import { TEST_IMAGE } from './test-images';

interface EventView {
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
}

function serviceYaml(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } });
}

describe('Services end to end (real Docker, real kubectl)', () => {
  let e: RuntimeEngine;
  let nodePort: number;
  let stopped = false;

  const readyWebPods = async (): Promise<KubeObject[]> => (await e.json<{ items: KubeObject[] }>(['get', 'pods', '-l', 'app=web'])).items.filter(isPodReady);
  const podIp = (p: KubeObject): string => (p.status as { podIP?: string }).podIP ?? '';
  const endpointIps = async (name: string, field: 'addresses' | 'notReadyAddresses'): Promise<string[]> => {
    const ep = await e.json<{ subsets?: Array<Record<string, Array<{ ip: string }>>> }>(['get', 'endpoints', name]);
    return (ep.subsets ?? []).flatMap((s) => (s[field] ?? []).map((a) => a.ip)).sort();
  };
  /** Run a shell script in the client pod; stdout lines. */
  const inClient = async (script: string): Promise<string[]> => (await e.ok(['exec', 'client', '--', 'sh', '-c', `${CLIENT_GET}\n${script}`])).split('\n').map((l) => l.trim()).filter(Boolean);
  const clusterIpOf = async (name: string): Promise<string> => (await e.json<{ spec: { clusterIP: string } }>(['get', 'service', name])).spec.clusterIP;
  const ourAddresses = async (): Promise<string[]> => (await loAddresses()).filter((a) => a.label === addressLabel(e.clusterId)).map((a) => a.ip).sort();
  const eventsOf = async (name: string): Promise<EventView[]> => (await e.json<{ items: EventView[] }>(['get', 'events'])).items.filter((ev) => ev.involvedObject.name === name);

  beforeAll(async () => {
    e = await startRuntimeEngine({ engine: { clusterIps: true } });
    nodePort = await freeNodePort();
    await e.ok(['apply', '-f', '-'], webDeployment('web', 3));
    // The ClusterIP is routable: port 80 is remapped to the pods' 8080 as kube-proxy does.
    await e.ok(['apply', '-f', '-'], serviceYaml('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
    await e.ok(['apply', '-f', '-'], serviceYaml('web-np', { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort }] }));
    await e.ok(['run', 'client', `--image=${TEST_IMAGE}`, '--restart=Never', '--', 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']);
    await e.ok(['rollout', 'status', 'deploy/web', '--timeout=90s']);
    await e.ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
    await eventually(async () => (await endpointIps('web', 'addresses')).length === 3, 30_000, 200);
  }, 150_000);
  afterAll(async () => {
    if (!stopped) await e?.stop();
  }, 60_000);

  it('starts the cluster DNS on the pod network and points pods at it', async () => {
    expect(e.engine.dns, 'the cluster DNS did not start (see the engine log)').toBeDefined();
    const resolv = await inClient('cat /etc/resolv.conf');
    expect(resolv.join('\n')).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect(resolv.join('\n')).toMatch(/ndots:5/);
    expect(e.engine.clusterIps, 'ClusterIPs are not routable (see the engine log)').toBeDefined();
    expect(await ourAddresses()).toContain(await clusterIpOf('web'));
  });

  it('reaches the Service on port 80 by every DNS form and by $WEB_SERVICE_HOST:$WEB_SERVICE_PORT; unknown names fail', async () => {
    const pods = new Set((await readyWebPods()).map((p) => p.metadata.name));
    for (const name of ['web', 'web.default', 'web.default.svc', 'web.default.svc.cluster.local']) {
      const [body] = await inClient(`get ${name} 80`);
      expect(pods.has(body), `${name} answered ${body}`).toBe(true);
    }
    const clusterIp = await clusterIpOf('web');
    expect(await inClient('echo "$WEB_SERVICE_HOST:$WEB_SERVICE_PORT"')).toEqual([`${clusterIp}:80`]);
    const [viaEnv] = await inClient('fetch "$WEB_SERVICE_HOST" "$WEB_SERVICE_PORT"');
    expect(pods.has(viaEnv), `$WEB_SERVICE_HOST:$WEB_SERVICE_PORT answered ${viaEnv}`).toBe(true);
    // DNS answers the ClusterIP and only it, as in Kubernetes
    const lookup = await inClient('nslookup web.default.svc.cluster.local');
    const answered = lookup.flatMap((l) => /^Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)$/.exec(l)?.[1] ?? []).filter((ip) => ip.startsWith('10.96.'));
    expect(answered).toEqual([clusterIp]);
    // the host reaches it too (its own connections come from the ClusterIP itself)
    expect(await hostGet(80, 3000, clusterIp)).toMatch(/^web-/);
    // the pods' own port is not the Service's: nothing listens on <clusterIP>:8080
    expect(await inClient(`fetch ${clusterIp} 8080`)).toEqual(['FAIL']);
    const missing = await e.k(['exec', 'client', '--', 'nslookup', 'nope.default.svc.cluster.local']);
    expect(`${missing.stdout}${missing.stderr}`).toMatch(/NXDOMAIN|can't find|can't resolve/i);
  });

  it('spreads 300 requests over the ready pods within ±30% of even, counts them per pod, and an unready pod gets none of the next 100', async () => {
    const before = new Map((await readyWebPods()).map((p) => [p.metadata.name ?? '', e.engine.podTraffic.totals('default', p.metadata.name ?? '')?.requests ?? 0]));
    const lines = await inClient('for i in $(seq 300); do get web; done');
    expect(lines).toHaveLength(300);
    const byPod = counts(lines);
    expect(byPod.has('FAIL') || byPod.has('NODNS')).toBe(false);
    expect(byPod.size).toBe(3);
    for (const [pod, n] of byPod) expect(Math.abs(n - 100), `${pod} got ${n}`).toBeLessThanOrEqual(30);
    // in-cluster traffic passes the load balancer now, so it is in the per-pod counters (HPA requests_per_second)
    for (const [pod, n] of byPod) expect((e.engine.podTraffic.totals('default', pod)?.requests ?? 0) - (before.get(pod) ?? 0), pod).toBeGreaterThanOrEqual(n);

    const [victim] = await readyWebPods();
    const victimName = victim.metadata.name ?? '';
    await e.ok(['exec', victimName, '--', 'rm', '/tmp/ready']);
    await eventually(async () => (await endpointIps('web', 'notReadyAddresses')).includes(podIp(victim)), 20_000, 100);
    const after = counts(await inClient('for i in $(seq 100); do get web; done'));
    expect(after.get(victimName) ?? 0).toBe(0);
    expect(after.has('FAIL') || after.has('NODNS')).toBe(false);
    expect([...after.values()].reduce((a, b) => a + b, 0)).toBe(100);
    // the slice says the same
    const slices = await e.json<{ items: Array<{ endpoints: Array<{ addresses: string[]; conditions: { ready: boolean } }> }> }>(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web']);
    expect(slices.items.flatMap((s) => s.endpoints).find((ep) => ep.addresses[0] === podIp(victim))?.conditions.ready).toBe(false);
    await e.ok(['exec', victimName, '--', 'touch', '/tmp/ready']);
    await eventually(async () => (await endpointIps('web', 'addresses')).length === 3, 20_000, 100);
  });

  it('answers a NodePort Service on 127.0.0.1 over ready pods and counts their traffic', async () => {
    const bodies = await Promise.all(Array.from({ length: 30 }, () => hostGet(nodePort)));
    const byPod = counts(bodies);
    const ready = (await readyWebPods()).map((p) => p.metadata.name ?? '');
    expect([...byPod.keys()].sort()).toEqual([...ready].sort());
    for (const pod of ready) {
      expect(e.engine.podTraffic.totals('default', pod)?.requests).toBeGreaterThanOrEqual(byPod.get(pod) ?? 0);
      expect(e.engine.podTraffic.requestRate('default', pod, 30_000)).toBeGreaterThan(0);
    }
    // the same counters reach kubectl through custom.metrics.k8s.io (what the HPA's Pods metric reads)
    const raw = JSON.parse(await e.ok(['get', '--raw', '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/requests_per_second'])) as {
      items: Array<{ describedObject: { name: string }; value: string }>;
    };
    for (const pod of ready) expect(raw.items.find((i) => i.describedObject.name === pod)?.value, pod).toMatch(/^[1-9]\d*m?$/);
  });

  it('a LoadBalancer Service answers on 127.0.0.1:<port> and shows EXTERNAL-IP 127.0.0.1', async () => {
    const port = await freeNodePort();
    await e.ok(['apply', '-f', '-'], serviceYaml('web-lb', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'http', port, targetPort: 'http' }] }));
    const row = await eventually(async () => {
      const out = await e.ok(['get', 'service', 'web-lb', '--no-headers']);
      return /\b127\.0\.0\.1\b/.test(out) ? out : undefined;
    }, 20_000, 200);
    expect(row).toMatch(new RegExp(`LoadBalancer\\s+10\\.96\\.\\d+\\.\\d+\\s+127\\.0\\.0\\.1\\s+${port}:\\d+/TCP`));
    expect(await hostGet(port)).toMatch(/^web-/);
    await e.ok(['delete', 'service', 'web-lb']);
    await eventually(async () => hostGet(port).then(() => false, () => true), 10_000, 100);
  });

  it('loses no request while a pod is deleted under load', async () => {
    const [victim] = await readyWebPods();
    const results = { ok: 0, failed: [] as string[], byPod: new Map<string, number>() };
    let stop = false;
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const body = await hostGet(nodePort);
          results.ok++;
          results.byPod.set(body, (results.byPod.get(body) ?? 0) + 1);
        } catch (err) {
          results.failed.push(String(err));
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    await new Promise((r) => setTimeout(r, 1500));
    await e.ok(['delete', 'pod', victim.metadata.name ?? '', '--wait=false']);
    await new Promise((r) => setTimeout(r, 4000));
    stop = true;
    await Promise.all(workers);
    expect(results.failed, results.failed.slice(0, 3).join('; ')).toEqual([]);
    expect(results.ok).toBeGreaterThan(100);
    expect(results.byPod.get(victim.metadata.name ?? '') ?? 0).toBeGreaterThan(0);
    await e.ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  });

  it('a selector that matches nothing gives empty endpoints and disturbs nothing else', async () => {
    await e.ok(['apply', '-f', '-'], serviceYaml('nothing', { selector: { app: 'nobody' } }));
    const ep = await eventually(async () => {
      const r = await e.k(['get', 'endpoints', 'nothing']);
      return r.code === 0 ? r.stdout : undefined;
    });
    expect(ep).toMatch(/nothing\s+<none>/);
    const slices = await e.json<{ items: Array<{ endpoints?: unknown[] }> }>(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=nothing']);
    expect(slices.items).toHaveLength(1);
    expect(slices.items[0].endpoints ?? []).toEqual([]);
    // the name answers its ClusterIP, which takes the connection and closes it: no ready backend
    const clusterIp = await clusterIpOf('nothing');
    expect(await inClient('resolve nothing')).toEqual([clusterIp]);
    expect(await inClient('get nothing')).toEqual(['FAIL']);
    expect((await endpointIps('web', 'addresses')).length).toBe(3);
    const [body] = await inClient('get web');
    expect(body).toMatch(/^web-/);
  });

  it('a targetPort name no container has: no endpoint for that port and a Warning event', async () => {
    await e.ok(['apply', '-f', '-'], serviceYaml('badport', { selector: { app: 'web' }, ports: [{ name: 'metrics', port: 9100, targetPort: 'metrics' }] }));
    const warning = await eventually(async () => (await eventsOf('badport')).find((ev) => ev.reason === 'TargetPortNotFound'), 20_000, 200);
    expect(warning.type).toBe('Warning');
    expect(warning.message).toMatch(/targetPort "metrics" matches no container port of pod\(s\) web-/);
    expect(await e.ok(['get', 'endpoints', 'badport'])).toMatch(/badport\s+<none>/);
    const described = await e.ok(['describe', 'service', 'badport']);
    expect(described).toContain('TargetPortNotFound');
  });

  it('a NodePort already taken on the host is a PortConflict Warning on the Service', async () => {
    const taken = await freeNodePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(taken, '127.0.0.1', () => r()));
    try {
      await e.ok(['apply', '-f', '-'], serviceYaml('conflict', { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: taken }] }));
      const warning = await eventually(async () => (await eventsOf('conflict')).find((ev) => ev.reason === 'PortConflict'), 20_000, 200);
      expect(warning.type).toBe('Warning');
      expect(warning.message).toContain(`Cannot listen on 127.0.0.1:${taken} for nodePort ${taken} of port "http": address already in use`);
      // the Service itself is stored and shown as usual
      expect(await e.ok(['get', 'service', 'conflict'])).toContain(`80:${taken}/TCP`);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    // once the port is free the load balancer takes it (retried every 5 s)
    const body = await eventually(async () => hostGet(taken).catch(() => undefined), 20_000, 500);
    expect(body).toMatch(/^web-/);
  });

  it('a ClusterIP port already taken on the host is a PortConflict Warning; the address is used and left to its owner', async () => {
    // an address nobody allocated in this engine, put on lo by the test (as another engine would)
    const ip = `10.96.${200 + Math.floor(Math.random() * 50)}.${2 + Math.floor(Math.random() * 250)}`;
    await ipCommand(['addr', 'add', `${ip}/32`, 'dev', 'lo', 'label', 'lo:sktestblk']);
    const blocker: Server = createServer();
    try {
      await new Promise<void>((r) => blocker.listen(80, ip, () => r()));
      await e.ok(['apply', '-f', '-'], serviceYaml('taken', { clusterIP: ip, selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
      const warning = await eventually(async () => (await eventsOf('taken')).find((ev) => ev.reason === 'PortConflict'), 20_000, 200);
      expect(warning.message).toContain(`Cannot listen on ${ip}:80 for clusterIP port 80 of port "http": address already in use`);
      await new Promise<void>((r) => blocker.close(() => r()));
      const body = await eventually(async () => {
        const [b] = await inClient('get taken');
        return /^web-/.test(b) ? b : undefined;
      }, 20_000, 500);
      expect(body).toMatch(/^web-/);
      await e.ok(['delete', 'service', 'taken']);
      await eventually(async () => (await inClient(`fetch ${ip} 80`))[0] === 'FAIL', 10_000, 200);
      // not the engine's address: still there, still the test's
      expect((await loAddresses()).find((a) => a.ip === ip)?.label).toBe('lo:sktestblk');
    } finally {
      if (blocker.listening) await new Promise<void>((r) => blocker.close(() => r()));
      await ipCommand(['addr', 'del', `${ip}/32`, 'dev', 'lo']).catch(() => undefined);
    }
  });

  it('deleting a Service takes its ClusterIP off lo', async () => {
    await e.ok(['apply', '-f', '-'], serviceYaml('brief', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] }));
    const ip = await clusterIpOf('brief');
    await eventually(async () => (await ourAddresses()).includes(ip), 10_000, 100);
    expect(await inClient('get brief')).toEqual([expect.stringMatching(/^web-/)]);
    await e.ok(['delete', 'service', 'brief']);
    await eventually(async () => !(await ourAddresses()).includes(ip), 10_000, 100);
    expect((await loAddresses()).map((a) => a.ip)).not.toContain(ip);
  });

  it('stopping the engine takes every address it added off lo', async () => {
    const label = addressLabel(e.clusterId);
    expect((await ourAddresses()).length).toBeGreaterThanOrEqual(3);
    stopped = true;
    await e.stop();
    expect((await loAddresses()).filter((a) => a.label === label)).toEqual([]);
  });
});
