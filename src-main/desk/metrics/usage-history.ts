import type { PodUsageSeries, UsagePoint } from '../../contract/observability';
import type { PodUsage, PodUsageHistory } from './metrics-lists';

/**
 * The recent usage of every pod of one sampler: at most `capacity` points per pod (a few minutes at one
 * sample per ~10 s), and a pod missing from `capacity` samples in a row is forgotten, so memory stays bounded
 * however many pods come and go.
 */
export class UsageHistory {
  private readonly pods = new Map<string, { namespace: string; name: string; points: UsagePoint[]; missed: number }>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  /** Adds one sample of every pod the metrics API listed (`now` stands in for a missing timestamp). */
  record(samples: readonly PodUsage[], now: number): void {
    const seen = new Set<string>();
    for (const sample of samples) {
      const key = `${sample.namespace}/${sample.name}`;
      seen.add(key);
      let pod = this.pods.get(key);
      if (pod === undefined) {
        pod = { namespace: sample.namespace, name: sample.name, points: [], missed: 0 };
        this.pods.set(key, pod);
      }
      pod.missed = 0;
      const t = sample.timestamp ?? now;
      const last = pod.points[pod.points.length - 1];
      // The metrics pipeline refreshes every 15-60 s: the same measurement read twice is one point.
      if (last !== undefined && last.t === t) continue;
      pod.points.push({ t, cpuMillicores: sample.cpuMillicores, memoryBytes: sample.memoryBytes });
      if (pod.points.length > this.capacity) pod.points.splice(0, pod.points.length - this.capacity);
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
      const key = `${h.namespace}/${h.name}`;
      if ((this.pods.get(key)?.points.length ?? 0) > 0) continue;
      const points: UsagePoint[] = [];
      for (const p of [...h.points].sort((a, b) => a.timestamp - b.timestamp)) {
        if (points.length > 0 && points[points.length - 1].t === p.timestamp) continue;
        points.push({ t: p.timestamp, cpuMillicores: p.cpuMillicores, memoryBytes: p.memoryBytes });
      }
      if (points.length === 0) continue;
      this.pods.set(key, { namespace: h.namespace, name: h.name, points: points.slice(-this.capacity), missed: 0 });
    }
  }

  series(): PodUsageSeries[] {
    return [...this.pods.values()].map((p) => ({ namespace: p.namespace, name: p.name, points: [...p.points] }));
  }

  get size(): number {
    return this.pods.size;
  }
}
