/**
 * Services end to end on real Docker with real kubectl, with routable ClusterIPs (addresses on the host's lo,
 * the load balancer listening on them): a client pod reaches a 3-replica Deployment on the Service port 80
 * (pods listen on 8080) by every DNS form of its Service name and by $WEB_SERVICE_HOST:$WEB_SERVICE_PORT;
 * connections spread evenly over ready pods, an unready one gets none, and in-cluster traffic is counted per
 * pod. A NodePort Service answers on 127.0.0.1 and loses no request while a pod is deleted under load; bad
 * input (a selector that matches nothing, a targetPort name no container has, a taken NodePort or ClusterIP
 * port) gets clear status and events. A headless Service answers one A record per ready pod; a Service with
 * two ports (named and numbered targetPorts) answers on both; a pod in another namespace uses <svc>.<ns>; a
 * second Service asking for a taken nodePort gets 422. Deleting a Service and stopping the engine take the
 * addresses off lo.
 * The fallback without routable ClusterIPs is in cluster-ip-fallback-e2e.test.ts.
 */
import { createServer, type Server } from 'node:net';
import { addressLabel } from '../lb/cluster-ip-addresses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { api, eventually } from './harness';
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

/** The IPv4 answers of a busybox nslookup (the lines after "Name:", not the server's own address). */
function aRecords(lines: string[]): string[] {
  const start = lines.findIndex((l) => l.startsWith('Name:'));
  if (start < 0) return [];
  return lines
    .slice(start)
    .flatMap((l) => /^Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)$/.exec(l)?.[1] ?? [])
    .sort();
}

/** Pods serving "http <pod>" on the named port http (8080) and "admin <pod>" on 9090 (not declared). */
function twoPortDeployment(name: string, replicas: number): string {
  const serve = 'mkdir -p /www /adm && echo "http $(hostname)" > /www/index.html && echo "admin $(hostname)" > /adm/index.html && httpd -p 9090 -h /adm && exec httpd -f -p 8080 -h /www';
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'web', image: TEST_IMAGE, command: ['sh', '-c', serve], ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 9090 }, periodSeconds: 1, timeoutSeconds: 10 } }],
        },
      },
    },
  });
}

// Both data paths, the same tests: the kernel's (iptables DNAT, where the engine may manage it: root on
// Linux, as CI is) and the user-space proxy (everywhere else, and what takes what the kernel does not forward).
describe.each([
  { path: 'kernel forwarding', kernelForwarding: true },
  { path: 'user-space proxy', kernelForwarding: false },
])('Services end to end (real Docker, real kubectl), $path', ({ kernelForwarding }) => {
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
    e = await startRuntimeEngine({ engine: { clusterIps: true, kernelForwarding } });
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
    expect(e.engine.loadBalancer?.kernelForwarding, 'kernel forwarding (see the engine log)').toBe(kernelForwarding);
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
    await e.engine.loadBalancer?.collect();
    const before = new Map((await readyWebPods()).map((p) => [p.metadata.name ?? '', e.engine.podTraffic.totals('default', p.metadata.name ?? '')?.requests ?? 0]));
    const lines = await inClient('for i in $(seq 300); do get web; done');
    expect(lines).toHaveLength(300);
    const byPod = counts(lines);
    expect(byPod.has('FAIL') || byPod.has('NODNS')).toBe(false);
    expect(byPod.size).toBe(3);
    for (const [pod, n] of byPod) expect(Math.abs(n - 100), `${pod} got ${n}`).toBeLessThanOrEqual(30);
    // in-cluster traffic passes the load balancer now, so it is in the per-pod counters (HPA requests_per_second)
    await e.engine.loadBalancer?.collect();
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
    // web-np has Endpoints of its own: the pod made ready again at the end of the last test is there too
    await eventually(() => e.engine.loadBalancer?.listeners('default', 'web-np').every((l) => l.backends === 3) === true, 20_000, 50);
    await e.engine.loadBalancer?.idle();
    const bodies = await Promise.all(Array.from({ length: 30 }, () => hostGet(nodePort)));
    const byPod = counts(bodies);
    const ready = (await readyWebPods()).map((p) => p.metadata.name ?? '');
    expect([...byPod.keys()].sort()).toEqual([...ready].sort());
    await e.engine.loadBalancer?.collect();
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

  it('a headless Service resolves to one A record per ready pod, an unready pod left out, and gets no ClusterIP', async () => {
    const addressesBefore = await ourAddresses();
    await e.ok(['apply', '-f', '-'], serviceYaml('web-headless', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] }));
    expect(await clusterIpOf('web-headless')).toBe('None');
    expect(await e.ok(['get', 'service', 'web-headless', '--no-headers'])).toMatch(/^web-headless\s+ClusterIP\s+None\s+<none>\s+8080\/TCP/);
    const readyIps = async (): Promise<string[]> => (await readyWebPods()).map(podIp).sort();
    const answers = async (): Promise<string[]> => aRecords(await inClient('nslookup -type=a web-headless.default.svc.cluster.local'));
    const all = await readyIps();
    expect(all).toHaveLength(3);
    await eventually(async () => JSON.stringify(await answers()) === JSON.stringify(all), 20_000, 250);
    // the short name through the search path answers one of them
    const [short] = await inClient('resolve web-headless');
    expect(all).toContain(short);
    // each of them serves
    for (const ip of all) expect(await inClient(`fetch ${ip} 8080`)).toEqual([expect.stringMatching(/^web-/)]);

    const [victim] = await readyWebPods();
    await e.ok(['exec', victim.metadata.name ?? '', '--', 'rm', '/tmp/ready']);
    try {
      await eventually(async () => (await endpointIps('web-headless', 'notReadyAddresses')).includes(podIp(victim)), 20_000, 100);
      const rest = all.filter((ip) => ip !== podIp(victim));
      // several queries: the rotation never brings the unready pod back
      for (let i = 0; i < 3; i++) expect(await answers()).toEqual(rest);
    } finally {
      await e.ok(['exec', victim.metadata.name ?? '', '--', 'touch', '/tmp/ready']);
    }
    await eventually(async () => (await answers()).length === 3, 20_000, 250);
    // a headless Service puts no address on lo
    expect(await ourAddresses()).toEqual(addressesBefore);
    await e.ok(['delete', 'service', 'web-headless']);
  });

  it('a Service with two TCP ports (named and numbered targetPorts) answers on both, in-cluster and on both node ports', async () => {
    const [np1, np2] = [await freeNodePort(), await freeNodePort()];
    expect(np1).not.toBe(np2);
    await e.ok(['apply', '-f', '-'], twoPortDeployment('multi', 2));
    await e.ok(
      ['apply', '-f', '-'],
      serviceYaml('multi', {
        type: 'NodePort',
        selector: { app: 'multi' },
        ports: [
          { name: 'http', port: 80, targetPort: 'http', nodePort: np1 },
          { name: 'admin', port: 8081, targetPort: 9090, nodePort: np2 },
        ],
      }),
    );
    await e.ok(['rollout', 'status', 'deploy/multi', '--timeout=90s']);
    const ep = await eventually(async () => {
      const got = await e.json<{ subsets?: Array<{ addresses?: Array<{ ip: string }>; ports: Array<{ name: string; port: number }> }> }>(['get', 'endpoints', 'multi']);
      return got.subsets?.[0]?.addresses?.length === 2 ? got : undefined;
    }, 30_000, 200);
    expect(ep.subsets).toHaveLength(1);
    expect(ep.subsets?.[0].ports.map((p) => `${p.name}:${p.port}`).sort()).toEqual(['admin:9090', 'http:8080']);
    const pods = (await e.json<{ items: KubeObject[] }>(['get', 'pods', '-l', 'app=multi'])).items.map((p) => p.metadata.name ?? '');
    const clusterIp = await clusterIpOf('multi');
    await eventually(async () => (await ourAddresses()).includes(clusterIp), 10_000, 100);
    // each Service port reaches its own container port: the body says which
    const lines = await inClient('for i in 1 2 3 4; do get multi 80; get multi 8081; done');
    expect(lines).toHaveLength(8);
    lines.forEach((l, i) => {
      const [port, pod] = l.split(' ');
      expect(port, l).toBe(i % 2 === 0 ? 'http' : 'admin');
      expect(pods, l).toContain(pod);
    });
    // the Service's ports only: nothing on the ClusterIP's 9090
    expect(await inClient(`fetch ${clusterIp} 9090`)).toEqual(['FAIL']);
    expect((await hostGet(np1)).split(' ')[0]).toBe('http');
    expect((await hostGet(np2)).split(' ')[0]).toBe('admin');
    await e.ok(['delete', 'service', 'multi']);
    await e.ok(['delete', 'deployment', 'multi']);
  });

  it('a pod in another namespace resolves <svc>.<ns> and <svc>.<ns>.svc.cluster.local; the bare name is its own namespace', async () => {
    await e.ok(['create', 'namespace', 'elsewhere']);
    try {
      await e.ok(['run', 'client2', '-n', 'elsewhere', `--image=${TEST_IMAGE}`, '--restart=Never', '--', 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']);
      await e.ok(['wait', '-n', 'elsewhere', '--for=condition=Ready', 'pod/client2', '--timeout=60s']);
      const inClient2 = async (script: string): Promise<string[]> =>
        (await e.ok(['exec', '-n', 'elsewhere', 'client2', '--', 'sh', '-c', `${CLIENT_GET}\n${script}`])).split('\n').map((l) => l.trim()).filter(Boolean);
      expect((await inClient2('cat /etc/resolv.conf')).join('\n')).toContain('search elsewhere.svc.cluster.local svc.cluster.local cluster.local');
      const pods = new Set((await readyWebPods()).map((p) => p.metadata.name));
      const clusterIp = await clusterIpOf('web');
      for (const name of ['web.default', 'web.default.svc.cluster.local']) {
        expect(await inClient2(`resolve ${name}`), name).toEqual([clusterIp]);
        const [body] = await inClient2(`get ${name} 80`);
        expect(pods.has(body), `${name} answered ${body}`).toBe(true);
      }
      // "web" searches elsewhere.svc.cluster.local first, where there is no Service web
      const missing = await e.k(['exec', '-n', 'elsewhere', 'client2', '--', 'nslookup', 'web.elsewhere.svc.cluster.local']);
      expect(`${missing.stdout}${missing.stderr}`).toMatch(/NXDOMAIN|can't find|can't resolve/i);
      // a Service of that namespace wins over default's for the bare name
      await e.ok(['apply', '-n', 'elsewhere', '-f', '-'], serviceYaml('web', { selector: { app: 'none-here' } }));
      const local = (await e.json<{ spec: { clusterIP: string } }>(['get', 'service', 'web', '-n', 'elsewhere'])).spec.clusterIP;
      expect(local).not.toBe(clusterIp);
      expect(await inClient2('resolve web')).toEqual([local]);
      expect(await inClient2('resolve web.default')).toEqual([clusterIp]);
    } finally {
      await e.ok(['delete', 'namespace', 'elsewhere', '--wait=false']);
    }
  }, 120_000);

  it('a second Service asking for a taken nodePort gets 422 and is not stored; the first keeps answering', async () => {
    const port = await freeNodePort();
    await e.ok(['apply', '-f', '-'], serviceYaml('np-first', { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: port }] }));
    await eventually(async () => hostGet(port).catch(() => undefined), 20_000, 200);

    const second = serviceYaml('np-second', { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: port }] });
    const k = await e.k(['apply', '-f', '-'], second);
    expect(k.code).not.toBe(0);
    expect(k.stderr).toContain(`The Service "np-second" is invalid: spec.ports[0].nodePort: Invalid value: ${port}: provided port is already allocated`);
    const raw = await api(e, 'POST', '/api/v1/namespaces/default/services', { body: second });
    expect(raw.status).toBe(422);
    expect(raw.json()).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422, details: { name: 'np-second', kind: 'Service', causes: [{ field: 'spec.ports[0].nodePort', reason: 'FieldValueInvalid' }] } });
    expect(await e.ok(['get', 'service', 'np-second', '--ignore-not-found'])).toBe('');
    // taking it by an update is refused the same way, and that Service keeps its own port
    const patch = await e.k(['patch', 'service', 'web-np', '--type=json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/ports/0/nodePort', value: port }])]);
    expect(patch.code).not.toBe(0);
    expect(patch.stderr).toContain(`provided port is already allocated`);
    expect((await e.json<{ spec: { ports: Array<{ nodePort: number }> } }>(['get', 'service', 'web-np'])).spec.ports[0].nodePort).toBe(nodePort);
    // the first one is undisturbed, and so is the other NodePort
    for (let i = 0; i < 5; i++) expect(await hostGet(port)).toMatch(/^web-/);
    expect(await hostGet(nodePort)).toMatch(/^web-/);
    // once the first is deleted the port is free again
    await e.ok(['delete', 'service', 'np-first']);
    await e.ok(['apply', '-f', '-'], second);
    expect(await eventually(async () => hostGet(port).catch(() => undefined), 20_000, 200)).toMatch(/^web-/);
    await e.ok(['delete', 'service', 'np-second']);
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
