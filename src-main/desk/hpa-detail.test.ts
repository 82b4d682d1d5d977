import { describe, expect, it } from 'vitest';
import { toHpaDetail } from './hpa-detail';

// autoscaling/v2 as the API server returns it after a few reconciles (trimmed).
const HPA = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', resourceVersion: '42' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '200Mi' } } },
    ],
  },
  status: {
    currentReplicas: 3,
    desiredReplicas: 4,
    lastScaleTime: '2026-11-28T17:59:00Z',
    currentMetrics: [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 72, averageValue: '36m' } } },
      { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, current: { averageValue: '12500m' } } },
    ],
    conditions: [
      { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4', lastTransitionTime: '2026-11-28T17:59:00Z' },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound' },
    ],
  },
};

const EVENTS = {
  items: [
    { reason: 'SuccessfulRescale', message: 'New size: 4; reason: cpu resource utilization (percentage of request) above target', lastTimestamp: '2026-11-28T17:59:00Z', count: 1, involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'web' } },
    { reason: 'SuccessfulRescale', message: 'New size: 3; reason: pods metric requests_per_second above target', lastTimestamp: '2026-11-28T17:50:00Z', count: 2, involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'web' } },
    { reason: 'FailedGetResourceMetric', message: 'unable to get metrics', involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'web' } },
    { reason: 'SuccessfulRescale', message: 'a Deployment named web', involvedObject: { kind: 'Deployment', name: 'web' } },
  ],
};

describe('toHpaDetail', () => {
  it('pairs every spec metric with its current value, as kubectl describe shows them', () => {
    const d = toHpaDetail(HPA, EVENTS);
    expect(d).toMatchObject({ name: 'web', namespace: 'default', minReplicas: 2, maxReplicas: 10, currentReplicas: 3, desiredReplicas: 4, lastScaleTime: '2026-11-28T17:59:00Z' });
    expect(d.target).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' });
    expect(d.metrics).toEqual([
      { type: 'Resource', name: 'cpu', target: '50%', current: '72%' },
      { type: 'Pods', name: 'requests_per_second', target: '10', current: '12500m' },
      { type: 'Resource', name: 'memory', target: '200Mi', current: null },
    ]);
    expect(d.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['AbleToScale=True', 'ScalingActive=True']);
  });

  it('lists only the HPA\'s SuccessfulRescale events, oldest first', () => {
    const d = toHpaDetail(HPA, EVENTS);
    expect(d.scalingDecisions.map((s) => s.message.slice(0, 11))).toEqual(['New size: 3', 'New size: 4']);
    expect(d.scalingDecisions[0].count).toBe(2);
  });

  it('survives garbage', () => {
    for (const body of [null, 'x', 42, [], { spec: 'x', status: [] }]) {
      const d = toHpaDetail(body, body);
      expect(d.metrics).toEqual([]);
      expect(d.scalingDecisions).toEqual([]);
      expect(d.minReplicas).toBe(1);
    }
  });
});
