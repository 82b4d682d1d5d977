/**
 * metrics.k8s.io/v1beta1 (PodMetrics, NodeMetrics: what `kubectl top` reads, shaped as metrics-server
 * answers) and custom.metrics.k8s.io/v1beta1 (the pods metric `requests_per_second` from the service load
 * balancer's PodTraffic), served by the engine itself from the stats collector.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiExtension } from '../api/api-extension';
import { sendJson } from '../api/http-io';
import type { ObjectService } from '../api/object-service';
import type { ResourceRequest } from '../api/request-info';
import { formatTime } from '../controllers/object-source';
import type { KubeObject } from '../object';
import { notFound, notFoundPath, StatusError } from '../status';
import type { PodTraffic } from './pod-traffic';
import type { PodMetricsSource, UsagePoint } from './stats-collector';

export const METRICS_GROUP = 'metrics.k8s.io';
export const CUSTOM_METRICS_GROUP = 'custom.metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
/** The one custom pods metric the engine knows. */
export const REQUESTS_PER_SECOND = 'requests_per_second';
/** PodTraffic's default window, reported as windowSeconds. */
const TRAFFIC_WINDOW_SECONDS = 30;

/** CPU as metrics-server writes it: nanocores. */
export function cpuQuantity(cores: number): string {
  return `${Math.max(0, Math.round(cores * 1e9))}n`;
}

/** Memory as metrics-server writes it: kibibytes. */
export function memoryQuantity(bytes: number): string {
  return `${Math.max(0, Math.round(bytes / 1024))}Ki`;
}

/** A Go duration string (metav1.Duration) of whole milliseconds, e.g. "5.012s". */
export function goDurationMs(ms: number): string {
  const s = (Math.max(0, Math.round(ms)) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return `${s}s`;
}

/** A rate as a milli-quantity, the way custom metrics adapters write fractional values ("1500m"). */
export function rateQuantity(rate: number): string {
  const milli = Math.max(0, Math.round(rate * 1000));
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

const metricsNotFound = (plural: string, name: string): StatusError => notFound(METRICS_GROUP, plural, name);

/** The label and field selectors of a list request. */
export function selectorOptions(query: URLSearchParams): { labelSelector?: string; fieldSelector?: string } {
  return { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined };
}

export interface MetricsApiOptions {
  service: ObjectService;
  source: PodMetricsSource;
  /** the node whose usage nodeUsage() reports */
  nodeName: string;
}

/** metrics.k8s.io/v1beta1: pods (namespaced) and nodes, get and list with label/field selectors. */
export function metricsApi(opts: MetricsApiOptions): ApiExtension {
  const { service, source } = opts;
  const podMetrics = (pod: KubeObject): Record<string, unknown> | undefined => {
    const u = source.podUsage(pod.metadata.namespace ?? '', pod.metadata.name ?? '');
    if (!u || u.uid !== pod.metadata.uid) return undefined;
    return {
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, creationTimestamp: formatTime(Date.now()), labels: pod.metadata.labels ?? {} },
      timestamp: formatTime(u.timestampMs),
      window: goDurationMs(u.windowMs),
      containers: u.containers.map((c) => ({ name: c.name, usage: { cpu: cpuQuantity(c.cpuCores), memory: memoryQuantity(c.memoryBytes) } })),
    };
  };
  const nodeMetrics = (node: KubeObject, u: UsagePoint | undefined): Record<string, unknown> | undefined => {
    if (!u || node.metadata.name !== opts.nodeName) return undefined;
    return {
      metadata: { name: node.metadata.name, creationTimestamp: formatTime(Date.now()), labels: node.metadata.labels ?? {} },
      timestamp: formatTime(u.timestampMs),
      window: goDurationMs(u.windowMs),
      usage: { cpu: cpuQuantity(u.cpuCores), memory: memoryQuantity(u.memoryBytes) },
    };
  };
  const typed = (kind: string, o: Record<string, unknown>): Record<string, unknown> => ({ kind, apiVersion: `${METRICS_GROUP}/${METRICS_VERSION}`, ...o });
  return {
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    resources: [
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
    ],
    handle(_req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): void {
      if (info.subresource !== '') throw notFoundPath();
      if (info.resource === 'pods') {
        const podType = service.typeOf('pods');
        if (!podType) throw metricsNotFound('pods', info.name);
        if (info.name !== '') {
          if (info.namespace === '') throw metricsNotFound('pods', info.name);
          const pod = service.tryGet(podType, info.namespace, info.name);
          const m = pod ? podMetrics(pod) : undefined;
          if (!m) throw metricsNotFound('pods', info.name);
          return sendJson(res, 200, typed('PodMetrics', m));
        }
        const pods = service.list(podType, info.namespace, selectorOptions(query)).items;
        const items = pods.map(podMetrics).filter((m): m is Record<string, unknown> => m !== undefined);
        return sendJson(res, 200, typed('PodMetricsList', { metadata: {}, items }));
      }
      if (info.resource === 'nodes') {
        if (info.namespace !== '') throw notFoundPath();
        const nodeType = service.typeOf('nodes');
        if (!nodeType) throw metricsNotFound('nodes', info.name);
        const usage = source.nodeUsage();
        if (info.name !== '') {
          const node = service.tryGet(nodeType, '', info.name);
          const m = node ? nodeMetrics(node, usage) : undefined;
          if (!m) throw metricsNotFound('nodes', info.name);
          return sendJson(res, 200, typed('NodeMetrics', m));
        }
        const nodes = service.list(nodeType, '', selectorOptions(query)).items;
        const items = nodes.map((n) => nodeMetrics(n, usage)).filter((m): m is Record<string, unknown> => m !== undefined);
        return sendJson(res, 200, typed('NodeMetricsList', { metadata: {}, items }));
      }
      throw notFoundPath();
    },
  };
}

export interface CustomMetricsApiOptions {
  service: ObjectService;
  traffic: PodTraffic;
}

/** custom.metrics.k8s.io/v1beta1: GET namespaces/{ns}/pods/{name|*}/requests_per_second → MetricValueList. */
export function customMetricsApi(opts: CustomMetricsApiOptions): ApiExtension {
  const { service, traffic } = opts;
  return {
    group: CUSTOM_METRICS_GROUP,
    version: METRICS_VERSION,
    resources: [{ name: `pods/${REQUESTS_PER_SECOND}`, singularName: '', namespaced: true, kind: 'MetricValueList', verbs: ['get'] }],
    handle(_req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): void {
      const metric = info.subresource;
      if (info.resource !== 'pods' || info.name === '' || info.namespace === '') {
        throw notFoundPath();
      }
      if (metric !== REQUESTS_PER_SECOND) {
        throw new StatusError(404, 'NotFound', `the server could not find the metric ${metric || '<none>'} for pods (known: ${REQUESTS_PER_SECOND})`, { group: CUSTOM_METRICS_GROUP, kind: 'pods' });
      }
      const podType = service.typeOf('pods');
      if (!podType) throw new StatusError(404, 'NotFound', 'pods are not served', {});
      const pods = info.name === '*' ? service.list(podType, info.namespace, selectorOptions(query)).items : [service.get(podType, info.namespace, info.name)];
      const now = formatTime(Date.now());
      const items: Array<Record<string, unknown>> = [];
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp) continue;
        const rate = traffic.requestRate(info.namespace, pod.metadata.name ?? '');
        if (rate === undefined || !Number.isFinite(rate)) continue;
        items.push({
          describedObject: { kind: 'Pod', namespace: info.namespace, name: pod.metadata.name, apiVersion: '/v1' },
          metricName: REQUESTS_PER_SECOND,
          timestamp: now,
          windowSeconds: TRAFFIC_WINDOW_SECONDS,
          value: rateQuantity(rate),
        });
      }
      if (info.name !== '*' && items.length === 0) {
        throw new StatusError(404, 'NotFound', `the server could not find the metric ${REQUESTS_PER_SECOND} for pods ${info.name}`, { name: info.name, group: CUSTOM_METRICS_GROUP, kind: 'pods' });
      }
      sendJson(res, 200, { kind: 'MetricValueList', apiVersion: `${CUSTOM_METRICS_GROUP}/${METRICS_VERSION}`, metadata: {}, items });
    },
  };
}
