import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectService, type WriteOptions } from '../api/object-service';
import type { KubeObject } from '../object';
import { ALL_RESOURCE_TYPES } from '../registry';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import { ReplicaSetController } from './replicaset-controller';
import { closeTestService, FakeClock, FakeKubelet, LaggingSource, newTestService, settle, typeOf } from './test-harness';

const rsBody = (name: string, replicas: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    ...extra,
  },
});

describe('ReplicaSetController', () => {
  let service: ObjectService;
  let clock: FakeClock;
  let controller: ReplicaSetController;
  let kubelet: FakeKubelet | undefined;
  let pods: ResourceType;
  let replicaSets: ResourceType;

  const owned = (rs: string): KubeObject[] =>
    service.list(pods, 'default').items.filter((p) => p.metadata.ownerReferences?.some((r) => r.name === rs && r.controller) && !p.metadata.deletionTimestamp);
  const status = (rs: string): Record<string, unknown> => service.get(replicaSets, 'default', rs).status as Record<string, unknown>;
  const run = (): Promise<void> => settle([controller, ...(kubelet ? [kubelet] : [])]);

  beforeEach(() => {
    service = newTestService();
    clock = new FakeClock();
    pods = typeOf(service, 'pods');
    replicaSets = typeOf(service, 'replicasets.apps');
  });
  afterEach(() => {
    controller.stop();
    kubelet?.stop();
    kubelet = undefined;
    closeTestService(service);
  });

  function startController(opts: ConstructorParameters<typeof ReplicaSetController>[1] = {}, svc: ObjectService = service): void {
    controller = new ReplicaSetController(svc, { clock, ...opts });
    controller.start();
  }

  it('creates pods from the template with a controller reference, and reports status', async () => {
    kubelet = new FakeKubelet(service, { clock });
    startController();
    const rs = service.create(replicaSets, 'default', rsBody('web', 3));
    await run();
    const mine = owned('web');
    expect(mine).toHaveLength(3);
    for (const p of mine) {
      expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'web' });
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect((p.spec as { containers: Array<{ image: string }> }).containers[0].image).toBe('nginx');
    }
    expect(status('web')).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
    const events = service.list(typeOf(service, 'events'), 'default').items.filter((e) => e.reason === 'SuccessfulCreate');
    expect(events).toHaveLength(3);
    expect(events[0].source).toEqual({ component: 'replicaset-controller' });
  });

  it('scales down deleting not-ready pods before ready ones', async () => {
    const readyNames = new Set<string>();
    let n = 0;
    kubelet = new FakeKubelet(service, {
      clock,
      ready: (p) => {
        // every other pod becomes ready
        const ready = n++ % 2 === 0;
        if (ready) readyNames.add(p.metadata.name ?? '');
        return ready;
      },
    });
    startController();
    service.create(replicaSets, 'default', rsBody('web', 4));
    await run();
    expect(owned('web')).toHaveLength(4);
    const cur = service.get(replicaSets, 'default', 'web');
    service.update(replicaSets, 'default', 'web', { ...cur, spec: { ...(cur.spec as object), replicas: 2 } });
    await run();
    const left = owned('web').map((p) => p.metadata.name ?? '');
    expect(left).toHaveLength(2);
    expect(left.every((name) => readyNames.has(name))).toBe(true);
    expect(status('web')).toMatchObject({ replicas: 2, readyReplicas: 2, observedGeneration: 2 });
  });

  it('adopts matching orphans and releases pods that stop matching', async () => {
    service.create(pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    startController();
    const rs = service.create(replicaSets, 'default', rsBody('web', 2));
    await run();
    const orphan = service.get(pods, 'default', 'orphan');
    expect(orphan.metadata.ownerReferences?.[0]).toMatchObject({ uid: rs.metadata.uid, controller: true });
    expect(owned('web')).toHaveLength(2);
    // relabel: released, and replaced
    service.update(pods, 'default', 'orphan', { ...orphan, metadata: { ...orphan.metadata, labels: { app: 'other' } } });
    await run();
    expect(service.get(pods, 'default', 'orphan').metadata.ownerReferences).toBeUndefined();
    expect(owned('web')).toHaveLength(2);
  });

  it('never double-creates while pod creation events are delayed (expectations)', async () => {
    const source = new LaggingSource(service.store, (e) => e.resource === 'pods');
    startController({ source });
    service.create(replicaSets, 'default', rsBody('web', 3));
    await run();
    expect(service.list(pods, 'default').items).toHaveLength(3);
    expect(controller.expectations.pending('default/web').adds).toBe(3);
    // More reasons to sync arrive while the watch is still behind: no more pods.
    for (let i = 0; i < 3; i++) {
      const cur = service.get(replicaSets, 'default', 'web');
      service.update(replicaSets, 'default', 'web', { ...cur, metadata: { ...cur.metadata, labels: { touch: String(i) } } });
      await run();
    }
    expect(service.list(pods, 'default').items).toHaveLength(3);
    source.release();
    await run();
    expect(service.list(pods, 'default').items).toHaveLength(3);
    expect(controller.expectations.satisfied('default/web')).toBe(true);
    source.stop();
  });

  it('counts pods available only after minReadySeconds and requeues for that moment', async () => {
    kubelet = new FakeKubelet(service, { clock });
    startController();
    service.create(replicaSets, 'default', rsBody('web', 2, { minReadySeconds: 10 }));
    await run();
    expect(status('web')).toMatchObject({ replicas: 2, readyReplicas: 2 });
    expect(status('web').availableReplicas).toBeUndefined();
    clock.advance(5_000);
    await run();
    expect(status('web').availableReplicas).toBeUndefined();
    clock.advance(5_001);
    await run();
    expect(status('web').availableReplicas).toBe(2);
  });

  it('replaces failed pods and does not count terminating ones', async () => {
    kubelet = new FakeKubelet(service, { clock, nodeName: 'node' });
    startController();
    service.create(replicaSets, 'default', rsBody('web', 2));
    await run();
    const [first] = owned('web');
    const cur = service.get(pods, 'default', first.metadata.name ?? '');
    service.update(pods, 'default', first.metadata.name ?? '', { ...cur, status: { ...(cur.status as object), phase: 'Failed' } }, { subresource: 'status' });
    await run();
    const active = service.list(pods, 'default').items.filter((p) => (p.status as { phase?: string }).phase !== 'Failed');
    expect(active).toHaveLength(2);
    expect(status('web').replicas).toBe(2);
  });

  it('reports ReplicaFailure when pods cannot be created, and clears it once they can', async () => {
    class FlakyService extends ObjectService {
      failPods = true;
      override create(type: ResourceType, namespace: string, body: unknown, opts?: WriteOptions): KubeObject {
        if (type.plural === 'pods' && this.failPods) throw new StatusError(403, 'Forbidden', 'pods "web-" is forbidden: exceeded quota');
        return super.create(type, namespace, body, opts);
      }
    }
    const flaky = new FlakyService(service.store, ALL_RESOURCE_TYPES);
    startController({ queue: { baseDelayMs: 1, maxDelayMs: 5 } }, flaky);
    service.create(replicaSets, 'default', rsBody('web', 1));
    await run();
    const cond = (status('web').conditions as Array<Record<string, string>>)[0];
    expect(cond).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'pods "web-" is forbidden: exceeded quota' });
    expect(service.list(typeOf(service, 'events'), 'default').items.some((e) => e.reason === 'FailedCreate')).toBe(true);
    flaky.failPods = false;
    clock.advance(10);
    await run();
    expect(status('web').conditions).toBeUndefined();
    expect(owned('web')).toHaveLength(1);
    flaky.owners.stop();
  });
});
