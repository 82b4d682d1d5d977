/** Bad input on real Docker: missing images, missing ConfigMaps and keys, a bad command, a full node. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getString } from '../registry/json-access';
import { condition, containerStatus, KubeletHarness, type, waitingReason } from './kubelet-test-harness';

describe('Kubelet errors (Docker)', () => {
  const h = new KubeletHarness();

  beforeAll(async () => {
    await h.init();
    await h.startKubelet({ crashBackoffBaseMs: 1000, maxPods: 6 });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it.concurrent('reports ErrImageNeverPull for a missing image with pull policy Never', async () => {
    h.createPod('never', { containers: [{ name: 'c', image: 'skiff-test/absent:1', imagePullPolicy: 'Never' }] });
    const p = await h.waitPod('never', (x) => waitingReason(x, 'c') === 'ErrImageNeverPull' && x, 20_000, 'ErrImageNeverPull');
    expect(getString(containerStatus(p, 'c'), 'state', 'waiting', 'message')).toBe('Container image "skiff-test/absent:1" is not present with pull policy of Never');
    expect(getString(p, 'status', 'phase')).toBe('Pending');
    expect(h.events('never').some((e) => e.reason === 'ErrImageNeverPull')).toBe(true);
  });

  it.concurrent('reports ErrImagePull, then ImagePullBackOff, for an image no registry serves', async () => {
    const seen = h.watchReasons('unpullable', 'c');
    let pullError = '';
    const stop = h.store.subscribe((e) => {
      if (e.resource === 'pods' && e.name === 'unpullable' && waitingReason(e.object, 'c') === 'ErrImagePull') pullError = getString(containerStatus(e.object, 'c'), 'state', 'waiting', 'message');
    });
    h.createPod('unpullable', { containers: [{ name: 'c', image: '127.0.0.1:5999/skiff/nothing:1' }] });
    await h.waitPod('unpullable', (x) => waitingReason(x, 'c') === 'ImagePullBackOff', 20_000, 'ImagePullBackOff');
    // after the back-off, the next pull fails again: ErrImagePull once more
    await h.waitPod('unpullable', () => seen.reasons.filter((r) => r === 'ErrImagePull').length >= 2, 20_000, 'a second pull');
    seen.stop();
    stop();
    expect(seen.reasons.slice(0, 4)).toEqual(['ContainerCreating', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull']);
    expect(pullError).toMatch(/127\.0\.0\.1:5999/);
    const reasons = h.events('unpullable').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['Pulling', 'Failed', 'BackOff']));
    const pulling = h.events('unpullable').find((e) => e.reason === 'Pulling');
    expect(pulling?.message).toBe('Pulling image "127.0.0.1:5999/skiff/nothing:1"');
  });

  it.concurrent('waits with CreateContainerConfigError for a missing ConfigMap and starts once it exists', async () => {
    h.createPod('needs-config', {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'c',
          image: h.image,
          command: ['sh', '-c', 'test "$GREETING" = "hello world" && test "$POD" = needs-config && test "$FROM_ENV_greeting" = "hello world"'],
          env: [
            { name: 'WHO', value: 'world' },
            { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'settings', key: 'greeting' } } },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          ],
          envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'FROM_ENV_' }],
        },
      ],
    });
    const p = await h.waitPod('needs-config', (x) => waitingReason(x, 'c') === 'CreateContainerConfigError' && x, 20_000, 'CreateContainerConfigError');
    expect(getString(containerStatus(p, 'c'), 'state', 'waiting', 'message')).toBe('configmap "settings" not found');
    expect(h.events('needs-config').some((e) => e.reason === 'Failed' && e.message === 'Error: configmap "settings" not found')).toBe(true);
    h.service.create(type('configmaps'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { greeting: 'hello world' } });
    const done = await h.waitPod('needs-config', (x) => ['Succeeded', 'Failed'].includes(getString(x, 'status', 'phase')) && x, 20_000, 'completion');
    expect(getString(done, 'status', 'phase')).toBe('Succeeded');
  });

  it.concurrent("reports a missing key of a ConfigMap with the kubelet's message", async () => {
    h.service.create(type('configmaps'), 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'partial' }, data: { a: '1' } });
    h.createPod('missing-key', {
      containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'], env: [{ name: 'B', valueFrom: { configMapKeyRef: { name: 'partial', key: 'b' } } }] }],
    });
    const p = await h.waitPod('missing-key', (x) => waitingReason(x, 'c') === 'CreateContainerConfigError' && x, 20_000, 'CreateContainerConfigError');
    expect(getString(containerStatus(p, 'c'), 'state', 'waiting', 'message')).toBe("couldn't find key b in ConfigMap default/partial");
  });

  it.concurrent('reports a command that cannot run as StartError and backs off', async () => {
    h.createPod('badcmd', { containers: [{ name: 'c', image: h.image, command: ['/no/such/program'] }] });
    const p = await h.waitPod('badcmd', (x) => (['CrashLoopBackOff', 'RunContainerError'].includes(waitingReason(x, 'c')) && getString(containerStatus(x, 'c'), 'lastState', 'terminated', 'reason') ? x : undefined), 20_000, 'a failed start');
    expect(getString(containerStatus(p, 'c'), 'lastState', 'terminated', 'reason')).toBe('StartError');
    expect(getString(containerStatus(p, 'c'), 'lastState', 'terminated', 'message')).toMatch(/no such file or directory|not found/);
    await h.waitPod('badcmd', (x) => waitingReason(x, 'c') === 'CrashLoopBackOff', 20_000, 'CrashLoopBackOff');
  });
});

describe('Kubelet scheduling limit (Docker)', () => {
  const h = new KubeletHarness();

  beforeAll(async () => {
    await h.init();
    await h.startKubelet({ maxPods: 1 });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('keeps a pod Pending as Unschedulable while the node is full, and binds it when room is made', async () => {
    h.createPod('first', { terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    await h.waitPod('first', (p) => getString(p, 'spec', 'nodeName'));
    h.createPod('second', { containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    const p = await h.waitPod('second', (x) => condition(x, 'PodScheduled')?.reason === 'Unschedulable' && x, 10_000, 'Unschedulable');
    expect(condition(p, 'PodScheduled')?.status).toBe('False');
    expect(condition(p, 'PodScheduled')?.message).toBe('0/1 nodes are available: 1 Too many pods.');
    expect(getString(p, 'spec', 'nodeName')).toBe('');
    const failed = h.events('second').find((e) => e.reason === 'FailedScheduling');
    expect(failed?.message).toBe('0/1 nodes are available: 1 Too many pods.');
    h.service.delete(type('pods'), 'default', 'first', { gracePeriodSeconds: 0 });
    const bound = await h.waitPod('second', (x) => (getString(x, 'spec', 'nodeName') ? x : undefined), 10_000, 'binding');
    expect(condition(bound, 'PodScheduled')?.status).toBe('True');
    expect(h.events('second').some((e) => e.reason === 'Scheduled' && e.message === 'Successfully assigned default/second to skiff-test')).toBe(true);
  });
});
