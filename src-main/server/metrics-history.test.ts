/**
 * The engine's usage history (metrics.skiff.dev/v1alpha1) on real Docker stats, and the console's pod charts
 * opening with it: the desk's first samples event already holds the minutes the engine kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodMetricsEvent } from '../contract/observability';
import { Desk } from '../desk/desk';
import { api, eventually } from '../engine/test/harness';
import { startRuntimeEngine, type RuntimeEngine } from '../engine/test/runtime-harness';

const SAMPLE_MS = 400;
const GROUP = '/apis/metrics.skiff.dev/v1alpha1';

interface HistoryPoint {
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}
interface History {
  kind: string;
  apiVersion: string;
  metadata: { name: string; namespace?: string };
  points: HistoryPoint[];
}

function podJson(name: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'history' } },
    spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'idle', image: 'busybox:1.36', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] }] },
  });
}

describe('metrics.skiff.dev usage history on Docker', () => {
  let e: RuntimeEngine;
  let desk: Desk;

  beforeAll(async () => {
    e = await startRuntimeEngine({ engine: { metrics: { intervalMs: SAMPLE_MS } } });
    await e.ok(['apply', '-f', '-'], podJson('keeper'));
    await e.ok(['wait', '--for=condition=Ready', 'pod/keeper', '--timeout=60s']);
    desk = new Desk({ kubeconfigPaths: () => [e.kubeconfig], localContext: () => 'skiff', podMetrics: { intervalMs: 60_000 } });
  }, 90_000);
  afterAll(async () => {
    await desk?.stop();
    await e?.stop();
  });

  it('is listed in discovery and keeps points of a running pod, oldest first, as metrics.k8s.io quantities', async () => {
    const groups = (await api(e, 'GET', '/apis')).json() as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toContain('metrics.skiff.dev');
    expect(await e.ok(['api-resources', '--api-group=metrics.skiff.dev'])).toMatch(/PodMetricsHistory/);

    // Points are second-precision timestamps, so several samples a second are one point each second at most
    // in what a client tells apart; wait for three distinct seconds.
    const history = await eventually(async () => {
      const h = (await api(e, 'GET', `${GROUP}/namespaces/default/pods/keeper`)).json() as History;
      return new Set(h.points.map((p) => p.timestamp)).size >= 3 ? h : undefined;
    }, 30_000, 200);
    expect(history).toMatchObject({ kind: 'PodMetricsHistory', apiVersion: 'metrics.skiff.dev/v1alpha1', metadata: { name: 'keeper', namespace: 'default' } });
    const times = history.points.map((p) => Date.parse(p.timestamp));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    for (const p of history.points) {
      expect(p.usage.cpu).toMatch(/^\d+n$/);
      expect(p.usage.memory).toMatch(/^\d+Ki$/);
      expect(Number(p.usage.memory.slice(0, -2))).toBeGreaterThan(0);
      expect(p.window).toMatch(/^\d+(\.\d+)?s$/);
    }

    // the list: by namespace, all namespaces, and with a label selector
    const list = (await api(e, 'GET', `${GROUP}/namespaces/default/pods?labelSelector=app%3Dhistory`)).json() as { kind: string; items: History[] };
    expect(list.kind).toBe('PodMetricsHistoryList');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['keeper']);
    const none = (await api(e, 'GET', `${GROUP}/namespaces/default/pods?labelSelector=app%3Dother`)).json() as { items: History[] };
    expect(none.items).toEqual([]);
    const all = (await api(e, 'GET', `${GROUP}/pods`)).json() as { items: History[] };
    expect(all.items.map((i) => i.metadata.name)).toContain('keeper');

    // the node's history sums the engine's containers
    const nodes = (await api(e, 'GET', `${GROUP}/nodes`)).json() as { kind: string; items: History[] };
    expect(nodes.kind).toBe('NodeMetricsHistoryList');
    expect(nodes.items).toHaveLength(1);
    expect(nodes.items[0].points.length).toBeGreaterThan(0);
  });

  it('refuses what it does not serve with a Status, and changes nothing', async () => {
    const missing = await api(e, 'GET', `${GROUP}/namespaces/default/pods/nope`);
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods.metrics.skiff.dev "nope" not found' });
    expect((await api(e, 'GET', `${GROUP}/pods/keeper`)).status).toBe(404); // a pod needs its namespace
    expect((await api(e, 'GET', `${GROUP}/namespaces/default/nodes`)).status).toBe(404);
    expect((await api(e, 'GET', `${GROUP}/namespaces/default/pods/keeper/log`)).status).toBe(404);
    expect((await api(e, 'GET', `${GROUP}/namespaces/default/services`)).status).toBe(404);
    const write = await api(e, 'POST', `${GROUP}/namespaces/default/pods`, { body: '{}', contentType: 'application/json' });
    expect(write.status).toBe(405);
    expect((await api(e, 'DELETE', `${GROUP}/namespaces/default/pods/keeper`)).status).toBe(405);
    expect((await e.json<{ status: { phase: string } }>(['get', 'pod', 'keeper'])).status.phase).toBe('Running');
  });

  it('gives a pod made again under the same name none of its predecessor’s points', async () => {
    await e.ok(['apply', '-f', '-'], podJson('again'));
    await e.ok(['wait', '--for=condition=Ready', 'pod/again', '--timeout=60s']);
    await eventually(async () => ((await api(e, 'GET', `${GROUP}/namespaces/default/pods/again`)).json() as History).points.length > 0, 30_000, 200);
    await e.ok(['delete', 'pod', 'again', '--wait=true']);
    await e.ok(['apply', '-f', '-'], podJson('again'));
    const created = Date.parse((await e.json<{ metadata: { creationTimestamp: string } }>(['get', 'pod', 'again'])).metadata.creationTimestamp);
    const h = (await api(e, 'GET', `${GROUP}/namespaces/default/pods/again`)).json() as History;
    for (const p of h.points) expect(Date.parse(p.timestamp)).toBeGreaterThanOrEqual(created - 1000);
    await e.ok(['delete', 'pod', 'again', '--wait=false']);
  });

  it("opens the console's charts with the engine's history: the first samples event already holds several points", async () => {
    const kept = ((await api(e, 'GET', `${GROUP}/namespaces/default/pods/keeper`)).json() as History).points;
    const distinct = new Set(kept.map((p) => p.timestamp)).size;
    expect(distinct).toBeGreaterThanOrEqual(3);
    const events: PodMetricsEvent[] = [];
    const dispose = desk.watchPodMetrics({ context: 'skiff', namespace: 'default' }, (ev) => events.push(ev));
    try {
      const first = await eventually(() => events[0], 20_000, 50);
      expect(first.type).toBe('samples');
      if (first.type !== 'samples') return;
      const series = first.pods.find((p) => p.name === 'keeper');
      // one sampling interval of the desk is a minute here: without the history there would be one point
      expect(series?.points.length ?? 0).toBeGreaterThanOrEqual(distinct);
      const t = series?.points.map((p) => p.t) ?? [];
      expect(new Set(t).size).toBe(t.length);
      expect(t.every((x, i) => i === 0 || x > t[i - 1])).toBe(true);
    } finally {
      dispose();
    }
  });
});
