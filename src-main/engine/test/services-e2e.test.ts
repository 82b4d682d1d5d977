/**
 * Services end to end on real Docker with real kubectl: a client pod reaches a 3-replica Deployment by every
 * DNS form of its Service name, the cluster DNS spreads connections evenly over ready pods and drops an
 * unready one at once, a NodePort Service answers on 127.0.0.1 through the host load balancer (which counts
 * per-pod traffic) and loses no request while a pod is deleted under load; bad input (a selector that
 * matches nothing, a targetPort name no container has, a taken NodePort) gets clear status and events.
 */
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';
import { TEST_IMAGE } from './test-images';

interface EventView {
  type: string;
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
}

/** Pods that serve their own name over HTTP on the named port `http` (8080), ready while /tmp/ready exists. */
function webDeployment(name: string, replicas: number): string {
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
          containers: [
            {
              name: 'web',
              image: TEST_IMAGE,
              command: ['sh', '-c', 'mkdir -p /www && hostname > /www/index.html && touch /tmp/ready && exec httpd -f -p 8080 -h /www'],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      },
    },
  });
}

function serviceYaml(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } });
}

function hostGet(port: number, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(body.trim()) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function freeNodePort(): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const port = 30000 + Math.floor(Math.random() * 2700);
    const s = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      await new Promise<void>((r) => s.close(() => r()));
      return port;
    }
  }
  throw new Error('no free node port');
}

function counts(lines: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) m.set(l, (m.get(l) ?? 0) + 1);
  return m;
}

/**
 * `get NAME`: resolve NAME as a libc resolver does with the pod's /etc/resolv.conf (fewer dots than ndots:
 * each search domain first, then the name as given), asking the cluster DNS for each candidate with busybox
 * nslookup, then fetch / from the answer on port 8080 with nc; prints the body's last line, NODNS or FAIL.
 * (The test image's static busybox cannot use libc name resolution: its wget crashes in glibc's NSS, and its
 * nslookup applies the search list only to names without a dot; so the search logic is spelled out here.)
 */
const CLIENT_GET = `resolve() {
  search=$(awk '/^search/{for(i=2;i<=NF;i++) printf "%s ", $i}' /etc/resolv.conf)
  ndots=$(sed -n 's/.*ndots:\\([0-9]*\\).*/\\1/p' /etc/resolv.conf); ndots=\${ndots:-1}
  dots=$(printf %s "$1" | tr -cd . | wc -c)
  cands=""
  if [ "$dots" -lt "$ndots" ]; then for d in $search; do cands="$cands $1.$d"; done; fi
  for c in $cands $1.; do
    ip=$(nslookup "$c" 2>/dev/null | awk '/^Name:/{n=1} n && /^Address/{print $2; exit}')
    [ -n "$ip" ] && { echo "$ip"; return; }
  done
}
get() {
  ip=$(resolve "$1")
  [ -n "$ip" ] || { echo NODNS; return; }
  out=$(printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 "$ip" 8080 | tail -n 1)
  [ -n "$out" ] && echo "$out" || echo FAIL
}`;

describe('Services end to end (real Docker, real kubectl)', () => {
  let e: RuntimeEngine;
  let nodePort: number;

  const readyWebPods = async (): Promise<KubeObject[]> => (await e.json<{ items: KubeObject[] }>(['get', 'pods', '-l', 'app=web'])).items.filter(isPodReady);
  const podIp = (p: KubeObject): string => (p.status as { podIP?: string }).podIP ?? '';
  const endpointIps = async (name: string, field: 'addresses' | 'notReadyAddresses'): Promise<string[]> => {
    const ep = await e.json<{ subsets?: Array<Record<string, Array<{ ip: string }>>> }>(['get', 'endpoints', name]);
    return (ep.subsets ?? []).flatMap((s) => (s[field] ?? []).map((a) => a.ip)).sort();
  };
  /** Run a shell script in the client pod; stdout lines. */
  const inClient = async (script: string): Promise<string[]> => (await e.ok(['exec', 'client', '--', 'sh', '-c', `${CLIENT_GET}\n${script}`])).split('\n').map((l) => l.trim()).filter(Boolean);
  const eventsOf = async (name: string): Promise<EventView[]> => (await e.json<{ items: EventView[] }>(['get', 'events'])).items.filter((ev) => ev.involvedObject.name === name);

  beforeAll(async () => {
    e = await startRuntimeEngine();
    nodePort = await freeNodePort();
    await e.ok(['apply', '-f', '-'], webDeployment('web', 3));
    // In-cluster clients get pod IPs from DNS (no kube-proxy), so the ClusterIP Service's port is the pods' port.
    await e.ok(['apply', '-f', '-'], serviceYaml('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] }));
    await e.ok(['apply', '-f', '-'], serviceYaml('web-np', { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort }] }));
    await e.ok(['run', 'client', `--image=${TEST_IMAGE}`, '--restart=Never', '--', 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']);
    await e.ok(['rollout', 'status', 'deploy/web', '--timeout=90s']);
    await e.ok(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
    await eventually(async () => (await endpointIps('web', 'addresses')).length === 3, 30_000, 200);
  }, 150_000);
  afterAll(async () => {
    await e?.stop();
  }, 60_000);

  it('starts the cluster DNS on the pod network and points pods at it', async () => {
    expect(e.engine.dns, 'the cluster DNS did not start (see the engine log)').toBeDefined();
    const resolv = await inClient('cat /etc/resolv.conf');
    expect(resolv.join('\n')).toContain('search default.svc.cluster.local svc.cluster.local cluster.local');
    expect(resolv.join('\n')).toMatch(/ndots:5/);
  });

  it('reaches the Service by every DNS form; unknown names fail', async () => {
    const pods = new Set((await readyWebPods()).map((p) => p.metadata.name));
    for (const name of ['web', 'web.default', 'web.default.svc', 'web.default.svc.cluster.local']) {
      const [body] = await inClient(`get ${name}`);
      expect(pods.has(body), `${name} answered ${body}`).toBe(true);
    }
    const ips = new Set((await readyWebPods()).map(podIp));
    const lookup = await inClient('nslookup web.default.svc.cluster.local');
    const answered = lookup.flatMap((l) => /^Address(?: \d+)?:\s*(\d+\.\d+\.\d+\.\d+)$/.exec(l)?.[1] ?? []).filter((ip) => ips.has(ip));
    expect(answered.length).toBeGreaterThan(0);
    const missing = await e.k(['exec', 'client', '--', 'nslookup', 'nope.default.svc.cluster.local']);
    expect(`${missing.stdout}${missing.stderr}`).toMatch(/NXDOMAIN|can't find|can't resolve/i);
  });

  it('spreads 300 requests over the ready pods within ±30% of even, and an unready pod gets none of the next 100', async () => {
    const lines = await inClient('for i in $(seq 300); do get web; done');
    expect(lines).toHaveLength(300);
    const byPod = counts(lines);
    expect(byPod.has('FAIL') || byPod.has('NODNS')).toBe(false);
    expect(byPod.size).toBe(3);
    for (const [pod, n] of byPod) expect(Math.abs(n - 100), `${pod} got ${n}`).toBeLessThanOrEqual(30);

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
    // the name exists (NOERROR) but has no address while nothing is ready
    expect(await inClient('get nothing')).toEqual(['NODNS']);
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
});
