/**
 * The kubelet of the single node: binds pending pods (scheduler.ts), keeps the Node object (node-status.ts)
 * and runs every pod bound to the node on Docker through one PodWorker per pod, driven by a work queue keyed
 * by pod uid and fed by store changes, Docker's container events and a periodic resync. At start (including
 * after a kill -9) it adopts the containers of live pods and removes those of pods that are gone; after Docker
 * comes back it resyncs everything. `stop()` leaves containers running for the next kubelet to adopt.
 */
import type Docker from 'dockerode';
import type { ObjectService } from '../api/object-service';
import { EventRecorder, type EventSink } from '../controllers/event-recorder';
import { RequeueTimers } from '../controllers/requeue-timers';
import { WorkQueue, realClock, type Clock } from '../controllers/work-queue';
import type { KubeObject } from '../object';
import { getString } from '../registry/json-access';
import type { ResourceType } from '../registry/resource-type';
import type { StoreEvent } from '../store/sqlite-store';
import { ContainerLookup } from './container-lookup';
import type { PodDns } from './container-config';
import type { ContainerResolver } from './container-resolver';
import { DockerEventStream } from './docker-events';
import { ImagePuller } from './image-puller';
import { NodeStatusReporter } from './node-status';
import type { ProbeWorkerFactory } from './pod-probes';
import { PodRuntime } from './pod-runtime';
import { defaultRunner } from './probe-worker';
import { PodWorker } from './pod-worker';
import type { PodVolumes, PodWorkerContext } from './pod-worker-context';
import { DEFAULT_BACKOFF_BASE_MS, RestartBackoff } from './restart-backoff';
import { ensureSandboxImage } from './sandbox-image';
import { PodScheduler } from './scheduler';
import { VolumeManager } from './volume-manager';

export interface KubeletOptions {
  service: ObjectService;
  docker: Docker;
  /** labels every Docker object; engines with different ids never touch each other's */
  clusterId: string;
  nodeName: string;
  stateDir: string;
  /** pods-per-node limit (110) */
  maxPods?: number;
  /** first crash back-off (10 s), doubling to 5 min; also the first image pull back-off */
  crashBackoffBaseMs?: number;
  clock?: Clock;
  /** the shared event recorder; default: the kubelet's own */
  recorder?: EventSink;
  /** cluster DNS for pods with dnsPolicy ClusterFirst */
  dns?: PodDns;
  /** every pod is synced at least this often (60 s) */
  resyncMs?: number;
  /** node heartbeat (10 s) */
  heartbeatMs?: number;
  /** Docker event stream reconnect delay (1 s) */
  eventsReconnectMs?: number;
  /** image pull progress (summed over layers, at most once a second per pull) */
  onPullProgress?: (image: string, line: string) => void;
  /** tests: replace the volume manager or the probe workers */
  volumes?: PodVolumes & { start?(): void; stop?(): void; pruneOrphans?(live: ReadonlySet<string>): Promise<void> };
  probeFactory?: ProbeWorkerFactory;
  /**
   * Before a deleted pod's containers get SIGTERM: resolves once the load balancer sends its IP no new
   * connection (the kernel path forwards by rules that a moment ago may still have pointed there).
   */
  drain?: (ip: string) => Promise<void>;
}

const SYNC_CONCURRENCY = 16;

export class Kubelet {
  readonly resolver: ContainerResolver;
  private readonly runtime: PodRuntime;
  private readonly queue: WorkQueue;
  private readonly workers = new Map<string, PodWorker>();
  /** pods bound to this node: uid -> namespace/name */
  private readonly index = new Map<string, { namespace: string; name: string }>();
  private readonly pods: ResourceType;
  private readonly ctx: PodWorkerContext;
  private readonly volumes: NonNullable<KubeletOptions['volumes']>;
  private readonly node: NodeStatusReporter;
  private readonly scheduler: PodScheduler;
  private readonly events: DockerEventStream;
  private readonly clock: Clock;
  private unsubscribe: (() => void) | undefined;
  private resyncTimer: unknown;
  private running = false;
  private bootstrapped = false;
  private bootstrapping: Promise<void> | undefined;
  private readonly inflight = new Set<Promise<void>>();
  /** per-pod wake-ups (back-off, deadlines): a sooner one replaces a later one */
  private readonly wakeups: RequeueTimers;

  constructor(private readonly opts: KubeletOptions) {
    const { service } = opts;
    const type = (plural: string): ResourceType => {
      const t = service.typeOf(plural);
      if (!t) throw new Error(`the registry has no ${plural}`);
      return t;
    };
    this.pods = type('pods');
    this.clock = opts.clock ?? realClock;
    const now = (): number => this.clock.now();
    const recorder = opts.recorder ?? new EventRecorder(service, now);
    const maxPods = opts.maxPods ?? 110;
    this.runtime = new PodRuntime(opts.docker, opts.clusterId);
    this.resolver = new ContainerLookup(service, this.runtime);
    this.volumes = opts.volumes ?? new VolumeManager({ service, docker: opts.docker, stateDir: opts.stateDir, clusterId: opts.clusterId });
    this.queue = new WorkQueue((uid) => this.syncPod(uid), { clock: this.clock, concurrency: SYNC_CONCURRENCY, baseDelayMs: 200, maxDelayMs: 10_000 });
    this.wakeups = new RequeueTimers(this.clock, (uid) => this.queue.add(uid));
    this.node = new NodeStatusReporter({
      service,
      docker: opts.docker,
      nodeName: opts.nodeName,
      maxPods,
      recorder,
      clock: this.clock,
      heartbeatMs: opts.heartbeatMs,
      onRuntimeChange: (up) => {
        if (up) this.onRuntimeBack();
      },
    });
    this.scheduler = new PodScheduler({ service, nodeName: opts.nodeName, maxPods, recorder, now });
    this.events = new DockerEventStream({
      docker: opts.docker,
      clusterId: opts.clusterId,
      clock: this.clock,
      reconnectMs: opts.eventsReconnectMs,
      onEvent: (e) => {
        if (e.action === 'oom') this.runtime.noteOom(e.containerId);
        else if (e.action === 'destroy') this.runtime.forget(e.containerId);
        this.queue.add(e.podUid);
      },
      onConnect: () => this.onRuntimeBack(),
    });
    this.ctx = {
      service,
      types: { pods: this.pods, configMaps: type('configmaps'), secrets: type('secrets'), services: type('services') },
      runtime: this.runtime,
      images: new ImagePuller({ docker: opts.docker, backoffBaseMs: opts.crashBackoffBaseMs, now, onProgress: opts.onPullProgress }),
      volumes: this.volumes,
      recorder,
      nodeName: opts.nodeName,
      backoff: new RestartBackoff({ baseMs: opts.crashBackoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS, now }),
      clusterId: opts.clusterId,
      sandboxImage: '',
      hostIP: () => this.node.hostIP,
      allocatable: () => this.node.allocatable(),
      drain: opts.drain,
      dns: opts.dns,
      clock: this.clock,
      probeFactory: opts.probeFactory,
      hookRunner: defaultRunner(opts.docker),
      requeue: (uid, ms) => {
        if (!this.running) return;
        if (ms <= 0) this.queue.add(uid);
        else this.wakeups.after(uid, ms);
      },
      stopped: () => !this.running,
    };
  }

  /** Register the node, adopt what runs, and start running pods. Docker may be down: pods start when it answers. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.volumes.start?.();
    for (const pod of this.opts.service.all(this.pods)) this.track(pod);
    this.unsubscribe = this.opts.service.store.subscribe((e) => this.onStoreEvent(e));
    await this.node.start();
    this.scheduler.start();
    await this.bootstrap().catch(() => undefined);
    this.events.start();
    this.queue.start();
    this.scheduleResync();
  }

  /** Stop every loop; containers keep running for adoption by the next kubelet. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.resyncTimer !== undefined) this.clock.clearTimeout(this.resyncTimer);
    this.events.stop();
    this.node.stop();
    this.scheduler.stop();
    this.wakeups.stop();
    this.queue.stop();
    for (const w of this.workers.values()) w.stop();
    // Let syncs in flight finish (they check `stopped` before each write), but not forever.
    await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    this.volumes.stop?.();
  }

  /** Resolves when nothing is queued or syncing (timers due later do not count). */
  async idle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      await this.scheduler.idle();
      await this.queue.idle();
      await new Promise((r) => setImmediate(r));
    }
  }

  /** The node's InternalIP (the pods' hostIP). */
  get hostIP(): string {
    return this.node.hostIP;
  }

  private scheduleResync(): void {
    this.resyncTimer = this.clock.setTimeout(() => {
      if (!this.running) return;
      for (const uid of this.index.keys()) this.queue.add(uid);
      this.scheduleResync();
    }, this.opts.resyncMs ?? 60_000);
  }

  /** Sandbox image, network, and the adoption sweep: once per Docker (re)connection. */
  private bootstrap(): Promise<void> {
    this.bootstrapping ??= (async () => {
      try {
        this.ctx.sandboxImage = await ensureSandboxImage(this.opts.docker);
        await this.runtime.ensureNetwork();
        await this.adopt();
        this.bootstrapped = true;
      } finally {
        this.bootstrapping = undefined;
      }
    })();
    return this.bootstrapping;
  }

  /** Containers of live pods are kept (their pods get synced); those of other pods are removed. */
  private async adopt(): Promise<void> {
    const live = new Set(this.index.keys());
    const owned = await this.runtime.listOwned();
    for (const c of owned) if (c.podUid && !live.has(c.podUid)) this.queue.add(c.podUid);
    for (const uid of live) this.queue.add(uid);
    await this.volumes.pruneOrphans?.(live).catch(() => undefined);
  }

  /** Docker answers (again): forget cached Docker state and resync every pod. */
  private onRuntimeBack(): void {
    if (!this.running) return;
    this.runtime.invalidate();
    void this.bootstrap().catch(() => undefined);
    for (const uid of this.index.keys()) this.queue.add(uid);
  }

  private track(pod: KubeObject): boolean {
    const uid = pod.metadata.uid ?? '';
    if (!uid || getString(pod, 'spec', 'nodeName') !== this.opts.nodeName) return false;
    this.index.set(uid, { namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' });
    return true;
  }

  private onStoreEvent(e: StoreEvent): void {
    if (e.resource === 'pods') {
      const uid = e.object.metadata.uid ?? '';
      if (e.type === 'DELETED') {
        if (this.index.delete(uid)) this.queue.add(uid);
      } else if (this.track(e.object)) {
        this.queue.add(uid);
      }
      return;
    }
    if (e.resource === 'configmaps' || e.resource === 'secrets' || e.resource === 'persistentvolumeclaims' || e.resource === 'persistentvolumes') {
      for (const w of this.workers.values()) if (w.blockedOnObjects && (e.namespace === '' || w.namespace === e.namespace)) this.queue.add(w.uid);
    }
  }

  private syncPod(uid: string): Promise<void> {
    const p = this.syncPodNow(uid);
    this.inflight.add(p);
    const done = (): void => {
      this.inflight.delete(p);
    };
    p.then(done, done);
    return p;
  }

  private async syncPodNow(uid: string): Promise<void> {
    if (!this.running) return;
    if (!this.bootstrapped) {
      await this.bootstrap();
    }
    const ref = this.index.get(uid);
    const pod = ref ? this.opts.service.tryGet(this.pods, ref.namespace, ref.name) : undefined;
    if (!pod || pod.metadata.uid !== uid || getString(pod, 'spec', 'nodeName') !== this.opts.nodeName) {
      const worker = this.workers.get(uid) ?? new PodWorker(uid, pod ?? placeholder(uid), this.ctx);
      this.workers.delete(uid);
      await worker.destroy();
      return;
    }
    let worker = this.workers.get(uid);
    if (!worker) {
      worker = new PodWorker(uid, pod, this.ctx);
      this.workers.set(uid, worker);
    }
    await worker.sync(pod);
  }
}

/** A stand-in for a pod that is gone: only its uid matters to remove its containers. */
function placeholder(uid: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { uid, name: '', namespace: '' } };
}
