import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { DeploymentController } from './deployment-controller';
import { ReplicaSetController } from './replicaset-controller';
import { closeTestService, FakeClock, FakeKubelet, LaggingSource, newTestService, settle, typeOf, type FakeKubeletOptions } from './test-harness';
import type { ObjectSource } from './object-source';

interface Spec {
  replicas?: number;
  strategy?: Record<string, unknown>;
  [k: string]: unknown;
}

const deploymentBody = (name: string, image: string, spec: Spec = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, annotations: { 'kubernetes.io/change-cause': `image ${image}` } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
    ...spec,
  },
});

/** kubectl's DeploymentStatusViewer: true when `rollout status` would say "successfully rolled out". */
function rolledOut(d: KubeObject): boolean {
  const spec = d.spec as { replicas: number };
  const s = (d.status ?? {}) as Record<string, unknown>;
  const n = (k: string): number => (typeof s[k] === 'number' ? (s[k] as number) : 0);
  if ((d.metadata.generation ?? 0) > n('observedGeneration')) return false;
  const conds = (s.conditions ?? []) as Array<Record<string, string>>;
  if (conds.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) throw new Error('deadline exceeded');
  return n('updatedReplicas') >= spec.replicas && n('replicas') <= n('updatedReplicas') && n('availableReplicas') >= n('updatedReplicas');
}

function imageOf(obj: KubeObject): string {
  const spec = (obj.spec ?? {}) as { containers?: Array<{ image: string }>; template?: { spec: { containers: Array<{ image: string }> } } };
  return (spec.containers ?? spec.template?.spec.containers ?? [{ image: '' }])[0].image;
}

describe('DeploymentController with the ReplicaSet controller', () => {
  let service: ObjectService;
  let clock: FakeClock;
  let dc: DeploymentController;
  let rsc: ReplicaSetController;
  let kubelet: FakeKubelet;
  let deployments: ResourceType;
  let replicaSets: ResourceType;
  let pods: ResourceType;
  const disposers: Array<() => void> = [];

  const run = (): Promise<void> => settle([dc, rsc, kubelet]);
  const get = (name = 'web'): KubeObject => service.get(deployments, 'default', name);
  const rsList = (): KubeObject[] => service.list(replicaSets, 'default').items;
  const activePods = (): KubeObject[] =>
    service.list(pods, 'default').items.filter((p) => !p.metadata.deletionTimestamp && !['Failed', 'Succeeded'].includes((p.status as { phase?: string }).phase ?? ''));
  const isReady = (p: KubeObject): boolean => ((p.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
  const patch = (body: Record<string, unknown>, name = 'web'): void => {
    service.patch(deployments, 'default', name, 'merge', body);
  };
  const setImage = (image: string, name = 'web'): void => patch({ spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, name);
  const events = (reason: string): string[] =>
    service
      .list(typeOf(service, 'events'), 'default')
      .items.filter((e) => e.reason === reason)
      .map((e) => String(e.message));

  function start(kubeletOpts: Partial<FakeKubeletOptions> = {}, source?: ObjectSource): void {
    kubelet = new FakeKubelet(service, { clock, ...kubeletOpts });
    rsc = new ReplicaSetController(service, { clock, source });
    dc = new DeploymentController(service, { clock, source });
    rsc.start();
    dc.start();
  }

  /** Let the kubelet make every not-ready pod ready, one at a time, until the rollout is done. */
  async function readyOneByOne(): Promise<void> {
    for (let i = 0; i < 200 && !rolledOut(get()); i++) {
      const next = activePods().find((p) => !isReady(p) && (p.status as { phase?: string }).phase === 'Running');
      if (next) kubelet.setRunning(next, true);
      await run();
    }
    expect(rolledOut(get())).toBe(true);
  }

  beforeEach(() => {
    service = newTestService();
    clock = new FakeClock();
    deployments = typeOf(service, 'deployments.apps');
    replicaSets = typeOf(service, 'replicasets.apps');
    pods = typeOf(service, 'pods');
  });
  afterEach(() => {
    for (const d of disposers.splice(0)) d();
    dc.stop();
    rsc.stop();
    kubelet.stop();
    closeTestService(service);
  });

  it('rolls out a Deployment of 3 to what `kubectl rollout status` accepts', async () => {
    start();
    const d = service.create(deployments, 'default', deploymentBody('web', 'nginx:1'));
    await run();
    const cur = get();
    expect(rolledOut(cur)).toBe(true);
    expect(cur.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(cur.status).toMatchObject({ observedGeneration: cur.metadata.generation, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    const conds = (cur.status as { conditions: Array<Record<string, string>> }).conditions;
    expect(conds.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    for (const c of conds) expect(c.lastUpdateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const [rs] = rsList();
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'kubernetes.io/change-cause': 'image nginx:1',
    });
    expect(rs.spec).toMatchObject({ replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } } });
    expect(activePods().every((p) => p.metadata.labels?.['pod-template-hash'] === hash)).toBe(true);
    expect(events('ScalingReplicaSet')).toEqual([`Scaled up replica set web-${hash} from 0 to 3`]);
    // Converged: nothing more is written.
    const rv = service.store.resourceVersion;
    await run();
    clock.advance(700_000);
    await run();
    expect(service.store.resourceVersion).toBe(rv);
  });

  it('rolls a template change old -> new within replicas + maxSurge pods and replicas - maxUnavailable ready', async () => {
    let v2Ready = false;
    start({ ready: (p) => imageOf(p) === 'nginx:1' || v2Ready, nodeName: 'node-1' });
    service.create(deployments, 'default', deploymentBody('web', 'nginx:1', { replicas: 10 }));
    await run();
    expect(rolledOut(get())).toBe(true);
    const violations: string[] = [];
    let maxPods = 0;
    let minReady = Infinity;
    disposers.push(
      service.store.observeWrites(() => {
        const active = activePods();
        const specSum = rsList().reduce((n, rs) => n + ((rs.spec as { replicas: number }).replicas ?? 0), 0);
        const ready = active.filter(isReady).length;
        maxPods = Math.max(maxPods, active.length);
        minReady = Math.min(minReady, ready);
        if (active.length > 13) violations.push(`${active.length} pods`);
        if (specSum > 13) violations.push(`${specSum} replicas in specs`);
        if (ready < 8) violations.push(`${ready} ready`);
      }),
    );
    setImage('nginx:2');
    await run();
    expect(get().status).toMatchObject({ replicas: 13 });
    await readyOneByOne();
    v2Ready = true;
    expect(violations).toEqual([]);
    expect(maxPods).toBe(13);
    expect(minReady).toBe(8);
    expect(activePods().map(imageOf)).toEqual(Array(10).fill('nginx:2'));
    const [oldRS, newRS] = [...rsList()].sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
    expect((oldRS.spec as { replicas: number }).replicas).toBe(0);
    expect((newRS.spec as { replicas: number }).replicas).toBe(10);
    expect(get().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(events('ScalingReplicaSet')).toContain(`Scaled up replica set ${newRS.metadata.name ?? ''} from 0 to 3`);
    expect(events('ScalingReplicaSet')).toContain(`Scaled down replica set ${oldRS.metadata.name ?? ''} from 10 to 8`);
  });

  it('undo through kubectl\'s JSON patch brings back the old ReplicaSet with a bumped revision', async () => {
    start();
    service.create(deployments, 'default', deploymentBody('web', 'nginx:1'));
    await run();
    setImage('nginx:2');
    await run();
    expect(rolledOut(get())).toBe(true);
    const first = rsList().find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1') as KubeObject;
    // What `kubectl rollout undo` sends (polymorphichelpers/rollback.go).
    const template = structuredClone((first.spec as { template: { metadata: { labels: Record<string, string>; creationTimestamp?: null } } }).template);
    delete template.metadata.labels['pod-template-hash'];
    template.metadata.creationTimestamp = null;
    const d = get();
    const skipped = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to'];
    const annotations: Record<string, string> = {};
    for (const k of skipped) if (d.metadata.annotations?.[k] !== undefined) annotations[k] = d.metadata.annotations[k];
    for (const [k, v] of Object.entries(first.metadata.annotations ?? {})) if (!skipped.includes(k)) annotations[k] = v;
    service.patch(deployments, 'default', 'web', 'json', [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ]);
    await run();
    expect(rolledOut(get())).toBe(true);
    expect(rsList()).toHaveLength(2);
    const restored = service.get(replicaSets, 'default', first.metadata.name ?? '');
    expect(restored.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(restored.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect((restored.spec as { replicas: number }).replicas).toBe(3);
    expect(get().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(activePods().map(imageOf)).toEqual(['nginx:1', 'nginx:1', 'nginx:1']);
  });

  it('scales 3 -> 10 -> 0', async () => {
    start();
    service.create(deployments, 'default', deploymentBody('web', 'nginx:1'));
    await run();
    patch({ spec: { replicas: 10 } });
    await run();
    expect(activePods()).toHaveLength(10);
    expect(rolledOut(get())).toBe(true);
    const [rs] = rsList();
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('10');
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']).toBe('13');
    patch({ spec: { replicas: 0 } });
    await run();
    expect(activePods()).toHaveLength(0);
    expect(get().status).toMatchObject({ observedGeneration: get().metadata.generation });
    expect((get().status as Record<string, unknown>).replicas).toBeUndefined();
    expect(rolledOut(get())).toBe(true);
    expect(events('ScalingReplicaSet').slice(1)).toEqual([`Scaled up replica set ${rs.metadata.name ?? ''} from 3 to 10`, `Scaled down replica set ${rs.metadata.name ?? ''} from 10 to 0`]);
  });

  it('Recreate: scales the old ReplicaSet to 0, waits for its pods to be gone, then creates the new one', async () => {
    // Pods bound to a node terminate gracefully: the kubelet finishes their deletion.
    start({ nodeName: 'node-1' });
    service.create(deployments, 'default', deploymentBody('web', 'nginx:1', { strategy: { type: 'Recreate' } }));
    await run();
    expect(rolledOut(get())).toBe(true);
    const mixed: string[] = [];
    disposers.push(
      service.store.observeWrites(() => {
        const all = service.list(pods, 'default').items;
        const images = new Set(all.map(imageOf));
        if (images.size > 1) mixed.push([...images].join(','));
      }),
    );
    setImage('nginx:2');
    await run();
    expect(mixed).toEqual([]);
    expect(rolledOut(get())).toBe(true);
    expect(activePods().map(imageOf)).toEqual(['nginx:2', 'nginx:2', 'nginx:2']);
  });

  it('keeps revisionHistoryLimit old ReplicaSets, deleting the oldest first', async () => {
    start();
    service.create(deployments, 'default', deploymentBody('web', 'v1', { revisionHistoryLimit: 2 }));
    await run();
    for (const image of ['v2', 'v3', 'v4', 'v5']) {
      setImage(image);
      await run();
      expect(rolledOut(get())).toBe(true);
    }
    const revisions = rsList()
      .map((rs) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision']))
      .sort();
    expect(revisions).toEqual([3, 4, 5]);
  });

  it('never double-creates when pod creation events are delayed', async () => {
    const source = new LaggingSource(service.store, (e) => e.resource === 'pods' && e.type === 'ADDED');
    disposers.push(() => source.stop());
    start({}, source);
    service.create(deployments, 'default', deploymentBody('web', 'nginx:1'));
    await run();
    expect(service.list(pods, 'default').items).toHaveLength(3);
    patch({ metadata: { labels: { nudge: '1' } } });
    await run();
    expect(service.list(pods, 'default').items).toHaveLength(3);
    source.release();
    await run();
    expect(service.list(pods, 'default').items).toHaveLength(3);
    expect(rolledOut(get())).toBe(true);
  });

  it('counts replicas available after minReadySeconds and reports a missed progress deadline', async () => {
    start({ ready: (p) => imageOf(p) !== 'broken' });
    service.create(deployments, 'default', deploymentBody('web', 'nginx:1', { minReadySeconds: 5, progressDeadlineSeconds: 30 }));
    await run();
    expect(rolledOut(get())).toBe(false);
    clock.advance(5_001);
    await run();
    expect(rolledOut(get())).toBe(true);
    setImage('broken');
    await run();
    const progressing = (): Record<string, string> | undefined =>
      ((get().status as { conditions: Array<Record<string, string>> }).conditions ?? []).find((c) => c.type === 'Progressing');
    expect(progressing()).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    clock.advance(29_000);
    await run();
    expect(progressing()?.reason).not.toBe('ProgressDeadlineExceeded');
    clock.advance(2_000);
    await run();
    expect(progressing()).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(() => rolledOut(get())).toThrow(/deadline/);
  });

  it('paused: no rollout, but scaling still applies; resuming rolls out', async () => {
    start();
    service.create(deployments, 'default', deploymentBody('web', 'nginx:1'));
    await run();
    patch({ spec: { paused: true } });
    setImage('nginx:2');
    await run();
    expect(rsList()).toHaveLength(1);
    const progressing = (get().status as { conditions: Array<Record<string, string>> }).conditions.find((c) => c.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused' });
    patch({ spec: { replicas: 5 } });
    await run();
    expect(activePods().map(imageOf)).toEqual(Array(5).fill('nginx:1'));
    patch({ spec: { paused: false } });
    await run();
    expect(rolledOut(get())).toBe(true);
    expect(activePods().map(imageOf)).toEqual(Array(5).fill('nginx:2'));
  });

  it('scales proportionally when replicas change mid-rollout', async () => {
    start({ ready: (p) => imageOf(p) === 'nginx:1' });
    service.create(deployments, 'default', deploymentBody('web', 'nginx:1', { replicas: 10 }));
    await run();
    setImage('nginx:2');
    await run();
    const sizes = (): Record<string, number> =>
      Object.fromEntries(rsList().map((rs) => [imageOf(rs), (rs.spec as { replicas: number }).replicas]));
    expect(sizes()).toEqual({ 'nginx:1': 8, 'nginx:2': 5 });
    patch({ spec: { replicas: 20 } });
    await run();
    // 13 -> 25 allowed (20 + 5 surge): 8 * 25/13 = 15.4 -> 15 (+7), 5 * 25/13 = 9.6 -> 10 (+5)
    expect(sizes()).toEqual({ 'nginx:1': 15, 'nginx:2': 10 });
  });
});
