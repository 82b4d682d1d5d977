/** The local engine: store + API server + controllers, for one state dir. */
import Docker from 'dockerode';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiServer } from './api/api-server';
import { ObjectService } from './api/object-service';
import { KUBERNETES_SERVICE_IP } from './api/service-allocator';
import { loadOrCreateClusterId } from './cluster-id';
import { DeploymentController } from './controllers/deployment-controller';
import { DockerVolumeBackend } from './controllers/docker-volume-backend';
import { EndpointsController } from './controllers/endpoints-controller';
import { EventRecorder } from './controllers/event-recorder';
import { GarbageCollector } from './controllers/garbage-collector';
import { HorizontalPodAutoscalerController } from './controllers/hpa-controller';
import { NamespaceController } from './controllers/namespace-controller';
import { PersistentVolumeController } from './controllers/persistent-volume-controller';
import { ReplicaSetController } from './controllers/replicaset-controller';
import { Kubelet } from './kubelet/kubelet';
import type { PodDns } from './kubelet/container-config';
import type { ClusterDns } from './dns/cluster-dns';
import { podNetwork, startPodDns } from './dns/pod-dns-setup';
import { clusterIpClientFilter } from './lb/cluster-ip-clients';
import { ClusterIpAddresses } from './lb/cluster-ip-addresses';
import { KernelForwarding } from './lb/kernel-forwarding';
import { ServiceLoadBalancer } from './lb/service-load-balancer';
import { customMetricsApi, metricsApi } from './metrics/metrics-api';
import { metricsHistoryApi } from './metrics/metrics-history-api';
import { NO_POD_TRAFFIC, type PodTraffic } from './metrics/pod-traffic';
import { StatsCollector } from './metrics/stats-collector';
import { createPodStreams, type PodStreams } from './kubelet/streams';
import { loadOrCreatePki, type EnginePki } from './pki';
import { ALL_RESOURCE_TYPES, SERVED_RESOURCE_TYPES } from './registry';
import { SqliteStore } from './store/sqlite-store';
import { StatusError } from './status';

export interface EngineOptions {
  stateDir: string;
  /** 0 picks a free port */
  port: number;
  host?: string;
  skiffVersion: string;
  /** events kept for watch resumption */
  historySize?: number;
  /** run the workload controllers (ReplicaSet, Deployment, PersistentVolume); default true */
  workloads?: boolean;
  /** where the engine reports what a user may want to see (image pull progress); default: nowhere */
  log?: (line: string) => void;
  /** run pods on Docker (the kubelet and pod streams); default true. `false` keeps the engine API-only. */
  runtime?: boolean | RuntimeOptions;
  /** pod and node stats from Docker (metrics.k8s.io, `kubectl top`); sampled every 5 s by default */
  metrics?: { intervalMs?: number; historyMs?: number };
  /** how often the HorizontalPodAutoscaler controller looks at each HPA (default 15 s) */
  hpaSyncMs?: number;
  /** per-pod request rates from the service load balancer (custom metrics, HPA Pods metrics) */
  podTraffic?: PodTraffic;
  /**
   * Make Service ClusterIPs routable from pods: each one a /32 on the host's lo (labelled `lo:sk<id>`) with
   * the load balancer listening on it. Default true with a runtime; needs Linux, iproute2, root or
   * CAP_NET_ADMIN and the cluster DNS, and falls back (logged) to DNS answering pod IPs otherwise.
   */
  clusterIps?: boolean;
  /**
   * Forward Service connections in the kernel (iptables DNAT, counted by iptables rules) where ClusterIPs are
   * routable and iptables works; default true. `false` (or SKIFF_KERNEL_FORWARDING=0) proxies everything
   * in user space.
   */
  kernelForwarding?: boolean;
}

export interface RuntimeOptions {
  /** default: the local Docker engine from DOCKER_HOST or the default socket */
  docker?: Docker;
  /** the Node object's name (default "skiff") */
  nodeName?: string;
  /** first crash/pull back-off (10 s) */
  crashBackoffBaseMs?: number;
  maxPods?: number;
}

interface Lifecycle {
  stop(): void | Promise<void>;
  idle(): Promise<void>;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class Engine {
  private constructor(
    readonly stateDir: string,
    readonly store: SqliteStore,
    readonly service: ObjectService,
    readonly server: ApiServer,
    readonly pki: EnginePki,
    readonly port: number,
    readonly clusterId: string,
    /** in stop order: the kubelet first, then the controllers */
    private readonly controllers: Lifecycle[],
    readonly kubelet: Kubelet | undefined,
    private readonly streams: PodStreams | undefined,
    /** pod and node usage sampled from Docker (undefined without a runtime) */
    readonly stats: StatsCollector | undefined,
    /** Services on the host: cluster DNS for pods, the 127.0.0.1 load balancer and its per-pod traffic */
    private readonly net: { podTraffic: PodTraffic; lb?: ServiceLoadBalancer; dns?: ClusterDns; clusterIps?: ClusterIpAddresses } = { podTraffic: NO_POD_TRAFFIC },
  ) {}

  /** Requests per pod through the service load balancer (HPA Pods metric, custom metrics, console). */
  get podTraffic(): PodTraffic {
    return this.net.podTraffic;
  }

  /** The host-side load balancer of NodePort/LoadBalancer Services (undefined without a runtime). */
  get loadBalancer(): ServiceLoadBalancer | undefined {
    return this.net.lb;
  }

  /** The cluster DNS pods use (undefined without a runtime, or when it could not listen). */
  get dns(): ClusterDns | undefined {
    return this.net.dns;
  }

  /** The ClusterIPs on the host's lo (undefined when ClusterIPs are not routable: see docs/services.md). */
  get clusterIps(): ClusterIpAddresses | undefined {
    return this.net.clusterIps;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Open the state dir, bootstrap system objects, start the controllers and listen. */
  static async start(opts: EngineOptions): Promise<Engine> {
    mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
    const pki = await loadOrCreatePki(opts.stateDir);
    const store = new SqliteStore(join(opts.stateDir, 'state.db'), { historySize: opts.historySize });
    const service = new ObjectService(store, ALL_RESOURCE_TYPES);
    const clusterId = loadOrCreateClusterId(opts.stateDir);
    let server: ApiServer | undefined;
    const started: Lifecycle[] = [];
    let kubelet: Kubelet | undefined;
    let streams: PodStreams | undefined;
    let stats: StatsCollector | undefined;
    let lb: ServiceLoadBalancer | undefined;
    let dns: ClusterDns | undefined;
    let clusterIps: ClusterIpAddresses | undefined;
    // read by the cluster DNS and the endpoints controller on every answer / reconcile
    const clusterIpsRoutable = (): boolean => clusterIps?.enabled === true;
    let endpoints: EndpointsController | undefined;
    try {
      bootstrap(service);
      const events = new EventRecorder(service);
      const gc = new GarbageCollector(service);
      const nsc = new NamespaceController(service);
      gc.start();
      nsc.start();
      started.push(gc, nsc);
      const runtime = opts.runtime === false ? undefined : opts.runtime === true || opts.runtime === undefined ? {} : opts.runtime;
      const docker = runtime ? (runtime.docker ?? new Docker()) : undefined;
      if (opts.workloads !== false) {
        const rs = new ReplicaSetController(service, { events });
        const deployments = new DeploymentController(service, { events });
        const volumes = new PersistentVolumeController(service, new DockerVolumeBackend(clusterId, docker ?? new Docker()), { clusterId, events });
        rs.start();
        deployments.start();
        volumes.start();
        // started once it is known whether ClusterIPs are routable (its PortNotRemapped Warnings depend on it)
        endpoints = new EndpointsController(service, { events, clusterIpsRoutable });
        started.unshift(rs, deployments, volumes, endpoints);
      }
      // filled in once the cluster DNS listens; the kubelet reads it for every new sandbox
      const podDns: PodDns = { servers: [] };
      if (runtime && docker) {
        kubelet = new Kubelet({
          service,
          docker,
          clusterId,
          nodeName: runtime.nodeName ?? 'skiff',
          stateDir: opts.stateDir,
          recorder: events,
          crashBackoffBaseMs: runtime.crashBackoffBaseMs,
          maxPods: runtime.maxPods,
          dns: podDns,
          // a deleted pod gets SIGTERM once the load balancer no longer sends it new connections
          drain: (ip) => lb?.drain(ip) ?? Promise.resolve(),
          onPullProgress: opts.log ? (image, line) => opts.log?.(`pulling ${image}: ${line}`) : undefined,
        });
        streams = createPodStreams(kubelet.resolver, docker);
        stats = new StatsCollector({ docker, clusterId, intervalMs: opts.metrics?.intervalMs, historyMs: opts.metrics?.historyMs });
        stats.start();
        started.push(stats);
        const log = opts.log ?? ((line: string) => process.stderr.write(`skiff engine: ${line}\n`));
        dns = await startPodDns({ docker, clusterId, source: store, podDns, log, clusterIpsRoutable });
        const runningDns = dns;
        if (runningDns) started.push({ stop: () => runningDns.stop(), idle: () => Promise.resolve() });
        // A running cluster DNS also proves the pod network's gateway is this host, which ClusterIPs on lo need.
        if (opts.clusterIps !== false && dns) {
          const addresses = new ClusterIpAddresses({ clusterId, log });
          if (await addresses.start()) clusterIps = addresses;
        } else if (opts.clusterIps !== false) {
          log('ClusterIPs are not routable (the cluster DNS is off); in-cluster ports are not remapped');
        }
        // ClusterIP listeners serve the pod network and the host, not whoever else can route to the address
        const network = clusterIps ? await podNetwork(docker, clusterId) : undefined;
        const clusterIpClients = network ? clusterIpClientFilter(network.subnets) : undefined;
        let forwarding: KernelForwarding | undefined;
        if (network && opts.kernelForwarding !== false && process.env.SKIFF_KERNEL_FORWARDING !== '0') {
          const kernel = new KernelForwarding({ clusterId, podSubnets: network.subnets, bridges: network.bridges, log });
          if (await kernel.start()) forwarding = kernel;
        }
        lb = new ServiceLoadBalancer({ service, events, clusterIps, clusterIpClients, forwarding });
        lb.start();
        started.push(lb);
        // after the load balancer in stop order: it closes its listeners, then the addresses go
        const routed = clusterIps;
        if (routed) started.push({ stop: () => routed.stop(), idle: () => Promise.resolve() });
      }
      endpoints?.start();
      const podTraffic = opts.podTraffic ?? lb ?? NO_POD_TRAFFIC;
      const extensions = [customMetricsApi({ service, traffic: podTraffic })];
      if (stats) {
        const nodeName = (runtime && runtime.nodeName) ?? 'skiff';
        extensions.unshift(metricsApi({ service, source: stats, nodeName }), metricsHistoryApi({ service, source: stats, nodeName }));
      }
      if (opts.workloads !== false) {
        const hpa = new HorizontalPodAutoscalerController(service, { events, metrics: stats, traffic: podTraffic, syncMs: opts.hpaSyncMs });
        hpa.start();
        started.unshift(hpa);
      }
      server = new ApiServer({
        host: opts.host ?? '127.0.0.1',
        port: opts.port,
        token: pki.token,
        tls: { key: pki.serverKey, cert: pki.serverCert },
        service,
        servedTypes: SERVED_RESOURCE_TYPES,
        skiffVersion: opts.skiffVersion,
        podStreams: streams?.podStreams,
        upgrades: streams?.upgrades,
        extensions,
      });
      const port = await server.start();
      // The API answers first; then the kubelet registers the node and adopts what runs. Docker may be
      // down: the node is reported NotReady and pods start when Docker answers.
      await kubelet?.start();
      return new Engine(opts.stateDir, store, service, server, pki, port, clusterId, started, kubelet, streams, stats, { podTraffic, lb, dns, clusterIps });
    } catch (err) {
      streams?.stop();
      await kubelet?.stop();
      for (const c of started) await c.stop();
      await server?.stop();
      service.owners.stop();
      store.close();
      throw err;
    }
  }

  /** Wait until the controllers and the kubelet have nothing queued (tests). */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      for (const c of this.controllers) await c.idle();
      await this.kubelet?.idle();
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Stop serving and reconciling. Pods keep running: the next engine on this state dir adopts them. */
  async stop(): Promise<void> {
    this.streams?.stop();
    await this.kubelet?.stop();
    for (const c of this.controllers) await c.stop();
    await this.server.stop();
    this.service.owners.stop();
    this.store.close();
    await this.store.whenClosed();
  }
}

function ensure(service: ObjectService, resource: string, namespace: string, body: Record<string, unknown>): void {
  const type = service.typeOf(resource);
  if (!type) return;
  const meta = body.metadata as { name: string };
  if (service.tryGet(type, namespace, meta.name)) return;
  try {
    service.create(type, namespace, body);
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 409)) throw err;
  }
}

/** The objects every cluster has: system namespaces and the `kubernetes` service. */
function bootstrap(service: ObjectService): void {
  for (const name of SYSTEM_NAMESPACES) {
    ensure(service, 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  ensure(service, 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
  });
}
