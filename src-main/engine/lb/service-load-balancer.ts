/**
 * The host-side load balancer: for NodePort and LoadBalancer Services (what kind/k3d users reach through
 * port mappings) a TCP proxy on 127.0.0.1:<nodePort> for every port, and for LoadBalancer Services also on
 * 127.0.0.1:<port> (status.loadBalancer.ingress = 127.0.0.1); when ClusterIPs are routable (ClusterIpHost),
 * also <clusterIP>:<port> for every Service with a ClusterIP, which is what pods connect to (kube-proxy's
 * IPVS mode). Backends are the READY addresses of the Service's Endpoints, the port remapped to the
 * targetPort. A port already taken is a Warning event (PortConflict) on the Service, retried.
 */
import type { ObjectService } from '../api/object-service';
import type { EventSink } from '../controllers/event-recorder';
import type { ObjectSource } from '../controllers/object-source';
import type { PodTraffic } from '../metrics/pod-traffic';
import type { KubeObject } from '../object';
import { deepCopy, jsonEqual } from '../object';
import { asNumber, asObject, asString, getArray, getObject, getString } from '../registry/json-access';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import type { Frontend, KernelForwarding } from './kernel-forwarding';
import { servedClusterIp } from './served-cluster-ip';
import { TcpProxy, type Backend } from './tcp-proxy';
import { TrafficCounters } from './traffic-counters';

const COMPONENT = 'service-lb';
const DEFAULT_RETRY_MS = 5000;

/** Puts ClusterIPs on a local interface (ClusterIpAddresses); present only while they are routable. */
export interface ClusterIpHost {
  /** true when the address is on the host (so listening on it can work) */
  add(ip: string): Promise<boolean>;
  remove(ip: string): Promise<void>;
}

export interface ServiceLoadBalancerOptions {
  service: ObjectService;
  /** where Services and Endpoints are read; default the service's store */
  source?: ObjectSource;
  events: EventSink;
  /** default 127.0.0.1 */
  host?: string;
  /** how often a port that could not be had is tried again (5 s) */
  retryMs?: number;
  now?: () => number;
  /** set when ClusterIPs are routable: the load balancer then also listens on <clusterIP>:<port> */
  clusterIps?: ClusterIpHost;
  /** who may connect to a ClusterIP listener (clusterIpClientFilter); default anyone */
  clusterIpClients?: (remote: string, listenerHost: string) => boolean;
  /**
   * The kernel fast path (Linux, root): what a listener serves is also forwarded by iptables DNAT and
   * counted there; the listener keeps the port and takes what the kernel does not forward.
   */
  forwarding?: KernelForwarding;
}

/** One port the load balancer should listen on for a Service. */
export interface DesiredListener {
  host: string;
  port: number;
  /** "nodePort", "port" (LoadBalancer, on the load balancer's host) or "clusterIP" (<clusterIP>:<port>) */
  kind: 'nodePort' | 'port' | 'clusterIP';
  servicePortName: string;
  backends: Backend[];
}

/**
 * Listeners a Service wants (pure): every TCP port's nodePort, its port for LoadBalancer Services (both on
 * `host`), and with `clusterIps` its port on the ClusterIP for every Service that has one.
 */
export function desiredListeners(svc: KubeObject, endpoints: KubeObject | undefined, opts: { host: string; clusterIps: boolean }): DesiredListener[] {
  const type = getString(svc, 'spec', 'type');
  const clusterIp = opts.clusterIps ? servedClusterIp(svc) : undefined;
  if (type !== 'NodePort' && type !== 'LoadBalancer' && !clusterIp) return [];
  const host = opts.host;
  const namespace = svc.metadata.namespace ?? '';
  const out: DesiredListener[] = [];
  for (const raw of getArray(svc, 'spec', 'ports')) {
    const p = asObject(raw) ?? {};
    if ((asString(p.protocol) ?? 'TCP') !== 'TCP') continue;
    const name = asString(p.name) ?? '';
    const backends = backendsFor(endpoints, name, namespace);
    const port = asNumber(p.port);
    if (clusterIp && port) out.push({ host: clusterIp, port, kind: 'clusterIP', servicePortName: name, backends });
    if (type !== 'NodePort' && type !== 'LoadBalancer') continue;
    const nodePort = asNumber(p.nodePort);
    if (nodePort) out.push({ host, port: nodePort, kind: 'nodePort', servicePortName: name, backends });
    if (type === 'LoadBalancer' && port && port !== nodePort) out.push({ host, port, kind: 'port', servicePortName: name, backends });
  }
  return out;
}

/** The ready addresses of the Endpoints subset port with this name (as kube-proxy matches them). */
export function backendsFor(endpoints: KubeObject | undefined, portName: string, namespace: string): Backend[] {
  const out: Backend[] = [];
  for (const s of getArray(endpoints, 'subsets')) {
    const port = getArray(s, 'ports')
      .map((x) => asObject(x) ?? {})
      .find((x) => (asString(x.name) ?? '') === portName && (asString(x.protocol) ?? 'TCP') === 'TCP');
    const number = asNumber(port?.port);
    if (!number) continue;
    for (const a of getArray(s, 'addresses')) {
      const addr = asObject(a) ?? {};
      const ip = asString(addr.ip);
      if (!ip) continue;
      const ref = asObject(addr.targetRef) ?? {};
      out.push({ ip, port: number, namespace: asString(ref.namespace) ?? namespace, pod: asString(ref.name) ?? ip });
    }
  }
  return out;
}

/** Pods listed in Endpoints (ready or not): the ones whose counters are kept. */
function endpointPods(endpoints: KubeObject | undefined, namespace: string): string[] {
  const out: string[] = [];
  for (const s of getArray(endpoints, 'subsets')) {
    for (const field of ['addresses', 'notReadyAddresses']) {
      for (const a of getArray(s, field)) {
        const ref = asObject(asObject(a)?.targetRef) ?? {};
        const pod = asString(ref.name);
        if (pod) out.push(`${asString(ref.namespace) ?? namespace}/${pod}`);
      }
    }
  }
  return out;
}

interface Active {
  proxy: TcpProxy;
  kind: DesiredListener['kind'];
  servicePortName: string;
  /** the listen failure being retried, if any */
  failing?: string;
}

export class ServiceLoadBalancer implements PodTraffic {
  readonly counters: TrafficCounters;
  private readonly source: ObjectSource;
  private readonly host: string;
  private readonly retryMs: number;
  /** service key -> "host:port" -> listener */
  private readonly active = new Map<string, Map<string, Active>>();
  /** service key -> the ClusterIP put on the host for it */
  private readonly addresses = new Map<string, string>();
  /** service key -> pods (ns/name) of its Endpoints */
  private readonly podsByService = new Map<string, string[]>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private dispose: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly opts: ServiceLoadBalancerOptions) {
    this.source = opts.source ?? opts.service.store;
    this.host = opts.host ?? '127.0.0.1';
    this.retryMs = opts.retryMs ?? DEFAULT_RETRY_MS;
    this.counters = new TrafficCounters(opts.now);
    opts.forwarding?.countInto(this.counters);
  }

  start(): void {
    if (this.dispose) return;
    this.stopped = false;
    this.dispose = this.source.subscribe((e) => this.onEvent(e));
    for (const svc of this.source.list('services')) this.enqueue(`${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.dispose?.();
    this.dispose = undefined;
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
    await this.idle();
    // the kernel stops forwarding first, then the listeners go
    await this.opts.forwarding?.stop();
    for (const listeners of this.active.values()) for (const a of listeners.values()) await a.proxy.close();
    this.active.clear();
    for (const ip of this.addresses.values()) await this.opts.clusterIps?.remove(ip);
    this.addresses.clear();
  }

  /** Resolves when no sync is running or queued. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** Brings the counters up to date now (the kernel path's are read every second); user space counts at once. */
  async collect(): Promise<void> {
    await this.opts.forwarding?.collect();
  }

  /** Resolves once the load balancer sends `ip` no new connection (the kubelet waits for it before a kill). */
  async drain(ip: string): Promise<void> {
    await this.opts.forwarding?.drain(ip);
  }

  /** Whether Service traffic is forwarded by the kernel (else proxied in user space). */
  get kernelForwarding(): boolean {
    return this.opts.forwarding?.enabled === true;
  }

  requestRate(namespace: string, pod: string, windowMs?: number): number | undefined {
    return this.counters.requestRate(namespace, pod, windowMs);
  }

  totals(namespace: string, pod: string): { requests: number; bytesIn: number; bytesOut: number } | undefined {
    return this.counters.totals(namespace, pod);
  }

  /** What listens for a Service (tests, console): host, port, kind, ready backends. */
  listeners(namespace: string, name: string): Array<{ host: string; port: number; kind: string; listening: boolean; backends: number }> {
    return [...(this.active.get(`${namespace}/${name}`)?.values() ?? [])].map((a) => ({ host: a.proxy.host, port: a.proxy.port, kind: a.kind, listening: a.proxy.listening, backends: a.proxy.backendCount }));
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource === 'services' || e.resource === 'endpoints') this.enqueue(`${e.namespace}/${e.name}`);
  }

  /** Syncs of one key run one after another; a key queued while one runs is synced again after it. */
  private enqueue(key: string): void {
    if (this.stopped) return;
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev
      .then(() => this.sync(key))
      .catch(() => undefined)
      .finally(() => {
        if (this.chains.get(key) === next) this.chains.delete(key);
      });
    this.chains.set(key, next);
  }

  private async sync(key: string): Promise<void> {
    if (this.stopped) return;
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const svc = this.source.get('services', namespace, name);
    const endpoints = this.source.get('endpoints', namespace, name);
    const desired = svc ? desiredListeners(svc, endpoints, { host: this.host, clusterIps: this.opts.clusterIps !== undefined }) : [];
    this.trackPods(key, desired.length > 0 ? endpointPods(endpoints, namespace) : []);
    const current = this.active.get(key) ?? new Map<string, Active>();
    this.active.set(key, current);
    const wanted = new Map(desired.map((d) => [`${d.host}:${d.port}`, d]));
    for (const [hostPort, a] of current) {
      const d = wanted.get(hostPort);
      if (!d || d.kind !== a.kind || d.servicePortName !== a.servicePortName) {
        current.delete(hostPort);
        await a.proxy.close();
      }
    }
    // the address goes after its listeners closed, and comes before they listen
    const clusterIp = desired.find((d) => d.kind === 'clusterIP')?.host;
    const hadIp = this.addresses.get(key);
    if (hadIp && hadIp !== clusterIp) {
      this.addresses.delete(key);
      await this.opts.clusterIps?.remove(hadIp);
    }
    if (clusterIp && this.opts.clusterIps && hadIp !== clusterIp && (await this.opts.clusterIps.add(clusterIp))) this.addresses.set(key, clusterIp);
    let retry = false;
    for (const d of desired) {
      const hostPort = `${d.host}:${d.port}`;
      let a = current.get(hostPort);
      if (!a) {
        const filter = this.opts.clusterIpClients;
        const accept = d.kind === 'clusterIP' && filter ? (remote: string) => filter(remote, d.host) : undefined;
        a = { proxy: new TcpProxy(d.host, d.port, this.counters, accept), kind: d.kind, servicePortName: d.servicePortName };
        current.set(hostPort, a);
      }
      a.proxy.setBackends(d.backends);
      if (!a.proxy.listening) {
        try {
          await a.proxy.listen();
          a.failing = undefined;
        } catch (err) {
          retry = true;
          const code = (err as NodeJS.ErrnoException).code ?? '';
          const reason = code === 'EADDRINUSE' ? 'address already in use' : err instanceof Error ? err.message : String(err);
          if (svc && a.failing !== reason) {
            const what = d.kind === 'nodePort' ? `nodePort ${d.port}` : d.kind === 'clusterIP' ? `clusterIP port ${d.port}` : `port ${d.port}`;
            const portName = d.servicePortName ? ` of port "${d.servicePortName}"` : '';
            this.opts.events.record(svc, 'Warning', code === 'EADDRINUSE' ? 'PortConflict' : 'ListenFailed', `Cannot listen on ${d.host}:${d.port} for ${what}${portName}: ${reason}; retrying every ${Math.round(this.retryMs / 1000)}s`, COMPONENT);
          }
          a.failing = reason;
        }
      }
    }
    if (current.size === 0) this.active.delete(key);
    // only ports this load balancer holds: the kernel must never take another program's connections
    const forwarded: Frontend[] = [...current.values()]
      .filter((a) => a.proxy.listening && a.proxy.backendCount > 0)
      .map((a) => ({ ip: a.proxy.host, port: a.proxy.port, fromPods: a.kind === 'clusterIP', backends: a.proxy.backendList }));
    await this.opts.forwarding?.set(key, forwarded);
    if (svc) this.writeIngress(svc, [...current.values()].some((a) => a.kind !== 'clusterIP' && a.proxy.listening));
    this.scheduleRetry(key, retry);
  }

  private trackPods(key: string, pods: string[]): void {
    if (pods.length > 0) this.podsByService.set(key, pods);
    else this.podsByService.delete(key);
    for (const p of pods) {
      const i = p.indexOf('/');
      this.counters.know(p.slice(0, i), p.slice(i + 1));
    }
    this.counters.retain(new Set([...this.podsByService.values()].flat()));
  }

  private scheduleRetry(key: string, retry: boolean): void {
    const t = this.retries.get(key);
    if (t) clearTimeout(t);
    this.retries.delete(key);
    if (!retry || this.stopped) return;
    const timer = setTimeout(() => {
      this.retries.delete(key);
      this.enqueue(key);
    }, this.retryMs);
    timer.unref();
    this.retries.set(key, timer);
  }

  /** status.loadBalancer.ingress: 127.0.0.1 while a LoadBalancer Service listens, empty otherwise. */
  private writeIngress(svc: KubeObject, listening: boolean): void {
    const type = getString(svc, 'spec', 'type');
    const current = getObject(svc, 'status', 'loadBalancer') ?? {};
    const want: Record<string, unknown> = type === 'LoadBalancer' && listening ? { ingress: [{ ip: this.host, ipMode: 'VIP' }] } : {};
    if (jsonEqual(current, want)) return;
    const servicesType = this.opts.service.typeOf('services');
    if (!servicesType) return;
    const next = deepCopy(svc);
    next.status = { ...(asObject(svc.status) ?? {}), loadBalancer: want };
    try {
      this.opts.service.update(servicesType, svc.metadata.namespace ?? '', svc.metadata.name ?? '', next, { subresource: 'status' });
    } catch (err) {
      // Changed meanwhile: its event brings us back.
      if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
    }
  }
}
