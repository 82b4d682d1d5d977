import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { ALL_RESOURCE_TYPES } from '../registry';
import type { ResourceType } from '../registry/resource-type';
import { SqliteStore } from '../store/sqlite-store';
import { GarbageCollector } from './garbage-collector';
import { NamespaceController } from './namespace-controller';

function type(plural: string): ResourceType {
  const t = ALL_RESOURCE_TYPES.find((x) => x.plural === plural);
  if (!t) throw new Error(plural);
  return t;
}

const deployment = (name: string): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
});

const replicaSet = (name: string, owner: KubeObject): Record<string, unknown> => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
  },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
});

const pod = (name: string, owner: KubeObject): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner.metadata.name, uid: owner.metadata.uid, controller: true }] },
  spec: { containers: [{ name: 'c', image: 'x' }] },
});

describe('GarbageCollector and NamespaceController', () => {
  let dir: string;
  let service: ObjectService;
  let gc: GarbageCollector;
  let nsc: NamespaceController;

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      await gc.idle();
      await nsc.idle();
      await new Promise((r) => setImmediate(r));
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gc-'));
    const store = new SqliteStore(join(dir, 'db'));
    service = new ObjectService(store, ALL_RESOURCE_TYPES);
    service.create(type('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    gc = new GarbageCollector(service);
    nsc = new NamespaceController(service);
    gc.start();
    nsc.start();
  });
  afterEach(async () => {
    gc.stop();
    nsc.stop();
    service.owners.stop();
    service.store.close();
    await service.store.whenClosed();
    rmSync(dir, { recursive: true, force: true });
  });

  function chain(): { d: KubeObject; rs: KubeObject; p: KubeObject } {
    const d = service.create(type('deployments'), 'default', deployment('web'));
    const rs = service.create(type('replicasets'), 'default', replicaSet('web-1', d));
    const p = service.create(type('pods'), 'default', pod('web-1-a', rs));
    return { d, rs, p };
  }

  it('Background: deletes the owner at once and then its dependents, transitively', async () => {
    chain();
    const r = service.delete(type('deployments'), 'default', 'web', { propagationPolicy: 'Background' });
    expect(r.deleted).toBe(true);
    await settle();
    expect(service.tryGet(type('replicasets'), 'default', 'web-1')).toBeUndefined();
    expect(service.tryGet(type('pods'), 'default', 'web-1-a')).toBeUndefined();
  });

  it('Foreground: dependents go first, then the owner', async () => {
    chain();
    const r = service.delete(type('deployments'), 'default', 'web', { propagationPolicy: 'Foreground' });
    expect(r.deleted).toBe(false);
    expect(r.object.metadata.finalizers).toContain('foregroundDeletion');
    expect(r.object.metadata.deletionTimestamp).toBeTruthy();
    await settle();
    expect(service.tryGet(type('pods'), 'default', 'web-1-a')).toBeUndefined();
    expect(service.tryGet(type('replicasets'), 'default', 'web-1')).toBeUndefined();
    expect(service.tryGet(type('deployments'), 'default', 'web')).toBeUndefined();
  });

  it('Orphan: the owner goes and its dependents stay, without the reference', async () => {
    chain();
    service.delete(type('deployments'), 'default', 'web', { propagationPolicy: 'Orphan' });
    await settle();
    expect(service.tryGet(type('deployments'), 'default', 'web')).toBeUndefined();
    const rs = service.tryGet(type('replicasets'), 'default', 'web-1');
    expect(rs).toBeDefined();
    expect(rs?.metadata.ownerReferences).toBeUndefined();
    expect(service.tryGet(type('pods'), 'default', 'web-1-a')).toBeDefined();
  });

  it('keeps a dependent that still has another live owner, dropping only the dead reference', async () => {
    const { d, rs } = chain();
    const other = service.create(type('deployments'), 'default', deployment('other'));
    const p = service.get(type('pods'), 'default', 'web-1-a');
    service.update(type('pods'), 'default', 'web-1-a', {
      ...p,
      metadata: { ...p.metadata, ownerReferences: [...(p.metadata.ownerReferences ?? []), { apiVersion: 'apps/v1', kind: 'Deployment', name: 'other', uid: other.metadata.uid ?? '' }] },
    });
    expect(d.metadata.uid).toBeTruthy();
    service.delete(type('replicasets'), 'default', rs.metadata.name ?? '');
    await settle();
    const left = service.tryGet(type('pods'), 'default', 'web-1-a');
    expect(left?.metadata.ownerReferences?.map((r) => r.name)).toEqual(['other']);
  });

  it('deletes a namespace with everything in it', async () => {
    service.create(type('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } });
    service.create(type('configmaps'), 'tmp', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    service.create(type('secrets'), 'tmp', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    const r = service.delete(type('namespaces'), '', 'tmp');
    expect(r.deleted).toBe(false);
    expect((r.object.status as { phase: string }).phase).toBe('Terminating');
    expect(() => service.create(type('configmaps'), 'tmp', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } })).toThrow(/being terminated/);
    await settle();
    expect(service.tryGet(type('configmaps'), 'tmp', 'a')).toBeUndefined();
    expect(service.tryGet(type('namespaces'), '', 'tmp')).toBeUndefined();
  });
});
