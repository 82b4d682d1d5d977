/**
 * Samples CPU and memory of every container of this engine from Docker's stats every few seconds, with
 * bounded concurrency, and keeps a few minutes of per-pod and node history in memory. CPU is a rate between
 * two readings (like metrics-server between two kubelet scrapes): for a container seen before, our previous
 * sample; for a new one, the reading Docker took a second earlier, so a new container has usage from its
 * first sample on. The node's usage is the sum over every container of this engine, sandboxes
 * included: what the pods of this node use.
 */
import type Docker from 'dockerode';
import { realClock, type Clock } from '../controllers/work-queue';
import { LABEL_CLUSTER, LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, LABEL_ROLE } from '../kubelet/labels';
import { cpuCoresBetween, parseDockerStats, parsePreviousDockerStats, type ContainerSample } from './docker-stats';

/** Usage of one container over the last interval. */
export interface ContainerUsage {
  name: string;
  /** cores (1 = one CPU fully busy) */
  cpuCores: number;
  memoryBytes: number;
}

/** Usage over [timestampMs − windowMs, timestampMs]. */
export interface UsagePoint {
  timestampMs: number;
  windowMs: number;
  cpuCores: number;
  memoryBytes: number;
}

export interface PodUsage extends UsagePoint {
  namespace: string;
  name: string;
  uid: string;
  containers: ContainerUsage[];
}

/** What the metrics API and the HPA controller read (the collector, or a fixed fake in unit tests). */
export interface PodMetricsSource {
  podUsage(namespace: string, name: string): PodUsage | undefined;
  pods(): PodUsage[];
  nodeUsage(): UsagePoint | undefined;
}

export type StatsDocker = Pick<Docker, 'listContainers' | 'getContainer'>;

export interface StatsCollectorOptions {
  docker: StatsDocker;
  clusterId: string;
  /** sampling period (default 5 s) */
  intervalMs?: number;
  /** history kept per pod and for the node (default 5 min) */
  historyMs?: number;
  /**
   * stats requests in flight at once (default 64). Each one waits for Docker's own 1 s collection tick (two
   * for a new container) rather than doing work, so a sample takes about one tick per `concurrency`
   * containers: 40 containers took 10 s at 4 in flight and 1.1 s at 64 (Docker 20.10, 2 cores).
   */
  concurrency?: number;
  clock?: Clock;
}

interface TrackedContainer {
  sample: ContainerSample;
  podUid: string;
  namespace: string;
  pod: string;
  container: string;
  role: string;
}

const NODE_KEY = '';

export class StatsCollector implements PodMetricsSource {
  private readonly intervalMs: number;
  private readonly historyMs: number;
  private readonly concurrency: number;
  private readonly clock: Clock;
  private readonly containers = new Map<string, TrackedContainer>();
  private latest = new Map<string, PodUsage>();
  private node: UsagePoint | undefined;
  private readonly history = new Map<string, UsagePoint[]>();
  private timer: unknown;
  private running = false;
  private inFlight: Promise<void> | undefined;
  /** samples taken (for tests and the console) */
  samples = 0;

  constructor(private readonly opts: StatsCollectorOptions) {
    this.intervalMs = Math.max(100, opts.intervalMs ?? 5_000);
    this.historyMs = opts.historyMs ?? 5 * 60_000;
    this.concurrency = Math.max(1, opts.concurrency ?? 64);
    this.clock = opts.clock ?? realClock;
  }

  get interval(): number {
    return this.intervalMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** Resolves once a sample in progress (if any) is done. */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  podUsage(namespace: string, name: string): PodUsage | undefined {
    return this.latest.get(`${namespace}/${name}`);
  }

  pods(): PodUsage[] {
    return [...this.latest.values()];
  }

  nodeUsage(): UsagePoint | undefined {
    return this.node;
  }

  /** Up to `historyMs` of points, oldest first ('' namespace and name: the node). */
  podHistory(namespace: string, name: string): UsagePoint[] {
    return [...(this.history.get(`${namespace}/${name}`) ?? [])];
  }

  nodeHistory(): UsagePoint[] {
    return [...(this.history.get(NODE_KEY) ?? [])];
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.sample()
        .catch(() => undefined)
        .finally(() => {
          this.inFlight = undefined;
          this.schedule(this.intervalMs);
        });
    }, ms);
  }

  /** Take one sample of every running container of this engine now. */
  async sample(): Promise<void> {
    const list = await this.opts.docker.listContainers({ filters: JSON.stringify({ label: [`${LABEL_CLUSTER}=${this.opts.clusterId}`] }) });
    const seen = new Set<string>();
    const rates = new Map<string, { tracked: TrackedContainer; cpuCores: number; windowMs: number }>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < list.length) {
        const info = list[next++];
        const labels = info.Labels ?? {};
        const podUid = labels[LABEL_POD_UID];
        if (!podUid) continue;
        seen.add(info.Id);
        // A container seen for the first time is asked without one-shot: Docker then answers its previous reading
        // too (precpu_stats), so a new pod has usage from its first sample, not its second (it costs the same
        // ~1 s: Docker reads the counters on its own 1 s tick either way).
        const prev = this.containers.get(info.Id);
        let raw: unknown;
        try {
          raw = await this.opts.docker.getContainer(info.Id).stats({ stream: false, 'one-shot': prev !== undefined });
        } catch {
          continue; // gone between list and stats
        }
        const sample = parseDockerStats(raw, this.clock.now());
        if (!sample) continue;
        const before = prev?.sample ?? parsePreviousDockerStats(raw);
        const tracked: TrackedContainer = {
          sample,
          podUid,
          namespace: labels[LABEL_POD_NAMESPACE] ?? '',
          pod: labels[LABEL_POD_NAME] ?? '',
          container: labels[LABEL_CONTAINER_NAME] ?? '',
          role: labels[LABEL_ROLE] ?? 'app',
        };
        this.containers.set(info.Id, tracked);
        const cpu = before ? cpuCoresBetween(before, sample) : undefined;
        if (before && cpu !== undefined) rates.set(info.Id, { tracked, cpuCores: cpu, windowMs: sample.timestampMs - before.timestampMs });
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, Math.max(1, list.length)) }, () => worker()));
    for (const id of [...this.containers.keys()]) if (!seen.has(id)) this.containers.delete(id);
    this.aggregate(rates);
    this.samples++;
  }

  private aggregate(rates: Map<string, { tracked: TrackedContainer; cpuCores: number; windowMs: number }>): void {
    const now = this.clock.now();
    const pods = new Map<string, PodUsage>();
    const incomplete = new Set<string>();
    let node: UsagePoint | undefined;
    for (const [id, c] of this.containers) {
      const key = `${c.namespace}/${c.pod}`;
      const rate = rates.get(id);
      if (!rate) {
        // A pod's usage is the sum of all its containers: without a rate for one of them there is none yet.
        incomplete.add(key);
        continue;
      }
      node = node ?? { timestampMs: c.sample.timestampMs, windowMs: rate.windowMs, cpuCores: 0, memoryBytes: 0 };
      node.cpuCores += rate.cpuCores;
      node.memoryBytes += c.sample.memoryWorkingSetBytes;
      node.timestampMs = Math.max(node.timestampMs, c.sample.timestampMs);
      node.windowMs = Math.max(node.windowMs, rate.windowMs);
      if (c.role !== 'app') continue; // metrics-server reports app containers; the sandbox is the node's
      const pod = pods.get(key) ?? { namespace: c.namespace, name: c.pod, uid: c.podUid, timestampMs: c.sample.timestampMs, windowMs: rate.windowMs, cpuCores: 0, memoryBytes: 0, containers: [] };
      pod.containers.push({ name: c.container, cpuCores: rate.cpuCores, memoryBytes: c.sample.memoryWorkingSetBytes });
      pod.cpuCores += rate.cpuCores;
      pod.memoryBytes += c.sample.memoryWorkingSetBytes;
      pod.timestampMs = Math.max(pod.timestampMs, c.sample.timestampMs);
      pod.windowMs = Math.max(pod.windowMs, rate.windowMs);
      pods.set(key, pod);
    }
    for (const key of incomplete) pods.delete(key);
    for (const p of pods.values()) p.containers.sort((a, b) => a.name.localeCompare(b.name));
    this.latest = pods;
    this.node = node;
    for (const [key, p] of pods) this.remember(key, p, now);
    if (node) this.remember(NODE_KEY, node, now);
    for (const key of [...this.history.keys()]) {
      if (key === NODE_KEY || pods.has(key)) continue;
      const points = this.history.get(key) ?? [];
      if (points.length === 0 || points[points.length - 1].timestampMs < now - this.historyMs) this.history.delete(key);
    }
  }

  private remember(key: string, p: UsagePoint, now: number): void {
    const points = this.history.get(key) ?? [];
    points.push({ timestampMs: p.timestampMs, windowMs: p.windowMs, cpuCores: p.cpuCores, memoryBytes: p.memoryBytes });
    while (points.length > 0 && points[0].timestampMs < now - this.historyMs) points.shift();
    this.history.set(key, points);
  }
}
