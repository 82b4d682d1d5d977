import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { formatHpaMetrics, horizontalPodAutoscalerType as hpaType } from './horizontal-pod-autoscaler';

function hpa(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  const h: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec,
  };
  if (status) h.status = status;
  hpaType.applyDefaults(h);
  return h;
}

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('horizontalPodAutoscalerType defaults', () => {
  it('defaults minReplicas and the CPU metric, and leaves behavior absent', () => {
    const h = hpa({ scaleTargetRef: ref, maxReplicas: 5 });
    expect(h.spec).toEqual({
      scaleTargetRef: ref,
      maxReplicas: 5,
      minReplicas: 1,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    });
  });

  it('completes a given behavior with the scale-up and scale-down rules', () => {
    const h = hpa({ scaleTargetRef: ref, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } });
    expect((h.spec as Record<string, unknown>).behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });
});

describe('horizontalPodAutoscalerType validation', () => {
  it('passes a valid HPA', () => {
    expect(hpaType.validate(hpa({ scaleTargetRef: ref, maxReplicas: 5 }))).toEqual([]);
  });

  it('requires the target reference and sane replica bounds', () => {
    const h = hpa({ scaleTargetRef: {}, minReplicas: 3, maxReplicas: 2 });
    expect(hpaType.validate(h).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
      'spec.scaleTargetRef.kind: Required value',
      'spec.scaleTargetRef.name: Required value',
    ]);
    expect(hpaType.validate(hpa({ scaleTargetRef: ref, maxReplicas: 0 })).map((c) => c.message)).toEqual([
      'Invalid value: 0: must be greater than 0',
      'Invalid value: 0: must be greater than or equal to `minReplicas`',
    ]);
  });

  it('checks metric sources', () => {
    const h = hpa({ scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] });
    expect(hpaType.validate(h).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    ]);
  });
});

describe('horizontalPodAutoscalerType table', () => {
  it('prints targets with the resource prefix', () => {
    const h = hpa(
      { scaleTargetRef: ref, maxReplicas: 5 },
      { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50 } } }] },
    );
    expect(hpaType.tableRow(h, Date.parse('2024-05-01T12:02:00Z'))).toEqual(['web', 'Deployment/web', 'cpu: 50%/80%', '1', 5, 2, '2m']);
  });

  it('prints <unknown> before metrics arrive and "+ N more..." after two', () => {
    expect(formatHpaMetrics(hpa({ scaleTargetRef: ref, maxReplicas: 5 }))).toBe('cpu: <unknown>/80%');
    const many = hpa({
      scaleTargetRef: ref,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
      ],
    });
    expect(formatHpaMetrics(many)).toBe('cpu: <unknown>/70%, memory: <unknown>/500Mi + 1 more...');
  });

  it('clears status on create', () => {
    const h = hpa({ scaleTargetRef: ref, maxReplicas: 5 }, { currentReplicas: 9 });
    hpaType.prepareForCreate?.(h);
    expect(h.status).toEqual({ desiredReplicas: 0 });
  });
});
