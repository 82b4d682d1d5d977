/**
 * Restarts lose nothing, on real Docker with real kubectl:
 * - a PersistentVolumeClaim's data survives pod replacement and an engine restart, and reclaimPolicy Delete
 *   removes the Docker volume with the claim;
 * - `kill -9` of the engine process in the middle of a 10-replica rollout: the next engine adopts what runs,
 *   the rollout completes, and the containers are exactly one sandbox + one app container per pod.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually, kubectl, startTestEngine, type TestEngine } from './harness';
import { containerStatuses, deploymentYaml, docker, kubectlPath, removeClusterObjects, startRuntimeEngine, wrap, type RuntimeEngine } from './runtime-harness';
import { LABEL_CLUSTER } from '../kubelet/labels';

const ROOT = resolve(__dirname, '../../..');
const BIN = join(ROOT, 'bin', 'skiff.js');
const examples = join(ROOT, 'examples');

interface List {
  items: KubeObject[];
}

describe('PersistentVolumeClaim across pod replacement and engine restart', () => {
  let e: RuntimeEngine | undefined;
  let stateDir = '';

  afterAll(async () => {
    await e?.stop();
  });

  it('keeps the data, and deleting the claim removes the volume', async () => {
    e = await startRuntimeEngine();
    stateDir = e.stateDir;
    const logsOfPod = async (eng: RuntimeEngine): Promise<string> => {
      const pods = (await eng.json<List>(['get', 'pods', '-l', 'app=storage-demo'])).items.filter((p) => !p.metadata.deletionTimestamp && containerStatuses(p)[0]?.state.running);
      if (pods.length !== 1) return '';
      return (await eng.k(['logs', pods[0]?.metadata.name ?? ''])).stdout;
    };
    await e.ok(['apply', '-f', join(examples, 'storage.yaml')]);
    await e.ok(['rollout', 'status', 'deploy/storage-demo', '--timeout=60s']);
    const first = e;
    expect(await eventually(async () => ((await logsOfPod(first)).includes('started 1 times') ? 'ok' : ''), 20_000, 250)).toBe('ok');
    const pvc = await e.json<KubeObject>(['get', 'pvc', 'data']);
    expect((pvc.status as { phase: string }).phase).toBe('Bound');
    const pvName = (pvc.spec as { volumeName: string }).volumeName;
    const pv = await e.json<KubeObject>(['get', 'pv', pvName]);
    const dockerVolume = (pv.spec as { csi: { volumeHandle: string } }).csi.volumeHandle;
    expect((await docker.getVolume(dockerVolume).inspect()).Labels[LABEL_CLUSTER]).toBe(e.clusterId);

    // pod replacement
    await e.ok(['delete', 'pods', '-l', 'app=storage-demo', '--wait=false']);
    expect(await eventually(async () => ((await logsOfPod(first)).includes('started 2 times') ? 'ok' : ''), 60_000, 250)).toBe('ok');

    // engine restart on the same state dir: the running pod is adopted, not restarted
    const before = (await e.json<List>(['get', 'pods', '-l', 'app=storage-demo'])).items.find((p) => !p.metadata.deletionTimestamp);
    const containersBefore = (await e.containers({ podUid: before?.metadata.uid })).map((c) => c.Id).sort();
    await e.engine.stop();
    e = wrap(await startTestEngine({ stateDir, runtime: true }));
    const second = e;
    await second.engine.settle();
    const adopted = await second.json<KubeObject>(['get', 'pod', before?.metadata.name ?? '']);
    expect(containerStatuses(adopted)[0]).toMatchObject({ restartCount: 0 });
    expect((await second.containers({ podUid: before?.metadata.uid })).map((c) => c.Id).sort()).toEqual(containersBefore);

    // and the data is still there for the next pod
    await second.ok(['delete', 'pods', '-l', 'app=storage-demo', '--wait=false']);
    expect(await eventually(async () => ((await logsOfPod(second)).includes('started 3 times') ? 'ok' : ''), 60_000, 250)).toBe('ok');

    // reclaimPolicy Delete: the claim goes, the PV and the Docker volume go with it
    await second.ok(['delete', 'deploy/storage-demo']);
    await eventually(async () => (await second.json<List>(['get', 'pods', '-l', 'app=storage-demo'])).items.length === 0, 60_000, 250);
    await second.ok(['delete', 'pvc', 'data']);
    await eventually(async () => (await second.k(['get', 'pv', pvName])).code !== 0, 30_000, 250);
    await eventually(async () => !(await docker.listVolumes()).Volumes?.some((v) => v.Name === dockerVolume), 30_000, 250);
  });
});

function startEngineProcess(stateDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'engine', 'start', '--state-dir', stateDir, '--port', '0', '--kubeconfig', join(stateDir, 'kubeconfig')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((res, rej) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) res({ child, url: m[1] ?? '' });
    });
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => rej(new Error(`engine exited (${code}): ${out}`)));
  });
}

describe('kill -9 of the engine in the middle of a rollout', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-kill9-'));
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'out', 'cli', 'skiff.cjs'))) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('could not build the CLI bundle');
    }
    await startRuntimeEngine().then((e) => e.stop()); // makes sure the test image exists
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    const id = existsSync(join(stateDir, 'cluster-id')) ? readFileSync(join(stateDir, 'cluster-id'), 'utf8').trim() : '';
    if (id) await removeClusterObjects(id);
    rmSync(stateDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('completes the rollout after a restart, with exactly the right containers', async () => {
    const te = { stateDir, kubeconfig: join(stateDir, 'kubeconfig') };
    const k = kubectl(kubectlPath(), te as TestEngine);
    const ok = async (args: string[], input?: string): Promise<string> => {
      const r = await k(args, input);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    child = (await startEngineProcess(stateDir)).child;
    await ok(['apply', '-f', '-'], deploymentYaml('ten', { replicas: 10, maxSurge: 3, maxUnavailable: 2 }));
    await ok(['rollout', 'status', 'deploy/ten', '--timeout=90s']);
    await ok(['set', 'image', 'deploy/ten', 'app=skiff-test/busybox:1']);
    // kill it once the new ReplicaSet has some pods but the rollout is far from done
    await eventually(async () => {
      const pods = JSON.parse(await ok(['get', 'pods', '-l', 'app=ten', '-o', 'json'])) as List;
      const updated = pods.items.filter((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image === 'skiff-test/busybox:1');
      return updated.length >= 2 && updated.length <= 7;
    }, 30_000, 20);
    child.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));

    child = (await startEngineProcess(stateDir)).child;
    expect(await ok(['rollout', 'status', 'deploy/ten', '--timeout=120s'])).toContain('successfully rolled out');
    // terminating old pods finish; then exactly 10 pods, each with one sandbox and one app container
    const pods = await eventually(async () => {
      const list = JSON.parse(await ok(['get', 'pods', '-l', 'app=ten', '-o', 'json'])) as List;
      return list.items.length === 10 && list.items.every((p) => !p.metadata.deletionTimestamp) ? list.items : undefined;
    }, 60_000, 250);
    expect(pods.every((p) => (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image === 'skiff-test/busybox:1')).toBe(true);
    const clusterId = readFileSync(join(stateDir, 'cluster-id'), 'utf8').trim();
    const uids = new Set(pods.map((p) => p.metadata.uid));
    const containers = await eventually(async () => {
      const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL_CLUSTER}=${clusterId}`] }) });
      return list.length === 20 ? list : undefined;
    }, 30_000, 250);
    const perPod = new Map<string, string[]>();
    for (const c of containers) {
      const uid = c.Labels['dev.skiff.pod-uid'] ?? '';
      expect(uids.has(uid)).toBe(true);
      expect(c.State).toBe('running');
      perPod.set(uid, [...(perPod.get(uid) ?? []), c.Labels['dev.skiff.role'] ?? '']);
    }
    expect(perPod.size).toBe(10);
    for (const roles of perPod.values()) expect(roles.sort()).toEqual(['app', 'sandbox']);
    const rs = JSON.parse(await ok(['get', 'rs', '-l', 'app=ten', '-o', 'json'])) as List;
    expect(rs.items.map((r) => (r.spec as { replicas: number }).replicas).sort()).toEqual([0, 10]);

    // stop cleanly (SIGTERM): pods keep running for the next engine; the test's afterAll removes them
    child.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
  }, 300_000);
});
