/** Restarts on real Docker: docker rm -f, CrashLoopBackOff timing, liveness, readiness, a dead sandbox. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { asNumber, getString } from '../registry/json-access';
import { condition, containerStatus, KubeletHarness, waitingReason } from './kubelet-test-harness';

function restarts(p: KubeObject, name = 'c'): number {
  return asNumber(containerStatus(p, name)?.restartCount) ?? 0;
}

function running(p: KubeObject, name = 'c'): boolean {
  return getString(containerStatus(p, name), 'state', 'running', 'startedAt') !== '';
}

describe('Kubelet restarts (Docker)', () => {
  const h = new KubeletHarness();

  beforeAll(async () => {
    await h.init();
    await h.startKubelet({ crashBackoffBaseMs: 1000 });
  });
  afterAll(async () => {
    await h.cleanup();
  });

  it.concurrent('replaces a container removed with docker rm -f, restartCount+1', async () => {
    const pod = h.createPod('removed', { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'] }] });
    const first = await h.waitPod('removed', (p) => running(p) && getString(containerStatus(p, 'c'), 'containerID'), 20_000, 'running');
    await h.docker.getContainer(first.replace('docker://', '')).remove({ force: true });
    const after = await h.waitPod('removed', (p) => restarts(p) === 1 && running(p) && p, 20_000, 'restart');
    expect(getString(containerStatus(after, 'c'), 'containerID')).not.toBe(first);
    const apps = (await h.containers(pod.metadata.uid)).filter((c) => c.Labels['dev.skiff.role'] === 'app');
    expect(apps.map((c) => c.Labels['dev.skiff.restart-count'])).toEqual(['1']);
  });

  it.concurrent('backs off a crashing container: CrashLoopBackOff with doubling delays', async () => {
    // a far activeDeadlineSeconds wake-up must not swallow the short back-off ones
    const pod = h.createPod('crash', { activeDeadlineSeconds: 3600, containers: [{ name: 'c', image: h.image, command: ['sh', '-c', 'exit 2'] }] });
    const seen = new Map<number, number>();
    /** the back-off windows the kubelet reported while the container had restarted n times */
    const windows = new Map<number, Set<string>>();
    let backoffMessage = '';
    const start = Date.now();
    while (Date.now() - start < 40_000 && !seen.has(4)) {
      const p = h.pod('crash');
      if (p) {
        const n = restarts(p);
        if (!seen.has(n) && getString(containerStatus(p, 'c'), 'containerID')) seen.set(n, Date.now());
        if (waitingReason(p, 'c') === 'CrashLoopBackOff') {
          backoffMessage = getString(containerStatus(p, 'c'), 'state', 'waiting', 'message');
          const w = /^back-off (\S+) /.exec(backoffMessage)?.[1] ?? backoffMessage;
          windows.set(n, new Set([...(windows.get(n) ?? []), w]));
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen.has(4)).toBe(true);
    // base 1 s: the first restart is immediate (no back-off), then 1 s, 2 s, 4 s. A window is counted from the
    // container's exit, so on a loaded machine a short one can be over before the kubelet sees the exit (then
    // no CrashLoopBackOff shows for it); a window that shows is the right one, and 4 s always shows.
    const expected = ['', '1s', '2s', '4s'];
    for (const n of [0, 1, 2, 3]) for (const w of windows.get(n) ?? []) expect(`${n}: ${w}`).toBe(`${n}: ${expected[n]}`);
    expect(windows.get(0)).toBeUndefined();
    expect([...(windows.get(3) ?? [])]).toEqual(['4s']);
    // each back-off is waited out: a gap between restarts is at least its window (load only adds to it) …
    const gap = (a: number, b: number): number => (seen.get(b) ?? 0) - (seen.get(a) ?? 0);
    expect(gap(1, 2)).toBeGreaterThanOrEqual(900);
    expect(gap(2, 3)).toBeGreaterThanOrEqual(1800);
    expect(gap(3, 4)).toBeGreaterThanOrEqual(3600);
    // … and not much more than the window plus what a restart without back-off took here (gap 0 → 1)
    const overhead = gap(0, 1);
    expect(gap(2, 3)).toBeLessThan(overhead + 2000 + 3000);
    expect(gap(3, 4)).toBeLessThan(overhead + 4000 + 3000);
    expect(backoffMessage).toMatch(new RegExp(`^back-off \\ds restarting failed container=c pod=crash_default\\(${pod.metadata.uid ?? ''}\\)$`));
    const p = h.pod('crash') as KubeObject;
    expect(getString(p, 'status', 'phase')).toBe('Running');
    expect(getString(containerStatus(p, 'c'), 'lastState', 'terminated', 'reason')).toBe('Error');
    const events = h.events('crash').filter((e) => e.reason === 'BackOff');
    expect(events[0]?.message).toBe(`Back-off restarting failed container c in pod crash_default(${pod.metadata.uid ?? ''})`);
    const previous = await h.kubelet?.resolver.resolve('default', 'crash', 'c', { previous: true });
    expect(previous?.running).toBe(false);
    expect(`docker://${previous?.id ?? ''}`).toBe(getString(containerStatus(p, 'c'), 'lastState', 'terminated', 'containerID'));
    // the latest and the previous instance are kept: older ones go at the end of the sync that made a new one
    // (so right after a restart there may briefly be three)
    const appCount = async (): Promise<number> => (await h.containers(pod.metadata.uid)).filter((c) => c.Labels['dev.skiff.role'] === 'app').length;
    const deadline = Date.now() + 3000;
    let apps = await appCount();
    while (apps > 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      apps = await appCount();
    }
    expect(apps).toBeLessThanOrEqual(2);
  });

  it.concurrent('restarts a container whose liveness probe fails', async () => {
    h.createPod('liveness', {
      terminationGracePeriodSeconds: 1,
      containers: [
        {
          name: 'c',
          image: h.image,
          command: ['sh', '-c', 'touch /tmp/healthy; sleep 1; rm /tmp/healthy; sleep 3600'],
          livenessProbe: { exec: { command: ['test', '-f', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 1 },
        },
      ],
    });
    await h.waitPod('liveness', (p) => restarts(p) >= 1, 25_000, 'a liveness restart');
    const events = h.events('liveness');
    expect(events.some((e) => e.reason === 'Unhealthy' && String(e.message).startsWith('Liveness probe failed'))).toBe(true);
    expect(events.some((e) => e.reason === 'Killing' && e.message === 'Container c failed liveness probe, will be restarted')).toBe(true);
  });

  it.concurrent('follows the readiness probe for the ready flag and the Ready condition', async () => {
    h.createPod('readiness', {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'c', image: h.image, command: ['sleep', '3600'], readinessProbe: { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1 } }],
    });
    const unready = await h.waitPod('readiness', (p) => running(p) && p, 20_000, 'running');
    await new Promise((r) => setTimeout(r, 1500));
    const still = h.pod('readiness') as KubeObject;
    expect(containerStatus(still, 'c')?.ready).toBe(false);
    expect(condition(still, 'Ready')?.status).toBe('False');
    expect(condition(still, 'Ready')?.message).toBe('containers with unready status: [c]');
    const id = getString(containerStatus(unready, 'c'), 'containerID').replace('docker://', '');
    const exec = await h.docker.getContainer(id).exec({ Cmd: ['touch', '/tmp/ready'] });
    await exec.start({ Detach: true });
    const ready = await h.waitPod('readiness', (p) => condition(p, 'Ready')?.status === 'True' && p, 10_000, 'Ready');
    expect(containerStatus(ready, 'c')?.ready).toBe(true);
  });

  it.concurrent('gives a pod whose sandbox died a new sandbox and restarts all its containers', async () => {
    const pod = h.createPod('resandbox', {
      terminationGracePeriodSeconds: 1,
      containers: [
        { name: 'a', image: h.image, command: ['sleep', '3600'] },
        { name: 'b', image: h.image, command: ['sleep', '3600'] },
      ],
    });
    const ip = await h.waitPod('resandbox', (p) => running(p, 'a') && running(p, 'b') && getString(p, 'status', 'podIP'), 20_000, 'running');
    const sandbox = (await h.containers(pod.metadata.uid)).find((c) => c.Labels['dev.skiff.role'] === 'sandbox');
    await h.docker.getContainer(sandbox?.Id ?? '').remove({ force: true });
    const after = await h.waitPod('resandbox', (p) => restarts(p, 'a') === 1 && restarts(p, 'b') === 1 && running(p, 'a') && running(p, 'b') && p, 25_000, 'restarts');
    expect(getString(after, 'status', 'podIP')).toMatch(/^\d+\./);
    expect(ip).not.toBe('');
    const sandboxes = (await h.containers(pod.metadata.uid)).filter((c) => c.Labels['dev.skiff.role'] === 'sandbox');
    const live = sandboxes.filter((c) => c.State === 'running');
    expect(live).toHaveLength(1);
    expect(live[0].Id).not.toBe(sandbox?.Id);
    expect(h.events('resandbox').some((e) => e.reason === 'SandboxChanged')).toBe(true);
  });
});
