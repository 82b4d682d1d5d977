/**
 * Probes on real containers through the whole engine (real Docker, real kubectl): a startupProbe gates
 * liveness and readiness (no liveness attempt and no Ready before it succeeds) and restarts a container it
 * never passes after failureThreshold; httpGet (busybox httpd) and tcpSocket (busybox nc) readiness and
 * liveness probes turn a pod Ready, unready and restart it. Each is checked in containerStatuses (started,
 * ready, restartCount), the Ready condition and the Unhealthy / Killing events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { conditionStatus, containerStatuses, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

interface EventView {
  type: string;
  reason: string;
  message: string;
  count?: number;
}

function podYaml(name: string, container: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { test: 'probes' } },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox:1.36', ...container }] },
  });
}

/** A container status as the kubelet reports it, with `started`. */
interface StatusView {
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: { running?: unknown; waiting?: unknown; terminated?: unknown };
  lastState: { terminated?: { exitCode: number; reason: string } };
}

const statusOf = (p: KubeObject): StatusView | undefined => containerStatuses(p)[0] as StatusView | undefined;

// Probe timing is in whole seconds and Docker on a loaded 2-core machine is slow: generous test timeouts,
// strict assertions on what happened and in which order.
describe('Probes on Docker via kubectl', { timeout: 180_000 }, () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine();
  });
  afterAll(async () => {
    await e?.stop();
  });

  const pod = (name: string): Promise<KubeObject> => e.json<KubeObject>(['get', 'pod', name]);
  const events = async (name: string): Promise<EventView[]> => (await e.json<{ items: EventView[] }>(['get', 'events', '--field-selector', `involvedObject.name=${name}`])).items;
  /** Every status the store held for a pod, in order (a watch on the store). */
  const recordStatuses = (name: string): { seen: Array<{ at: number; status: StatusView | undefined; ready: string | undefined }>; stop: () => void } => {
    const seen: Array<{ at: number; status: StatusView | undefined; ready: string | undefined }> = [];
    const stop = e.engine.service.store.subscribe((ev) => {
      if (ev.resource !== 'pods' || ev.name !== name) return;
      seen.push({ at: Date.now(), status: statusOf(ev.object), ready: conditionStatus(ev.object, 'Ready') });
    });
    return { seen, stop };
  };

  it.concurrent('a startupProbe gates liveness and readiness until it succeeds', async () => {
    const rec = recordStatuses('slow-start');
    try {
      await e.ok(
        ['apply', '-f', '-'],
        podYaml('slow-start', {
          // started after ~6 s; the web server answers only from then on
          command: ['sh', '-c', 'mkdir -p /www && echo ok > /www/index.html && sleep 6 && touch /tmp/started && exec httpd -f -p 8080 -h /www'],
          ports: [{ name: 'http', containerPort: 8080 }],
          startupProbe: { exec: { command: ['test', '-f', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 60, timeoutSeconds: 10 },
          // Were it run before the startup probe succeeded, this liveness probe would leave a mark and fail at once
          // (failureThreshold 1): a restart.
          livenessProbe: { exec: { command: ['sh', '-c', 'if [ -f /tmp/started ]; then touch /tmp/liveness-ran; else touch /tmp/liveness-early; exit 1; fi'] }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 10 },
          readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1, timeoutSeconds: 5 },
        }),
      );
      const running = await eventually(async () => {
        const p = await pod('slow-start');
        return statusOf(p)?.state.running ? p : undefined;
      }, 60_000, 200);
      // running, but neither started nor ready while the startup probe fails
      const early = statusOf(running);
      if (!(await e.ok(['exec', 'slow-start', '--', 'sh', '-c', 'test -f /tmp/started && echo yes || echo no'])).includes('yes')) {
        expect(early).toMatchObject({ started: false, ready: false, restartCount: 0 });
        expect(conditionStatus(running, 'Ready')).toBe('False');
        expect(conditionStatus(running, 'ContainersReady')).toBe('False');
      }
      const ready = await eventually(async () => {
        const p = await pod('slow-start');
        return conditionStatus(p, 'Ready') === 'True' ? p : undefined;
      }, 60_000, 200);
      expect(statusOf(ready)).toMatchObject({ started: true, ready: true, restartCount: 0 });
      // liveness now runs (and passes), and never ran before the startup probe succeeded
      await eventually(async () => (await e.k(['exec', 'slow-start', '--', 'test', '-f', '/tmp/liveness-ran'])).code === 0, 30_000, 250);
      expect((await e.k(['exec', 'slow-start', '--', 'test', '-f', '/tmp/liveness-early'])).code).not.toBe(0);
      expect(statusOf(await pod('slow-start'))?.restartCount).toBe(0);
    } finally {
      rec.stop();
    }
    // In the store's history: never ready before started, never Ready before started, and started took the ~6 s.
    const withStatus = rec.seen.filter((s) => s.status?.state.running);
    expect(withStatus.length).toBeGreaterThan(1);
    for (const s of withStatus) {
      if (!s.status?.started) {
        expect(s.status?.ready).toBe(false);
        expect(s.ready).not.toBe('True');
      }
    }
    const firstRunning = withStatus[0]?.at ?? 0;
    const firstStarted = withStatus.find((s) => s.status?.started)?.at ?? 0;
    expect(firstStarted - firstRunning).toBeGreaterThan(4000);
    const evs = await events('slow-start');
    expect(evs.some((ev) => ev.reason === 'Unhealthy' && ev.type === 'Warning' && ev.message.startsWith('Startup probe failed'))).toBe(true);
    expect(evs.some((ev) => ev.reason === 'Unhealthy' && ev.message.startsWith('Liveness probe'))).toBe(false);
    expect(evs.some((ev) => ev.reason === 'Killing')).toBe(false);
  });

  it.concurrent('a startupProbe that never succeeds restarts the container after failureThreshold', async () => {
    const rec = recordStatuses('never-starts');
    let restarted: KubeObject;
    try {
      await e.ok(
        ['apply', '-f', '-'],
        podYaml('never-starts', {
          command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
          // nothing listens on 9999
          startupProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1, failureThreshold: 4, timeoutSeconds: 2 },
          readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1, timeoutSeconds: 10 },
          livenessProbe: { exec: { command: ['true'] }, periodSeconds: 1, timeoutSeconds: 10 },
        }),
      );
      restarted = await eventually(async () => {
        const p = await pod('never-starts');
        return (statusOf(p)?.restartCount ?? 0) >= 1 ? p : undefined;
      }, 90_000, 200);
    } finally {
      rec.stop();
    }
    expect(statusOf(restarted)?.lastState.terminated).toBeDefined();
    // never started, so never ready (the passing readiness probe did not run)
    for (const s of rec.seen) {
      expect(s.status?.started ?? false).toBe(false);
      expect(s.status?.ready ?? false).toBe(false);
      expect(s.ready).not.toBe('True');
    }
    // not before failureThreshold (4) periods of 1 s after the container ran
    const firstRunning = rec.seen.find((s) => s.status?.state.running)?.at ?? 0;
    const firstRestart = rec.seen.find((s) => (s.status?.restartCount ?? 0) >= 1)?.at ?? 0;
    expect(firstRunning).toBeGreaterThan(0);
    expect(firstRestart - firstRunning).toBeGreaterThan(3000);
    const evs = await events('never-starts');
    const unhealthy = evs.filter((ev) => ev.reason === 'Unhealthy' && ev.message.startsWith('Startup probe failed: dial tcp '));
    expect(unhealthy.length).toBeGreaterThan(0);
    expect(unhealthy[0]?.message).toMatch(/^Startup probe failed: dial tcp \d+\.\d+\.\d+\.\d+:9999: connect: connection refused$/);
    expect(unhealthy.reduce((n, ev) => n + (ev.count ?? 1), 0)).toBeGreaterThanOrEqual(4);
    expect(evs.some((ev) => ev.reason === 'Killing' && ev.message === 'Container app failed startup probe, will be restarted')).toBe(true);
    expect(evs.some((ev) => ev.reason === 'Unhealthy' && /^(Liveness|Readiness) probe/.test(ev.message))).toBe(false);
  });

  it.concurrent("a liveness probe's terminationGracePeriodSeconds overrides the pod's for the kill", async () => {
    await e.ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'probe-grace', labels: { test: 'probes' } },
        spec: {
          // the pod's grace period is long, the probe's short; sleep as PID 1 ignores SIGTERM, so only SIGKILL ends it
          terminationGracePeriodSeconds: 60,
          containers: [
            {
              name: 'app',
              image: 'busybox:1.36',
              command: ['sh', '-c', 'touch /tmp/alive; sleep 2; rm /tmp/alive; exec sleep 3600'],
              livenessProbe: { exec: { command: ['test', '-f', '/tmp/alive'] }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 10, terminationGracePeriodSeconds: 2 },
            },
          ],
        },
      }),
    );
    const restarted = await eventually(async () => {
      const p = await pod('probe-grace');
      return (statusOf(p)?.restartCount ?? 0) >= 1 ? p : undefined;
    }, 50_000, 200);
    const last = (containerStatuses(restarted)[0]?.lastState.terminated ?? {}) as { exitCode?: number; finishedAt?: string };
    // killed with SIGKILL once the probe's 2 s were up, not the pod's 60 s
    expect(last.exitCode).toBe(137);
    const killing = (await e.json<{ items: Array<EventView & { firstTimestamp?: string; eventTime?: string }> }>(['get', 'events', '--field-selector', 'involvedObject.name=probe-grace'])).items.find(
      (ev) => ev.reason === 'Killing' && ev.message === 'Container app failed liveness probe, will be restarted',
    );
    expect(killing).toBeDefined();
    const killedAt = Date.parse(killing?.firstTimestamp ?? killing?.eventTime ?? '');
    const finishedAt = Date.parse(last.finishedAt ?? '');
    // timestamps have a one-second resolution
    expect(finishedAt - killedAt).toBeGreaterThanOrEqual(1000);
    expect(finishedAt - killedAt).toBeLessThan(15_000);
  });

  it.concurrent('readiness waits initialDelaySeconds and successThreshold consecutive successes', async () => {
    await e.ok(
      ['apply', '-f', '-'],
      podYaml('delayed-ready', {
        command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
        // passes from the start; ready no earlier than 4 s + 2 more periods after the container started
        readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 4, periodSeconds: 1, successThreshold: 3, timeoutSeconds: 10 },
      }),
    );
    const ready = await eventually(async () => {
      const p = await pod('delayed-ready');
      return conditionStatus(p, 'Ready') === 'True' ? p : undefined;
    }, 60_000, 200);
    const startedAt = Date.parse((containerStatuses(ready)[0]?.state.running as { startedAt: string } | undefined)?.startedAt ?? '');
    const readyAt = Date.parse(((ready.status as { conditions: Array<{ type: string; lastTransitionTime: string }> }).conditions.find((c) => c.type === 'Ready'))?.lastTransitionTime ?? '');
    // one-second resolution on both stamps
    expect(readyAt - startedAt).toBeGreaterThanOrEqual(5000);
    expect(readyAt - startedAt).toBeLessThan(30_000);
    expect(statusOf(ready)).toMatchObject({ ready: true, started: true, restartCount: 0 });
    expect((await events('delayed-ready')).some((ev) => ev.reason === 'Unhealthy')).toBe(false);
  });

  it.concurrent('httpGet readiness and liveness probes on busybox httpd', async () => {
    await e.ok(
      ['apply', '-f', '-'],
      podYaml('http-probed', {
        command: ['sh', '-c', 'mkdir -p /www && echo ok > /www/healthz.html && exec httpd -f -p 8080 -h /www'],
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/ready.html', port: 'http' }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 5 },
        livenessProbe: { httpGet: { path: '/healthz.html', port: 8080 }, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 5 },
      }),
    );
    const running = await eventually(async () => {
      const p = await pod('http-probed');
      return statusOf(p)?.state.running ? p : undefined;
    }, 60_000, 200);
    // /ready.html is missing: 404, not ready; /healthz.html answers: no restart
    await eventually(async () => (await events('http-probed')).some((ev) => ev.reason === 'Unhealthy' && ev.message === 'Readiness probe failed: HTTP probe failed with statuscode: 404'), 30_000, 250);
    const unready = await pod('http-probed');
    expect(statusOf(unready)).toMatchObject({ ready: false, started: true, restartCount: 0 });
    expect(conditionStatus(unready, 'Ready')).toBe('False');
    expect(running.metadata.uid).toBe(unready.metadata.uid);

    await e.ok(['exec', 'http-probed', '--', 'sh', '-c', 'echo ok > /www/ready.html']);
    const ready = await eventually(async () => {
      const p = await pod('http-probed');
      return conditionStatus(p, 'Ready') === 'True' ? p : undefined;
    }, 30_000, 200);
    expect(statusOf(ready)).toMatchObject({ ready: true, restartCount: 0 });

    // the liveness endpoint goes away: 404 twice, then a restart; the new container starts unready (no /ready.html)
    await e.ok(['exec', 'http-probed', '--', 'rm', '/www/healthz.html']);
    const restarted = await eventually(async () => {
      const p = await pod('http-probed');
      return statusOf(p)?.restartCount === 1 && statusOf(p)?.state.running ? p : undefined;
    }, 60_000, 200);
    expect(statusOf(restarted)?.lastState.terminated).toBeDefined();
    const evs = await events('http-probed');
    expect(evs.some((ev) => ev.reason === 'Unhealthy' && ev.message === 'Liveness probe failed: HTTP probe failed with statuscode: 404')).toBe(true);
    expect(evs.filter((ev) => ev.reason === 'Killing').map((ev) => ev.message)).toEqual(['Container app failed liveness probe, will be restarted']);
    expect((await e.ok(['exec', 'http-probed', '--', 'cat', '/www/healthz.html'])).trim()).toBe('ok');
    await eventually(async () => conditionStatus(await pod('http-probed'), 'Ready') === 'False', 30_000, 200);
    expect(statusOf(await pod('http-probed'))).toMatchObject({ ready: false, restartCount: 1 });
  });

  it.concurrent('tcpSocket readiness and liveness probes on busybox nc', async () => {
    await e.ok(
      ['apply', '-f', '-'],
      podYaml('tcp-probed', {
        // 9001 (liveness) listens at once, its pid in /tmp/live.pid; 9000 (readiness) only once /tmp/open exists
        command: ['sh', '-c', 'nc -ll -p 9001 -e true & echo $! > /tmp/live.pid; while [ ! -f /tmp/open ]; do sleep 0.2; done; exec nc -ll -p 9000 -e true'],
        readinessProbe: { tcpSocket: { port: 9000 }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 9001 }, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 5 },
      }),
    );
    await eventually(async () => (await events('tcp-probed')).some((ev) => ev.reason === 'Unhealthy' && /^Readiness probe failed: dial tcp \d+\.\d+\.\d+\.\d+:9000: connect: connection refused$/.test(ev.message)), 60_000, 250);
    const unready = await pod('tcp-probed');
    expect(statusOf(unready)).toMatchObject({ ready: false, restartCount: 0 });
    expect(conditionStatus(unready, 'Ready')).toBe('False');

    await e.ok(['exec', 'tcp-probed', '--', 'touch', '/tmp/open']);
    const ready = await eventually(async () => {
      const p = await pod('tcp-probed');
      return conditionStatus(p, 'Ready') === 'True' ? p : undefined;
    }, 30_000, 200);
    expect(statusOf(ready)).toMatchObject({ ready: true, started: true, restartCount: 0 });

    // stop the liveness listener: connection refused twice, then a restart, and the new container is unready again
    await e.ok(['exec', 'tcp-probed', '--', 'sh', '-c', 'kill "$(cat /tmp/live.pid)"']);
    const restarted = await eventually(async () => {
      const p = await pod('tcp-probed');
      return statusOf(p)?.restartCount === 1 && statusOf(p)?.state.running ? p : undefined;
    }, 60_000, 200);
    expect(statusOf(restarted)?.lastState.terminated).toBeDefined();
    const evs = await events('tcp-probed');
    expect(evs.some((ev) => ev.reason === 'Unhealthy' && /^Liveness probe failed: dial tcp \d+\.\d+\.\d+\.\d+:9001: connect: connection refused$/.test(ev.message))).toBe(true);
    expect(evs.filter((ev) => ev.reason === 'Killing').map((ev) => ev.message)).toEqual(['Container app failed liveness probe, will be restarted']);
    await eventually(async () => conditionStatus(await pod('tcp-probed'), 'Ready') === 'False', 30_000, 200);
    expect(statusOf(await pod('tcp-probed'))).toMatchObject({ ready: false, restartCount: 1 });
  });
});
