// Benchmark: HorizontalPodAutoscaler reaction time to a load step (issue 5). Prints a table and writes
// bench/results/autoscale.json.
// A busybox httpd Deployment (1 replica) behind a NodePort Service, and an HPA on the Pods metric
// requests_per_second (what the engine's load balancer counts per pod) with a short scale-down stabilization
// window. An open-loop load step at a fixed rate goes through 127.0.0.1:<nodePort>; the script samples the HPA
// and the Deployment every 50 ms and records: load start → status.desiredReplicas > 1, → the first new pod
// Ready, → maxReplicas pods Ready; load stop → the Deployment scaled back to 1. Beside each, in the same run,
// the floor of the loop: the load balancer counts requests in 1 s buckets and the HPA reads a 30 s average,
// so with the measured offered rate R, target T and tolerance 10 % the average crosses 1.1·T after
// 1.1·T·30/R s (and falls to T after 30·(1 − T/R) s once the load stops); then the HPA acts at its next sync
// (at most one sync period later), plus the stabilization window on the way down.
// The engine runs in its own process (this script re-run with --engine) with the HPA sync period shortened to
// BENCH_HPA_SYNC_MS (default 1 s; kube-controller-manager's default is 15 s). Everything it creates in Docker
// carries its cluster id and is removed at the end.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { engineClient, fmt, forwardingPath, importTs, printTable, writeResults } from './lib.mjs';

const SYNC_MS = Number(process.env.BENCH_HPA_SYNC_MS ?? 1000);
const RATE = Number(process.env.BENCH_RPS ?? 100);
const TARGET = Number(process.env.BENCH_TARGET_RPS ?? 10);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 40);
const DOWN_WINDOW_S = 5;
const MAX_REPLICAS = 4;
const TOLERANCE = 0.1;
const WINDOW_S = 30;
const NAME = 'bench-autoscale';

// ---------------------------------------------------------------- the engine process

async function runEngine(stateDir) {
  const { Engine } = await importTs('src-main/engine/engine.ts');
  const { mergeEngineContext } = await importTs('src-main/engine/kubeconfig.ts');
  const engine = await Engine.start({ stateDir, port: 0, skiffVersion: 'bench', runtime: true, workloads: true, hpaSyncMs: SYNC_MS, metrics: { intervalMs: 1000 } });
  mergeEngineContext(join(stateDir, 'kubeconfig'), { name: 'skiff', server: engine.url, caCert: engine.pki.caCert, token: engine.pki.token });
  console.log(`listening on ${engine.url}`);
  const stop = async () => {
    await engine.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

function startEngine(stateDir) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--engine', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && !child.resolved) {
        child.resolved = true;
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on('data', (d) => (out += d.toString()));
    child.on('exit', (code) => {
      if (!child.resolved) reject(new Error(`engine exited with ${code}: ${out}`));
    });
  });
}

// ---------------------------------------------------------------- the objects

function deployment(image) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: NAME } },
      template: {
        metadata: { labels: { app: NAME } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'web',
              image,
              command: ['sh', '-c', 'mkdir -p /www && echo hello > /www/index.html && exec httpd -f -p 8080 -h /www'],
              ports: [{ name: 'http', containerPort: 8080 }],
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: NAME }, spec: { type: 'NodePort', selector: { app: NAME }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] } };

const hpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: NAME },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
    minReplicas: 1,
    maxReplicas: MAX_REPLICAS,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: String(TARGET) } } }],
    behavior: { scaleDown: { stabilizationWindowSeconds: DOWN_WINDOW_S } },
  },
};

// ---------------------------------------------------------------- load and sampling

function get(port) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Open-loop load: RATE requests per second, whatever the answers do. */
function startLoad(port) {
  const counts = { sent: 0, ok: 0, failed: 0 };
  const inflight = new Set();
  const t0 = performance.now();
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const due = Math.floor(((performance.now() - t0) / 1000) * RATE);
    while (counts.sent < due) {
      counts.sent++;
      const p = get(port).then((ok) => (ok ? counts.ok++ : counts.failed++));
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
    setTimeout(tick, 5);
  };
  tick();
  return {
    counts,
    async stop() {
      stopped = true;
      const seconds = (performance.now() - t0) / 1000;
      await Promise.all([...inflight]);
      return { ...counts, seconds, rps: counts.ok / seconds };
    },
  };
}

async function getJson(client, path) {
  const r = await client.request('GET', path);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body}`);
  return JSON.parse(r.body.toString());
}

async function create(client, path, body) {
  const r = await client.request('POST', path, body);
  if (r.status !== 201) throw new Error(`POST ${path}: ${r.status} ${r.body}`);
  return JSON.parse(r.body.toString());
}

const HPA_PATH = `/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/${NAME}`;
const DEPLOY_PATH = `/apis/apps/v1/namespaces/default/deployments/${NAME}`;

async function sample(client) {
  const [hr, d] = await Promise.all([client.request('GET', HPA_PATH), getJson(client, DEPLOY_PATH)]);
  const h = hr.status === 200 ? JSON.parse(hr.body.toString()) : {};
  const current = h.status?.currentMetrics?.[0]?.pods?.current?.averageValue;
  return { current, desired: h.status?.desiredReplicas ?? 0, specReplicas: d.spec.replicas, ready: d.status?.readyReplicas ?? 0, replicas: d.status?.replicas ?? 0 };
}

/** Sample every 50 ms until `done(sample)`; resolves with the time (ms since t0) it first held. Changes go to `trace`. */
async function until(client, t0, done, timeoutMs, trace) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const s = await sample(client);
    const last = trace?.[trace.length - 1];
    if (trace && (!last || last.desired !== s.desired || last.specReplicas !== s.specReplicas || last.ready !== s.ready || last.current !== s.current)) trace.push({ ms: Math.round(performance.now() - t0), ...s });
    if (done(s)) return performance.now() - t0;
    if (performance.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------- main

async function main() {
  const docker = new Docker();
  const { ensureTestImage, TEST_IMAGE } = await importTs('src-main/engine/test/test-images.ts');
  await ensureTestImage(docker);
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-bench-autoscale-'));
  const results = { config: { hpaSyncMs: SYNC_MS, offeredRps: RATE, targetRpsPerPod: TARGET, loadSeconds: LOAD_SECONDS, maxReplicas: MAX_REPLICAS, scaleDownWindowS: DOWN_WINDOW_S, rateWindowS: WINDOW_S, bucketS: 1, tolerance: TOLERANCE, cpus: (await import('node:os')).cpus().length } };
  let engine;
  try {
    engine = await startEngine(stateDir);
    const client = engineClient(stateDir, engine.url);
    await create(client, '/apis/apps/v1/namespaces/default/deployments', deployment(TEST_IMAGE));
    const svc = await create(client, '/api/v1/namespaces/default/services', service);
    const nodePort = svc.spec.ports[0].nodePort;
    const t00 = performance.now();
    await until(client, t00, (s) => s.ready === 1, 120_000);
    // the load balancer answers before the HPA is created, so the pod is a known endpoint with rate 0
    for (let i = 0; !(await get(nodePort)); i++) if (i > 200) throw new Error('no answer on the node port');
    // which data path counts the requests
    results.path = (await forwardingPath(stateDir)) === 'kernel' ? 'kernel (iptables counters read every 1 s)' : 'user space';
    await create(client, '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', hpa);
    // settled: the metric is read (ScalingActive) and the recommendation is 1
    const deadline = Date.now() + 60_000;
    for (;;) {
      const st = (await getJson(client, HPA_PATH)).status ?? {};
      const active = (st.conditions ?? []).find((c) => c.type === 'ScalingActive');
      if (active?.status === 'True' && st.desiredReplicas === 1) break;
      if (Date.now() > deadline) throw new Error(`HPA not settled at 1 replica: ${JSON.stringify(st)}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // the load step
    const t0 = performance.now();
    const load = startLoad(nodePort);
    const up = {};
    const upTrace = [];
    up.desiredRaisedMs = await until(client, t0, (s) => s.desired > 1, 60_000, upTrace);
    up.firstNewPodReadyMs = await until(client, t0, (s) => s.ready >= 2, 60_000, upTrace);
    up.maxReplicasReadyMs = await until(client, t0, (s) => s.ready >= MAX_REPLICAS && s.specReplicas >= MAX_REPLICAS, 90_000, upTrace);
    const rest = LOAD_SECONDS * 1000 - (performance.now() - t0);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    const offered = await load.stop();
    results.load = offered;

    // the load stops
    const t1 = performance.now();
    const down = {};
    const downTrace = [];
    down.scaledToOneMs = await until(client, t1, (s) => s.specReplicas === 1, 120_000, downTrace);
    down.podsGoneMs = await until(client, t1, (s) => s.replicas === 1, 60_000, downTrace);
    results.up = up;
    results.down = down;
    results.trace = { up: upTrace, down: downTrace };

    // The floor of the loop: a change shows in the rate within its 1 s bucket, and the HPA acts at its next
    // sync; on the way down the stabilization window holds the highest recent recommendation as well.
    results.floor = { desiredRaisedMs: 1000 + SYNC_MS, scaledToOneMs: 1000 + SYNC_MS + DOWN_WINDOW_S * 1000 };
    // What the 30 s average adds on the way up, from the rate that actually reached the pods: the average
    // crosses (1 + tolerance) × target after (1 + tolerance) × target × 30 / R seconds, then at most one sync.
    const cross = ((1 + TOLERANCE) * TARGET * WINDOW_S) / offered.rps;
    results.windowModel = { desiredRaisedMs: { min: cross * 1000, max: cross * 1000 + SYNC_MS } };
  } finally {
    engine?.child.kill('SIGTERM');
    await new Promise((r) => {
      if (!engine || engine.child.exitCode !== null) return r();
      const timer = setTimeout(() => {
        engine.child.kill('SIGKILL');
        r();
      }, 15_000);
      engine.child.on('exit', () => {
        clearTimeout(timer);
        r();
      });
    });
    try {
      const clusterId = readFileSync(join(stateDir, 'cluster-id'), 'utf8').trim();
      const filters = JSON.stringify({ label: [`dev.skiff.cluster=${clusterId}`] });
      for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
      for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
      for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    } catch {
      // nothing was created
    }
    rmSync(stateDir, { recursive: true, force: true });
  }

  const r = results;
  const s = (ms) => `${fmt(ms / 1000, 2)} s`;
  const range = (f) => `${fmt(f.min / 1000, 2)}–${fmt(f.max / 1000, 2)} s`;
  const rows = [
    ['load step → HPA status.desiredReplicas > 1', s(r.up.desiredRaisedMs), `${s(r.floor.desiredRaisedMs)} (1 s bucket + ${SYNC_MS / 1000} s sync)`, range(r.windowModel.desiredRaisedMs)],
    ['load step → first new pod Ready', s(r.up.firstNewPodReadyMs), `—`, `desired raised + ${s(r.up.firstNewPodReadyMs - r.up.desiredRaisedMs)} pod start`],
    [`load step → ${MAX_REPLICAS} pods (maxReplicas) Ready`, s(r.up.maxReplicasReadyMs), '—', '—'],
    [`load stop → Deployment scaled back to 1`, s(r.down.scaledToOneMs), `${s(r.floor.scaledToOneMs)} (1 s + ${SYNC_MS / 1000} s sync + ${DOWN_WINDOW_S} s window)`, 'average decays over ≤ 30 s'],
    ['load stop → surplus pods gone', s(r.down.podsGoneMs), '—', '—'],
  ];
  printTable(
    `HPA reaction to a load step (issue 5): ${fmt(r.load.rps, 0)} req/s through the load balancer (${r.path}), target ${TARGET} req/s per pod`,
    ['measure', 'measured', 'floor: sampling + sync (same run)', `with the ${WINDOW_S} s rate average`],
    rows,
  );
  if (r.load.failed > 0) console.log(`\n${r.load.failed} of ${r.load.sent} requests failed`);
  writeResults('autoscale', results);
}

if (process.argv[2] === '--engine') {
  runEngine(process.argv[3]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
