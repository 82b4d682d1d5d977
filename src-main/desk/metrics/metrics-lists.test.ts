import { describe, expect, it } from 'vitest';
import { POD_METRICS_LIST, REQUESTS_PER_SECOND_LIST } from './metrics-fixtures';
import { parseMetricValueList, parsePodMetricsList } from './metrics-lists';
import { UsageHistory } from './usage-history';

describe('metrics API responses', () => {
  it('sums the containers of each PodMetrics and skips unusable items', () => {
    const pods = parsePodMetricsList(POD_METRICS_LIST);
    expect(pods.map((p) => p.name)).toEqual(['web-7d4b9c-abcde', 'db-0']);
    expect(pods[0].cpuMillicores).toBeCloseTo(12.345678 + 2);
    expect(pods[0].memoryBytes).toBe(24 * 2 ** 20 + 8192 * 1024);
    expect(pods[0].timestamp).toBe(Date.parse('2026-11-28T18:00:00Z'));
    expect(pods[1]).toMatchObject({ namespace: 'data', cpuMillicores: 1000, memoryBytes: 2 ** 30 });
  });

  it('reads per-pod values of a MetricValueList', () => {
    const values = parseMetricValueList(REQUESTS_PER_SECOND_LIST);
    expect(values).toEqual([
      { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c-abcde', metricName: 'requests_per_second', value: 1.5 },
      { kind: 'Pod', namespace: 'default', name: 'web-7d4b9c-fghij', metricName: 'requests_per_second', value: 42 },
    ]);
  });

  it('treats garbage as no samples', () => {
    for (const body of [null, 'text', 42, [], { items: 'x' }, { items: [null, 1, 'a', []] }]) {
      expect(parsePodMetricsList(body)).toEqual([]);
      expect(parseMetricValueList(body)).toEqual([]);
    }
  });
});

describe('UsageHistory', () => {
  const sample = (name: string, t: number | null, cpu = 1) => ({ namespace: 'default', name, timestamp: t, cpuMillicores: cpu, memoryBytes: 100 });

  it('keeps at most `capacity` points per pod, oldest dropped, and one point per measurement', () => {
    const h = new UsageHistory(3);
    for (let i = 0; i < 5; i++) h.record([sample('a', i * 1000, i)], 0);
    h.record([sample('a', 4000, 9)], 0);
    expect(h.series()[0].points.map((p) => p.cpuMillicores)).toEqual([2, 3, 4]);
    h.record([sample('b', null)], 77);
    expect(h.series().find((s) => s.name === 'b')?.points[0].t).toBe(77);
  });

  it('forgets a pod that is missing for a whole window', () => {
    const h = new UsageHistory(3);
    h.record([sample('gone', 1)], 0);
    h.record([], 0);
    h.record([], 0);
    expect(h.size).toBe(1);
    h.record([], 0);
    expect(h.size).toBe(0);
  });
});
