import { describe, expect, it } from 'vitest';
import { emptyMemory, normalizeWithBehavior, normalizeWithoutBehavior, recordScaleEvent, scaleDownLimit, scaleUpLimit, type ScalingRules } from './hpa-normalize';

const T0 = 1_000_000;
const UP: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
const DOWN: ScalingRules = { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

describe('normalizeWithoutBehavior', () => {
  const args = { min: 1, max: 20, downscaleWindowMs: 300_000 };

  it('limits a scale-up to max(2 × current, 4)', () => {
    const n = normalizeWithoutBehavior(emptyMemory(), { ...args, current: 1, desired: 10 }, T0);
    expect(n).toMatchObject({ replicas: 4, scalingLimited: { status: 'True', reason: 'ScaleUpLimit' }, ableToScale: { reason: 'ReadyForNewScale' } });
    expect(normalizeWithoutBehavior(emptyMemory(), { ...args, current: 5, desired: 8 }, T0)).toMatchObject({ replicas: 8, scalingLimited: { status: 'False', reason: 'DesiredWithinRange' } });
  });

  it('holds the highest recommendation of the downscale window', () => {
    const m = emptyMemory();
    normalizeWithoutBehavior(m, { ...args, current: 5, desired: 5 }, T0);
    const held = normalizeWithoutBehavior(m, { ...args, current: 5, desired: 2 }, T0 + 1000);
    expect(held).toMatchObject({ replicas: 5, ableToScale: { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' } });
    expect(normalizeWithoutBehavior(m, { ...args, current: 5, desired: 2 }, T0 + 301_000)).toMatchObject({ replicas: 2 });
  });

  it('clamps to min and max with their reasons', () => {
    expect(normalizeWithoutBehavior(emptyMemory(), { ...args, min: 2, current: 3, desired: 1 }, T0)).toMatchObject({ replicas: 2, scalingLimited: { status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' } });
    expect(normalizeWithoutBehavior(emptyMemory(), { ...args, max: 6, current: 5, desired: 9 }, T0)).toMatchObject({ replicas: 6, scalingLimited: { status: 'True', reason: 'TooManyReplicas' } });
  });
});

describe('normalizeWithBehavior', () => {
  it('rate-limits a scale-up by the Pods policy per period, counting earlier scale events', () => {
    const m = emptyMemory();
    const up: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] };
    const a = { min: 1, max: 20, scaleUp: up, scaleDown: DOWN };
    const first = normalizeWithBehavior(m, { ...a, current: 2, desired: 10 }, T0);
    expect(first).toMatchObject({ replicas: 4, scalingLimited: { status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' } });
    recordScaleEvent(m, a, 2, 4, T0);
    expect(normalizeWithBehavior(m, { ...a, current: 4, desired: 10 }, T0 + 30_000).replicas).toBe(4);
    expect(normalizeWithBehavior(m, { ...a, current: 4, desired: 10 }, T0 + 61_000).replicas).toBe(6);
  });

  it('selects the biggest change with Max and the smallest with Min; Disabled holds', () => {
    const rules = (selectPolicy: ScalingRules['selectPolicy']): ScalingRules => ({ stabilizationWindowSeconds: 0, selectPolicy, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }, { type: 'Percent', value: 50, periodSeconds: 60 }] });
    expect(scaleDownLimit(10, emptyMemory(), rules('Max'), T0)).toBe(5);
    expect(scaleDownLimit(10, emptyMemory(), rules('Min'), T0)).toBe(9);
    expect(scaleUpLimit(10, emptyMemory(), rules('Max'), T0)).toBe(15);
    expect(scaleUpLimit(10, emptyMemory(), rules('Min'), T0)).toBe(11);
    const disabled = normalizeWithBehavior(emptyMemory(), { min: 1, max: 20, current: 10, desired: 2, scaleUp: UP, scaleDown: rules('Disabled') }, T0);
    expect(disabled).toMatchObject({ replicas: 10, scalingLimited: { status: 'True', reason: 'ScaleDownLimit' } });
  });

  it('stabilizes both ways within the windows', () => {
    const m = emptyMemory();
    const a = { min: 1, max: 20, scaleUp: { ...UP, stabilizationWindowSeconds: 60 }, scaleDown: { ...DOWN, stabilizationWindowSeconds: 5 } };
    normalizeWithBehavior(m, { ...a, current: 2, desired: 3 }, T0);
    const up = normalizeWithBehavior(m, { ...a, current: 2, desired: 6 }, T0 + 1000);
    expect(up).toMatchObject({ replicas: 3, ableToScale: { reason: 'ScaleUpStabilized' } });
    const m2 = emptyMemory();
    normalizeWithBehavior(m2, { ...a, current: 6, desired: 6 }, T0);
    expect(normalizeWithBehavior(m2, { ...a, current: 6, desired: 1 }, T0 + 1000)).toMatchObject({ replicas: 6, ableToScale: { reason: 'ScaleDownStabilized' } });
    expect(normalizeWithBehavior(m2, { ...a, current: 6, desired: 1 }, T0 + 7000)).toMatchObject({ replicas: 1, scalingLimited: { status: 'False' } });
  });

  it('reports min/max as the limit when the rate allows more', () => {
    const a = { min: 3, max: 5, scaleUp: UP, scaleDown: DOWN };
    expect(normalizeWithBehavior(emptyMemory(), { ...a, current: 4, desired: 9 }, T0)).toMatchObject({ replicas: 5, scalingLimited: { reason: 'TooManyReplicas' } });
    expect(normalizeWithBehavior(emptyMemory(), { ...a, scaleDown: { ...DOWN, stabilizationWindowSeconds: 0 }, current: 4, desired: 1 }, T0)).toMatchObject({ replicas: 3, scalingLimited: { reason: 'TooFewReplicas' } });
  });
});
