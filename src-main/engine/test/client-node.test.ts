/** @kubernetes/client-node against a real engine: typed calls, an informer, and recovery from 410 Expired. */
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestEngine, type TestEngine } from './harness';

describe('@kubernetes/client-node', () => {
  let te: TestEngine;
  let kc: k8s.KubeConfig;

  beforeAll(async () => {
    te = await startTestEngine();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(te.kubeconfig);
  });
  afterAll(async () => {
    await te.stop();
  });

  it('creates, reads, patches and lists with the typed clients', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'typed' }, data: { a: '1' } } });
    const got = await core.readNamespacedConfigMap({ name: 'typed', namespace: 'default' });
    expect(got.data).toEqual({ a: '1' });
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'web' },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
      },
    });
    // typed patch calls default to JSON patch
    const patched = await apps.patchNamespacedDeployment({ name: 'web', namespace: 'default', body: [{ op: 'replace', path: '/spec/replicas', value: 3 }] });
    expect(patched.spec?.replicas).toBe(3);
    expect(patched.metadata?.generation).toBe(2);
    const list = await apps.listNamespacedDeployment({ namespace: 'default' });
    expect(list.items.map((d) => d.metadata?.name)).toContain('web');
    expect(list.items[0].spec?.strategy?.type).toBe('RollingUpdate');
  });

  it('runs an informer that sees ADDED, MODIFIED and DELETED and recovers from a forced 410', async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'inf' } } });
    const seen: string[] = [];
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/inf/configmaps', () => core.listNamespacedConfigMap({ namespace: 'inf' }));
    informer.on('add', (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update:${o.metadata?.name}`));
    informer.on('delete', (o) => seen.push(`delete:${o.metadata?.name}`));
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'a' }, data: { v: '1' } } });
      await eventually(() => seen.includes('add:a'));
      await core.patchNamespacedConfigMap({ name: 'a', namespace: 'inf', body: [{ op: 'replace', path: '/data/v', value: '2' }] });
      await eventually(() => seen.includes('update:a'));
      await core.deleteNamespacedConfigMap({ name: 'a', namespace: 'inf' });
      await eventually(() => seen.includes('delete:a'));

      // Force 410: end the watch cleanly, write while the informer is away, and compact the history so its
      // resume point is gone. It must get Expired, relist, and see the object written meanwhile.
      const svc = te.engine.service;
      const cmType = svc.typeOf('configmaps');
      if (!cmType) throw new Error('no configmaps type');
      const before = te.engine.store.resourceVersion;
      te.engine.server.endWatches();
      svc.create(cmType, 'inf', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'while-away' } });
      te.engine.store.compact(te.engine.store.resourceVersion);
      expect(te.engine.store.oldestResumableRV).toBeGreaterThan(before);
      await eventually(() => seen.includes('add:while-away'), 15_000);
      expect(informer.list().map((o) => o.metadata?.name)).toEqual(['while-away']);
      // and it keeps watching after the relist
      await core.createNamespacedConfigMap({ namespace: 'inf', body: { metadata: { name: 'after' } } });
      await eventually(() => seen.includes('add:after'));
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });
});
