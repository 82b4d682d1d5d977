/**
 * Rollouts end to end: real kubectl against the engine running pods on real Docker. `set image` is watched
 * event by event to prove the RollingUpdate bounds; history, undo, undo --to-revision, pause/resume, scale
 * and restart are checked against the pods and containers that actually run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { containerStatuses, deploymentYaml, isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

interface PodList {
  items: KubeObject[];
}

function podImage(p: KubeObject): string {
  return (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image ?? '';
}

// Each rollout waits on kubectl's own timeouts (60–90 s); on a loaded 2-core machine a test can need more than the default minute.
describe('Deployments on Docker via kubectl', { timeout: 240_000 }, () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine();
  });
  afterAll(async () => {
    await e?.stop();
  });

  const livePods = async (app: string): Promise<KubeObject[]> => (await e.json<PodList>(['get', 'pods', '-l', `app=${app}`])).items.filter((p) => !p.metadata.deletionTimestamp);

  it('rolls out, and set image keeps available pods within replicas − maxUnavailable … replicas + maxSurge', async () => {
    await e.ok(['apply', '-f', '-'], deploymentYaml('roll', { replicas: 4, maxSurge: 1, maxUnavailable: 1 }));
    const status = await e.ok(['rollout', 'status', 'deploy/roll', '--timeout=60s']);
    expect(status).toContain('successfully rolled out');
    const before = await livePods('roll');
    expect(before.filter(isPodReady)).toHaveLength(4);

    // Watch every pod change in the store while kubectl drives the update.
    const store = e.engine.service.store;
    let minAvailable = Infinity;
    let maxPods = 0;
    let changes = 0;
    const podsOf = (): KubeObject[] => store.list('pods').filter((p) => p.metadata.labels?.app === 'roll' && !p.metadata.deletionTimestamp);
    const unsubscribe = store.subscribe((ev) => {
      if (ev.object.metadata.labels?.app !== 'roll' || ev.resource !== 'pods') return;
      changes++;
      const live = podsOf();
      maxPods = Math.max(maxPods, live.length);
      minAvailable = Math.min(minAvailable, live.filter(isPodReady).length);
    });
    try {
      await e.ok(['set', 'image', 'deploy/roll', 'app=skiff-test/busybox:1']);
      expect(await e.ok(['rollout', 'status', 'deploy/roll', '--timeout=90s'])).toContain('successfully rolled out');
    } finally {
      unsubscribe();
    }
    expect(changes).toBeGreaterThan(8);
    expect(minAvailable).toBeGreaterThanOrEqual(3);
    expect(maxPods).toBeLessThanOrEqual(5);
    const after = await livePods('roll');
    expect(after.map(podImage)).toEqual(['skiff-test/busybox:1', 'skiff-test/busybox:1', 'skiff-test/busybox:1', 'skiff-test/busybox:1']);
    expect(after.every((p) => containerStatuses(p)[0]?.state.running)).toBe(true);
    const beforeNames = new Set(before.map((p) => p.metadata.name));
    expect(after.some((p) => beforeNames.has(p.metadata.name))).toBe(false);

    const d = await e.json<KubeObject>(['get', 'deploy/roll']);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4, observedGeneration: d.metadata.generation });
  });

  it('lists the history, and undo / undo --to-revision restore the old template and its pods', async () => {
    await e.ok(['set', 'env', 'deploy/roll', 'VERSION=three']);
    await e.ok(['rollout', 'status', 'deploy/roll', '--timeout=90s']);
    const history = await e.ok(['rollout', 'history', 'deploy/roll']);
    expect(history.split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0])).toEqual(['1', '2', '3']);
    const rev2 = await e.ok(['rollout', 'history', 'deploy/roll', '--revision=2']);
    expect(rev2).toContain('skiff-test/busybox:1');
    expect(rev2).not.toContain('VERSION');

    // undo goes back to revision 2 (no VERSION env), which becomes revision 4
    expect(await e.ok(['rollout', 'undo', 'deploy/roll'])).toContain('rolled back');
    await e.ok(['rollout', 'status', 'deploy/roll', '--timeout=90s']);
    let pods = await livePods('roll');
    expect(pods).toHaveLength(4);
    for (const p of pods) {
      const c = (p.spec as { containers: Array<{ image: string; env?: unknown[] }> }).containers[0];
      expect(c?.image).toBe('skiff-test/busybox:1');
      expect(c?.env).toBeUndefined();
    }
    const exec = await e.ok(['exec', pods[0]?.metadata.name ?? '', '--', 'sh', '-c', 'echo "v=${VERSION:-none}"']);
    expect(exec.trim()).toBe('v=none');

    // --to-revision=1: the original image
    await e.ok(['rollout', 'undo', 'deploy/roll', '--to-revision=1']);
    await e.ok(['rollout', 'status', 'deploy/roll', '--timeout=90s']);
    pods = await livePods('roll');
    expect(pods.map(podImage)).toEqual(['busybox:1.36', 'busybox:1.36', 'busybox:1.36', 'busybox:1.36']);
    const d = await e.json<KubeObject>(['get', 'deploy/roll']);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
    const revisions = (await e.ok(['rollout', 'history', 'deploy/roll'])).split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(revisions).toEqual(['3', '4', '5']);

    const bad = await e.k(['rollout', 'undo', 'deploy/roll', '--to-revision=42']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unable to find specified revision 42/);
  });

  it('pauses a rollout, and resumes it', async () => {
    await e.ok(['rollout', 'pause', 'deploy/roll']);
    await e.ok(['set', 'image', 'deploy/roll', 'app=skiff-test/busybox:1']);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await livePods('roll')).map(podImage).every((i) => i === 'busybox:1.36')).toBe(true);
    const d = await e.json<KubeObject>(['get', 'deploy/roll']);
    const progressing = (d.status as { conditions: Array<{ type: string; reason: string }> }).conditions.find((c) => c.type === 'Progressing');
    expect(progressing?.reason).toBe('DeploymentPaused');
    await e.ok(['rollout', 'resume', 'deploy/roll']);
    await e.ok(['rollout', 'status', 'deploy/roll', '--timeout=90s']);
    expect((await livePods('roll')).map(podImage).every((i) => i === 'skiff-test/busybox:1')).toBe(true);
  });

  it('scales 3 → 10 → 0 with exactly one sandbox and one app container per pod', async () => {
    await e.ok(['apply', '-f', '-'], deploymentYaml('scaled', { replicas: 3 }));
    await e.ok(['rollout', 'status', 'deploy/scaled', '--timeout=60s']);
    const countFor = async (): Promise<{ pods: string[]; containers: number }> => {
      const pods = await livePods('scaled');
      let containers = 0;
      for (const p of pods) containers += (await e.containers({ podUid: p.metadata.uid })).length;
      return { pods: pods.map((p) => p.metadata.name ?? ''), containers };
    };
    expect((await countFor()).containers).toBe(6);

    await e.ok(['scale', 'deploy/scaled', '--replicas=10']);
    await e.ok(['rollout', 'status', 'deploy/scaled', '--timeout=90s']);
    const ten = await countFor();
    expect(ten.pods).toHaveLength(10);
    expect(ten.containers).toBe(20);

    await e.ok(['scale', 'deploy/scaled', '--replicas=0']);
    await eventually(async () => (await e.json<PodList>(['get', 'pods', '-l', 'app=scaled'])).items.length === 0, 60_000, 250);
    const uids = new Set((await e.containers({ all: true })).map((c) => c.Labels['dev.skiff.pod-uid']));
    // every container left belongs to another deployment's live pods
    const liveUids = new Set((await e.json<PodList>(['get', 'pods', '-A'])).items.map((p) => p.metadata.uid));
    for (const uid of uids) expect(liveUids.has(uid)).toBe(true);
    const d = await e.json<KubeObject>(['get', 'deploy/scaled']);
    // zero counts are omitted, as the Kubernetes API does (omitempty)
    const st = d.status as { replicas?: number; readyReplicas?: number; observedGeneration?: number };
    expect([st.replicas ?? 0, st.readyReplicas ?? 0]).toEqual([0, 0]);
    expect(st.observedGeneration).toBe(d.metadata.generation);
  });

  it('rollout restart replaces every pod with a new one', async () => {
    await e.ok(['scale', 'deploy/scaled', '--replicas=2']);
    await e.ok(['rollout', 'status', 'deploy/scaled', '--timeout=60s']);
    const before = (await livePods('scaled')).map((p) => p.metadata.name);
    expect(await e.ok(['rollout', 'restart', 'deploy/scaled'])).toContain('restarted');
    await e.ok(['rollout', 'status', 'deploy/scaled', '--timeout=90s']);
    const after = await livePods('scaled');
    expect(after).toHaveLength(2);
    for (const p of after) {
      expect(before).not.toContain(p.metadata.name);
      expect(p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeTruthy();
    }
  });
});
