/**
 * Restarts of either side on real Docker: a new kubelet adopts what runs (no duplicates) and removes the
 * containers of pods deleted meanwhile; two engines share one Docker without touching each other; Docker
 * going away (a proxy socket closed) makes the node NotReady, and when it is back every pod is resynced.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { asArray, asNumber, asObject, getString } from '../registry/json-access';
import { Kubelet } from './kubelet';
import { containerStatus, KubeletHarness, type } from './kubelet-test-harness';

function running(p: KubeObject, name = 'c'): boolean {
  return getString(containerStatus(p, name), 'state', 'running', 'startedAt') !== '';
}

function nodeReady(h: KubeletHarness): string {
  const node = h.service.tryGet(type('nodes'), '', 'skiff-test');
  const ready = (asArray(asObject(node?.status)?.conditions) ?? []).map((c) => asObject(c) ?? {}).find((c) => c.type === 'Ready');
  return getString(ready, 'status');
}

async function ids(h: KubeletHarness, uid: string | undefined): Promise<string[]> {
  return (await h.containers(uid)).map((c) => c.Id).sort();
}

describe('Kubelet adoption (Docker)', () => {
  const h = new KubeletHarness();

  beforeAll(async () => {
    await h.init();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('adopts running containers after a restart and removes those of pods deleted meanwhile', async () => {
    const first = await h.startKubelet();
    const keep = h.createPod('keep', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    const gone = h.createPod('gone', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    await h.waitPod('keep', (p) => running(p));
    await h.waitPod('gone', (p) => running(p));
    const keepIds = await ids(h, keep.metadata.uid);
    expect(keepIds).toHaveLength(2);
    await first.stop();

    h.service.delete(type('pods'), 'default', 'gone', { gracePeriodSeconds: 0 });
    h.createPod('newcomer', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    // nothing happens while no kubelet runs
    expect(await ids(h, gone.metadata.uid)).toHaveLength(2);

    await h.startKubelet();
    await h.waitPod('newcomer', (p) => running(p), 20_000, 'newcomer running');
    const start = Date.now();
    while ((await ids(h, gone.metadata.uid)).length > 0) {
      if (Date.now() - start > 10_000) throw new Error('orphans of a deleted pod are still there');
      await new Promise((r) => setTimeout(r, 100));
    }
    await h.kubelet?.idle();
    expect(await ids(h, keep.metadata.uid)).toEqual(keepIds);
    const p = h.pod('keep') as KubeObject;
    expect(asNumber(containerStatus(p, 'c')?.restartCount)).toBe(0);
    expect(running(p)).toBe(true);
  });
});

describe('Two engines on one Docker', () => {
  const a = new KubeletHarness();
  const b = new KubeletHarness();

  beforeAll(async () => {
    await a.init();
    await b.init();
  });
  afterAll(async () => {
    await a.cleanup();
    await b.cleanup();
  });

  it("never touch each other's containers", async () => {
    await a.startKubelet();
    const podA = a.createPod('same', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: a.image, command: ['sleep', '3600'] }] });
    await a.waitPod('same', (p) => running(p));
    const before = await ids(a, podA.metadata.uid);

    await b.startKubelet();
    const podB = b.createPod('same', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: b.image, command: ['sleep', '3600'] }] });
    await b.waitPod('same', (p) => running(p));
    expect(await ids(a, podA.metadata.uid)).toEqual(before);
    expect(await ids(b, podB.metadata.uid)).toHaveLength(2);

    b.service.delete(type('pods'), 'default', 'same');
    await b.waitGone('same');
    expect(await ids(b, podB.metadata.uid)).toEqual([]);
    expect(await ids(a, podA.metadata.uid)).toEqual(before);
    expect(running(a.pod('same') as KubeObject)).toBe(true);
  });
});

/** A unix socket in front of Docker's that can be taken away and brought back. */
class DockerProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly path: string,
    private readonly target = '/var/run/docker.sock',
  ) {}

  start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target);
      this.sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.path, resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('Docker going away and coming back', () => {
  const h = new KubeletHarness();
  const proxy = new DockerProxy(join(h.dir, 'docker.sock'));
  let kubelet: Kubelet | undefined;

  beforeAll(async () => {
    await h.init();
    await proxy.start();
  });
  afterAll(async () => {
    await kubelet?.stop();
    await proxy.stop();
    await h.cleanup();
  });

  it('turns the node NotReady and back, and resyncs pods when Docker answers again', async () => {
    kubelet = new Kubelet({
      service: h.service,
      docker: new Docker({ socketPath: proxy.path }),
      clusterId: h.clusterId,
      nodeName: 'skiff-test',
      stateDir: h.dir,
      heartbeatMs: 300,
      eventsReconnectMs: 200,
    });
    await kubelet.start();
    expect(nodeReady(h)).toBe('True');
    h.createPod('survivor', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    const id = await h.waitPod('survivor', (p) => running(p) && getString(containerStatus(p, 'c'), 'containerID').replace('docker://', ''));

    await proxy.stop();
    const down = Date.now();
    while (nodeReady(h) !== 'False') {
      if (Date.now() - down > 10_000) throw new Error('the node never went NotReady');
      await new Promise((r) => setTimeout(r, 50));
    }
    const node = h.service.get(type('nodes'), '', 'skiff-test');
    const ready = (asArray(asObject(node.status)?.conditions) ?? []).map((c) => asObject(c) ?? {}).find((c) => c.type === 'Ready');
    expect(ready?.reason).toBe('KubeletNotReady');
    expect(ready?.message).toBe('container runtime is down');
    // while the kubelet cannot see Docker, the container disappears
    await h.docker.getContainer(id).remove({ force: true });

    await proxy.start();
    const up = Date.now();
    while (nodeReady(h) !== 'True') {
      if (Date.now() - up > 10_000) throw new Error('the node never came back Ready');
      await new Promise((r) => setTimeout(r, 50));
    }
    const after = await h.waitPod('survivor', (p) => running(p) && asNumber(containerStatus(p, 'c')?.restartCount) === 1 && p, 15_000, 'the restart after Docker came back');
    expect(getString(containerStatus(after, 'c'), 'containerID')).not.toContain(id);
    const reasons = h.events('skiff-test').map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['NodeReady', 'NodeNotReady']));
  });
});
