import { describe, expect, it } from 'vitest';
import { averageValueReplicas, DEFAULT_CALCULATOR_CONFIG, groupPods, resourceUtilizationReplicas, utilizationRatio, type CalculatorConfig, type HpaPod, type HpaPodMetric } from './hpa-replica-calculator';

const NOW = 10_000_000;
const cfg: CalculatorConfig = { ...DEFAULT_CALCULATOR_CONFIG, now: NOW };
const LONG_AGO = NOW - 10 * 60_000;

function pod(name: string, o: Partial<HpaPod> & { request?: number } = {}): HpaPod {
  return { name, phase: 'Running', deleting: false, ready: 'True', readyTransitionMs: LONG_AGO, startTimeMs: LONG_AGO, requests: [{ container: 'app', value: o.request ?? 1 }], ...o };
}

function metrics(values: Record<string, number>, timestampMs = NOW): Map<string, HpaPodMetric> {
  return new Map(Object.entries(values).map(([k, v]) => [k, { value: v, timestampMs, windowMs: 15_000 }]));
}

describe('resourceUtilizationReplicas', () => {
  it('scales up by ceil(ready pods × utilization / target)', () => {
    const r = resourceUtilizationReplicas(3, 30, 'cpu', undefined, [pod('a'), pod('b'), pod('c')], metrics({ a: 0.9, b: 0.9, c: 0.9 }), cfg);
    expect(r).toMatchObject({ ok: true, replicas: 9, utilization: 90 });
  });

  it('changes nothing within the 10% tolerance', () => {
    const r = resourceUtilizationReplicas(2, 50, 'cpu', undefined, [pod('a'), pod('b')], metrics({ a: 0.54, b: 0.5 }), cfg);
    expect(r).toMatchObject({ ok: true, replicas: 2, utilization: 52 });
  });

  it('scales down, truncating utilization to whole percent as Go does', () => {
    const r = resourceUtilizationReplicas(4, 50, 'cpu', undefined, [pod('a'), pod('b'), pod('c'), pod('d')], metrics({ a: 0.1, b: 0.1, c: 0.1, d: 0.1 }), cfg);
    expect(r).toMatchObject({ ok: true, replicas: 1, utilization: 10 });
    expect(utilizationRatio(metrics({ a: 0.2 }), new Map([['a', 0.3]]), 50)).toMatchObject({ utilization: 66 });
  });

  it('on a scale-down counts a pod without metrics as using its whole request', () => {
    const pods = [pod('a'), pod('b'), pod('c'), pod('d')];
    const r = resourceUtilizationReplicas(4, 50, 'cpu', undefined, pods, metrics({ a: 0.1, b: 0.1, c: 0.1 }), cfg);
    // (0.3 + 1) / 4 = 32% → ratio 0.64 → ceil(0.64 × 4) = 3, not the 1 the three measured pods alone suggest
    expect(r).toMatchObject({ ok: true, replicas: 3, utilization: 10 });
  });

  it('on a scale-up counts a pod without metrics as using nothing', () => {
    const r = resourceUtilizationReplicas(3, 50, 'cpu', undefined, [pod('a'), pod('b'), pod('c')], metrics({ a: 1, b: 1 }), cfg);
    // 2 / 3 = 66% → 1.32 × 3 → 4
    expect(r).toMatchObject({ ok: true, replicas: 4 });
  });

  it('keeps the current count when the missing pods would flip the direction', () => {
    const r = resourceUtilizationReplicas(2, 50, 'cpu', undefined, [pod('a'), pod('b')], metrics({ a: 0.4 }), cfg);
    // 40% alone says down; with b at 100% of its request it is 70%: up. Neither: stay.
    expect(r).toMatchObject({ ok: true, replicas: 2 });
  });

  it('counts pending pods as using nothing on a scale-up, and ignores failed and deleting pods', () => {
    const pods = [pod('a'), pod('p', { phase: 'Pending' }), pod('f', { phase: 'Failed' }), pod('d', { deleting: true })];
    const r = resourceUtilizationReplicas(2, 50, 'cpu', undefined, pods, metrics({ a: 1, f: 5, d: 5 }), cfg);
    // a alone: 100% → ratio 2; with p at 0: 50% → within tolerance → stay
    expect(r).toMatchObject({ ok: true, replicas: 2, utilization: 100 });
  });

  it('ignores the CPU of a young pod until a full window after it became ready', () => {
    const young = pod('y', { startTimeMs: NOW - 20_000, readyTransitionMs: NOW - 10_000 });
    const g = groupPods([pod('a'), young], metrics({ a: 0.5, y: 0.5 }), 'cpu', cfg);
    expect([...g.unready]).toEqual(['y']);
    expect(g.readyPodCount).toBe(1);
    // memory has no readiness rules
    expect(groupPods([pod('a'), young], metrics({ a: 1, y: 1 }), 'memory', cfg).readyPodCount).toBe(2);
    // a pod unready since start (never ready) is ignored after initialization too
    const never = pod('n', { ready: 'False', startTimeMs: LONG_AGO, readyTransitionMs: LONG_AGO + 1000 });
    expect([...groupPods([never], metrics({ n: 1 }), 'cpu', cfg).unready]).toEqual(['n']);
  });

  it('fails with the controller’s messages', () => {
    expect(resourceUtilizationReplicas(1, 50, 'cpu', undefined, [pod('a')], new Map(), cfg)).toEqual({ ok: false, error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' });
    expect(resourceUtilizationReplicas(1, 50, 'cpu', undefined, [], metrics({ a: 1 }), cfg)).toEqual({ ok: false, error: 'no pods returned by selector while calculating replica count' });
    expect(resourceUtilizationReplicas(1, 50, 'cpu', undefined, [pod('a', { requests: [{ container: 'app', value: undefined }] })], metrics({ a: 1 }), cfg)).toEqual({
      ok: false,
      error: 'missing request for cpu in container app of Pod a',
    });
    expect(resourceUtilizationReplicas(1, 50, 'cpu', undefined, [pod('a', { phase: 'Pending' })], metrics({ a: 1 }), cfg)).toEqual({ ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' });
  });

  it('uses only the named container’s request for ContainerResource', () => {
    const p = pod('a', { requests: [{ container: 'app', value: 0.5 }, { container: 'side', value: undefined }] });
    expect(resourceUtilizationReplicas(1, 50, 'cpu', 'app', [p], metrics({ a: 0.5 }), cfg)).toMatchObject({ ok: true, replicas: 2, utilization: 100 });
  });
});

describe('averageValueReplicas', () => {
  it('scales on the average against the target', () => {
    expect(averageValueReplicas(3, 10, '', [pod('a'), pod('b'), pod('c')], metrics({ a: 15, b: 15, c: 15 }), cfg)).toMatchObject({ ok: true, replicas: 5, averageValue: 15 });
    expect(averageValueReplicas(3, 10, '', [pod('a'), pod('b'), pod('c')], metrics({ a: 10.5, b: 10.5, c: 10.5 }), cfg)).toMatchObject({ ok: true, replicas: 3 });
    expect(averageValueReplicas(3, 10, '', [pod('a'), pod('b'), pod('c')], metrics({ a: 0, b: 0, c: 0 }), cfg)).toMatchObject({ ok: true, replicas: 0 });
  });

  it('counts missing pods at the target on the way down and at zero on the way up', () => {
    // down: a=2, b missing→10: avg 6 → 0.6 × 2 → 2 (stay), not ceil(0.2 × 1) = 1
    expect(averageValueReplicas(2, 10, '', [pod('a'), pod('b')], metrics({ a: 2 }), cfg)).toMatchObject({ ok: true, replicas: 2 });
    // up: a=30, b missing→0: avg 15 → 1.5 × 2 = 3
    expect(averageValueReplicas(2, 10, '', [pod('a'), pod('b')], metrics({ a: 30 }), cfg)).toMatchObject({ ok: true, replicas: 3 });
  });
});
