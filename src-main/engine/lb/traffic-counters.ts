/**
 * Per-pod request and byte counters of the service load balancer, with per-second buckets for request
 * rates over a window (the PodTraffic the HPA and custom.metrics.k8s.io read).
 */
import type { PodTraffic } from '../metrics/pod-traffic';

const BUCKETS = 600;
const DEFAULT_WINDOW_MS = 30_000;

class PodCounters {
  requests = 0;
  bytesIn = 0;
  bytesOut = 0;
  private readonly counts = new Float64Array(BUCKETS);
  private readonly seconds = new Float64Array(BUCKETS).fill(-1);

  add(requests: number, nowMs: number): void {
    this.requests += requests;
    const sec = Math.floor(nowMs / 1000);
    const i = sec % BUCKETS;
    if (this.seconds[i] !== sec) {
      this.seconds[i] = sec;
      this.counts[i] = 0;
    }
    this.counts[i] += requests;
  }

  rate(windowMs: number, nowMs: number): number {
    const windowSec = Math.max(1, Math.min(BUCKETS - 1, Math.round(windowMs / 1000)));
    const now = Math.floor(nowMs / 1000);
    let sum = 0;
    // the current (partial) second and the windowSec - 1 before it
    for (let s = now - windowSec + 1; s <= now; s++) {
      const i = ((s % BUCKETS) + BUCKETS) % BUCKETS;
      if (this.seconds[i] === s) sum += this.counts[i];
    }
    return sum / windowSec;
  }
}

export class TrafficCounters implements PodTraffic {
  private readonly pods = new Map<string, PodCounters>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Start counting for a pod that became an endpoint (keeps its totals when already known). */
  know(namespace: string, pod: string): void {
    const key = `${namespace}/${pod}`;
    if (!this.pods.has(key)) this.pods.set(key, new PodCounters());
  }

  /** Forget pods that are no longer endpoints of any Service the load balancer serves. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.pods.keys()) if (!keys.has(key)) this.pods.delete(key);
  }

  addRequests(namespace: string, pod: string, n: number): void {
    this.pods.get(`${namespace}/${pod}`)?.add(n, this.now());
  }

  addBytes(namespace: string, pod: string, bytesIn: number, bytesOut: number): void {
    const c = this.pods.get(`${namespace}/${pod}`);
    if (!c) return;
    c.bytesIn += bytesIn;
    c.bytesOut += bytesOut;
  }

  requestRate(namespace: string, pod: string, windowMs: number = DEFAULT_WINDOW_MS): number | undefined {
    return this.pods.get(`${namespace}/${pod}`)?.rate(windowMs, this.now());
  }

  totals(namespace: string, pod: string): { requests: number; bytesIn: number; bytesOut: number } | undefined {
    const c = this.pods.get(`${namespace}/${pod}`);
    return c ? { requests: c.requests, bytesIn: c.bytesIn, bytesOut: c.bytesOut } : undefined;
  }
}
