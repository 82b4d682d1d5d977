import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { StatusError } from '../status';
import { BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION, hpaV1ToV2, hpaV2ToV1 } from './hpa-v1-conversion';

const meta = { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', labels: { app: 'web' } };

function v1(spec: Record<string, unknown>, status?: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta, ...(annotations ? { annotations } : {}) },
    spec,
    ...(status ? { status } : {}),
  };
}

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const cpu = (u: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } });

describe('autoscaling/v1 → v2 → v1', () => {
  it('is lossless for a v1 object with a CPU target and status', () => {
    const obj = v1(
      { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
      { observedGeneration: 3, lastScaleTime: '2026-01-01T00:00:00Z', currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 75 },
    );
    const v2 = hpaV1ToV2(obj);
    expect(v2).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta,
      spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5, metrics: [cpu(50)] },
      status: {
        observedGeneration: 3,
        lastScaleTime: '2026-01-01T00:00:00Z',
        currentReplicas: 2,
        desiredReplicas: 3,
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75 } } }],
      },
    });
    // the status now carries a current metric: v1 keeps it (with its raw value) in an annotation as well
    const back = hpaV2ToV1(v2);
    expect(back.spec).toEqual(obj.spec);
    expect(back.status).toEqual(obj.status);
    expect(JSON.parse(back.metadata.annotations?.[METRIC_STATUSES_ANNOTATION] ?? '')).toEqual([
      { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 75, currentAverageValue: '0' } },
    ]);
    // ... and that annotation reads back into the same v2 object
    expect(hpaV1ToV2(back)).toEqual({ ...v2, status: { ...(v2.status as object), currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 75, averageValue: '0' } } }] } });
  });

  it('is lossless without a CPU target (v1 defaults it to 80% explicitly, as the conversion does)', () => {
    const obj = v1({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 });
    const v2 = hpaV1ToV2(obj);
    expect(v2.spec).toEqual({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, metrics: [cpu(80)] });
    expect(v2.status).toBeUndefined();
    expect(hpaV2ToV1(v2).spec).toEqual({ scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, targetCPUUtilizationPercentage: 80 });
  });

  it('keeps user annotations and drops only the round-trip ones', () => {
    const obj = v1({ scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 60 }, undefined, { team: 'a', [METRIC_SPECS_ANNOTATION]: '[]' });
    const v2 = hpaV1ToV2(obj);
    expect(v2.metadata.annotations).toEqual({ team: 'a' });
    expect(hpaV2ToV1(v2).metadata.annotations).toEqual({ team: 'a' });
  });
});

describe('autoscaling/v2 → v1 → v2', () => {
  const stored: KubeObject = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta, annotations: { team: 'a' } },
    spec: {
      scaleTargetRef: ref,
      minReplicas: 1,
      maxReplicas: 10,
      // conversion.go rebuilds the list as the other metrics, then the CPU one: written in that order it round-trips exactly
      metrics: [
        { type: 'Pods', pods: { metric: { name: 'requests_per_second', selector: { matchLabels: { a: 'b' } } }, target: { type: 'AverageValue', averageValue: '10' } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metric: { name: 'hits' }, target: { type: 'Value', value: '5' } } },
        { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'hits' }, target: { type: 'AverageValue', averageValue: '2' } } },
        { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'Value', value: '30' } } },
        { type: 'External', external: { metric: { name: 'queue2' }, target: { type: 'AverageValue', averageValue: '3' } } },
        cpu(50),
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 5, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      },
    },
    status: {
      observedGeneration: 2,
      currentReplicas: 3,
      desiredReplicas: 4,
      currentMetrics: [
        { type: 'Pods', pods: { metric: { name: 'requests_per_second' }, current: { averageValue: '12' } } },
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55, averageValue: '110m' } } },
        { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'hits' }, current: { value: '4' } } },
        { type: 'External', external: { metric: { name: 'queue' }, current: { value: '20', averageValue: '5' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 60, averageValue: '120m' } } },
      ],
      conditions: [
        { type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
        { type: 'ScalingActive', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ValidMetricFound', message: 'ok' },
      ],
    },
  };

  it('shows v1 the CPU target and keeps the rest in the autoscaling.alpha.kubernetes.io annotations', () => {
    const asV1 = hpaV2ToV1(stored);
    expect(asV1.apiVersion).toBe('autoscaling/v1');
    expect(asV1.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(asV1.status).toEqual({ observedGeneration: 2, currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 55 });
    const a = asV1.metadata.annotations ?? {};
    expect(Object.keys(a).sort()).toEqual([BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, METRIC_STATUSES_ANNOTATION, METRIC_SPECS_ANNOTATION, 'team'].sort());
    // v1's MetricSpec is the v2beta1 shape
    const specs = JSON.parse(a[METRIC_SPECS_ANNOTATION]) as unknown[];
    expect(specs).toHaveLength(7);
    expect(specs[0]).toEqual({ type: 'Pods', pods: { metricName: 'requests_per_second', targetAverageValue: '10', selector: { matchLabels: { a: 'b' } } } });
    expect(specs[1]).toEqual({ type: 'Resource', resource: { name: 'memory', targetAverageValue: '100Mi' } });
    expect(specs[3]).toEqual({ type: 'Object', object: { target: { apiVersion: 'v1', kind: 'Service', name: 'web' }, metricName: 'hits', targetValue: '5' } });
    expect(specs[5]).toEqual({ type: 'External', external: { metricName: 'queue', metricSelector: { matchLabels: { q: 'jobs' } }, targetValue: '30' } });
    // behavior is the internal Go struct's JSON: field names without json tags
    expect(JSON.parse(a[BEHAVIOR_ANNOTATION])).toEqual({
      ScaleUp: { StabilizationWindowSeconds: 0, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 4, PeriodSeconds: 15 }, { Type: 'Percent', Value: 100, PeriodSeconds: 15 }] },
      ScaleDown: { StabilizationWindowSeconds: 5, SelectPolicy: 'Min', Policies: [{ Type: 'Percent', Value: 100, PeriodSeconds: 15 }] },
    });
    expect(JSON.parse(a[CONDITIONS_ANNOTATION])).toEqual((stored.status as { conditions: unknown }).conditions);
  });

  it('comes back to the same v2 object through the annotations', () => {
    expect(hpaV1ToV2(hpaV2ToV1(stored))).toEqual(stored);
  });

  it('reorders the CPU metric last, as conversion.go rebuilds the list', () => {
    const obj = structuredClone(stored);
    const spec = obj.spec as { metrics: unknown[] };
    spec.metrics = [cpu(50), ...spec.metrics.slice(0, 1)];
    const back = hpaV1ToV2(hpaV2ToV1(obj));
    expect((back.spec as { metrics: unknown[] }).metrics).toEqual([spec.metrics[1], cpu(50)]);
  });

  it('ignores round-trip annotations a stored object carries, and a v2 object without them gets none', () => {
    const obj: KubeObject = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'x', annotations: { [METRIC_SPECS_ANNOTATION]: 'garbage' } },
      spec: { scaleTargetRef: ref, maxReplicas: 2, metrics: [cpu(70)] },
      status: { desiredReplicas: 0 },
    };
    const asV1 = hpaV2ToV1(obj);
    expect(asV1.metadata.annotations).toBeUndefined();
    expect(asV1.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
  });
});

describe('bad v1 input', () => {
  const status = (fn: () => unknown): StatusError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof StatusError) return err;
      throw err;
    }
    throw new Error('no error');
  };

  it('refuses a targetCPUUtilizationPercentage that is not an integer with 422', () => {
    const err = status(() => hpaV1ToV2(v1({ scaleTargetRef: ref, maxReplicas: 2, targetCPUUtilizationPercentage: '50%' })));
    expect(err.code).toBe(422);
    expect(err.toStatus().details?.causes).toEqual([{ reason: 'FieldValueInvalid', field: 'spec.targetCPUUtilizationPercentage', message: 'Invalid value: "50%": must be an integer' }]);
  });

  it('refuses round-trip annotations that are not JSON arrays with 400', () => {
    expect(status(() => hpaV1ToV2(v1({ scaleTargetRef: ref, maxReplicas: 2 }, undefined, { [METRIC_SPECS_ANNOTATION]: '{' }))).code).toBe(400);
    expect(status(() => hpaV1ToV2(v1({ scaleTargetRef: ref, maxReplicas: 2 }, undefined, { [CONDITIONS_ANNOTATION]: '{"a":1}' }))).code).toBe(400);
  });

  it('drops a behavior annotation that is not well-formed, as conversion.go does', () => {
    const v2 = hpaV1ToV2(v1({ scaleTargetRef: ref, maxReplicas: 2 }, undefined, { [BEHAVIOR_ANNOTATION]: 'nope', keep: 'me' }));
    expect((v2.spec as { behavior?: unknown }).behavior).toBeUndefined();
    expect(v2.metadata.annotations).toEqual({ keep: 'me' });
  });

  it('reads the behavior annotation case-insensitively, as encoding/json does', () => {
    const v2 = hpaV1ToV2(v1({ scaleTargetRef: ref, maxReplicas: 2 }, undefined, { [BEHAVIOR_ANNOTATION]: '{"scaleDown":{"stabilizationWindowSeconds":7,"policies":[{"type":"Pods","value":1,"periodSeconds":10}]}}' }));
    expect((v2.spec as { behavior?: unknown }).behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 7, policies: [{ type: 'Pods', value: 1, periodSeconds: 10 }] } });
  });
});
