/**
 * examples/web.yaml as shipped, on real Docker with real kubectl, the way its header tells users to try it:
 * apply, `rollout status`, `set image` (to the local test image: nothing is pulled) watched against the
 * strategy's bounds (maxSurge 1, maxUnavailable 0), and `rollout undo` back to the shipped template. The
 * readiness probe is an httpGet on the named port, and the resource limits reach Docker.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { containerStatuses, docker, isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';
import { TEST_IMAGE } from './test-images';

const examples = join(__dirname, '../../../examples');

interface List {
  items: KubeObject[];
}

function podImage(p: KubeObject): string {
  return (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image ?? '';
}

describe('examples/web.yaml on Docker via kubectl', { timeout: 240_000 }, () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine();
  });
  afterAll(async () => {
    await e?.stop();
  });

  const livePods = async (): Promise<KubeObject[]> => (await e.json<List>(['get', 'pods', '-l', 'app=web'])).items.filter((p) => !p.metadata.deletionTimestamp);
  const endpointIps = async (): Promise<string[]> => {
    const ep = await e.json<{ subsets?: Array<{ addresses?: Array<{ ip: string }> }> }>(['get', 'endpoints', 'web']);
    return (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort();
  };
  /** Each pod serves "hello from <its name>" on 8080 (asked from inside the pod). */
  const expectServing = async (pods: KubeObject[]): Promise<void> => {
    for (const p of pods) {
      const name = p.metadata.name ?? '';
      expect((await e.ok(['exec', name, '--', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/index.html'])).trim()).toBe(`hello from ${name}`);
    }
  };

  it('applies, rolls out, set image within maxSurge 1 / maxUnavailable 0, and rollout undo restores it', async () => {
    expect(await e.ok(['apply', '-f', join(examples, 'web.yaml')])).toMatch(/deployment.apps\/web created\nservice\/web created/);
    expect(await e.ok(['rollout', 'status', 'deploy/web', '--timeout=90s'])).toContain('deployment "web" successfully rolled out');
    const first = await livePods();
    expect(first).toHaveLength(3);
    expect(first.every(isPodReady)).toBe(true);
    expect(first.map(podImage)).toEqual(['busybox:1.36', 'busybox:1.36', 'busybox:1.36']);
    await expectServing(first);
    await eventually(async () => (await endpointIps()).length === 3, 30_000, 250);
    expect(await endpointIps()).toEqual(first.map((p) => (p.status as { podIP: string }).podIP).sort());
    // resources.limits (250m, 64Mi) reach the app containers
    for (const p of first) {
      const [app] = (await e.containers({ podUid: p.metadata.uid })).filter((c) => c.Labels['dev.skiff.role'] === 'app');
      const hc = (await docker.getContainer(app?.Id ?? '').inspect()).HostConfig;
      expect({ nanoCpus: hc.NanoCpus, memory: hc.Memory }).toEqual({ nanoCpus: 250_000_000, memory: 64 * 1024 * 1024 });
    }

    // set image, watched pod by pod in the store
    const store = e.engine.service.store;
    let minReady = Infinity;
    let maxPods = 0;
    let changes = 0;
    const podsOf = (): KubeObject[] => store.list('pods').filter((p) => p.metadata.labels?.app === 'web' && !p.metadata.deletionTimestamp);
    const unsubscribe = store.subscribe((ev) => {
      if (ev.resource !== 'pods' || ev.object.metadata.labels?.app !== 'web') return;
      changes++;
      const live = podsOf();
      maxPods = Math.max(maxPods, live.length);
      minReady = Math.min(minReady, live.filter(isPodReady).length);
    });
    try {
      await e.ok(['set', 'image', 'deploy/web', `web=${TEST_IMAGE}`]);
      expect(await e.ok(['rollout', 'status', 'deploy/web', '--timeout=120s'])).toContain('successfully rolled out');
    } finally {
      unsubscribe();
    }
    expect(changes).toBeGreaterThan(6);
    expect(minReady).toBe(3);
    expect(maxPods).toBe(4);
    const second = await livePods();
    expect(second.map(podImage)).toEqual([TEST_IMAGE, TEST_IMAGE, TEST_IMAGE]);
    expect(second.some((p) => first.some((f) => f.metadata.name === p.metadata.name))).toBe(false);
    expect(second.every((p) => containerStatuses(p)[0]?.image === TEST_IMAGE)).toBe(true);
    await expectServing(second);

    // rollout undo: back to the shipped template (busybox:1.36) as revision 3
    expect(await e.ok(['rollout', 'undo', 'deploy/web'])).toContain('deployment.apps/web rolled back');
    expect(await e.ok(['rollout', 'status', 'deploy/web', '--timeout=120s'])).toContain('successfully rolled out');
    const third = await eventually(async () => {
      const pods = await livePods();
      return pods.length === 3 ? pods : undefined;
    }, 60_000, 250);
    expect(third.map(podImage)).toEqual(['busybox:1.36', 'busybox:1.36', 'busybox:1.36']);
    expect(third.every(isPodReady)).toBe(true);
    await expectServing(third);
    const d = await e.json<KubeObject>(['get', 'deploy/web']);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    const revisions = (await e.ok(['rollout', 'history', 'deploy/web'])).split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(revisions).toEqual(['2', '3']);
    await eventually(async () => JSON.stringify(await endpointIps()) === JSON.stringify(third.map((p) => (p.status as { podIP: string }).podIP).sort()), 30_000, 250);
  });
});
