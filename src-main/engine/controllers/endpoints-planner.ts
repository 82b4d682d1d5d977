/**
 * What the Endpoints and EndpointSlices of a Service should hold, from the Service and the pods of its
 * namespace (pkg/controller/endpoint and endpointslice): pure, so the port resolution and the ready /
 * not-ready split are unit-tested without a store.
 */
import { labelSelectorFromSet, matchesLabels } from '../api/selectors/label-selector';
import type { KubeObject } from '../object';
import { asNumber, asObject, asString, getArray, getObject, getString, stringMap } from '../registry/json-access';
import { isPodReady } from './pod-state';

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const LABEL_HEADLESS = 'service.kubernetes.io/headless';

/** One port of an endpoint set (EndpointPort / discovery EndpointPort). */
export interface PlannedPort {
  name: string;
  port: number;
  protocol: string;
}

/** One pod behind the Service. */
export interface PlannedEndpoint {
  ip: string;
  pod: { name: string; namespace: string; uid: string };
  nodeName?: string;
  hostname?: string;
  ready: boolean;
  /** being deleted (listed only in EndpointSlices, as Kubernetes does) */
  terminating: boolean;
}

/** Pods with the same resolved ports: one Endpoints subset, one EndpointSlice. */
export interface PlannedGroup {
  ports: PlannedPort[];
  endpoints: PlannedEndpoint[];
}

/** A pod left out of a port because it has no container port of that name. */
export interface UnresolvedPort {
  pod: string;
  servicePort: string;
  targetPort: string;
}

/**
 * A port whose pods listen elsewhere than the Service port: in-cluster clients get pod IPs from the cluster
 * DNS (there is no kube-proxy), so they must use the pods' port; only the host load balancer remaps.
 */
export interface UnmappedPort {
  servicePort: string;
  port: number;
  targetPort: number;
}

export interface EndpointsPlan {
  groups: PlannedGroup[];
  unresolved: UnresolvedPort[];
  unmapped: UnmappedPort[];
}

/** Whether the controller manages this Service's endpoints: it has a selector and is not ExternalName. */
export function managesEndpoints(svc: KubeObject): boolean {
  const spec = getObject(svc, 'spec') ?? {};
  if (spec.type === 'ExternalName') return false;
  return Object.keys(stringMap(spec.selector)).length > 0;
}

/** Whether a Service's selector selects the pod (same namespace, selector set). */
export function serviceSelects(svc: KubeObject, pod: KubeObject): boolean {
  if (!managesEndpoints(svc) || svc.metadata.namespace !== pod.metadata.namespace) return false;
  return matchesLabels(labelSelectorFromSet(stringMap(getObject(svc, 'spec')?.selector)), pod.metadata.labels);
}

/** The container port a service port's targetPort names on this pod (podutil.FindPort), or undefined. */
export function findPort(pod: KubeObject, targetPort: unknown, protocol: string): number | undefined {
  if (typeof targetPort === 'number') return targetPort;
  const asNum = typeof targetPort === 'string' && /^\d+$/.test(targetPort) ? Number(targetPort) : undefined;
  if (asNum !== undefined) return asNum;
  const name = asString(targetPort) ?? '';
  for (const c of [...getArray(pod, 'spec', 'containers')]) {
    for (const p of getArray(c, 'ports')) {
      const port = asObject(p) ?? {};
      if (port.name === name && (asString(port.protocol) ?? 'TCP') === protocol) return asNumber(port.containerPort);
    }
  }
  return undefined;
}

function isTerminal(pod: KubeObject): boolean {
  const phase = getString(pod, 'status', 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
}

function podHostnameFor(svc: KubeObject, pod: KubeObject): string | undefined {
  const hostname = getString(pod, 'spec', 'hostname');
  const subdomain = getString(pod, 'spec', 'subdomain');
  return hostname && subdomain === svc.metadata.name ? hostname : undefined;
}

function portsKey(ports: readonly PlannedPort[]): string {
  return ports.map((p) => `${p.name}/${p.port}/${p.protocol}`).join(',');
}

/** The endpoints of a Service that manages them, grouped by identical port sets, sorted for stable output. */
export function planEndpoints(svc: KubeObject, pods: readonly KubeObject[]): EndpointsPlan {
  const spec = getObject(svc, 'spec') ?? {};
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const servicePorts = getArray(spec, 'ports').map((p) => asObject(p) ?? {});
  const groups = new Map<string, PlannedGroup>();
  const unresolved: UnresolvedPort[] = [];
  const unmapped = new Map<string, UnmappedPort>();
  const headless = spec.clusterIP === 'None';
  for (const pod of pods) {
    if (!serviceSelects(svc, pod) || isTerminal(pod)) continue;
    const ip = getString(pod, 'status', 'podIP');
    if (!ip) continue;
    const ports: PlannedPort[] = [];
    for (const sp of servicePorts) {
      const protocol = asString(sp.protocol) ?? 'TCP';
      const target = sp.targetPort ?? sp.port;
      const port = findPort(pod, target, protocol);
      if (port === undefined) {
        unresolved.push({ pod: pod.metadata.name ?? '', servicePort: asString(sp.name) ?? String(sp.port), targetPort: String(target) });
        continue;
      }
      ports.push({ name: asString(sp.name) ?? '', port, protocol });
      const servicePort = asNumber(sp.port);
      const spName = asString(sp.name) ?? String(servicePort);
      if (!headless && servicePort !== undefined && servicePort !== port && !unmapped.has(spName)) unmapped.set(spName, { servicePort: spName, port: servicePort, targetPort: port });
    }
    // A pod that serves none of the Service's ports is not an endpoint (a headless Service may have none).
    if (servicePorts.length > 0 && ports.length === 0) continue;
    const terminating = !!pod.metadata.deletionTimestamp;
    const endpoint: PlannedEndpoint = {
      ip,
      pod: { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '', uid: pod.metadata.uid ?? '' },
      ready: !terminating && (publishNotReady || isPodReady(pod)),
      terminating,
    };
    const nodeName = getString(pod, 'spec', 'nodeName');
    if (nodeName) endpoint.nodeName = nodeName;
    const hostname = podHostnameFor(svc, pod);
    if (hostname) endpoint.hostname = hostname;
    ports.sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port);
    const key = portsKey(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, endpoints: [] }));
    group.endpoints.push(endpoint);
  }
  const sorted = [...groups.values()].sort((a, b) => portsKey(a.ports).localeCompare(portsKey(b.ports)));
  for (const g of sorted) g.endpoints.sort((a, b) => compareIp(a.ip, b.ip) || a.pod.name.localeCompare(b.pod.name));
  return { groups: sorted, unresolved, unmapped: [...unmapped.values()] };
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.localeCompare(b);
}

function endpointAddress(e: PlannedEndpoint): Record<string, unknown> {
  const out: Record<string, unknown> = { ip: e.ip };
  if (e.hostname) out.hostname = e.hostname;
  if (e.nodeName) out.nodeName = e.nodeName;
  out.targetRef = { kind: 'Pod', namespace: e.pod.namespace, name: e.pod.name, uid: e.pod.uid };
  return out;
}

/** Labels of the Endpoints object: the Service's, plus the headless marker. */
function endpointsLabels(svc: KubeObject): Record<string, string> {
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (getString(svc, 'spec', 'clusterIP') === 'None') labels[LABEL_HEADLESS] = '';
  return labels;
}

/** The desired core/v1 Endpoints body (terminating pods are left out, as in Kubernetes). */
export function desiredEndpoints(svc: KubeObject, plan: EndpointsPlan): KubeObject {
  const subsets: Record<string, unknown>[] = [];
  for (const g of plan.groups) {
    const live = g.endpoints.filter((e) => !e.terminating);
    const addresses = live.filter((e) => e.ready).map(endpointAddress);
    const notReady = live.filter((e) => !e.ready).map(endpointAddress);
    if (addresses.length === 0 && notReady.length === 0) continue;
    const subset: Record<string, unknown> = {};
    if (addresses.length > 0) subset.addresses = addresses;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    if (g.ports.length > 0) subset.ports = g.ports.map((p) => (p.name ? { name: p.name, port: p.port, protocol: p.protocol } : { port: p.port, protocol: p.protocol }));
    subsets.push(subset);
  }
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, labels: endpointsLabels(svc) },
  };
  if (subsets.length > 0) body.subsets = subsets;
  return body;
}

/** The labels every managed EndpointSlice carries. */
export function sliceLabels(svc: KubeObject): Record<string, string> {
  return { ...endpointsLabels(svc), [LABEL_SERVICE_NAME]: svc.metadata.name ?? '', [LABEL_MANAGED_BY]: MANAGED_BY };
}

/** The desired discovery.k8s.io/v1 EndpointSlices, one per port set; without endpoints one empty slice. */
export function desiredSlices(svc: KubeObject, plan: EndpointsPlan): Array<{ ports: PlannedPort[]; body: KubeObject }> {
  const groups = plan.groups.length > 0 ? plan.groups : [{ ports: [] as PlannedPort[], endpoints: [] as PlannedEndpoint[] }];
  return groups.map((g) => {
    const endpoints = g.endpoints.map((e) => {
      const out: Record<string, unknown> = {
        addresses: [e.ip],
        conditions: { ready: e.ready, serving: e.terminating ? false : e.ready, terminating: e.terminating },
      };
      if (e.hostname) out.hostname = e.hostname;
      if (e.nodeName) out.nodeName = e.nodeName;
      out.targetRef = { kind: 'Pod', namespace: e.pod.namespace, name: e.pod.name, uid: e.pod.uid };
      return out;
    });
    const body: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        generateName: `${svc.metadata.name ?? ''}-`,
        namespace: svc.metadata.namespace,
        labels: sliceLabels(svc),
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name ?? '', uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      endpoints,
      ports: g.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
    };
    return { ports: g.ports, body };
  });
}

/** The port-set identity of an existing slice, to match it with a desired one. */
export function slicePortsKey(slice: KubeObject): string {
  const ports = getArray(slice, 'ports').map((p) => {
    const o = asObject(p) ?? {};
    return { name: asString(o.name) ?? '', port: asNumber(o.port) ?? 0, protocol: asString(o.protocol) ?? 'TCP' };
  });
  ports.sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port);
  return portsKey(ports);
}

export function plannedPortsKey(ports: readonly PlannedPort[]): string {
  return portsKey(ports);
}
