/**
 * An HPA on the Pods metric requests_per_second fed by REAL traffic: the test process sends a bounded,
 * rate-limited load of HTTP requests to a NodePort on 127.0.0.1, the engine's load balancer counts them per
 * pod, and the HPA (sync period shortened to 1 s, scale-down window to a few seconds) scales the Deployment
 * from 1 to at least 3 and, once the load stops, back to 1. No fake PodTraffic: the engine's own counters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { freeNodePort, hostGet, webDeployment } from './pod-client';
import { isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

/** Requests per second the load sends, and what the HPA targets per pod: 20 / 5 → 4 pods at full rate. */
const LOAD_RPS = 20;
const TARGET_RPS = 5;
const DOWN_WINDOW_S = 6;

/**
 * A bounded load: LOAD_RPS requests a second to 127.0.0.1:<port>, at most `maxInFlight` at once (a tick is
 * skipped rather than queued when the engine is slow), ending by itself after `maxMs` at the latest.
 */
class BoundedLoad {
  ok = 0;
  readonly failures: string[] = [];
  readonly byPod = new Map<string, number>();
  private inFlight = new Set<Promise<void>>();
  private readonly timer: NodeJS.Timeout;
  private readonly deadline: NodeJS.Timeout;

  constructor(
    private readonly port: number,
    rps: number,
    maxMs: number,
    private readonly maxInFlight = 8,
  ) {
    this.timer = setInterval(() => this.tick(), 1000 / rps);
    this.deadline = setTimeout(() => clearInterval(this.timer), maxMs);
  }

  private tick(): void {
    if (this.inFlight.size >= this.maxInFlight) return;
    const p = hostGet(this.port, 10_000).then(
      (body) => {
        this.ok++;
        this.byPod.set(body, (this.byPod.get(body) ?? 0) + 1);
      },
      (err: unknown) => void this.failures.push(String(err)),
    );
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Stop sending and wait for the requests in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.deadline);
    await Promise.all([...this.inFlight]);
  }
}

interface Condition {
  type: string;
  status: string;
  reason: string;
}

interface EventView {
  reason: string;
  message: string;
  involvedObject: { kind: string; name: string };
}

// Both data paths count the requests the HPA reads: the kernel's (iptables rule counters, read every second;
// root on Linux, as CI is) and the user-space proxy's.
describe.each([
  { path: 'kernel forwarding', kernelForwarding: true },
  { path: 'user-space proxy', kernelForwarding: false },
])('HPA on requests_per_second with real load through the load balancer, $path', ({ kernelForwarding }) => {
  let e: RuntimeEngine;
  let nodePort: number;
  let load: BoundedLoad | undefined;

  beforeAll(async () => {
    e = await startRuntimeEngine({ engine: { hpaSyncMs: 1000, clusterIps: kernelForwarding, kernelForwarding } });
    expect(e.engine.loadBalancer?.kernelForwarding, 'kernel forwarding (see the engine log)').toBe(kernelForwarding);
    nodePort = await freeNodePort();
    await e.ok(['apply', '-f', '-'], webDeployment('rps', 1));
    await e.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'rps' }, spec: { type: 'NodePort', selector: { app: 'rps' }, ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort }] } }));
    await e.ok(['rollout', 'status', 'deploy/rps', '--timeout=90s']);
    await eventually(async () => hostGet(nodePort).catch(() => undefined), 30_000, 250);
  }, 150_000);
  afterAll(async () => {
    await load?.stop();
    await e?.stop();
  }, 60_000);

  const replicas = async (): Promise<number> => ((await e.json<KubeObject>(['get', 'deploy', 'rps'])).spec as { replicas: number }).replicas;
  const readyPods = async (): Promise<string[]> => (await e.json<{ items: KubeObject[] }>(['get', 'pods', '-l', 'app=rps'])).items.filter(isPodReady).map((p) => p.metadata.name ?? '');
  const conditions = async (): Promise<Condition[]> => ((await e.json<KubeObject>(['get', 'hpa', 'rps'])).status as { conditions?: Condition[] }).conditions ?? [];
  const rescales = async (): Promise<string[]> =>
    (await e.json<{ items: EventView[] }>(['get', 'events', '--field-selector', 'involvedObject.name=rps'])).items
      .filter((ev) => ev.involvedObject.kind === 'HorizontalPodAutoscaler' && ev.reason === 'SuccessfulRescale')
      .map((ev) => ev.message);
  const targets = async (): Promise<string> => {
    const [header, row = ''] = (await e.ok(['get', 'hpa', 'rps'])).split('\n');
    return row.slice(header.indexOf('TARGETS'), header.indexOf('MINPODS')).trim();
  };

  it('scales 1 → ≥3 under load, spreads the load over the new pods, and returns to 1 after the load stops', async () => {
    await e.ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'rps' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'rps' },
          minReplicas: 1,
          maxReplicas: 4,
          metrics: [{ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: String(TARGET_RPS) } } }],
          behavior: { scaleDown: { stabilizationWindowSeconds: DOWN_WINDOW_S } },
        },
      }),
    );
    // idle: the metric is there (under 1 rps from the load balancer's counters: the warm-up request) and nothing scales
    await eventually(async () => (await conditions()).find((c) => c.type === 'ScalingActive')?.status === 'True', 30_000, 250);
    expect(await targets()).toMatch(new RegExp(`^(0|\\d{1,3}m)/${TARGET_RPS}$`));
    expect(await replicas()).toBe(1);

    await e.engine.loadBalancer?.collect();
    const sentBefore = e.engine.podTraffic.totals('default', (await readyPods())[0])?.requests ?? 0;
    load = new BoundedLoad(nodePort, LOAD_RPS, 150_000);
    await eventually(async () => (await replicas()) >= 3, 90_000, 500).catch(async (err: unknown) => {
      console.log(await e.ok(['get', 'hpa', 'rps', '-o', 'yaml']), await e.ok(['get', 'events']));
      throw err;
    });
    const up = await rescales();
    expect(up.length).toBeGreaterThanOrEqual(1);
    for (const m of up) expect(m).toMatch(/^New size: [234]; reason: pods metric requests_per_second above target$/);
    // the new pods take part: once ready, each gets a share of the same load
    const ready = await eventually(async () => {
      const names = await readyPods();
      return names.length >= 3 ? names : undefined;
    }, 90_000, 500);
    const seen = new Map(load.byPod);
    await eventually(() => ready.every((p) => (load?.byPod.get(p) ?? 0) > (seen.get(p) ?? 0)), 30_000, 250);
    // kubectl shows a current average above 0 against the target (e.g. 5/5 or 6666m/5)
    expect(await targets()).toMatch(new RegExp(`^[1-9]\\d*m?/${TARGET_RPS}$`));

    await load.stop();
    const sent = load.ok;
    expect(load.failures, load.failures.slice(0, 3).join('; ')).toEqual([]);
    expect(sent).toBeGreaterThan(100);
    // every request reached a pod through the load balancer and was counted there, once
    await e.engine.loadBalancer?.collect();
    const counted = (await readyPods()).reduce((sum, p) => sum + (e.engine.podTraffic.totals('default', p)?.requests ?? 0), 0);
    expect(counted - sentBefore).toBe(sent);
    expect([...load.byPod.keys()].sort()).toEqual(expect.arrayContaining(ready.sort()));

    // load stopped: the 30 s rate window drains, the scale-down window holds the highest recent
    // recommendation for DOWN_WINDOW_S, then the Deployment goes back to 1
    const stoppedAt = Date.now();
    const reasons = new Set<string>();
    await eventually(
      async () => {
        const able = (await conditions()).find((c) => c.type === 'AbleToScale');
        if (able) reasons.add(able.reason);
        return (await replicas()) === 1;
      },
      120_000,
      250,
    ).catch(async (err: unknown) => {
      console.log(await e.ok(['get', 'hpa', 'rps', '-o', 'yaml']), await e.ok(['get', 'events']));
      throw err;
    });
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(DOWN_WINDOW_S * 1000);
    expect(reasons).toContain('ScaleDownStabilized');
    expect((await rescales()).at(-1)).toBe('New size: 1; reason: All metrics below target');
    await eventually(async () => (await readyPods()).length === 1, 60_000, 500);
    // what is left of the rate window drains to 0
    await eventually(async () => (await targets()) === `0/${TARGET_RPS}`, 40_000, 500);
  }, 400_000);
});
