/** Pod deletion on real Docker: SIGTERM honoured, SIGKILL after the grace period, force deletion. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { asObject, getString } from '../registry/json-access';
import { containerStatus, KubeletHarness, type } from './kubelet-test-harness';

/** The last status the pod had before it was deleted (the kubelet writes the terminated states first). */
function lastStatusBeforeDelete(h: KubeletHarness, name: string): { last: () => KubeObject | undefined; stop: () => void } {
  let last: KubeObject | undefined;
  const stop = h.store.subscribe((e) => {
    if (e.resource === 'pods' && e.name === name && e.type === 'MODIFIED') last = e.object;
  });
  return { last: () => last, stop };
}

function terminated(p: KubeObject | undefined, name = 'c'): { exitCode?: unknown; reason?: unknown } | undefined {
  return p ? asObject(asObject(containerStatus(p, name)?.state)?.terminated) : undefined;
}

describe('Kubelet termination (Docker)', () => {
  const h = new KubeletHarness();

  beforeAll(async () => {
    await h.init();
    await h.startKubelet();
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it.concurrent('sends SIGTERM and deletes the pod once its container exits', async () => {
    const pod = h.createPod('graceful', {
      terminationGracePeriodSeconds: 20,
      containers: [{ name: 'c', image: h.image, command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.1; done"] }],
    });
    await h.waitPod('graceful', (p) => getString(containerStatus(p, 'c'), 'state', 'running', 'startedAt'), 20_000, 'running');
    const watch = lastStatusBeforeDelete(h, 'graceful');
    const started = Date.now();
    const res = h.service.delete(type('pods'), 'default', 'graceful');
    expect(res.deleted).toBe(false);
    await h.waitGone('graceful', 15_000);
    watch.stop();
    expect(Date.now() - started).toBeLessThan(8000);
    const t = terminated(watch.last());
    expect(t?.exitCode).toBe(0);
    expect(t?.reason).toBe('Completed');
    expect(getString(watch.last(), 'status', 'phase')).toBe('Succeeded');
    expect(await h.containers(pod.metadata.uid)).toEqual([]);
    expect(h.events('graceful').some((e) => e.reason === 'Killing' && e.message === 'Stopping container c')).toBe(true);
  });

  it.concurrent('kills a container that ignores SIGTERM after the grace period', async () => {
    const pod = h.createPod('stubborn', { terminationGracePeriodSeconds: 2, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    await h.waitPod('stubborn', (p) => getString(containerStatus(p, 'c'), 'state', 'running', 'startedAt'), 20_000, 'running');
    const watch = lastStatusBeforeDelete(h, 'stubborn');
    const started = Date.now();
    h.service.delete(type('pods'), 'default', 'stubborn');
    await h.waitGone('stubborn', 15_000);
    watch.stop();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1900);
    expect(took).toBeLessThan(8000);
    expect(terminated(watch.last())?.exitCode).toBe(137);
    expect(getString(watch.last(), 'status', 'phase')).toBe('Failed');
    expect(await h.containers(pod.metadata.uid)).toEqual([]);
  });

  it.concurrent('removes the containers of a force-deleted pod at once', async () => {
    const pod = h.createPod('forced', { terminationGracePeriodSeconds: 30, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    await h.waitPod('forced', (p) => getString(containerStatus(p, 'c'), 'state', 'running', 'startedAt'), 20_000, 'running');
    const started = Date.now();
    const res = h.service.delete(type('pods'), 'default', 'forced', { gracePeriodSeconds: 0 });
    expect(res.deleted).toBe(true);
    for (;;) {
      if ((await h.containers(pod.metadata.uid)).length === 0) break;
      if (Date.now() - started > 10_000) throw new Error('containers of a force-deleted pod are still there');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.concurrent('shortens the wait when the grace period is shortened by a second delete', async () => {
    h.createPod('shortened', { terminationGracePeriodSeconds: 60, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    await h.waitPod('shortened', (p) => getString(containerStatus(p, 'c'), 'state', 'running', 'startedAt'), 20_000, 'running');
    const started = Date.now();
    h.service.delete(type('pods'), 'default', 'shortened');
    await new Promise((r) => setTimeout(r, 300));
    h.service.delete(type('pods'), 'default', 'shortened', { gracePeriodSeconds: 1 });
    await h.waitGone('shortened', 15_000);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it.concurrent('runs the preStop hook before the stop signal, and reports a failing one', async () => {
    h.createPod('prestop', {
      terminationGracePeriodSeconds: 10,
      containers: [
        { name: 'c', image: h.image, command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.1; done"], lifecycle: { preStop: { sleep: { seconds: 1 } } } },
        { name: 'd', image: h.image, command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.1; done"], lifecycle: { preStop: { exec: { command: ['sh', '-c', 'exit 3'] } } } },
      ],
    });
    await h.waitPod('prestop', (p) => getString(containerStatus(p, 'c'), 'state', 'running', 'startedAt') && getString(containerStatus(p, 'd'), 'state', 'running', 'startedAt'), 20_000, 'running');
    const started = Date.now();
    h.service.delete(type('pods'), 'default', 'prestop');
    await h.waitGone('prestop', 15_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const failed = h.events('prestop').find((e) => e.reason === 'FailedPreStopHook');
    expect(failed?.message).toMatch(/^Exec lifecycle hook \(\[sh -c exit 3\]\) for Container "d" in Pod "prestop_default\(.*\)" failed - error: /);
  });

  it.concurrent('runs postStart hooks and restarts a container whose postStart hook fails', async () => {
    h.createPod('poststart', {
      terminationGracePeriodSeconds: 1,
      containers: [
        { name: 'ok', image: h.image, command: ['sleep', '3600'], lifecycle: { postStart: { exec: { command: ['touch', '/tmp/started'] } } }, readinessProbe: { exec: { command: ['test', '-f', '/tmp/started'] }, periodSeconds: 1 } },
        { name: 'bad', image: h.image, command: ['sleep', '3600'], lifecycle: { postStart: { exec: { command: ['false'] } } } },
      ],
    });
    await h.waitPod('poststart', (p) => containerStatus(p, 'ok')?.ready === true, 20_000, 'ok ready');
    await h.waitPod('poststart', (p) => Number(containerStatus(p, 'bad')?.restartCount) >= 1, 20_000, 'bad restarted');
    expect(h.events('poststart').some((e) => e.reason === 'FailedPostStartHook')).toBe(true);
  });

  it.concurrent('fails a pod that outlives activeDeadlineSeconds', async () => {
    h.createPod('deadline', { activeDeadlineSeconds: 2, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    const p = await h.waitPod('deadline', (x) => getString(x, 'status', 'phase') === 'Failed' && x, 20_000, 'Failed');
    expect(getString(p, 'status', 'reason')).toBe('DeadlineExceeded');
    expect(getString(p, 'status', 'message')).toBe('Pod was active on the node longer than the specified deadline');
    expect(terminated(p)?.exitCode).toBe(137);
  });
});

describe('Kubelet termination waits for the drain (Docker)', () => {
  const h = new KubeletHarness();
  const drains: Array<{ ip: string; at: number; done?: number }> = [];

  beforeAll(async () => {
    await h.init();
    // what the load balancer's kernel path does: resolve once no rule forwards to the pod (here: 1.5 s later)
    await h.startKubelet({
      drain: async (ip) => {
        const d: { ip: string; at: number; done?: number } = { ip, at: Date.now() };
        drains.push(d);
        await new Promise((r) => setTimeout(r, 1500));
        d.done = Date.now();
      },
    });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it('sends SIGTERM only after the drain for the pod IP resolved', async () => {
    h.createPod('drained', {
      terminationGracePeriodSeconds: 20,
      containers: [{ name: 'c', image: h.image, command: ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 0.1; done"] }],
    });
    const ip = await h.waitPod('drained', (p) => getString(containerStatus(p, 'c'), 'state', 'running', 'startedAt') && getString(p, 'status', 'podIP'), 20_000, 'running with an IP');
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const watch = lastStatusBeforeDelete(h, 'drained');
    h.service.delete(type('pods'), 'default', 'drained');
    await h.waitGone('drained', 15_000);
    watch.stop();
    expect(drains.map((d) => d.ip)).toEqual([ip]);
    const finishedAt = Date.parse(String(asObject(asObject(containerStatus(watch.last() as KubeObject, 'c')?.state)?.terminated)?.finishedAt ?? ''));
    expect(terminated(watch.last())?.exitCode).toBe(0);
    // the container stopped after the drain was over: finishedAt has whole seconds, so compare with the second
    // the drain ended in (a kill without waiting would be ≥ 1.5 s earlier, in an earlier second)
    expect(finishedAt).toBeGreaterThanOrEqual(Math.floor((drains[0].done ?? Infinity) / 1000) * 1000);
  });
});
