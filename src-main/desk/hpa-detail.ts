import type { HpaDetail, HpaMetricView, ScalingDecision } from '../contract/observability';
import type { ContextClient } from './context-registry';
import { collectionPath, objectPath } from './kind-catalog';
import { kubeRequest } from './kube-http';
import { count, list, quantity, record, text, time } from './json-fields';

/** A MetricTarget as kubectl describe prints it: "50%" (utilization), "200Mi" (average), "10" (value). */
function targetText(target: Record<string, unknown>): string {
  if (target.averageUtilization !== undefined) return `${count(target.averageUtilization)}%`;
  return quantity(target.averageValue) ?? quantity(target.value) ?? '?';
}

function currentText(current: Record<string, unknown>): string | null {
  if (current.averageUtilization !== undefined) return `${count(current.averageUtilization)}%`;
  return quantity(current.averageValue) ?? quantity(current.value);
}

const SOURCE_FIELD: Record<string, string> = {
  Resource: 'resource',
  ContainerResource: 'containerResource',
  Pods: 'pods',
  Object: 'object',
  External: 'external',
};

/** The name of a metric of any type: the resource name, or metric.name. */
function metricName(source: Record<string, unknown>): string {
  return text(source.name) ?? text(record(source.metric).name) ?? '?';
}

/** Spec metrics (autoscaling/v2) paired with the status's current values, in spec order. */
export function hpaMetrics(spec: Record<string, unknown>, status: Record<string, unknown>): HpaMetricView[] {
  const currents = list(status.currentMetrics).map(record);
  return list(spec.metrics)
    .map(record)
    .map((metric) => {
      const type = text(metric.type) ?? '?';
      const field = SOURCE_FIELD[type] ?? '';
      const source = record(metric[field]);
      const name = metricName(source);
      const current = currents.find((c) => text(c.type) === type && metricName(record(c[field])) === name);
      return { type, name, target: targetText(record(source.target)), current: current === undefined ? null : currentText(record(record(current[field]).current)) };
    });
}

/** SuccessfulRescale events of the HPA, newest last (at most the last 20). */
export function scalingDecisions(events: unknown, name: string): ScalingDecision[] {
  return list(record(events).items)
    .map(record)
    .filter((e) => text(e.reason) === 'SuccessfulRescale' && text(record(e.involvedObject).name) === name && text(record(e.involvedObject).kind) === 'HorizontalPodAutoscaler')
    .map((e) => ({ time: time(e.lastTimestamp) ?? time(e.eventTime) ?? time(record(e.metadata).creationTimestamp), message: text(e.message) ?? '', count: Math.max(1, count(e.count)) }))
    .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))
    .slice(-20);
}

export function toHpaDetail(hpa: unknown, events: unknown): HpaDetail {
  const object = record(hpa);
  const meta = record(object.metadata);
  const spec = record(object.spec);
  const status = record(object.status);
  const ref = record(spec.scaleTargetRef);
  const name = text(meta.name) ?? '';
  return {
    name,
    namespace: text(meta.namespace) ?? '',
    target: { apiVersion: text(ref.apiVersion), kind: text(ref.kind) ?? '?', name: text(ref.name) ?? '?' },
    minReplicas: spec.minReplicas === undefined ? 1 : count(spec.minReplicas),
    maxReplicas: count(spec.maxReplicas),
    currentReplicas: count(status.currentReplicas),
    desiredReplicas: count(status.desiredReplicas),
    lastScaleTime: time(status.lastScaleTime),
    metrics: hpaMetrics(spec, status),
    conditions: list(status.conditions)
      .map(record)
      .map((c) => ({ type: text(c.type) ?? '', status: text(c.status) ?? '', reason: text(c.reason), message: text(c.message), lastTransitionTime: time(c.lastTransitionTime) })),
    scalingDecisions: scalingDecisions(events, name),
  };
}

export async function hpaDetail(client: ContextClient, namespace: string, name: string): Promise<HpaDetail> {
  const hpa = await kubeRequest(client.config, { method: 'GET', path: objectPath('hpa', namespace, name) });
  const events = await kubeRequest(client.config, {
    method: 'GET',
    path: collectionPath('events', namespace),
    query: { fieldSelector: `involvedObject.name=${name}` },
  }).catch(() => ({ items: [] }));
  return toHpaDetail(hpa, events);
}
