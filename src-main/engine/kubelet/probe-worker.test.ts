import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../controllers/work-queue';
import { dockerAvailable } from '../test/test-images';
import type { ProbeAction } from './probe-action';
import type { ProbeOutcome } from './probe-state';
import { ProbeWorker, type ProbeTarget } from './probe-worker';
import { TestSandbox } from './volume-test-sandbox';

/** A manual clock: timers fire only when the test advances time. */
class FakeClock implements Clock {
  private t = 1_000_000;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  pending(): number {
    return this.timers.size;
  }
  /** Advance to now+ms, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const due = [...this.timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
    }
    this.t = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

const noDocker = {} as Docker;
const target: ProbeTarget = { podIP: '10.0.0.5', containerId: 'c1' };

describe('ProbeWorker loop (fake clock, fake runner)', () => {
  function setup(probe: Record<string, unknown>, outcomes: ProbeOutcome[], extra: { startedAt?: number } = {}) {
    const clock = new FakeClock();
    const calls: Array<{ at: number; action: ProbeAction; timeoutMs: number }> = [];
    const results: Array<[boolean, string]> = [];
    const probes: Array<[boolean, string]> = [];
    const worker = new ProbeWorker({
      kind: 'liveness',
      probe,
      target,
      docker: noDocker,
      clock,
      ...extra,
      onResult: (ok, m) => results.push([ok, m]),
      onProbe: (ok, m) => probes.push([ok, m]),
      runner: (action, _t, timeoutMs) => {
        calls.push({ at: clock.now(), action, timeoutMs });
        return Promise.resolve(outcomes.shift() ?? { result: 'success', output: '' });
      },
    });
    return { clock, calls, results, probes, worker };
  }

  it('waits the initial delay, probes every period, reports the failure at the threshold, then holds', async () => {
    const fail = { result: 'failure' as const, output: 'HTTP probe failed with statuscode: 500' };
    const s = setup({ httpGet: { port: 80, path: '/healthz' }, initialDelaySeconds: 3, periodSeconds: 2, timeoutSeconds: 4, failureThreshold: 2 }, [
      { result: 'success', output: '' },
      fail,
      fail,
    ]);
    s.worker.start();
    await s.clock.advance(2999);
    expect(s.calls).toHaveLength(0);
    await s.clock.advance(1);
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0].action).toMatchObject({ type: 'http', port: 80, path: '/healthz' });
    expect(s.calls[0].timeoutMs).toBe(4000);
    await s.clock.advance(4000);
    expect(s.calls.map((c) => c.at - 1_000_000)).toEqual([3000, 5000, 7000]);
    expect(s.results).toEqual([[false, 'Liveness probe failed: HTTP probe failed with statuscode: 500']]);
    expect(s.probes.map(([ok]) => ok)).toEqual([true, false, false]);
    await s.clock.advance(60_000);
    expect(s.calls).toHaveLength(3);
    expect(s.clock.pending()).toBe(0);
  });

  it('counts the initial delay from the container start it is given', async () => {
    const s = setup({ exec: { command: ['true'] }, initialDelaySeconds: 10 }, [], { startedAt: 1_000_000 - 8000 });
    s.worker.start();
    await s.clock.advance(1999);
    expect(s.calls).toHaveLength(0);
    await s.clock.advance(1);
    expect(s.calls).toHaveLength(1);
    s.worker.stop();
  });

  it('stop() cancels the next probe and drops an attempt in flight', async () => {
    const clock = new FakeClock();
    let release: (o: ProbeOutcome) => void = () => undefined;
    const results: boolean[] = [];
    const worker = new ProbeWorker({
      kind: 'liveness',
      probe: { tcpSocket: { port: 1 }, failureThreshold: 1 },
      target,
      docker: noDocker,
      clock,
      onResult: (ok) => results.push(ok),
      runner: () => new Promise((r) => (release = r)),
    });
    worker.start();
    await clock.advance(0);
    worker.stop();
    release({ result: 'failure', output: 'x' });
    await clock.advance(60_000);
    expect(results).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('an attempt that never returns errors after timeout + guard, without counting as a failure', async () => {
    const clock = new FakeClock();
    const probes: string[] = [];
    const results: boolean[] = [];
    const worker = new ProbeWorker({
      kind: 'liveness',
      probe: { exec: { command: ['x'] }, failureThreshold: 1, periodSeconds: 10 },
      target,
      docker: noDocker,
      clock,
      onResult: (ok) => results.push(ok),
      onProbe: (_ok, m) => probes.push(m),
      runner: () => new Promise(() => undefined),
    });
    worker.start();
    await clock.advance(3000);
    expect(probes).toEqual(['Liveness probe errored: probe did not return within 3000 ms']);
    expect(results).toEqual([]);
    worker.stop();
  });

  it('an unresolvable named port errors every attempt with the reason', async () => {
    const clock = new FakeClock();
    const probes: string[] = [];
    const worker = new ProbeWorker({
      kind: 'readiness',
      probe: { httpGet: { port: 'web' }, periodSeconds: 1 },
      target,
      docker: noDocker,
      clock,
      container: { name: 'app', ports: [] },
      onResult: () => undefined,
      onProbe: (_ok, m) => probes.push(m),
    });
    worker.start();
    await clock.advance(1500);
    worker.stop();
    expect(probes).toEqual(['Readiness probe errored: port "web" not found in container "app"', 'Readiness probe errored: port "web" not found in container "app"']);
  });
});

const docker = new Docker();
const available = await dockerAvailable(docker);

/** Resolves with the first result matching `ok`, recording when it came. */
function firstResult(): { onResult: (ok: boolean, m: string) => void; next: (ok: boolean) => Promise<{ message: string; at: number }> } {
  const seen: Array<{ ok: boolean; message: string; at: number }> = [];
  const waiters: Array<{ ok: boolean; resolve: (v: { message: string; at: number }) => void }> = [];
  return {
    onResult: (ok, message) => {
      const entry = { ok, message, at: Date.now() };
      seen.push(entry);
      for (const w of waiters.filter((x) => x.ok === ok)) w.resolve(entry);
    },
    next: (ok) =>
      new Promise((resolve, reject) => {
        const hit = seen.find((s) => s.ok === ok);
        if (hit) return resolve(hit);
        const timer = setTimeout(() => reject(new Error(`no ${String(ok)} result within 15 s (saw ${JSON.stringify(seen)})`)), 15_000);
        waiters.push({
          ok,
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v);
          },
        });
      }),
  };
}

describe.skipIf(!available)('ProbeWorker against real containers', () => {
  const t = new TestSandbox(docker);
  let ip = '';
  let app = '';
  const workers: ProbeWorker[] = [];
  beforeAll(async () => {
    await t.init();
    const net = await t.network();
    const sandbox = await t.sandbox({ network: net });
    ip = sandbox.ip;
    // httpd daemonizes, so it can be killed while the container (and the pod IP) stays
    app = await t.container(sandbox.id, ['sh', '-c', 'httpd -p 8080 -h /var/www; touch /tmp/healthy; exec sleep 3600']);
  });
  afterAll(async () => {
    for (const w of workers) w.stop();
    await t.cleanup();
  });

  function worker(kind: 'liveness' | 'readiness' | 'startup', probe: Record<string, unknown>, onResult: (ok: boolean, m: string) => void): ProbeWorker {
    const w = new ProbeWorker({ kind, probe, target: { podIP: ip, containerId: app }, docker, onResult, container: { name: 'app', ports: [{ name: 'http', containerPort: 8080 }] } });
    workers.push(w);
    w.start();
    return w;
  }

  it('httpGet, tcpSocket and exec probes see a healthy container, then its failure after failureThreshold x period', async () => {
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const httpReady = firstResult();
    const tcpReady = firstResult();
    const httpLive = firstResult();
    const execLive = firstResult();
    const startup = firstResult();
    worker('readiness', { httpGet: { port: 'http', path: '/index.html' }, periodSeconds: 1 }, httpReady.onResult);
    worker('readiness', { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 2 }, tcpReady.onResult);
    worker('liveness', { httpGet: { port: 8080, path: '/' }, periodSeconds: 1, failureThreshold: 3 }, httpLive.onResult);
    worker('liveness', { exec: { command: ['cat', '/tmp/healthy'] }, periodSeconds: 1, failureThreshold: 2 }, execLive.onResult);
    worker('startup', { exec: { command: ['sh', '-c', 'test -f /tmp/healthy'] }, periodSeconds: 1 }, startup.onResult);

    expect((await httpReady.next(true)).message).toBe('Readiness probe succeeded');
    expect((await tcpReady.next(true)).message).toBe('Readiness probe succeeded');
    expect((await startup.next(true)).message).toBe('Startup probe succeeded');

    // let the liveness probes pass a few times, then break the container
    await new Promise((r) => setTimeout(r, 1500));
    const broken = Date.now();
    expect((await t.exec(app, ['sh', '-c', 'killall httpd; rm /tmp/healthy'])).exitCode).toBe(0);

    const live = await httpLive.next(false);
    expect(live.message).toBe(`Liveness probe failed: Get "http://${ip}:8080/": dial tcp ${ip}:8080: connect: connection refused`);
    // the third consecutive failure (one period apart) reports it
    expect(live.at - broken).toBeGreaterThanOrEqual(1800);
    expect(live.at - broken).toBeLessThan(5000);
    const tcp = await tcpReady.next(false);
    expect(tcp.message).toBe(`Readiness probe failed: dial tcp ${ip}:8080: connect: connection refused`);
    const exec = await execLive.next(false);
    expect(exec.message).toBe('Liveness probe failed: cat: can\'t open \'/tmp/healthy\': No such file or directory');
    expect((await httpReady.next(false)).message).toMatch(/^Readiness probe failed: Get .*connection refused$/);
  });
});
