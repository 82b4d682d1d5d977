/**
 * Deployment features on real Docker through real kubectl, beyond the plain rolling update of
 * workloads-e2e.test.ts: the Recreate strategy (seen through a kubectl watch and the store: no new pod
 * before every old one is gone), ProgressDeadlineExceeded (an image that cannot start, a pod that never
 * gets ready: `rollout status` fails with kubectl's message and the Progressing condition says why),
 * revisionHistoryLimit cleanup, percentage maxSurge / maxUnavailable (rounded up / down as Kubernetes does)
 * bounding a rollout, and minReadySeconds delaying availability.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCE_DEPLOYMENTS, RESOURCE_PODS, RESOURCE_REPLICA_SETS } from '../controllers/object-source';
import type { KubeObject } from '../object';
import { eventually, spawnKubectl } from './harness';
import { conditionStatus, deploymentYaml, isPodReady, kubectlPath, sleep, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';
import { TEST_IMAGE } from './test-images';

interface List {
  items: KubeObject[];
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** deploymentYaml with further Deployment spec fields (strategy, deadlines, limits) merged in. */
function deployment(name: string, o: Parameters<typeof deploymentYaml>[1], spec: Record<string, unknown>, container: Record<string, unknown> = {}): string {
  const d = JSON.parse(deploymentYaml(name, o)) as { spec: Record<string, unknown> & { template: { spec: { containers: Array<Record<string, unknown>> } } } };
  Object.assign(d.spec, spec);
  Object.assign(d.spec.template.spec.containers[0] ?? {}, container);
  return JSON.stringify(d);
}

function podImage(p: KubeObject): string {
  return (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image ?? '';
}

const conditionOf = (obj: KubeObject, type: string): Condition | undefined => ((obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).find((c) => c.type === type);
const hashOf = (obj: KubeObject): string => obj.metadata.labels?.['pod-template-hash'] ?? '';

// Rollouts wait on Docker and kubectl's own timeouts; a loaded 2-core machine needs minutes, not seconds.
describe('Deployment strategies on Docker via kubectl', { timeout: 240_000 }, () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine();
  });
  afterAll(async () => {
    await e?.stop();
  });

  const livePods = async (app: string): Promise<KubeObject[]> => (await e.json<List>(['get', 'pods', '-l', `app=${app}`])).items.filter((p) => !p.metadata.deletionTimestamp);
  const replicaSets = async (app: string): Promise<KubeObject[]> => (await e.json<List>(['get', 'rs', '-l', `app=${app}`])).items;
  const revisionOf = (obj: KubeObject): number => Number(obj.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

  // recreate.go's oldPodsRunning: an old pod in a terminal phase (Succeeded/Failed) no longer counts as
  // running, so its object may still exist (the kubelet writes the phase, removes the containers, then
  // deletes it) when the new ReplicaSet's first pod is created.
  it('Recreate: every old pod has stopped (terminal or gone) before the first new one is created', async () => {
    await e.ok(['apply', '-f', '-'], deployment('recreate', { replicas: 3 }, { strategy: { type: 'Recreate' } }));
    await e.ok(['rollout', 'status', 'deploy/recreate', '--timeout=90s']);
    const old = await livePods('recreate');
    expect(old).toHaveLength(3);
    const oldHash = hashOf(old[0] as KubeObject);
    const oldUids = new Set(old.map((p) => p.metadata.uid));

    // a kubectl watch of the pods (one line per watch event) ...
    const watch = spawnKubectl(kubectlPath(), e, [
      'get', 'pods', '-l', 'app=recreate', '--watch-only', '--output-watch-events',
      '-o', 'jsonpath={.type} {.object.metadata.name} {.object.metadata.labels.pod-template-hash} {.object.status.phase}{"\\n"}',
    ]);
    // ... and the store, where each new pod's creation is checked against what is still there
    const store = e.engine.service.store;
    const violations: string[] = [];
    const oldRunningAtFirstNew: Array<Promise<number>> = [];
    let newSeen = 0;
    const unsubscribe = store.subscribe((ev) => {
      if (ev.resource !== RESOURCE_PODS || ev.object.metadata.labels?.app !== 'recreate' || hashOf(ev.object) === oldHash) return;
      if (ev.type !== 'ADDED') return;
      newSeen++;
      const stopped = (p: KubeObject): boolean => ['Succeeded', 'Failed'].includes(String((p.status as { phase?: string } | undefined)?.phase));
      const left = store.list(RESOURCE_PODS).filter((p) => oldUids.has(p.metadata.uid) && !stopped(p));
      if (left.length > 0) violations.push(`${ev.object.metadata.name} created while ${left.map((p) => p.metadata.name).join(', ')} still ran`);
      if (newSeen === 1) {
        // containers of old pods still running once a new pod exists would be a violation too
        oldRunningAtFirstNew.push(
          (async () => {
            let n = 0;
            for (const uid of oldUids) n += (await e.containers({ podUid: uid })).length;
            return n;
          })(),
        );
      }
    });
    try {
      await eventually(() => watch.child.pid !== undefined && watch.state.stderr === '', 5_000);
      await sleep(1000); // the watch is established before the rollout starts
      await e.ok(['set', 'env', 'deploy/recreate', 'VERSION=two']);
      expect(await e.ok(['rollout', 'status', 'deploy/recreate', '--timeout=120s'])).toContain('successfully rolled out');
      await eventually(() => watch.state.stdout.split('\n').filter((l) => l.startsWith('ADDED ')).length >= 3, 20_000, 100);
    } finally {
      unsubscribe();
      watch.child.kill();
    }
    expect(violations).toEqual([]);
    expect(newSeen).toBe(3);
    expect(await Promise.all(oldRunningAtFirstNew)).toEqual([0]);

    const lines = watch.state.stdout.split('\n').filter(Boolean).map((l) => l.split(' '));
    const firstNewAdded = lines.findIndex(([type, , hash]) => type === 'ADDED' && hash !== oldHash);
    const oldLines = lines.map(([type, name, , phase], i) => ({ type, name, phase, i })).filter((l) => old.some((p) => p.metadata.name === l.name));
    const oldDeleted = oldLines.filter((l) => l.type === 'DELETED');
    expect(oldDeleted.map((l) => l.name).sort()).toEqual(old.map((p) => p.metadata.name).sort());
    // the watch shows each old pod stopped (its terminal phase, or its deletion) before the first new pod
    const stoppedAt = old.map((p) => oldLines.find((l) => l.name === p.metadata.name && (l.type === 'DELETED' || l.phase === 'Succeeded' || l.phase === 'Failed'))?.i ?? Infinity);
    expect(firstNewAdded).toBeGreaterThan(Math.max(...stoppedAt));

    const now = await livePods('recreate');
    expect(now).toHaveLength(3);
    expect(now.every((p) => hashOf(p) !== oldHash && isPodReady(p))).toBe(true);
    const d = await e.json<KubeObject>(['get', 'deploy/recreate']);
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  });

  it('ProgressDeadlineExceeded: an image that cannot start fails `rollout status`, the old pods keep serving, undo recovers', async () => {
    await e.ok(['apply', '-f', '-'], deployment('deadline', { replicas: 2 }, { progressDeadlineSeconds: 6 }, { imagePullPolicy: 'Never' }));
    await e.ok(['rollout', 'status', 'deploy/deadline', '--timeout=90s']);
    const before = (await livePods('deadline')).map((p) => p.metadata.name).sort();
    // absent locally and never pulled: ErrImageNeverPull
    await e.ok(['set', 'image', 'deploy/deadline', 'app=skiff-test/absent:1']);
    const started = Date.now();
    const r = await e.k(['rollout', 'status', 'deploy/deadline', '--timeout=120s']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: deployment "deadline" exceeded its progress deadline');
    expect(Date.now() - started).toBeGreaterThan(4000);
    const d = await e.json<KubeObject>(['get', 'deploy/deadline']);
    expect(conditionOf(d, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(conditionOf(d, 'Progressing')?.message).toMatch(/^ReplicaSet "deadline-[a-z0-9]+" has timed out progressing\.$/);
    // maxUnavailable 0: the old pods are untouched and the Deployment stays Available
    expect(conditionStatus(d, 'Available')).toBe('True');
    const pods = await e.json<List>(['get', 'pods', '-l', 'app=deadline']);
    const stuck = pods.items.filter((p) => podImage(p) === 'skiff-test/absent:1');
    expect(stuck).toHaveLength(1);
    const waiting = ((stuck[0]?.status as { containerStatuses?: Array<{ state: { waiting?: { reason: string } } }> }).containerStatuses ?? [])[0]?.state.waiting?.reason;
    expect(waiting).toBe('ErrImageNeverPull');
    expect(pods.items.filter((p) => podImage(p) !== 'skiff-test/absent:1' && isPodReady(p)).map((p) => p.metadata.name).sort()).toEqual(before);

    expect(await e.ok(['rollout', 'undo', 'deploy/deadline'])).toContain('rolled back');
    expect(await e.ok(['rollout', 'status', 'deploy/deadline', '--timeout=90s'])).toContain('successfully rolled out');
    const recovered = await e.json<KubeObject>(['get', 'deploy/deadline']);
    expect(conditionOf(recovered, 'Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    await eventually(async () => (await e.json<List>(['get', 'pods', '-l', 'app=deadline'])).items.every((p) => podImage(p) === 'busybox:1.36'), 60_000, 250);
  });

  it('ProgressDeadlineExceeded: a new Deployment whose pods do not get ready in time, then progress once they do', async () => {
    await e.ok(['apply', '-f', '-'], deployment('never-ready', { replicas: 2, readiness: false }, { progressDeadlineSeconds: 5 }, { readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1, timeoutSeconds: 10 } }));
    const r = await e.k(['rollout', 'status', 'deploy/never-ready', '--timeout=120s']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('error: deployment "never-ready" exceeded its progress deadline');
    expect(r.stdout).toContain('Waiting for deployment "never-ready" rollout to finish: 0 of 2 updated replicas are available...');
    const d = await e.json<KubeObject>(['get', 'deploy/never-ready']);
    expect(conditionOf(d, 'Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(conditionStatus(d, 'Available')).toBe('False');
    const pods = await livePods('never-ready');
    expect(pods).toHaveLength(2);
    expect(pods.some(isPodReady)).toBe(false);
    // the containers run: it is readiness, not the runtime, that holds the rollout
    expect(pods.every((p) => (p.status as { phase: string }).phase === 'Running')).toBe(true);

    // the pods get ready after all: the rollout completes and Progressing says so
    // (kubectl gives up at once while the condition says the deadline passed: wait for the controller first)
    for (const p of pods) await e.ok(['exec', p.metadata.name ?? '', '--', 'touch', '/tmp/ready']);
    const done = await eventually(async () => {
      const x = await e.json<KubeObject>(['get', 'deploy/never-ready']);
      return conditionOf(x, 'Progressing')?.reason === 'NewReplicaSetAvailable' ? x : undefined;
    }, 60_000, 250);
    expect(conditionOf(done, 'Progressing')?.status).toBe('True');
    expect(done.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
    expect(await e.ok(['rollout', 'status', 'deploy/never-ready', '--timeout=90s'])).toContain('successfully rolled out');
    expect(conditionStatus(done, 'Available')).toBe('True');
  });

  it('revisionHistoryLimit keeps only that many old ReplicaSets (and their pods are gone)', async () => {
    await e.ok(['apply', '-f', '-'], deployment('history', { replicas: 1 }, { revisionHistoryLimit: 2 }));
    await e.ok(['rollout', 'status', 'deploy/history', '--timeout=90s']);
    const created: string[] = [];
    for (const v of ['2', '3', '4', '5']) {
      await e.ok(['set', 'env', 'deploy/history', `VERSION=${v}`]);
      await e.ok(['rollout', 'status', 'deploy/history', '--timeout=90s']);
      created.push(...(await replicaSets('history')).map((rs) => rs.metadata.name ?? ''));
    }
    const rss = await eventually(async () => {
      const list = await replicaSets('history');
      return list.length === 3 ? list : undefined;
    }, 30_000, 250);
    expect(rss.map(revisionOf).sort()).toEqual([3, 4, 5]);
    const current = rss.find((rs) => revisionOf(rs) === 5);
    expect((current?.spec as { replicas: number }).replicas).toBe(1);
    for (const rs of rss.filter((x) => x !== current)) expect((rs.spec as { replicas: number }).replicas).toBe(0);
    // five ReplicaSets existed over the rollouts; the two oldest were deleted
    expect(new Set(created).size).toBe(5);
    const revisions = (await e.ok(['rollout', 'history', 'deploy/history'])).split('\n').filter((l) => /^\d+\s/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(revisions).toEqual(['3', '4', '5']);
    const undoTooFar = await e.k(['rollout', 'undo', 'deploy/history', '--to-revision=1']);
    expect(undoTooFar.code).not.toBe(0);
    expect(undoTooFar.stderr).toMatch(/unable to find specified revision 1/);
    const pods = await eventually(async () => {
      const list = (await e.json<List>(['get', 'pods', '-l', 'app=history'])).items;
      return list.length === 1 ? list : undefined;
    }, 60_000, 250);
    expect(hashOf(pods[0] as KubeObject)).toBe(hashOf(current as KubeObject));
  });

  it('percentage maxSurge 30% (rounds up) and maxUnavailable 30% (rounds down) bound a 5-replica rollout', async () => {
    await e.ok(['apply', '-f', '-'], deployment('percent', { replicas: 5, maxSurge: '30%', maxUnavailable: '30%' }, {}));
    await e.ok(['rollout', 'status', 'deploy/percent', '--timeout=90s']);
    const oldRs = (await replicaSets('percent'))[0] as KubeObject;
    const store = e.engine.service.store;
    const ofApp = (resource: string): KubeObject[] => store.list(resource).filter((o) => o.metadata.labels?.app === 'percent');
    let maxSpecTotal = 0;
    let maxPods = 0;
    let minReady = Infinity;
    const newRsReplicas: number[] = [];
    const oldRsReplicas: number[] = [];
    const unsubscribe = store.subscribe((ev) => {
      if (ev.object.metadata.labels?.app !== 'percent') return;
      if (ev.resource === RESOURCE_REPLICA_SETS) {
        maxSpecTotal = Math.max(maxSpecTotal, ofApp(RESOURCE_REPLICA_SETS).reduce((n, rs) => n + ((rs.spec as { replicas?: number }).replicas ?? 0), 0));
        const r = (ev.object.spec as { replicas?: number }).replicas ?? 0;
        const into = ev.object.metadata.uid === oldRs.metadata.uid ? oldRsReplicas : newRsReplicas;
        if (into[into.length - 1] !== r) into.push(r);
      }
      if (ev.resource === RESOURCE_PODS) {
        const live = ofApp(RESOURCE_PODS).filter((p) => !p.metadata.deletionTimestamp);
        maxPods = Math.max(maxPods, live.length);
        minReady = Math.min(minReady, live.filter(isPodReady).length);
      }
    });
    try {
      await e.ok(['set', 'image', 'deploy/percent', `app=${TEST_IMAGE}`]);
      expect(await e.ok(['rollout', 'status', 'deploy/percent', '--timeout=120s'])).toContain('successfully rolled out');
    } finally {
      unsubscribe();
    }
    // 5 + ceil(1.5) = 7 pods at most, 5 - floor(1.5) = 4 ready at least
    expect(maxSpecTotal).toBe(7);
    expect(maxPods).toBeLessThanOrEqual(7);
    expect(maxPods).toBeGreaterThan(5);
    expect(minReady).toBeGreaterThanOrEqual(4);
    // the new ReplicaSet starts at the surge (2), the old one steps down by the unavailable budget (1) first
    expect(newRsReplicas[0]).toBe(2);
    expect(newRsReplicas[newRsReplicas.length - 1]).toBe(5);
    expect(oldRsReplicas[0]).toBe(4);
    expect(oldRsReplicas[oldRsReplicas.length - 1]).toBe(0);
    expect((await livePods('percent')).map(podImage)).toEqual(Array(5).fill(TEST_IMAGE));
  });

  it('minReadySeconds: a ready pod counts as available only after it stayed ready that long', async () => {
    const store = e.engine.service.store;
    let firstReadyAt = 0;
    let firstAvailableAt = 0;
    let readyWhileUnavailable = 0;
    const unsubscribe = store.subscribe((ev) => {
      if (ev.object.metadata.labels?.app !== 'slow-avail' && ev.name !== 'slow-avail') return;
      if (ev.resource === RESOURCE_PODS && !firstReadyAt && isPodReady(ev.object)) firstReadyAt = Date.now();
      if (ev.resource === RESOURCE_DEPLOYMENTS && ev.name === 'slow-avail') {
        const st = ev.object.status as { readyReplicas?: number; availableReplicas?: number } | undefined;
        if ((st?.availableReplicas ?? 0) >= 1 && !firstAvailableAt) firstAvailableAt = Date.now();
        if ((st?.readyReplicas ?? 0) >= 1 && (st?.availableReplicas ?? 0) === 0) readyWhileUnavailable++;
      }
    });
    try {
      await e.ok(['apply', '-f', '-'], deployment('slow-avail', { replicas: 1 }, { minReadySeconds: 6 }));
      // kubectl waits for availability, not readiness
      const out = await e.ok(['rollout', 'status', 'deploy/slow-avail', '--timeout=120s']);
      expect(out).toContain('successfully rolled out');
      expect(out).toContain('Waiting for deployment "slow-avail" rollout to finish: 0 of 1 updated replicas are available...');
    } finally {
      unsubscribe();
    }
    expect(firstReadyAt).toBeGreaterThan(0);
    expect(firstAvailableAt).toBeGreaterThan(0);
    // Ready's lastTransitionTime has a one-second resolution: more than 5 of the 6 s (less the store write), and not long after
    expect(firstAvailableAt - firstReadyAt).toBeGreaterThan(4500);
    expect(firstAvailableAt - firstReadyAt).toBeLessThan(30_000);
    expect(readyWhileUnavailable).toBeGreaterThan(0);
    const rs = (await replicaSets('slow-avail'))[0] as KubeObject;
    expect((rs.spec as { minReadySeconds?: number }).minReadySeconds).toBe(6);
    expect(rs.status).toMatchObject({ readyReplicas: 1, availableReplicas: 1 });
    expect(conditionStatus(await e.json<KubeObject>(['get', 'deploy/slow-avail']), 'Available')).toBe('True');

    // A rolling update (maxSurge 1, maxUnavailable 0) of 2 replicas: an old pod goes only once as many new pods
    // as old ones gone so far have been ready for minReadySeconds.
    await e.ok(['scale', 'deploy/slow-avail', '--replicas=2']);
    await e.ok(['rollout', 'status', 'deploy/slow-avail', '--timeout=120s']);
    const oldHash = hashOf((await livePods('slow-avail'))[0] as KubeObject);
    const readySince = new Map<string, number>();
    const deletions: Array<{ pod: string; availableNew: number }> = [];
    const stop = store.subscribe((ev) => {
      if (ev.resource !== RESOURCE_PODS || ev.object.metadata.labels?.app !== 'slow-avail') return;
      const name = ev.object.metadata.name ?? '';
      if (hashOf(ev.object) !== oldHash) {
        if (isPodReady(ev.object) && !readySince.has(name)) readySince.set(name, Date.now());
        return;
      }
      if (ev.object.metadata.deletionTimestamp && !deletions.some((x) => x.pod === name)) {
        const now = Date.now();
        deletions.push({ pod: name, availableNew: [...readySince.values()].filter((t) => now - t > 4500).length });
      }
    });
    try {
      await e.ok(['set', 'env', 'deploy/slow-avail', 'VERSION=two']);
      expect(await e.ok(['rollout', 'status', 'deploy/slow-avail', '--timeout=150s'])).toContain('successfully rolled out');
    } finally {
      stop();
    }
    expect(deletions).toHaveLength(2);
    deletions.forEach((x, i) => expect(x.availableNew, `when ${x.pod} was deleted`).toBeGreaterThanOrEqual(i + 1));
  });
});
