/**
 * metrics.skiff.dev/v1alpha1: the few minutes of usage history the stats collector keeps per pod and for the
 * node, so that the console's charts open with history instead of empty. metrics.k8s.io serves only the
 * latest sample (as metrics-server does); this group is the engine's own, served beside it like any
 * aggregated API, and a console that finds it missing (any other cluster) just starts its charts empty.
 *
 * Shapes follow metrics.k8s.io's: a point is `{timestamp, window, usage: {cpu, memory}}` with the same
 * quantities (nanocores, Ki) and the same second-precision timestamps as the PodMetrics of that sample, so a
 * client that also polls metrics.k8s.io can tell a point it has from a new one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiExtension } from '../api/api-extension';
import { sendJson } from '../api/http-io';
import type { ObjectService } from '../api/object-service';
import type { ResourceRequest } from '../api/request-info';
import { formatTime, parseTime } from '../controllers/object-source';
import type { KubeObject } from '../object';
import { notFound, notFoundPath } from '../status';
import { cpuQuantity, goDurationMs, memoryQuantity, selectorOptions } from './metrics-api';
import type { UsagePoint } from './stats-collector';

export const METRICS_HISTORY_GROUP = 'metrics.skiff.dev';
export const METRICS_HISTORY_VERSION = 'v1alpha1';

/** What the history API reads: the stats collector (or a fixed fake in unit tests). */
export interface MetricsHistorySource {
  podHistory(namespace: string, name: string): UsagePoint[];
  nodeHistory(): UsagePoint[];
}

export interface MetricsHistoryApiOptions {
  service: ObjectService;
  source: MetricsHistorySource;
  /** the node whose usage nodeHistory() reports */
  nodeName: string;
}

function point(p: UsagePoint): Record<string, unknown> {
  return { timestamp: formatTime(p.timestampMs), window: goDurationMs(p.windowMs), usage: { cpu: cpuQuantity(p.cpuCores), memory: memoryQuantity(p.memoryBytes) } };
}

/** pods (namespaced) and nodes, get and list with label/field selectors: each item's points, oldest first. */
export function metricsHistoryApi(opts: MetricsHistoryApiOptions): ApiExtension {
  const { service, source } = opts;
  const typed = (kind: string, o: Record<string, unknown>): Record<string, unknown> => ({ kind, apiVersion: `${METRICS_HISTORY_GROUP}/${METRICS_HISTORY_VERSION}`, ...o });
  const podHistory = (pod: KubeObject): Record<string, unknown> => {
    // History is kept by name: a pod made again under the same name gets none of its predecessor's points.
    const since = parseTime(pod.metadata.creationTimestamp) ?? 0;
    const points = source.podHistory(pod.metadata.namespace ?? '', pod.metadata.name ?? '').filter((p) => p.timestampMs >= since - 1000);
    return { metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace, labels: pod.metadata.labels ?? {} }, points: points.map(point) };
  };
  const nodeHistory = (node: KubeObject): Record<string, unknown> => ({
    metadata: { name: node.metadata.name, labels: node.metadata.labels ?? {} },
    points: node.metadata.name === opts.nodeName ? source.nodeHistory().map(point) : [],
  });
  return {
    group: METRICS_HISTORY_GROUP,
    version: METRICS_HISTORY_VERSION,
    resources: [
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetricsHistory', verbs: ['get', 'list'] },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetricsHistory', verbs: ['get', 'list'] },
    ],
    handle(_req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): void {
      if (info.subresource !== '') throw notFoundPath();
      const plural = info.resource;
      if (plural !== 'pods' && plural !== 'nodes') throw notFoundPath();
      if (plural === 'nodes' && info.namespace !== '') throw notFoundPath();
      const type = service.typeOf(plural);
      if (!type) throw notFound(METRICS_HISTORY_GROUP, plural, info.name);
      const history = plural === 'pods' ? podHistory : nodeHistory;
      const kind = plural === 'pods' ? 'PodMetricsHistory' : 'NodeMetricsHistory';
      if (info.name !== '') {
        if (plural === 'pods' && info.namespace === '') throw notFound(METRICS_HISTORY_GROUP, plural, info.name);
        const object = service.tryGet(type, info.namespace, info.name);
        if (!object) throw notFound(METRICS_HISTORY_GROUP, plural, info.name);
        return sendJson(res, 200, typed(kind, history(object)));
      }
      const items = service.list(type, info.namespace, selectorOptions(query)).items.map(history);
      sendJson(res, 200, typed(`${kind}List`, { metadata: {}, items }));
    },
  };
}
