import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { ALL_RESOURCE_TYPES } from '../registry';
import { asArray, asObject, getString } from '../registry/json-access';
import type { ResourceType } from '../registry/resource-type';
import { SqliteStore } from '../store/sqlite-store';
import { PodScheduler, unfitReason } from './scheduler';

function type(plural: string): ResourceType {
  const t = ALL_RESOURCE_TYPES.find((x) => x.plural === plural);
  if (!t) throw new Error(plural);
  return t;
}

const pod = (spec: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }], ...spec } });

describe('unfitReason', () => {
  it('checks the nodeSelector and the pod limit', () => {
    expect(unfitReason(pod(), 0, 1, {})).toBeUndefined();
    expect(unfitReason(pod(), 1, 1, {})).toBe('Too many pods');
    expect(unfitReason(pod({ nodeSelector: { disk: 'ssd' } }), 0, 1, { disk: 'hdd' })).toBe("node(s) didn't match Pod's node affinity/selector");
    expect(unfitReason(pod({ nodeSelector: { disk: 'ssd' } }), 0, 1, { disk: 'ssd' })).toBeUndefined();
  });
});

describe('PodScheduler', () => {
  let dir: string;
  let store: SqliteStore;
  let service: ObjectService;
  let scheduler: PodScheduler;
  const events: string[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sched-'));
    store = new SqliteStore(join(dir, 'db'));
    service = new ObjectService(store, ALL_RESOURCE_TYPES);
    service.create(type('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    service.create(type('nodes'), '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } } });
    events.length = 0;
    scheduler = new PodScheduler({ service, nodeName: 'n1', maxPods: 2, recorder: { record: (o, t, reason, message, component) => events.push(`${component} ${t} ${reason}: ${message}`) } });
    scheduler.start();
  });
  afterEach(async () => {
    scheduler.stop();
    service.owners.stop();
    store.close();
    // the checkpoint worker may still touch the database files: let it go before removing them
    await store.whenClosed();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  // store events are delivered after the commit's flush (a later tick)
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 5));
      await scheduler.idle();
    }
  };
  const create = (name: string, spec: Record<string, unknown> = {}): KubeObject => service.create(type('pods'), 'default', { ...pod(spec), metadata: { name } });
  const get = (name: string): KubeObject => service.get(type('pods'), 'default', name);
  const scheduled = (name: string): Record<string, unknown> | undefined =>
    (asArray(asObject(get(name).status)?.conditions) ?? []).map((c) => asObject(c) ?? {}).find((c) => c.type === 'PodScheduled');

  it('binds pending pods with PodScheduled True and a Scheduled event', async () => {
    create('a');
    await settle();
    expect(getString(get('a'), 'spec', 'nodeName')).toBe('n1');
    expect(scheduled('a')).toMatchObject({ status: 'True' });
    expect(events).toEqual(['default-scheduler Normal Scheduled: Successfully assigned default/a to n1']);
  });

  it('leaves pods of other schedulers and pods bound elsewhere alone', async () => {
    create('other', { schedulerName: 'my-scheduler' });
    create('elsewhere', { nodeName: 'n2' });
    await settle();
    expect(getString(get('other'), 'spec', 'nodeName')).toBe('');
    expect(getString(get('elsewhere'), 'spec', 'nodeName')).toBe('n2');
    expect(events).toEqual([]);
  });

  it('marks pods Unschedulable beyond the limit and binds them when a pod goes away or finishes', async () => {
    create('a');
    create('b');
    create('c');
    await settle();
    expect(getString(get('c'), 'spec', 'nodeName')).toBe('');
    expect(scheduled('c')).toMatchObject({ status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Too many pods.' });
    expect(events.filter((e) => e.includes('FailedScheduling'))).toEqual(['default-scheduler Warning FailedScheduling: 0/1 nodes are available: 1 Too many pods.']);
    const b = get('b');
    service.update(type('pods'), 'default', 'b', { ...b, status: { ...asObject(b.status), phase: 'Succeeded' } }, { subresource: 'status' });
    await settle();
    expect(getString(get('c'), 'spec', 'nodeName')).toBe('n1');
    expect(scheduled('c')).toMatchObject({ status: 'True' });
    create('d');
    await settle();
    expect(getString(get('d'), 'spec', 'nodeName')).toBe('');
    service.delete(type('pods'), 'default', 'a', { gracePeriodSeconds: 0 });
    await settle();
    expect(getString(get('d'), 'spec', 'nodeName')).toBe('n1');
  });

  it('waits for a node whose labels match the nodeSelector', async () => {
    create('picky', { nodeSelector: { disk: 'ssd' } });
    await settle();
    expect(scheduled('picky')?.message).toBe("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.");
    const node = service.get(type('nodes'), '', 'n1');
    service.update(type('nodes'), '', 'n1', { ...node, metadata: { ...node.metadata, labels: { ...node.metadata.labels, disk: 'ssd' } } });
    await settle();
    expect(getString(get('picky'), 'spec', 'nodeName')).toBe('n1');
  });
});
