/**
 * Two full engines with different state dirs side by side on one Docker, driven by real kubectl. Both run
 * the same manifests (same object names: a Deployment with an emptyDir, and examples/storage.yaml with its
 * PVC). Each engine's containers, network and volumes carry only its own cluster id; stopping one and
 * restarting it (adoption of what runs, removal of orphans) — with planted orphans of both engines —
 * never touches the other's containers, network or volumes, and the other keeps serving meanwhile.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_CLUSTER, LABEL_POD_UID } from '../kubelet/labels';
import { LABEL_VOLUME_KIND } from '../kubelet/volume-names';
import type { KubeObject } from '../object';
import { eventually, startTestEngine } from './harness';
import { containerStatuses, deploymentYaml, docker, isPodReady, removeClusterObjects, startRuntimeEngine, wrap, type RuntimeEngine } from './runtime-harness';
import { TEST_IMAGE } from './test-images';

const examples = join(__dirname, '../../../examples');

interface List {
  items: KubeObject[];
}

/** What one engine has in Docker, as Docker reports it. */
interface DockerFootprint {
  /** container id -> "state startedAt" */
  containers: Map<string, string>;
  networks: string[];
  volumes: string[];
}

async function footprint(clusterId: string): Promise<DockerFootprint> {
  const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${clusterId}`] });
  const containers = new Map<string, string>();
  for (const c of await docker.listContainers({ all: true, filters })) {
    const info = await docker.getContainer(c.Id).inspect();
    containers.set(c.Id, `${info.State.Status} ${info.State.StartedAt} restarts=${info.RestartCount}`);
  }
  const networks = (await docker.listNetworks({ filters })).map((n) => n.Id).sort();
  const volumes = ((await docker.listVolumes({ filters })).Volumes ?? []).map((v) => v.Name).sort();
  return { containers, networks, volumes };
}

/** A deployment whose pods write into an emptyDir (so each pod has a Docker volume of its own). */
function withEmptyDir(name: string, replicas: number): string {
  const d = JSON.parse(deploymentYaml(name, { replicas, command: 'echo "$(hostname)" > /scratch/who; trap "exit 0" TERM; while true; do sleep 1; done' })) as {
    spec: { template: { spec: { volumes?: unknown[]; containers: Array<Record<string, unknown>> } } };
  };
  d.spec.template.spec.volumes = [{ name: 'scratch', emptyDir: {} }];
  const c = d.spec.template.spec.containers[0] as Record<string, unknown>;
  c.volumeMounts = [{ name: 'scratch', mountPath: '/scratch' }];
  return JSON.stringify(d);
}

/**
 * What an engine leaves behind when a pod is deleted while it is down (or killed mid-delete): a container
 * and an emptyDir volume with the engine's labels for a pod uid that no longer exists. Labels are copied from
 * a real container / volume of that engine, so they look exactly like its own.
 */
async function plantOrphan(clusterId: string): Promise<{ uid: string; container: string; volume: string }> {
  const uid = `0rphan00-0000-4000-8000-${Math.random().toString(16).slice(2, 14).padEnd(12, '0')}`;
  const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${clusterId}`, 'dev.skiff.role=app'] });
  const [model] = await docker.listContainers({ all: true, filters });
  if (!model) throw new Error(`no container of ${clusterId} to copy labels from`);
  const container = await docker.createContainer({
    Image: TEST_IMAGE,
    Cmd: ['sleep', '3600'],
    Labels: { ...model.Labels, [LABEL_POD_UID]: uid },
    HostConfig: { NetworkMode: 'none' },
  });
  await container.start();
  const [modelVolume] = (await docker.listVolumes({ filters: JSON.stringify({ label: [`${LABEL_CLUSTER}=${clusterId}`, `${LABEL_VOLUME_KIND}=emptyDir`] }) })).Volumes ?? [];
  if (!modelVolume) throw new Error(`no emptyDir volume of ${clusterId} to copy labels from`);
  const volume = `skiff-orphan-${clusterId}-${uid.slice(-12)}`;
  await docker.createVolume({ Name: volume, Driver: 'local', Labels: { ...(modelVolume.Labels ?? {}), [LABEL_POD_UID]: uid } });
  return { uid, container: container.id, volume };
}

async function containerExists(id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).inspect();
    return true;
  } catch {
    return false;
  }
}

async function volumeExists(name: string): Promise<boolean> {
  return ((await docker.listVolumes()).Volumes ?? []).some((v) => v.Name === name);
}

// Two engines and their pods on a loaded 2-core machine: minutes, not seconds.
describe('Two engines side by side on one Docker', { timeout: 300_000 }, () => {
  let a: RuntimeEngine;
  let b: RuntimeEngine;
  const ids: string[] = [];

  beforeAll(async () => {
    a = await startRuntimeEngine();
    b = await startRuntimeEngine();
    ids.push(a.clusterId, b.clusterId);
  }, 120_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    // planted orphans carry a cluster id too: nothing is left even if a test failed half way
    for (const id of ids) await removeClusterObjects(id);
  }, 120_000);

  const storageLog = async (e: RuntimeEngine): Promise<string> => {
    const pods = (await e.json<List>(['get', 'pods', '-l', 'app=storage-demo'])).items.filter((p) => !p.metadata.deletionTimestamp && containerStatuses(p)[0]?.state.running);
    if (pods.length !== 1) return '';
    return (await e.k(['logs', pods[0]?.metadata.name ?? ''])).stdout;
  };
  const readyPods = async (e: RuntimeEngine, app: string): Promise<KubeObject[]> => (await e.json<List>(['get', 'pods', '-l', `app=${app}`])).items.filter(isPodReady);

  it('run the same manifests, each with only its own containers, network and volumes', async () => {
    expect(a.clusterId).not.toBe(b.clusterId);
    for (const e of [a, b]) {
      await e.ok(['apply', '-f', '-'], withEmptyDir('app', 2));
      await e.ok(['apply', '-f', join(examples, 'storage.yaml')]);
    }
    for (const e of [a, b]) {
      await e.ok(['rollout', 'status', 'deploy/app', '--timeout=120s']);
      await e.ok(['rollout', 'status', 'deploy/storage-demo', '--timeout=120s']);
      // a claim of each engine's own: the first start of the app on each
      expect(await eventually(async () => ((await storageLog(e)).includes('started 1 times') ? 'ok' : ''), 30_000, 250)).toBe('ok');
    }
    const fa = await footprint(a.clusterId);
    const fb = await footprint(b.clusterId);
    // 3 pods each: a sandbox and an app container per pod; one network each; 2 emptyDirs + 1 PV each
    expect([fa.containers.size, fb.containers.size]).toEqual([6, 6]);
    expect([fa.networks.length, fb.networks.length]).toEqual([1, 1]);
    expect([fa.volumes.length, fb.volumes.length]).toEqual([3, 3]);
    expect([...fa.containers.keys()].filter((id) => fb.containers.has(id))).toEqual([]);
    expect(fa.networks[0]).not.toBe(fb.networks[0]);
    expect(fa.volumes.filter((v) => fb.volumes.includes(v))).toEqual([]);
    // every pod's containers are on its own engine's network
    for (const [e, f] of [[a, fa], [b, fb]] as const) {
      const net = (await docker.getNetwork(f.networks[0] ?? '').inspect()) as { Name: string; Labels: Record<string, string> };
      expect(net.Labels[LABEL_CLUSTER]).toBe(e.clusterId);
      for (const id of f.containers.keys()) {
        const info = await docker.getContainer(id).inspect();
        if (info.Config.Labels['dev.skiff.role'] === 'sandbox') expect(Object.keys(info.NetworkSettings.Networks)).toEqual([net.Name]);
      }
      // the PV's Docker volume is this engine's
      const pvName = (await e.json<KubeObject>(['get', 'pvc', 'data'])).spec as { volumeName: string };
      const pv = await e.json<KubeObject>(['get', 'pv', pvName.volumeName]);
      const handle = (pv.spec as { csi: { volumeHandle: string } }).csi.volumeHandle;
      expect(f.volumes).toContain(handle);
    }
  });

  it("restarting one engine adopts its pods and removes its orphans, and leaves the other's objects alone", async () => {
    const beforeA = await footprint(a.clusterId);
    const podsA = (await a.json<List>(['get', 'pods'])).items.map((p) => `${p.metadata.name} ${p.metadata.uid}`).sort();
    const podsOfB = async (): Promise<string[]> => (await b.json<List>(['get', 'pods'])).items.map((p) => `${p.metadata.name} ${p.metadata.uid}`).sort();
    const stateDirA = a.stateDir;
    const stateDirB = b.stateDir;

    await a.engine.stop();
    // A is down: its containers keep running for adoption; B keeps working: a deleted pod is replaced
    expect(await footprint(a.clusterId)).toEqual(beforeA);
    const victim = (await readyPods(b, 'app'))[0]?.metadata.name ?? '';
    await b.ok(['delete', 'pod', victim, '--wait=true', '--timeout=60s']);
    await eventually(async () => {
      const ready = await readyPods(b, 'app');
      return ready.length === 2 && !ready.some((p) => p.metadata.name === victim);
    }, 60_000, 250);
    expect(await footprint(a.clusterId)).toEqual(beforeA);

    // B goes down too (a running engine removes an orphan of its own as soon as Docker reports it started);
    // then each gets an orphan: a container and an emptyDir volume of a pod uid that does not exist
    const podsB = await podsOfB();
    await b.engine.stop();
    const beforeB = await footprint(b.clusterId);
    const orphanA = await plantOrphan(a.clusterId);
    const orphanB = await plantOrphan(b.clusterId);

    a = wrap(await startTestEngine({ stateDir: stateDirA, runtime: true }));
    await a.engine.settle();
    // A removes its own orphans ...
    await eventually(async () => !(await containerExists(orphanA.container)), 60_000, 250);
    await eventually(async () => !(await volumeExists(orphanA.volume)), 60_000, 250);
    // ... and adopts its running pods unchanged: same pods, same containers, not restarted
    expect((await a.json<List>(['get', 'pods'])).items.map((p) => `${p.metadata.name} ${p.metadata.uid}`).sort()).toEqual(podsA);
    expect(await footprint(a.clusterId)).toEqual(beforeA);
    for (const p of (await a.json<List>(['get', 'pods'])).items) expect(containerStatuses(p)[0]?.restartCount).toBe(0);
    expect(await readyPods(a, 'app')).toHaveLength(2);
    // B's containers, network and volumes — and B's own orphan, which is not A's business — are untouched
    expect((await docker.getContainer(orphanB.container).inspect()).State.Running).toBe(true);
    expect(await volumeExists(orphanB.volume)).toBe(true);
    const nowB = await footprint(b.clusterId);
    expect(nowB.containers.get(orphanB.container)).toMatch(/^running /);
    nowB.containers.delete(orphanB.container);
    expect(nowB.volumes).toContain(orphanB.volume);
    nowB.volumes = nowB.volumes.filter((v) => v !== orphanB.volume);
    expect(nowB).toEqual(beforeB);

    // now B comes back: it removes its orphans and adopts its pods, and A's objects do not change
    const beforeA2 = await footprint(a.clusterId);
    b = wrap(await startTestEngine({ stateDir: stateDirB, runtime: true }));
    await b.engine.settle();
    await eventually(async () => !(await containerExists(orphanB.container)), 60_000, 250);
    await eventually(async () => !(await volumeExists(orphanB.volume)), 60_000, 250);
    expect(await podsOfB()).toEqual(podsB);
    expect(await footprint(b.clusterId)).toEqual(beforeB);
    expect(await readyPods(b, 'app')).toHaveLength(2);
    expect(await footprint(a.clusterId)).toEqual(beforeA2);
    expect(beforeA2).toEqual(beforeA);
  });

  it("deleting one engine's PVC and pods removes only its volume; the other's data stays", async () => {
    const fb = await footprint(b.clusterId);
    const pvA = ((await a.json<KubeObject>(['get', 'pvc', 'data'])).spec as { volumeName: string }).volumeName;
    const handleA = ((await a.json<KubeObject>(['get', 'pv', pvA])).spec as { csi: { volumeHandle: string } }).csi.volumeHandle;
    await a.ok(['delete', 'deploy/storage-demo', 'deploy/app']);
    await eventually(async () => (await a.json<List>(['get', 'pods'])).items.length === 0, 90_000, 250);
    await a.ok(['delete', 'pvc', 'data']);
    await eventually(async () => !(await volumeExists(handleA)), 60_000, 250);
    const fa = await footprint(a.clusterId);
    expect(fa.containers.size).toBe(0);
    expect(fa.volumes).toEqual([]);
    expect(await footprint(b.clusterId)).toEqual(fb);
    // B's pod still sees its claim's data: one more start is counted on top of the first
    await b.ok(['delete', 'pods', '-l', 'app=storage-demo', '--wait=false']);
    expect(await eventually(async () => ((await storageLog(b)).includes('started 2 times') ? 'ok' : ''), 90_000, 250)).toBe('ok');
  });
});
