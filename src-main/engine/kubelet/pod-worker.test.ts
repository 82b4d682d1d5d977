/** One PodWorker on real Docker without the rest of the kubelet (volumes stubbed): sync, status, destroy. */
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../controllers/work-queue';
import type { KubeObject } from '../object';
import { getString } from '../registry/json-access';
import { ImagePuller } from './image-puller';
import { containerStatus, KubeletHarness, type } from './kubelet-test-harness';
import { PodRuntime } from './pod-runtime';
import { PodWorker } from './pod-worker';
import { containerFieldPath, gracePeriodSeconds, podRef, type PodWorkerContext } from './pod-worker-context';
import { defaultRunner } from './probe-worker';
import { RestartBackoff } from './restart-backoff';
import { ensureSandboxImage } from './sandbox-image';

describe('pod worker helpers', () => {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'c' }] } };
  it('formats pods and field paths as the kubelet does', () => {
    expect(podRef(pod)).toBe('p_ns(u)');
    expect(containerFieldPath(pod, 'i')).toBe('spec.initContainers{i}');
    expect(containerFieldPath(pod, 'c')).toBe('spec.containers{c}');
    expect(gracePeriodSeconds(pod)).toBe(30);
    expect(gracePeriodSeconds({ ...pod, spec: { terminationGracePeriodSeconds: 0 } })).toBe(0);
  });
});

describe('PodWorker (Docker)', () => {
  const h = new KubeletHarness();
  const docker = new Docker();
  const events: string[] = [];
  const requeued: number[] = [];
  let stopping = false;
  let ctx: PodWorkerContext;

  beforeAll(async () => {
    await h.init();
    const runtime = new PodRuntime(docker, h.clusterId);
    const t = (p: string) => type(p);
    ctx = {
      service: h.service,
      types: { pods: t('pods'), configMaps: t('configmaps'), secrets: t('secrets'), services: t('services') },
      runtime,
      images: new ImagePuller({ docker }),
      volumes: { prepare: () => Promise.resolve(), mountsFor: () => [], cleanup: () => Promise.resolve() },
      recorder: { record: (_o, _t, reason, message) => events.push(`${reason}: ${message}`) },
      nodeName: 'n1',
      backoff: new RestartBackoff({ baseMs: 500 }),
      clusterId: h.clusterId,
      sandboxImage: await ensureSandboxImage(docker),
      hostIP: () => '192.0.2.1',
      allocatable: () => ({ cpu: 2, memory: 2 ** 30 }),
      clock: realClock,
      hookRunner: defaultRunner(docker),
      requeue: (_uid, ms) => requeued.push(ms),
      stopped: () => stopping,
    };
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('runs a pod in one sync, reports it, asks for a back-off wake-up after a crash, and destroys it', async () => {
    const pod = h.createPod('solo', { nodeName: 'n1', containers: [{ name: 'c', image: h.image, command: ['sh', '-c', 'sleep 0.3; exit 1'] }] });
    const uid = pod.metadata.uid ?? '';
    const worker = new PodWorker(uid, pod, ctx);
    await worker.sync(pod);
    let stored = h.pod('solo') as KubeObject;
    expect(getString(stored, 'status', 'phase')).toBe('Running');
    expect(getString(stored, 'status', 'hostIP')).toBe('192.0.2.1');
    expect(getString(containerStatus(stored, 'c'), 'state', 'running', 'startedAt')).not.toBe('');
    expect(events).toEqual(expect.arrayContaining(['Created: Created container c', 'Started: Started container c']));
    await docker.getContainer(getString(containerStatus(stored, 'c'), 'containerID').replace('docker://', '')).wait();
    await worker.sync(h.pod('solo') as KubeObject); // first restart: at once
    await docker.getContainer(getString(containerStatus(h.pod('solo') as KubeObject, 'c'), 'containerID').replace('docker://', '')).wait();
    await worker.sync(h.pod('solo') as KubeObject); // second: back-off
    stored = h.pod('solo') as KubeObject;
    expect(getString(containerStatus(stored, 'c'), 'state', 'waiting', 'reason')).toBe('CrashLoopBackOff');
    expect(requeued.some((ms) => ms > 0 && ms <= 500)).toBe(true);
    await worker.destroy();
    expect(await h.containers(uid)).toEqual([]);
  });

  it('creates nothing once the kubelet stops during a kill: a container restarted after the stop would outlive its engine', async () => {
    // A container that ignores SIGTERM: replacing it (its definition changed) takes the pod's 2 s grace period.
    const pod = h.createPod('slow-kill', { nodeName: 'n1', terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: h.image, command: ['sh', '-c', 'trap "" TERM; while true; do sleep 0.2; done'] }] });
    const uid = pod.metadata.uid ?? '';
    const worker = new PodWorker(uid, pod, ctx);
    await worker.sync(pod);
    const [first] = await h.containers(uid).then((cs) => cs.filter((c) => c.Labels['dev.skiff.role'] === 'app'));
    expect(first?.State).toBe('running');
    const changed = { ...pod, spec: { ...(pod.spec as object), containers: [{ name: 'c', image: h.image, command: ['sh', '-c', 'sleep 3600'] }] } } as KubeObject;
    const sync = worker.sync(changed);
    await new Promise((r) => setTimeout(r, 300));
    stopping = true; // the kubelet stops while the kill waits out its grace period
    try {
      await sync;
      const apps = (await h.containers(uid)).filter((c) => c.Labels['dev.skiff.role'] === 'app');
      expect(apps.map((c) => c.Id)).toEqual([first.Id]);
      expect(apps[0].State).toBe('exited');
    } finally {
      stopping = false;
      await worker.destroy();
    }
  });

  it('terminates a deleted pod and deletes it for good', async () => {
    const pod = h.createPod('bye', { nodeName: 'n1', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    const worker = new PodWorker(pod.metadata.uid ?? '', pod, ctx);
    await worker.sync(pod);
    h.service.delete(type('pods'), 'default', 'bye');
    await worker.sync(h.pod('bye') as KubeObject);
    await worker.settled();
    expect(h.pod('bye')).toBeUndefined();
    expect(await h.containers(pod.metadata.uid)).toEqual([]);
  });
});
