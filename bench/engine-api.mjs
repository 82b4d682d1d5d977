// Benchmark: the engine's API server (issue 2). Prints a table and writes bench/results/engine-api.json.
// Each row sits beside its physical floor, measured in the same run: a bare Node HTTPS server with the same
// certificate (start-up, round trips, the same list body).
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, engineClient, fmt, percentile, podManifest, printTable, startEngineProcess, writeResults } from './lib.mjs';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 1000);
const CONCURRENT_TOTAL = Number(process.env.BENCH_CONCURRENT ?? 2000);
const CLIENTS = 16;
const LIST_SIZE = 5000;
const WATCHERS = 100;
const WATCH_EVENTS = Number(process.env.BENCH_WATCH_EVENTS ?? 200);

async function waitReady(url, ca) {
  for (;;) {
    const ok = await new Promise((res) => {
      const req = https.get(`${url}/readyz`, { ca }, (r) => {
        r.resume();
        res(r.statusCode === 200);
      });
      req.on('error', () => res(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function measureStart(stateDir) {
  const { child, url, t0 } = await startEngineProcess(stateDir);
  const { ca, agent } = engineClient(stateDir, url);
  await waitReady(url, ca);
  const ms = performance.now() - t0;
  agent.destroy();
  await stop(child);
  return ms;
}

async function measureBaselineStart(stateDir) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'baseline-server.mjs'), stateDir, '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((res) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) res(m[1]);
    });
  });
  const { ca } = engineClient(stateDir, url);
  await waitReady(url, ca);
  const ms = performance.now() - t0;
  await stop(child);
  return ms;
}

async function startBaseline(stateDir, listSize) {
  const child = spawn(process.execPath, [join(ROOT, 'bench', 'baseline-server.mjs'), stateDir, String(listSize)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((res) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) res(m[1]);
    });
  });
  return { child, url };
}

async function latencies(client, count, concurrency, makePath, makeBody) {
  const out = [];
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      const t = performance.now();
      const r = await client.request('POST', makePath(i), makeBody(i));
      out.push(performance.now() - t);
      if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.body}`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

/** wrk (C, closed loop per connection) is a lighter load generator than Node on a 2-core box. */
function hasWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return err.status === 1; // wrk --version exits 1 after printing
  }
}

function wrkCreate(url, token, dir, connections, seconds) {
  const script = join(dir, `post-${connections}.lua`);
  const body = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'wrk-', labels: { app: 'bench' } }, spec: { containers: [{ name: 'app', image: 'busybox:local', command: ['sh', '-c', 'sleep 3600'], ports: [{ containerPort: 80 }] }] } });
  writeFileSync(script, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer ${token}"\nwrk.body = '${body}'\n`);
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, `${url}/api/v1/namespaces/default/pods`], { encoding: 'utf8' });
  const ms = (label) => {
    const m = new RegExp(`${label}\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    const v = Number(m[1]);
    return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  return { p50: ms('50%'), p99: ms('99%'), rps, non2xx };
}

async function main() {
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-bench-'));
  const results = {};
  try {
    // 1. start-up: first start (makes the CA) and warm restarts
    const first = await measureStart(stateDir);
    const warm = [];
    for (let i = 0; i < 5; i++) warm.push(await measureStart(stateDir));
    const floor = [];
    for (let i = 0; i < 5; i++) floor.push(await measureBaselineStart(stateDir));
    results.start = { firstMs: first, warmP50Ms: percentile(warm, 50), warmMaxMs: Math.max(...warm), bareNodeHttpsP50Ms: percentile(floor, 50) };

    // 2..4 against one running engine
    const { child, url } = await startEngineProcess(stateDir);
    const client = engineClient(stateDir, url);
    await waitReady(url, client.ca);
    const baseline = await startBaseline(stateDir, LIST_SIZE);
    const bclient = engineClient(stateDir, baseline.url);
    try {
      const podPath = () => '/api/v1/namespaces/default/pods';
      // warm-up
      await latencies(client, 50, 1, podPath, (i) => podManifest(`warm-${i}`));
      await latencies(bclient, 50, 1, podPath, (i) => podManifest(`warm-${i}`));
      const seq = await latencies(client, SEQUENTIAL, 1, podPath, (i) => podManifest(`seq-${i}`));
      const seqFloor = await latencies(bclient, SEQUENTIAL, 1, podPath, (i) => podManifest(`seq-${i}`));
      const conc = await latencies(client, CONCURRENT_TOTAL, CLIENTS, podPath, (i) => podManifest(`conc-${i}`));
      const concFloor = await latencies(bclient, CONCURRENT_TOTAL, CLIENTS, podPath, (i) => podManifest(`conc-${i}`));
      if (hasWrk()) {
        results.createWrk16 = { engine: wrkCreate(url, client.token, stateDir, CLIENTS, 8), floor: wrkCreate(baseline.url, client.token, stateDir, CLIENTS, 8) };
      }
      results.create = {
        sequential: { n: SEQUENTIAL, p50: percentile(seq, 50), p99: percentile(seq, 99), floorP50: percentile(seqFloor, 50), floorP99: percentile(seqFloor, 99) },
        concurrent16: { n: CONCURRENT_TOTAL, p50: percentile(conc, 50), p99: percentile(conc, 99), floorP50: percentile(concFloor, 50), floorP99: percentile(concFloor, 99) },
      };

      // list of 5,000 pods: top up to exactly LIST_SIZE in a namespace of their own
      await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'list-bench' } });
      await latencies(client, LIST_SIZE, CLIENTS, () => '/api/v1/namespaces/list-bench/pods', (i) => podManifest(`p-${i}`));
      const listTimes = [];
      const tableTimes = [];
      const floorTimes = [];
      let bytes = 0;
      for (let i = 0; i < 20; i++) {
        let t = performance.now();
        const r = await client.request('GET', '/api/v1/namespaces/list-bench/pods');
        listTimes.push(performance.now() - t);
        bytes = r.body.length;
        const n = JSON.parse(r.body.toString()).items.length;
        if (n !== LIST_SIZE) throw new Error(`list returned ${n} pods`);
        t = performance.now();
        await client.request('GET', '/api/v1/namespaces/list-bench/pods?limit=500', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
        tableTimes.push(performance.now() - t);
        t = performance.now();
        await bclient.request('GET', '/list');
        floorTimes.push(performance.now() - t);
      }
      results.list = { n: LIST_SIZE, bytes, p50: percentile(listTimes, 50), p99: percentile(listTimes, 99), tablePage500P50: percentile(tableTimes, 50), floorP50: percentile(floorTimes, 50) };

      // watch delivery to 100 watchers
      await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watch-bench' } });
      const rv = JSON.parse((await client.request('GET', '/api/v1/namespaces/watch-bench/configmaps')).body.toString()).metadata.resourceVersion;
      const sent = new Map();
      const delivery = [];
      const watchers = [];
      let received = 0;
      await Promise.all(
        Array.from({ length: WATCHERS }, () =>
          new Promise((resolve, reject) => {
            const req = https.get(`${url}/api/v1/namespaces/watch-bench/configmaps?watch=true&resourceVersion=${rv}`, { headers: { Authorization: `Bearer ${client.token}` }, ca: client.ca }, (res) => {
              let buf = '';
              res.on('data', (d) => {
                buf += d;
                let nl;
                while ((nl = buf.indexOf('\n')) >= 0) {
                  const line = buf.slice(0, nl);
                  buf = buf.slice(nl + 1);
                  const ev = JSON.parse(line);
                  const t0 = sent.get(ev.object.metadata.name);
                  if (t0 !== undefined) delivery.push(performance.now() - t0);
                  received++;
                }
              });
              resolve();
            });
            req.on('error', reject);
            watchers.push(req);
          }),
        ),
      );
      for (let i = 0; i < WATCH_EVENTS; i++) {
        const name = `w-${i}`;
        sent.set(name, performance.now());
        await client.request('POST', '/api/v1/namespaces/watch-bench/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } });
        await new Promise((r) => setTimeout(r, 5));
      }
      const deadline = Date.now() + 10_000;
      while (received < WATCHERS * WATCH_EVENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const w of watchers) w.destroy();
      results.watch = { watchers: WATCHERS, events: WATCH_EVENTS, delivered: received, expected: WATCHERS * WATCH_EVENTS, p50: percentile(delivery, 50), p99: percentile(delivery, 99) };
    } finally {
      client.agent.destroy();
      bclient.agent.destroy();
      await stop(baseline.child);
      await stop(child);
    }
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }

  const r = results;
  printTable('Engine API (issue 2)', ['measure', 'skiff engine', 'floor (bare Node HTTPS, same run)', 'target', 'met'], [
    ['start → /readyz OK, first start (makes CA)', `${fmt(r.start.firstMs)} ms`, `${fmt(r.start.bareNodeHttpsP50Ms)} ms`, '—', '—'],
    ['start → /readyz OK, p50 of 5 restarts', `${fmt(r.start.warmP50Ms)} ms (max ${fmt(r.start.warmMaxMs)})`, `${fmt(r.start.bareNodeHttpsP50Ms)} ms`, '≤ 300 ms', r.start.warmMaxMs <= 300 ? 'yes' : 'no'],
    [`create pod, sequential (n=${r.create.sequential.n}) p50 / p99`, `${fmt(r.create.sequential.p50, 2)} / ${fmt(r.create.sequential.p99, 2)} ms`, `${fmt(r.create.sequential.floorP50, 2)} / ${fmt(r.create.sequential.floorP99, 2)} ms`, 'p99 ≤ 20 ms', r.create.sequential.p99 <= 20 ? 'yes' : 'no'],
    [`create pod, 16 clients (n=${r.create.concurrent16.n}) p50 / p99`, `${fmt(r.create.concurrent16.p50, 2)} / ${fmt(r.create.concurrent16.p99, 2)} ms`, `${fmt(r.create.concurrent16.floorP50, 2)} / ${fmt(r.create.concurrent16.floorP99, 2)} ms`, 'p99 ≤ 20 ms', r.create.concurrent16.p99 <= 20 ? 'yes' : 'no'],
    ...(r.createWrk16
      ? [[`create pod, 16 connections via wrk (8 s, ${Math.round(r.createWrk16.engine.rps)} req/s) p50 / p99`, `${fmt(r.createWrk16.engine.p50, 2)} / ${fmt(r.createWrk16.engine.p99, 2)} ms`, `${fmt(r.createWrk16.floor.p50, 2)} / ${fmt(r.createWrk16.floor.p99, 2)} ms (${Math.round(r.createWrk16.floor.rps)} req/s)`, 'p99 ≤ 20 ms', r.createWrk16.engine.p99 <= 20 && r.createWrk16.engine.non2xx === 0 ? 'yes' : 'no']]
      : []),
    [`list 5,000 pods (${(r.list.bytes / 1e6).toFixed(1)} MB) p50 / p99`, `${fmt(r.list.p50)} / ${fmt(r.list.p99)} ms`, `${fmt(r.list.floorP50)} ms`, '≤ 200 ms', r.list.p99 <= 200 ? 'yes' : 'no'],
    ['list 5,000 pods as Table, first page of 500, p50', `${fmt(r.list.tablePage500P50)} ms`, '—', '—', '—'],
    [`watch delivery, ${r.watch.watchers} watchers × ${r.watch.events} events p50 / p99`, `${fmt(r.watch.p50, 2)} / ${fmt(r.watch.p99, 2)} ms (${r.watch.delivered}/${r.watch.expected})`, '—', 'p99 ≤ 20 ms', r.watch.p99 <= 20 && r.watch.delivered === r.watch.expected ? 'yes' : 'no'],
  ]);
  writeResults('engine-api', results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
