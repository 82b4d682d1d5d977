import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PodMetricsEvent } from '../../contract/observability';
import type { ContextClient } from '../context-registry';
import { POD_METRICS_LIST } from './metrics-fixtures';
import { PodMetricsSampler } from './pod-metrics-sampler';

/**
 * A plain HTTP server standing in for an API server's metrics group: it answers the real paths with the real
 * response shapes, 404 until `serving` is set (a cluster without metrics-server), so the sampler's whole
 * request path (client-node auth, kubeRequest, parsing) runs.
 */
async function metricsServer(): Promise<{ client: ContextClient; paths: string[]; set(body: unknown | null): void; setHistory(body: unknown | null): void; close(): Promise<void> }> {
  let metrics: unknown = null;
  // the local engine's metrics.skiff.dev history; other clusters answer 404 there
  let history: unknown = null;
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    const body = (req.url ?? '').startsWith('/apis/metrics.skiff.dev/') ? history : metrics;
    if (body === null) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return {
    client: { name: 'x', config: kc, server: null, namespace: 'default' },
    paths,
    set: (b) => (metrics = b),
    setHistory: (b) => (history = b),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('PodMetricsSampler', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('reports a cluster without the metrics API, then samples once it appears, into a bounded ring', async () => {
    const api = await metricsServer();
    close = api.close;
    const events: PodMetricsEvent[] = [];
    const sampler = new PodMetricsSampler(api.client, 'default', { intervalMs: 60_000, capacity: 2 });
    const dispose = sampler.subscribe((e) => events.push(e));
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toMatchObject({ type: 'unavailable', reason: expect.stringContaining('metrics.k8s.io') });
    // the history first (once per sampler: a cluster without it is asked no more), then the metrics
    expect(api.paths.slice(0, 2)).toEqual(['/apis/metrics.skiff.dev/v1alpha1/namespaces/default/pods', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods']);

    api.set(POD_METRICS_LIST);
    await sampler.sample();
    const samples = events[events.length - 1];
    expect(samples.type).toBe('samples');
    if (samples.type !== 'samples') return;
    expect(samples.pods.map((p) => p.name).sort()).toEqual(['db-0', 'web-7d4b9c-abcde']);
    expect(samples.pods.find((p) => p.name === 'db-0')?.points).toEqual([{ t: Date.parse('2026-11-28T18:00:01Z'), cpuMillicores: 1000, memoryBytes: 2 ** 30 }]);

    // New measurements push old ones out (capacity 2).
    for (let i = 1; i <= 3; i++) {
      api.set({ ...POD_METRICS_LIST, items: [{ ...POD_METRICS_LIST.items[1], timestamp: `2026-11-28T18:0${i}:00Z` }] });
      await sampler.sample();
    }
    const last = events[events.length - 1];
    if (last.type !== 'samples') throw new Error(`expected samples, got ${last.type}`);
    expect(last.pods.find((p) => p.name === 'db-0')?.points.map((p) => new Date(p.t).toISOString())).toEqual(['2026-11-28T18:02:00.000Z', '2026-11-28T18:03:00.000Z']);

    // A late subscriber gets the latest state at once.
    const late: PodMetricsEvent[] = [];
    sampler.subscribe((e) => late.push(e))();
    expect(late).toHaveLength(1);
    dispose();
    sampler.stop();
  });

  it("opens with the cluster's history where it keeps one (the local engine), then adds live samples without repeating a point", async () => {
    const api = await metricsServer();
    close = api.close;
    const point = (timestamp: string, cpu: string): Record<string, unknown> => ({ timestamp, window: '5s', usage: { cpu, memory: '1024Ki' } });
    api.setHistory({
      kind: 'PodMetricsHistoryList',
      apiVersion: 'metrics.skiff.dev/v1alpha1',
      items: [
        { metadata: { name: 'db-0', namespace: 'data' }, points: [point('2026-11-28T17:59:51Z', '250000000n'), point('2026-11-28T17:59:56Z', '500000000n'), point('2026-11-28T18:00:01Z', '1')] },
        { metadata: { name: 'gone', namespace: 'default' }, points: [point('not a time', '1'), { timestamp: '2026-11-28T18:00:01Z' }] },
        'garbage',
      ],
    });
    api.set(POD_METRICS_LIST); // db-0's live sample is at 18:00:01Z, the history's newest point
    const events: PodMetricsEvent[] = [];
    const sampler = new PodMetricsSampler(api.client, 'default', { intervalMs: 60_000, capacity: 10 });
    sampler.subscribe((e) => events.push(e));
    await expect.poll(() => events.length).toBe(1);
    const first = events[0];
    if (first.type !== 'samples') throw new Error(`expected samples, got ${first.type}`);
    expect(first.pods.find((p) => p.name === 'db-0')?.points).toEqual([
      { t: Date.parse('2026-11-28T17:59:51Z'), cpuMillicores: 250, memoryBytes: 2 ** 20 },
      { t: Date.parse('2026-11-28T17:59:56Z'), cpuMillicores: 500, memoryBytes: 2 ** 20 },
      // the live sample of the same measurement is not a second point
      { t: Date.parse('2026-11-28T18:00:01Z'), cpuMillicores: 1000, memoryBytes: 2 ** 20 },
    ]);
    // an item with no usable point gives no series of its own
    expect(first.pods.map((p) => p.name).sort()).toEqual(['db-0', 'web-7d4b9c-abcde']);
    // the history is read once per sampler
    await sampler.sample();
    expect(api.paths.filter((p) => p.includes('metrics.skiff.dev'))).toHaveLength(1);
    sampler.stop();
  });

  it('samples as usual when the history answers garbage or fails', async () => {
    const api = await metricsServer();
    close = api.close;
    api.setHistory('not a list');
    api.set(POD_METRICS_LIST);
    const events: PodMetricsEvent[] = [];
    const sampler = new PodMetricsSampler(api.client, 'default', { intervalMs: 60_000 });
    sampler.subscribe((e) => events.push(e));
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toMatchObject({ type: 'samples', pods: [expect.objectContaining({ points: [expect.anything()] }), expect.objectContaining({ points: [expect.anything()] })] });
    sampler.stop();
  });

  it('reports other failures as errors (garbage from the server is no samples, not a crash)', async () => {
    const api = await metricsServer();
    close = api.close;
    api.set('not a list');
    const events: PodMetricsEvent[] = [];
    const sampler = new PodMetricsSampler(api.client, undefined, { intervalMs: 60_000 });
    sampler.subscribe((e) => events.push(e));
    await expect.poll(() => events.length).toBe(1);
    expect(events[0]).toEqual({ type: 'samples', intervalMs: 60_000, pods: [] });
    expect(api.paths).toEqual(['/apis/metrics.skiff.dev/v1alpha1/pods', '/apis/metrics.k8s.io/v1beta1/pods']);
    sampler.stop();
    await api.close();
    close = undefined;
    const sampler2 = new PodMetricsSampler(api.client, undefined, { intervalMs: 60_000 });
    const errors: PodMetricsEvent[] = [];
    sampler2.subscribe((e) => errors.push(e));
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({ type: 'error', error: { code: 'unreachable' } });
    sampler2.stop();
  });
});
