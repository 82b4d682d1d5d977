// Benchmark: Services (issue 5). Prints a table and writes bench/results/services.json.
// Side by side in one run, against the same container (one pod each): requests/s and p99 latency with wrk
// through the engine's load balancer on 127.0.0.1:<nodePort> and straight to the pod IP, for two backends:
// busybox httpd (closes every connection: each request pays a new connection, and through the load balancer
// two) and a keep-alive Node HTTP server running in a container (the host's node binary and libraries mounted
// read-only with hostPath: no registry needed); time from Service creation to the first answer on the node
// port; and the cluster DNS's query latency (host → the DNS on the pod network's gateway). Rounds alternate
// direct / load balancer to share the machine's noise. The same comparison from inside the cluster: wrk in a
// client pod (the host's wrk binary and libraries mounted read-only, as for node) against the Service's
// ClusterIP (the engine's load balancer listening on it) and against the pod IP, for the keep-alive backend.
// Two engines one after the other, each with its own direct baseline: the default (the kernel path, iptables
// DNAT, where the engine may manage iptables: root on Linux) and the user-space proxy alone
// (SKIFF_KERNEL_FORWARDING=0, what every other machine gets), host-side comparisons only.
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { engineClient, fmt, forwardingPath, importTs, percentile, printTable, sh, startEngineProcess, writeResults } from './lib.mjs';

const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const WRK = process.env.WRK ?? 'wrk';
// the wrk binary mounted into the client pod (a path: the host's wrk)
const WRK_PATH = process.env.WRK_PATH ?? '/usr/bin/wrk';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DNS_QUERIES = 2000;

const docker = new Docker();

const NODE_SERVER = "require('http').createServer((q, s) => s.end('hello-from-skiff\\n')).listen(8080)";

function deployment(name, image, variant) {
  const httpd = variant === 'httpd';
  const container = httpd
    ? { command: ['sh', '-c', 'mkdir -p /www && echo hello-from-skiff > /www/index.html && exec httpd -f -p 8080 -h /www'] }
    : {
        command: ['/node', '-e', NODE_SERVER],
        volumeMounts: [
          { name: 'node', mountPath: '/node', readOnly: true },
          { name: 'lib', mountPath: '/lib', readOnly: true },
          { name: 'lib64', mountPath: '/lib64', readOnly: true },
        ],
      };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }, ...container }],
          ...(httpd
            ? {}
            : {
                volumes: [
                  { name: 'node', hostPath: { path: realpathSync(process.execPath), type: 'File' } },
                  { name: 'lib', hostPath: { path: realpathSync('/lib'), type: 'Directory' } },
                  { name: 'lib64', hostPath: { path: realpathSync('/lib64'), type: 'Directory' } },
                ],
              }),
        },
      },
    },
  });
}

/** A pod that runs the host's wrk against in-cluster addresses (no registry: binaries mounted read-only). */
function wrkClientPod(image) {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'bench-client' },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: 'client',
          image,
          command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
          volumeMounts: [
            { name: 'wrk', mountPath: '/wrk', readOnly: true },
            { name: 'lib', mountPath: '/lib', readOnly: true },
            { name: 'lib64', mountPath: '/lib64', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'wrk', hostPath: { path: realpathSync(WRK_PATH), type: 'File' } },
        { name: 'lib', hostPath: { path: realpathSync('/lib'), type: 'Directory' } },
        { name: 'lib64', hostPath: { path: realpathSync('/lib64'), type: 'Directory' } },
      ],
    },
  });
}

function service(name) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', selector: { app: name }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] } };
}

async function createService(client, name) {
  const created = await client.request('POST', '/api/v1/namespaces/default/services', service(name));
  if (created.status !== 201) throw new Error(`create service: ${created.status} ${created.body}`);
  return JSON.parse(created.body.toString()).spec.ports[0].nodePort;
}

function get(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, path: '/', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function toMs(text) {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

async function runWrk(url, inPod) {
  const args = ['-t2', `-c${CONNECTIONS}`, `-d${SECONDS}s`, '--latency', url];
  const out = inPod ? await sh(KUBECTL, ['exec', 'bench-client', '--', '/wrk', ...args], inPod) : await sh(WRK, args);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = toMs(/\n\s+50%\s+(\S+)/.exec(out)?.[1] ?? '');
  const p99 = toMs(/\n\s+99%\s+(\S+)/.exec(out)?.[1] ?? '');
  const errors = /Socket errors: (.*)/.exec(out)?.[1] ?? '';
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50, p99, errors, non2xx };
}

async function dnsLatency(server, name) {
  const { buildQuery, parseResponse, TYPE_A } = await importTs('src-main/engine/dns/dns-message.ts');
  const socket = createSocket('udp4');
  const times = [];
  let failures = 0;
  try {
    for (let i = 0; i < DNS_QUERIES; i++) {
      const id = i & 0xffff;
      const t = performance.now();
      const reply = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), 1000);
        const onMessage = (msg) => {
          if (msg.readUInt16BE(0) !== id) return;
          clearTimeout(timer);
          socket.off('message', onMessage);
          resolve(msg);
        };
        socket.on('message', onMessage);
        socket.send(buildQuery(id, name, TYPE_A), 53, server);
      });
      if (!reply || parseResponse(reply).answers.length !== 1) failures++;
      else times.push(performance.now() - t);
    }
  } finally {
    socket.close();
  }
  return { n: times.length, failures, p50: percentile(times, 50), p99: percentile(times, 99) };
}

/**
 * One engine process, its backends, and the comparisons: `full` adds Service → first answer, DNS and the
 * in-cluster path. `env` chooses the data path (SKIFF_KERNEL_FORWARDING=0: the user-space proxy).
 */
async function measure(image, env, full) {
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-bench-svc-'));
  const kenv = { KUBECONFIG: join(stateDir, 'kubeconfig') };
  const results = {};
  let engine;
  try {
    engine = await startEngineProcess(stateDir, [], env);
    const client = engineClient(stateDir, engine.url);
    const clusterId = readFileSync(join(stateDir, 'cluster-id'), 'utf8').trim();
    const variants = ['httpd', 'node'];
    for (const v of variants) {
      writeFileSync(join(stateDir, `${v}.json`), deployment(`bench-${v}`, image, v));
      await sh(KUBECTL, ['apply', '-f', join(stateDir, `${v}.json`)], kenv);
    }
    if (full) {
      writeFileSync(join(stateDir, 'client.json'), wrkClientPod(image));
      await sh(KUBECTL, ['apply', '-f', join(stateDir, 'client.json')], kenv);
    }
    for (const v of variants) await sh(KUBECTL, ['rollout', 'status', `deploy/bench-${v}`, '--timeout=120s'], kenv);
    if (full) await sh(KUBECTL, ['wait', '--for=condition=Ready', 'pod/bench-client', '--timeout=120s'], kenv);
    const podIPs = {};
    for (const v of variants) podIPs[v] = JSON.parse(await sh(KUBECTL, ['get', 'pods', '-l', `app=bench-${v}`, '-o', 'json'], kenv)).items[0].status.podIP;

    // Service creation → first answer on 127.0.0.1:<nodePort> (the node port is allocated by the engine)
    const tCreate = performance.now();
    const nodePorts = { httpd: await createService(client, 'bench-httpd') };
    for (;;) {
      try {
        await get(nodePorts.httpd);
        break;
      } catch {
        if (performance.now() - tCreate > 30_000) throw new Error('no answer on the node port within 30 s');
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    results.serviceToFirstAnswerMs = performance.now() - tCreate;
    nodePorts.node = await createService(client, 'bench-node');
    await get(nodePorts.node).catch(() => new Promise((r) => setTimeout(r, 500)));
    // which path carries the traffic
    results.path = await forwardingPath(stateDir, `${podIPs.node}:8080`);

    if (full) {
      // cluster DNS latency from the host to the gateway address pods use
      const net = await docker.getNetwork(`skiff-${clusterId}`).inspect();
      const gateway = net.IPAM?.Config?.[0]?.Gateway;
      results.dns = gateway ? { server: gateway, ...(await dnsLatency(gateway, 'bench-httpd.default.svc.cluster.local')) } : { server: 'none' };
    }

    // throughput and latency, alternating direct / through the load balancer; `inPod`: wrk runs in the client pod
    const median = (rows, key) => percentile(rows.map((r) => r[key]), 50);
    const summary = (runs) => ({ runs, rps: median(runs, 'rps'), p50: median(runs, 'p50'), p99: median(runs, 'p99') });
    const compare = async (directUrl, viaUrl, warmUrl, inPod) => {
      await runWrk(warmUrl, inPod); // warm-up
      const direct = [];
      const via = [];
      for (let i = 0; i < ROUNDS; i++) {
        direct.push(await runWrk(directUrl, inPod));
        via.push(await runWrk(viaUrl, inPod));
      }
      return { direct: summary(direct), loadBalancer: summary(via) };
    };
    for (const v of variants) results[v] = await compare(`http://${podIPs[v]}:8080/`, `http://127.0.0.1:${nodePorts[v]}/`, `http://${podIPs[v]}:8080/`);

    if (full) {
      // In the cluster: client pod → ClusterIP (the load balancer on the Service's address) vs → the pod IP.
      const clusterIp = JSON.parse(await sh(KUBECTL, ['get', 'service', 'bench-node', '-o', 'json'], kenv)).spec.clusterIP;
      // (its warm-up goes to the ClusterIP: it fails at once when ClusterIPs are not routable here)
      results.inCluster = { clusterIp, ...(await compare(`http://${podIPs.node}:8080/`, `http://${clusterIp}:8080/`, `http://${clusterIp}:8080/`, kenv)) };
    }
  } finally {
    engine?.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    try {
      const clusterId = readFileSync(join(stateDir, 'cluster-id'), 'utf8').trim();
      const filters = JSON.stringify({ label: [`dev.skiff.cluster=${clusterId}`] });
      for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
      for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    } catch {
      // nothing was created
    }
    rmSync(stateDir, { recursive: true, force: true });
  }
  return results;
}

async function main() {
  const { ensureTestImage, TEST_IMAGE } = await importTs('src-main/engine/test/test-images.ts');
  await ensureTestImage(docker);
  const results = { config: { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, cpus: (await import('node:os')).cpus().length } };
  // The engine as it starts by default (the kernel path where it may manage iptables), then the same
  // host-side comparisons with the user-space proxy alone (what every other machine gets).
  Object.assign(results, await measure(TEST_IMAGE, {}, true));
  results.userSpace = await measure(TEST_IMAGE, { SKIFF_KERNEL_FORWARDING: '0' }, false);

  const r = results;
  const rows = [];
  const label = { httpd: 'busybox httpd, new connection per request', node: 'Node http, keep-alive' };
  const sources = [
    ['httpd', r.httpd, `${label.httpd} (${r.path})`],
    ['node', r.node, `${label.node} (${r.path})`],
    ['inCluster', r.inCluster, `pod → ClusterIP, Node http keep-alive (${r.path})`],
    ['httpd', r.userSpace.httpd, `${label.httpd} (${r.userSpace.path})`],
    ['node', r.userSpace.node, `${label.node} (${r.userSpace.path})`],
  ];
  for (const [, x, name] of sources) {
    const ratio = x.loadBalancer.rps / x.direct.rps;
    const extraP99 = x.loadBalancer.p99 - x.direct.p99;
    rows.push([`${name}: requests/s (wrk -c${CONNECTIONS}, median of ${ROUNDS}×${SECONDS} s)`, fmt(x.loadBalancer.rps, 0), fmt(x.direct.rps, 0), '≥ 0.8× direct', `${ratio >= 0.8 ? 'yes' : 'no'} (${ratio.toFixed(2)}×)`]);
    rows.push([`${name}: latency p50`, `${fmt(x.loadBalancer.p50, 2)} ms`, `${fmt(x.direct.p50, 2)} ms`, '—', '—']);
    rows.push([`${name}: latency p99`, `${fmt(x.loadBalancer.p99, 2)} ms`, `${fmt(x.direct.p99, 2)} ms`, '≤ direct + 1 ms', `${extraP99 <= 1 ? 'yes' : 'no'} (${extraP99 >= 0 ? '+' : ''}${fmt(extraP99, 2)} ms)`]);
  }
  rows.push([`Service created → first answer on 127.0.0.1:nodePort (${r.path} / ${r.userSpace.path})`, `${fmt(r.serviceToFirstAnswerMs)} / ${fmt(r.userSpace.serviceToFirstAnswerMs)} ms`, '—', '—', '—']);
  rows.push([`cluster DNS A query p50 / p99 (n=${r.dns.n ?? 0}, host → ${r.dns.server})`, `${fmt(r.dns.p50, 3)} / ${fmt(r.dns.p99, 3)} ms`, '—', '—', r.dns.failures ? `${r.dns.failures} failed` : '—']);
  printTable('Services (issue 5)', ['measure', 'through the load balancer', 'direct to the pod (same run)', 'target', 'met'], rows);
  writeResults('services', results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
