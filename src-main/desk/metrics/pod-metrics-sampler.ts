import type { PodMetricsEvent } from '../../contract/observability';
import { toClusterError } from '../cluster-error';
import type { ContextClient } from '../context-registry';
import { KubeHttpError, kubeRequest } from '../kube-http';
import { parsePodMetricsHistoryList, parsePodMetricsList } from './metrics-lists';
import { UsageHistory } from './usage-history';

export const POD_METRICS_GROUP = '/apis/metrics.k8s.io/v1beta1';
/** The local engine's own history of the same samples (metrics-history-api.ts); other clusters serve none. */
export const POD_METRICS_HISTORY_GROUP = '/apis/metrics.skiff.dev/v1alpha1';

export interface SamplerOptions {
  /**
   * Default 5 s: the local engine refreshes every 5 s, so a new pod's usage shows within seconds; against
   * metrics-server (refreshing every 15-60 s) a repeated measurement is one point, not a new one.
   */
  intervalMs?: number;
  /** Points kept per pod; default 60 (five minutes at 5 s). */
  capacity?: number;
  now?: () => number;
}

/** Why a status means "this cluster has no metrics API" (the API group is not served or not available). */
export function metricsUnavailable(error: unknown): string | null {
  if (!(error instanceof KubeHttpError)) return null;
  if (error.statusCode === 404) return 'This cluster serves no metrics API (metrics.k8s.io/v1beta1): install metrics-server to see CPU and memory.';
  if (error.statusCode === 503) return `The metrics API is registered but not available: ${error.message}`;
  return null;
}

/**
 * Samples PodMetrics of one namespace (or all) of one context every `intervalMs` into a bounded history, for
 * every subscriber at once. A cluster without the metrics API is reported as unavailable, and still asked
 * on every tick: the API may be installed while the console runs.
 */
export class PodMetricsSampler {
  private readonly history: UsageHistory;
  private readonly subscribers = new Set<(event: PodMetricsEvent) => void>();
  private timer: NodeJS.Timeout | null = null;
  private last: PodMetricsEvent | null = null;
  private running = false;
  private stopped = false;
  private seeded = false;

  constructor(
    private readonly client: ContextClient,
    private readonly namespace: string | undefined,
    private readonly options: SamplerOptions = {},
  ) {
    this.history = new UsageHistory(options.capacity ?? 60);
  }

  get intervalMs(): number {
    return this.options.intervalMs ?? 5_000;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  subscribe(emit: (event: PodMetricsEvent) => void): () => void {
    this.subscribers.add(emit);
    if (this.last !== null) emit(this.last);
    if (this.timer === null && !this.stopped) {
      void this.sample();
      this.timer = setInterval(() => void this.sample(), this.intervalMs);
      this.timer.unref?.();
    }
    return () => {
      this.subscribers.delete(emit);
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.subscribers.clear();
  }

  /** One sample now (also what the timer runs); overlapping ticks are skipped. */
  async sample(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      const pods = this.namespace === undefined ? '/pods' : `/namespaces/${this.namespace}/pods`;
      if (!this.seeded) await this.seed(pods);
      const body = await this.get(`${POD_METRICS_GROUP}${pods}`);
      this.history.record(parsePodMetricsList(body), (this.options.now ?? Date.now)());
      this.publish({ type: 'samples', intervalMs: this.intervalMs, pods: this.history.series() });
    } catch (error) {
      const reason = metricsUnavailable(error);
      this.publish(reason !== null ? { type: 'unavailable', reason } : { type: 'error', error: toClusterError(error, this.client.server) });
    } finally {
      this.running = false;
    }
  }

  /**
   * Once per sampler: the minutes of history the cluster kept, where it keeps any (the local engine), so the
   * charts open with them. Anything but a usable answer (404 on other clusters, an error) is no history.
   */
  private async seed(pods: string): Promise<void> {
    this.seeded = true;
    try {
      this.history.seed(parsePodMetricsHistoryList(await this.get(`${POD_METRICS_HISTORY_GROUP}${pods}`)));
    } catch {
      // no history: the charts fill from the live samples
    }
  }

  /** A GET that gives up within one sampling interval (at least 1 s). */
  private get(path: string): Promise<unknown> {
    return kubeRequest(this.client.config, { method: 'GET', path, timeoutMs: Math.max(1000, this.intervalMs) });
  }

  private publish(event: PodMetricsEvent): void {
    if (this.stopped) return;
    this.last = event;
    for (const emit of this.subscribers) emit(event);
  }
}
