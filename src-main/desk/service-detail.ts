import type { ServiceDetail, ServiceEndpointView } from '../contract/observability';
import type { EndpointsRow, ServicePort } from '../contract/rows';
import { DeskError } from './cluster-error';
import { collectionPath } from './kind-catalog';
import { list, record, text } from './json-fields';
import type { ContextClient } from './context-registry';
import { objectPath } from './kind-catalog';
import { KubeHttpError, kubeRequest } from './kube-http';
import { parseMetricValueList } from './metrics/metrics-lists';
import { toEndpointsRow, toServiceRow } from './rows/network-rows';

export const REQUESTS_METRIC = 'requests_per_second';

/** The custom metrics path of every pod's requests_per_second in a namespace. */
export function requestsPath(namespace: string): string {
  return `/apis/custom.metrics.k8s.io/v1beta1/namespaces/${encodeURIComponent(namespace)}/pods/*/${REQUESTS_METRIC}`;
}

/** Endpoints of a Service; a missing Endpoints object (no selector, or not yet made) is none. */
export async function serviceEndpoints(client: ContextClient, namespace: string, name: string): Promise<EndpointsRow | null> {
  try {
    return toEndpointsRow(await kubeRequest(client.config, { method: 'GET', path: objectPath('endpoints', namespace, name) }));
  } catch (error) {
    if (error instanceof KubeHttpError && error.statusCode === 404) return null;
    throw error;
  }
}

/** requests_per_second by pod name, or why the cluster does not report it. */
async function requestsByPod(client: ContextClient, namespace: string): Promise<{ values: Map<string, number>; available: boolean; reason: string | null }> {
  try {
    const body = await kubeRequest(client.config, { method: 'GET', path: requestsPath(namespace), timeoutMs: 5000 });
    const values = new Map(parseMetricValueList(body).filter((v) => v.kind === null || v.kind === 'Pod').map((v) => [v.name, v.value]));
    return { values, available: true, reason: null };
  } catch (error) {
    const status = error instanceof KubeHttpError ? error.statusCode : null;
    const reason =
      status === 404
        ? `This cluster reports no ${REQUESTS_METRIC} (custom.metrics.k8s.io/v1beta1).`
        : `Requests per second are not available: ${error instanceof Error ? error.message : String(error)}`;
    return { values: new Map(), available: false, reason };
  }
}

/** The pods a Service selects (for clusters that keep no Endpoints for it); none without a selector. */
export async function selectedPods(client: ContextClient, namespace: string, selector: Record<string, string>): Promise<unknown[]> {
  const labelSelector = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (labelSelector === '') return [];
  return list(record(await kubeRequest(client.config, { method: 'GET', path: collectionPath('pods', namespace), query: { labelSelector } })).items);
}

function podReady(pod: Record<string, unknown>): boolean {
  return (
    record(pod.metadata).deletionTimestamp === undefined &&
    list(record(pod.status).conditions)
      .map(record)
      .some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** Endpoint addresses computed from the selected pods, as the endpoints controller would (ready first). */
export function addressesFromPods(pods: readonly unknown[]): EndpointsRow['addresses'] {
  return pods
    .map(record)
    .filter((p) => text(record(p.status).podIP) !== null)
    .map((p) => ({ ip: text(record(p.status).podIP) ?? '', ready: podReady(p), podName: text(record(p.metadata).name), nodeName: text(record(p.spec).nodeName) }))
    .sort((a, b) => Number(b.ready) - Number(a.ready));
}

export async function serviceDetail(client: ContextClient, namespace: string, name: string): Promise<ServiceDetail> {
  const service = toServiceRow(await kubeRequest(client.config, { method: 'GET', path: objectPath('services', namespace, name) }));
  const [endpoints, requests] = await Promise.all([serviceEndpoints(client, namespace, name), requestsByPod(client, namespace)]);
  // Some clusters keep no Endpoints for a Service (or not yet): show what its selector picks instead.
  const addresses = endpoints !== null && endpoints.addresses.length > 0 ? endpoints.addresses : addressesFromPods(await selectedPods(client, namespace, service.selector));
  const views: ServiceEndpointView[] = addresses.map((a) => ({
    ...a,
    requestsPerSecond: a.podName === null ? null : (requests.values.get(a.podName) ?? null),
  }));
  return {
    name,
    namespace,
    type: service.type,
    clusterIP: service.clusterIP,
    ports: service.ports,
    endpoints: views,
    requests: { available: requests.available, reason: requests.reason },
  };
}

/** Where a forward to a Service port goes: a ready pod behind it, on the port the Endpoints resolved. */
export interface ForwardTarget {
  pod: string;
  podPort: number;
}

/**
 * Picks a ready pod behind `port` of the Service. Endpoints already resolve named target ports to numbers;
 * their ports carry the Service port's name (unnamed when the Service has one port).
 */
export function forwardTarget(serviceName: string, ports: readonly ServicePort[], endpoints: unknown, port: number): ForwardTarget {
  const servicePort = ports.find((p) => p.port === port);
  if (servicePort === undefined) throw new DeskError('not-found', `service ${serviceName} has no port ${port} (it has ${ports.map((p) => p.port).join(', ') || 'none'})`);
  if (servicePort.protocol !== 'TCP') throw new DeskError('invalid', `port ${port} of service ${serviceName} is ${servicePort.protocol}: only TCP can be forwarded`);
  const subsets = Array.isArray((endpoints as { subsets?: unknown } | null)?.subsets) ? (endpoints as { subsets: unknown[] }).subsets : [];
  for (const subset of subsets) {
    const row = toEndpointsRow({ subsets: [subset] });
    const endpointPort = row.ports.find((p) => (p.name ?? '') === (servicePort.name ?? '')) ?? (ports.length === 1 ? row.ports[0] : undefined);
    const ready = row.addresses.find((a) => a.ready && a.podName !== null);
    if (endpointPort !== undefined && ready?.podName) return { pod: ready.podName, podPort: endpointPort.port };
  }
  throw new DeskError('not-found', `no ready pod behind service ${serviceName} port ${port}`);
}

/**
 * The same choice from the pods a Service selects, for clusters without Endpoints: a ready pod, and the
 * target port resolved as the endpoints controller does (a number, a container port's name, or the port).
 */
export function forwardTargetFromPods(serviceName: string, ports: readonly ServicePort[], pods: readonly unknown[], port: number): ForwardTarget {
  const servicePort = ports.find((p) => p.port === port);
  if (servicePort === undefined) throw new DeskError('not-found', `service ${serviceName} has no port ${port} (it has ${ports.map((p) => p.port).join(', ') || 'none'})`);
  if (servicePort.protocol !== 'TCP') throw new DeskError('invalid', `port ${port} of service ${serviceName} is ${servicePort.protocol}: only TCP can be forwarded`);
  const target = servicePort.targetPort ?? String(port);
  for (const pod of pods.map(record)) {
    if (!podReady(pod)) continue;
    const name = text(record(pod.metadata).name);
    if (name === null) continue;
    if (/^\d+$/.test(target)) return { pod: name, podPort: Number(target) };
    const named = list(record(pod.spec).containers)
      .flatMap((c) => list(record(c).ports).map(record))
      .find((p) => p.name === target && typeof p.containerPort === 'number');
    if (named !== undefined) return { pod: name, podPort: named.containerPort as number };
  }
  throw new DeskError('not-found', `no ready pod behind service ${serviceName} port ${port}`);
}
