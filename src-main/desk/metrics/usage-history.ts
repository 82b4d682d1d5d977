import type { PodUsageSeries, UsagePoint } from '../../contract/observability';
import type { PodUsage, PodUsageHistory } from './metrics-lists';

/**
 * The recent usage of every pod of one sampler: at most `capacity` points per pod (a few minutes at one
 * sample per ~10 s), and a pod missing from `capacity` samples in a row is forgotten, so memory stays bounded
 * however many pods come and go.
 */
interface PodEntry {
  namespace: string;
  name: string;
  points: UsagePoint[];
  /** samples in a row that did not list the pod */
  missed: number;
}

export class UsageHistory {
  private readonly pods = new Map<string, PodEntry>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  /** Adds one sample of every pod the metrics API listed (`now` stands in for a missing timestamp). */
  record(samples: readonly PodUsage[], now: number): void {
    const seen = new Set<string>();
    for (const sample of samples) {
      const pod = this.entry(sample.namespace, sample.name);
      seen.add(`${sample.namespace}/${sample.name}`);
      pod.missed = 0;
      this.append(pod.points, { t: sample.timestamp ?? now, cpuMillicores: sample.cpuMillicores, memoryBytes: sample.memoryBytes });
    }
    for (const [key, pod] of this.pods) {
      if (seen.has(key)) continue;
      if (++pod.missed >= this.capacity) this.pods.delete(key);
    }
  }

  /**
   * Fills pods that have no points yet from a history the cluster kept (oldest first; the newest `capacity`
   * points are kept). Pods already sampled keep what they have: live samples are never rewritten.
   */
  seed(histories: readonly PodUsageHistory[]): void {
    for (const h of histories) {
      if ((this.pods.get(`${h.namespace}/${h.name}`)?.points.length ?? 0) > 0 || h.points.length === 0) continue;
      const pod = this.entry(h.namespace, h.name);
      for (const p of [...h.points].sort((a, b) => a.timestamp - b.timestamp)) this.append(pod.points, { t: p.timestamp, cpuMillicores: p.cpuMillicores, memoryBytes: p.memoryBytes });
    }
  }

  private entry(namespace: string, name: string): PodEntry {
    const key = `${namespace}/${name}`;
    let pod = this.pods.get(key);
    if (pod === undefined) {
      pod = { namespace, name, points: [], missed: 0 };
      this.pods.set(key, pod);
    }
    return pod;
  }

  /** One point more, newest last, at most `capacity`. */
  private append(points: UsagePoint[], point: UsagePoint): void {
    // The metrics pipeline refreshes every 15-60 s: the same measurement read twice is one point.
    if (points.length > 0 && points[points.length - 1].t === point.t) return;
    points.push(point);
    if (points.length > this.capacity) points.splice(0, points.length - this.capacity);
  }

  series(): PodUsageSeries[] {
    return [...this.pods.values()].map((p) => ({ namespace: p.namespace, name: p.name, points: [...p.points] }));
  }

  get size(): number {
    return this.pods.size;
  }
}
