// Benchmark: pods on Docker (issue 3). Prints a table and writes bench/results/workloads.json.
// Side by side in one run on the same images: pod create → Ready against plain Docker API calls that start
// the same sandbox + container; a 30-replica Deployment against the same 60 containers started directly;
// a rollback of 10 replicas; and minikube's time-to-k8s sequence (engine start, API answers, deployment
// applied, first kubectl exec, a Service name resolved by nslookup inside the pod).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { engineClient, fmt, importTs, percentile, printTable, sh, startEngineProcess, writeResults } from './lib.mjs';

const PODS = Number(process.env.BENCH_PODS ?? 30);
const REPLICAS = 30;
const ROLLBACK_REPLICAS = 10;
const KUBECTL = process.env.KUBECTL ?? 'kubectl';

const docker = new Docker();

function podBody(name, image) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { bench: 'startup' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] } };
}

function deployment(name, replicas, image) {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - {name: app, image: ${image}, imagePullPolicy: IfNotPresent, command: [sleep, "3600"]}
`;
}

/** Watch pods of a namespace; resolves per pod name when it first reports Ready=True. */
function readyWatcher(url, token, ca, namespace) {
  const waiters = new Map();
  const readyAt = new Map();
  const req = https.get(`${url}/api/v1/namespaces/${namespace}/pods?watch=true`, { headers: { Authorization: `Bearer ${token}` }, ca }, (res) => {
    let buf = '';
    res.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const ev = JSON.parse(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        const pod = ev.object;
        const ready = (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
        const name = pod.metadata?.name;
        if (ready && name && !readyAt.has(name)) {
          readyAt.set(name, performance.now());
          waiters.get(name)?.();
        }
      }
    });
  });
  return {
    whenReady(name) {
      if (readyAt.has(name)) return Promise.resolve(readyAt.get(name));
      return new Promise((resolve) => waiters.set(name, () => resolve(readyAt.get(name))));
    },
    close: () => req.destroy(),
  };
}

async function waitAvailable(client, ns, name, replicas, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await client.request('GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
    const d = JSON.parse(r.body.toString());
    const s = d.status ?? {};
    if (d.metadata.generation === s.observedGeneration && s.updatedReplicas === replicas && s.availableReplicas === replicas && (s.replicas ?? 0) === replicas) return;
    if (Date.now() > deadline) throw new Error(`deployment ${name} not available: ${JSON.stringify(s)}`);
    await new Promise((r2) => setTimeout(r2, 20));
  }
}

async function plainDockerPod(network, sandboxImage, image, label) {
  const t0 = performance.now();
  const sandbox = await docker.createContainer({ Image: sandboxImage, Cmd: ['/pause'], Labels: { [label]: '1' }, HostConfig: { NetworkMode: network, IpcMode: 'shareable' } });
  await sandbox.start();
  const app = await docker.createContainer({ Image: image, Cmd: ['sleep', '3600'], Labels: { [label]: '1' }, HostConfig: { NetworkMode: `container:${sandbox.id}`, IpcMode: `container:${sandbox.id}` } });
  await app.start();
  await app.inspect();
  return performance.now() - t0;
}

async function removeLabelled(label) {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

async function main() {
  const { ensureTestImage, TEST_IMAGE } = await importTs('src-main/engine/test/test-images.ts');
  const { ensureSandboxImage } = await importTs('src-main/engine/kubelet/sandbox-image.ts');
  await ensureTestImage(docker);
  const sandboxImage = await ensureSandboxImage(docker);
  const image = TEST_IMAGE;
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-bench-wl-'));
  const kubeconfig = join(stateDir, 'kubeconfig');
  const kenv = { KUBECONFIG: kubeconfig };
  const results = {};
  const label = `skiff-bench-plain=${process.pid}`;
  const network = `skiff-bench-${process.pid}`;
  let engine;
  try {
    // 1. time-to-k8s
    const t0 = performance.now();
    engine = await startEngineProcess(stateDir);
    const client = engineClient(stateDir, engine.url);
    await sh(KUBECTL, ['get', 'namespaces'], kenv);
    const tApi = performance.now();
    writeFileSync(join(stateDir, 'ttk.yaml'), deployment('ttk', 1, image));
    await sh(KUBECTL, ['apply', '-f', join(stateDir, 'ttk.yaml')], kenv);
    const tApplied = performance.now();
    await sh(KUBECTL, ['rollout', 'status', 'deploy/ttk', '--timeout=120s'], kenv);
    const tReady = performance.now();
    await sh(KUBECTL, ['exec', 'deploy/ttk', '--', 'true'], kenv);
    const tExec = performance.now();
    // the pod resolves a Service by name through the cluster DNS (retried until its endpoints are written)
    await sh(KUBECTL, ['expose', 'deploy/ttk', '--port=80'], kenv);
    for (let attempt = 0; ; attempt++) {
      try {
        await sh(KUBECTL, ['exec', 'deploy/ttk', '--', 'nslookup', 'ttk.default.svc.cluster.local'], kenv);
        break;
      } catch (err) {
        if (attempt >= 100) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const tDns = performance.now();
    results.timeToK8s = { apiAnswersMs: tApi - t0, deploymentAppliedMs: tApplied - t0, podReadyMs: tReady - t0, firstExecMs: tExec - t0, inPodDnsLookupMs: tDns - t0 };

    // 2. pod startup, sequential, against plain Docker
    await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'startup' } });
    const watcher = readyWatcher(engine.url, client.token, client.ca, 'startup');
    const podTimes = [];
    for (let i = 0; i < PODS; i++) {
      const name = `p${i}`;
      const t = performance.now();
      const r = await client.request('POST', '/api/v1/namespaces/startup/pods', podBody(name, image));
      if (r.status !== 201) throw new Error(`create failed ${r.status} ${r.body}`);
      const at = await watcher.whenReady(name);
      podTimes.push(at - t);
    }
    watcher.close();
    await docker.createNetwork({ Name: network, Driver: 'bridge', Labels: { [label.split('=')[0]]: label.split('=')[1] } });
    const plainTimes = [];
    for (let i = 0; i < PODS; i++) plainTimes.push(await plainDockerPod(network, sandboxImage, image, label.split('=')[0]));
    await removeLabelled(label.split('=')[0]);
    results.podStartup = { n: PODS, p50: percentile(podTimes, 50), p99: percentile(podTimes, 99), plainP50: percentile(plainTimes, 50), plainP99: percentile(plainTimes, 99) };

    // 3. 30 replicas to all Ready, against 30 plain sandbox+container pairs started concurrently
    writeFileSync(join(stateDir, 'r30.yaml'), deployment('r30', REPLICAS, image));
    let t = performance.now();
    await sh(KUBECTL, ['apply', '-f', join(stateDir, 'r30.yaml')], kenv);
    await waitAvailable(client, 'default', 'r30', REPLICAS);
    const deployMs = performance.now() - t;
    t = performance.now();
    await Promise.all(Array.from({ length: REPLICAS }, () => plainDockerPod(network, sandboxImage, image, label.split('=')[0])));
    const plainDeployMs = performance.now() - t;
    await removeLabelled(label.split('=')[0]);
    await sh(KUBECTL, ['delete', 'deploy', 'r30', '--wait=true', '--timeout=120s'], kenv);
    results.deployment30 = { engineMs: deployMs, plainMs: plainDeployMs };

    // 4. rollback of 10 replicas
    writeFileSync(join(stateDir, 'rb.yaml'), deployment('rb', ROLLBACK_REPLICAS, 'busybox:1.36'));
    await sh(KUBECTL, ['apply', '-f', join(stateDir, 'rb.yaml')], kenv);
    await waitAvailable(client, 'default', 'rb', ROLLBACK_REPLICAS);
    await sh(KUBECTL, ['set', 'image', 'deploy/rb', `app=${image}`], kenv);
    await sh(KUBECTL, ['rollout', 'status', 'deploy/rb', '--timeout=300s'], kenv);
    t = performance.now();
    await sh(KUBECTL, ['rollout', 'undo', 'deploy/rb'], kenv);
    await sh(KUBECTL, ['rollout', 'status', 'deploy/rb', '--timeout=300s'], kenv);
    results.rollback10 = { ms: performance.now() - t };

    // clean up the engine's pods before stopping it (the engine leaves containers running on exit)
    await sh(KUBECTL, ['delete', 'deploy', '--all', '--wait=true', '--timeout=120s'], kenv);
    await sh(KUBECTL, ['delete', 'ns', 'startup', '--wait=true', '--timeout=120s'], kenv);
    client.agent.destroy();
  } finally {
    if (engine) {
      engine.child.kill('SIGTERM');
      await new Promise((r) => engine.child.once('exit', r));
    }
    const idFile = join(stateDir, 'cluster-id');
    if (existsSync(idFile)) await removeLabelled(`dev.skiff.cluster=${readFileSync(idFile, 'utf8').trim()}`);
    await removeLabelled(label.split('=')[0]);
    await docker.getNetwork(network).remove().catch(() => undefined);
    const nets = await docker.listNetworks();
    for (const n of nets) if (n.Name.startsWith('skiff-') && n.Labels?.['dev.skiff.cluster'] && existsSync(idFile) && n.Labels['dev.skiff.cluster'] === readFileSync(idFile, 'utf8').trim()) await docker.getNetwork(n.Id).remove().catch(() => undefined);
    rmSync(stateDir, { recursive: true, force: true });
  }

  const r = results;
  const ratio = r.podStartup.p50 / r.podStartup.plainP50;
  printTable('Workloads on Docker (issue 3)', ['measure', 'skiff engine', 'plain Docker API (same run)', 'target', 'met'], [
    [`pod create → Ready, sequential (n=${r.podStartup.n}) p50 / p99`, `${fmt(r.podStartup.p50)} / ${fmt(r.podStartup.p99)} ms`, `${fmt(r.podStartup.plainP50)} / ${fmt(r.podStartup.plainP99)} ms`, 'ratio ≤ 1.3×, p99 ≤ 1.5 s', ratio <= 1.3 && r.podStartup.p99 <= 1500 ? 'yes' : 'no'],
    ['pod startup ratio (p50)', `${ratio.toFixed(2)}×`, '1.00×', '≤ 1.3×', ratio <= 1.3 ? 'yes' : 'no'],
    [`${REPLICAS}-replica Deployment → all available`, `${fmt(r.deployment30.engineMs)} ms`, `${fmt(r.deployment30.plainMs)} ms (${REPLICAS} pairs at once)`, '—', '—'],
    [`rollback of ${ROLLBACK_REPLICAS} replicas → rollout complete`, `${fmt(r.rollback10.ms)} ms`, '—', '—', '—'],
    ['time-to-k8s: API answers (kubectl get ns)', `${fmt(r.timeToK8s.apiAnswersMs)} ms`, 'k3d 19.9 s / kind 33 s (total)', '—', '—'],
    ['time-to-k8s: deployment applied', `${fmt(r.timeToK8s.deploymentAppliedMs)} ms`, '', '—', '—'],
    ['time-to-k8s: pod ready (rollout status)', `${fmt(r.timeToK8s.podReadyMs)} ms`, '', '—', '—'],
    ['time-to-k8s: first kubectl exec (total)', `${fmt(r.timeToK8s.firstExecMs)} ms`, '', '< 3 s', r.timeToK8s.firstExecMs < 3000 ? 'yes' : 'no'],
    ['time-to-k8s: Service expose + nslookup in the pod (total)', `${fmt(r.timeToK8s.inPodDnsLookupMs)} ms`, '', '—', '—'],
  ]);
  writeResults('workloads', results);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
