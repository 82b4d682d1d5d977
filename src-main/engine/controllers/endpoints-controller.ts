/**
 * The Endpoints and EndpointSlice controller: keeps `Endpoints/<svc>` and the managed
 * `discovery.k8s.io/v1` EndpointSlices of every Service with a selector current as pods come, go and change
 * readiness. Services without a selector are left alone (their endpoints are the user's). The planning is
 * in endpoints-planner.ts; this file reads, compares and writes.
 */
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { deepCopy, jsonEqual } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import { Controller } from './controller-base';
import { requireType, type ControllerOptions } from './controller-options';
import {
  desiredEndpoints,
  desiredSlices,
  LABEL_MANAGED_BY,
  LABEL_SERVICE_NAME,
  managesEndpoints,
  MANAGED_BY,
  planEndpoints,
  plannedPortsKey,
  serviceSelects,
  slicePortsKey,
  type UnmappedPort,
  type UnresolvedPort,
} from './endpoints-planner';
import { objectKey, RESOURCE_PODS, splitKey } from './object-source';

export const RESOURCE_SERVICES = 'services';
export const RESOURCE_ENDPOINTS = 'endpoints';
export const RESOURCE_ENDPOINT_SLICES = 'endpointslices.discovery.k8s.io';
const COMPONENT = 'endpoint-controller';

export interface EndpointsControllerOptions extends ControllerOptions {
  /**
   * Whether ClusterIPs are routable (the load balancer listens on them and remaps ports). While they are
   * not, in-cluster clients get pod IPs and a Service port unlike its targetPort is a PortNotRemapped Warning.
   */
  clusterIpsRoutable?: () => boolean;
}

export class EndpointsController extends Controller {
  private readonly endpointsType: ResourceType;
  private readonly sliceType: ResourceType;
  /** service key -> the unresolved ports last reported, so a Warning is recorded once per change */
  private readonly reported = new Map<string, string>();

  private readonly clusterIpsRoutable: () => boolean;

  constructor(service: ObjectService, opts: EndpointsControllerOptions = {}) {
    super(service, opts);
    this.clusterIpsRoutable = opts.clusterIpsRoutable ?? (() => false);
    requireType(service, RESOURCE_SERVICES);
    this.endpointsType = requireType(service, RESOURCE_ENDPOINTS);
    this.sliceType = requireType(service, RESOURCE_ENDPOINT_SLICES);
  }

  protected initialKeys(): string[] {
    return this.source.list(RESOURCE_SERVICES).map(objectKey);
  }

  protected onEvent(e: StoreEvent): void {
    switch (e.resource) {
      case RESOURCE_SERVICES:
        this.queue.add(`${e.namespace}/${e.name}`);
        if (e.type === 'DELETED') this.reported.delete(`${e.namespace}/${e.name}`);
        return;
      case RESOURCE_PODS:
        this.enqueueSelecting(e.object);
        if (e.prev) this.enqueueSelecting(e.prev);
        return;
      case RESOURCE_ENDPOINTS:
        // Someone else changed or deleted what we manage: look again (a no-op when it matches).
        if (e.type !== 'ADDED') this.queue.add(`${e.namespace}/${e.name}`);
        return;
      case RESOURCE_ENDPOINT_SLICES: {
        const svc = e.object.metadata.labels?.[LABEL_SERVICE_NAME];
        if (svc && e.type !== 'ADDED') this.queue.add(`${e.namespace}/${svc}`);
        return;
      }
    }
  }

  private enqueueSelecting(pod: KubeObject): void {
    for (const svc of this.source.list(RESOURCE_SERVICES, pod.metadata.namespace ?? '')) {
      if (serviceSelects(svc, pod)) this.queue.add(objectKey(svc));
    }
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const svc = this.source.get(RESOURCE_SERVICES, namespace, name);
    if (!svc) {
      this.deleteEndpoints(namespace, name);
      for (const slice of this.managedSlices(namespace, name)) this.deleteSlice(slice);
      return;
    }
    if (!managesEndpoints(svc)) return;
    const plan = planEndpoints(svc, this.source.list(RESOURCE_PODS, namespace));
    this.reportPorts(key, svc, plan.unresolved, this.clusterIpsRoutable() ? [] : plan.unmapped);
    this.writeEndpoints(svc, desiredEndpoints(svc, plan));
    this.writeSlices(svc, desiredSlices(svc, plan));
  }

  private reportPorts(key: string, svc: KubeObject, unresolved: readonly UnresolvedPort[], unmapped: readonly UnmappedPort[]): void {
    const text = [...unresolved.map((u) => `${u.pod}:${u.servicePort}:${u.targetPort}`).sort(), ...unmapped.map((u) => `~${u.servicePort}:${u.port}:${u.targetPort}`)].join(',');
    if ((this.reported.get(key) ?? '') === text) return;
    this.reported.set(key, text);
    const byPort = new Map<string, string[]>();
    for (const u of unresolved) {
      const k = `${u.servicePort}\u0000${u.targetPort}`;
      byPort.set(k, [...(byPort.get(k) ?? []), u.pod]);
    }
    for (const [k, pods] of byPort) {
      const [servicePort, targetPort] = k.split('\u0000');
      const message = `Port ${servicePort}: targetPort "${targetPort}" matches no container port of pod(s) ${pods.sort().join(', ')}; they are not endpoints of this port`;
      this.events.record(svc, 'Warning', 'TargetPortNotFound', message, COMPONENT);
    }
    for (const u of unmapped) {
      const message = `Port ${u.servicePort}: ClusterIPs are not routable on this host, so in-cluster clients get pod IPs from the cluster DNS and must connect to port ${u.targetPort}, not ${u.port}; the load balancer on 127.0.0.1 maps ${u.port} to ${u.targetPort}`;
      this.events.record(svc, 'Warning', 'PortNotRemapped', message, COMPONENT);
    }
  }

  private writeEndpoints(svc: KubeObject, desired: KubeObject): void {
    const namespace = svc.metadata.namespace ?? '';
    const name = svc.metadata.name ?? '';
    const current = this.service.tryGet(this.endpointsType, namespace, name);
    if (!current) {
      try {
        this.service.create(this.endpointsType, namespace, desired);
      } catch (err) {
        // The namespace is going away, or a racing create: the next event brings us back.
        if (!(err instanceof StatusError && (err.code === 409 || err.code === 403 || err.code === 404))) throw err;
      }
      return;
    }
    if (jsonEqual(current.subsets ?? [], desired.subsets ?? []) && jsonEqual(current.metadata.labels ?? {}, desired.metadata.labels ?? {})) return;
    const next = deepCopy(current);
    next.metadata.labels = desired.metadata.labels;
    if (desired.subsets) next.subsets = desired.subsets;
    else delete next.subsets;
    this.service.update(this.endpointsType, namespace, name, next);
  }

  private managedSlices(namespace: string, serviceName: string): KubeObject[] {
    return this.source
      .list(RESOURCE_ENDPOINT_SLICES, namespace)
      .filter((s) => s.metadata.labels?.[LABEL_SERVICE_NAME] === serviceName && s.metadata.labels?.[LABEL_MANAGED_BY] === MANAGED_BY);
  }

  private writeSlices(svc: KubeObject, desired: ReturnType<typeof desiredSlices>): void {
    const namespace = svc.metadata.namespace ?? '';
    const existing = this.managedSlices(namespace, svc.metadata.name ?? '');
    const byKey = new Map<string, KubeObject>();
    const extra: KubeObject[] = [];
    for (const s of existing) {
      const k = slicePortsKey(s);
      if (byKey.has(k)) extra.push(s);
      else byKey.set(k, s);
    }
    for (const d of desired) {
      const k = plannedPortsKey(d.ports);
      const current = byKey.get(k);
      byKey.delete(k);
      if (!current) {
        this.service.create(this.sliceType, namespace, d.body);
        continue;
      }
      const same =
        jsonEqual(current.endpoints ?? [], d.body.endpoints) &&
        jsonEqual(current.ports ?? [], d.body.ports) &&
        jsonEqual(current.metadata.labels ?? {}, d.body.metadata.labels) &&
        jsonEqual(current.metadata.ownerReferences ?? [], d.body.metadata.ownerReferences);
      if (same) continue;
      const next = deepCopy(current);
      next.metadata.labels = d.body.metadata.labels;
      next.metadata.ownerReferences = d.body.metadata.ownerReferences;
      next.endpoints = d.body.endpoints;
      next.ports = d.body.ports;
      this.service.update(this.sliceType, namespace, current.metadata.name ?? '', next);
    }
    for (const s of [...byKey.values(), ...extra]) this.deleteSlice(s);
  }

  private deleteEndpoints(namespace: string, name: string): void {
    try {
      this.service.delete(this.endpointsType, namespace, name);
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
  }

  private deleteSlice(slice: KubeObject): void {
    try {
      this.service.delete(this.sliceType, slice.metadata.namespace ?? '', slice.metadata.name ?? '', { preconditions: { uid: slice.metadata.uid } });
    } catch (err) {
      if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
    }
  }
}
