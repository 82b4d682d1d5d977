/**
 * The HorizontalPodAutoscaler's replica arithmetic, pure: which pods count (ready, unready, missing a metric,
 * ignored), the usage ratio against the target, the 10% tolerance, and the conservative treatment of
 * missing and not-yet-ready pods. It follows kubernetes pkg/controller/podautoscaler/replica_calculator.go
 * (GetResourceReplicas, calcPlainMetricReplicas, groupPods) and metrics/utilization.go.
 */

/** What the calculator needs of a pod. */
export interface HpaPod {
  name: string;
  /** status.phase */
  phase: string;
  /** metadata.deletionTimestamp is set */
  deleting: boolean;
  /** the Ready condition's status, undefined when the pod has none */
  ready?: 'True' | 'False' | 'Unknown';
  readyTransitionMs?: number;
  /** status.startTime */
  startTimeMs?: number;
  /** requests of the resource per container (undefined: that container requests none) */
  requests: Array<{ container: string; value: number | undefined }>;
}

/** One pod's metric: a value in base units (cores, bytes, requests per second). */
export interface HpaPodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}

export interface CalculatorConfig {
  now: number;
  /** |1 − ratio| within this changes nothing (kube-controller-manager default 0.1) */
  tolerance: number;
  /** CPU samples of a pod this young only count once it is ready and a window has passed since (5 min) */
  cpuInitializationPeriodMs: number;
  /** a pod not ready this soon after start counts as never ready (30 s) */
  initialReadinessDelayMs: number;
}

export const DEFAULT_CALCULATOR_CONFIG: Omit<CalculatorConfig, 'now'> = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  initialReadinessDelayMs: 30_000,
};

export type CalculatorResult<T> = { ok: true; replicas: number; timestampMs: number } & T;
export type CalculatorError = { ok: false; error: string };

interface PodGroups {
  readyPodCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** groupPods: deleted and failed pods are ignored, pending ones unready, and for CPU young pods judged by readiness. */
export function groupPods(pods: readonly HpaPod[], metrics: ReadonlyMap<string, HpaPodMetric>, resource: string, cfg: CalculatorConfig): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    if (pod.deleting || pod.phase === 'Failed') {
      g.ignored.add(pod.name);
      continue;
    }
    if (pod.phase === 'Pending') {
      g.unready.add(pod.name);
      continue;
    }
    const metric = metrics.get(pod.name);
    if (!metric) {
      g.missing.add(pod.name);
      continue;
    }
    if (resource === 'cpu') {
      let unready: boolean;
      if (pod.ready === undefined || pod.startTimeMs === undefined) unready = true;
      else if (pod.startTimeMs + cfg.cpuInitializationPeriodMs > cfg.now) {
        // Still initializing: count only a ready pod with a full metric window since it became ready.
        unready = pod.ready === 'False' || metric.timestampMs < (pod.readyTransitionMs ?? 0) + metric.windowMs;
      } else {
        // Later: ignore only a pod that is unready and has never been ready.
        unready = pod.ready === 'False' && pod.startTimeMs + cfg.initialReadinessDelayMs > (pod.readyTransitionMs ?? 0);
      }
      if (unready) {
        g.unready.add(pod.name);
        continue;
      }
    }
    g.readyPodCount++;
  }
  return g;
}

/** calculatePodRequests: the pod's request of the resource (of one container, or all), or an error naming the gap. */
function podRequests(pods: readonly HpaPod[], resource: string, container: string | undefined): Map<string, number> | CalculatorError {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.requests) {
      if (container !== undefined && c.container !== container) continue;
      if (c.value === undefined) return { ok: false, error: `missing request for ${resource} in container ${c.container} of Pod ${pod.name}` };
      sum += c.value;
    }
    out.set(pod.name, sum);
  }
  return out;
}

/** GetResourceUtilizationRatio: utilization is whole percent (truncated) of the requests of the pods with metrics. */
export function utilizationRatio(metrics: ReadonlyMap<string, HpaPodMetric>, requests: ReadonlyMap<string, number>, target: number): { ratio: number; utilization: number; averageValue: number } | CalculatorError {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let n = 0;
  for (const [name, m] of metrics) {
    const r = requests.get(name);
    if (r === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += r;
    n++;
  }
  if (requestsTotal === 0) return { ok: false, error: 'no metrics returned matched known pods' };
  // Go divides int64 milli-values: keep that truncation.
  const utilization = Math.trunc((Math.round(metricsTotal * 1000) * 100) / Math.round(requestsTotal * 1000));
  return { ratio: utilization / target, utilization, averageValue: metricsTotal / n };
}

function averageRatio(metrics: ReadonlyMap<string, HpaPodMetric>, target: number): { ratio: number; average: number } {
  let sum = 0;
  for (const m of metrics.values()) sum += m.value;
  const average = metrics.size === 0 ? 0 : sum / metrics.size;
  return { ratio: average / target, average };
}

function latestTimestamp(metrics: ReadonlyMap<string, HpaPodMetric>): number {
  let t = 0;
  for (const m of metrics.values()) t = Math.max(t, m.timestampMs);
  return t;
}

/** GetResourceReplicas: a Resource/ContainerResource metric with a target utilization (percent of requests). */
export function resourceUtilizationReplicas(
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  container: string | undefined,
  pods: readonly HpaPod[],
  podMetrics: ReadonlyMap<string, HpaPodMetric>,
  cfg: CalculatorConfig,
): CalculatorResult<{ utilization: number; averageValue: number }> | CalculatorError {
  if (podMetrics.size === 0) return { ok: false, error: `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API` };
  if (pods.length === 0) return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  const metrics = new Map(podMetrics);
  const g = groupPods(pods, metrics, resource, cfg);
  for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const requests = podRequests(pods, resource, container);
  if (!(requests instanceof Map)) return requests;
  const first = utilizationRatio(metrics, requests, targetUtilization);
  if ('ok' in first) return first;
  const timestampMs = latestTimestamp(metrics);
  const result = (replicas: number) => ({ ok: true as const, replicas, timestampMs, utilization: first.utilization, averageValue: first.averageValue });
  const usageRatio = first.ratio;
  const scaleUpWithUnready = g.unready.size > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - usageRatio) <= cfg.tolerance) return result(currentReplicas);
    return result(Math.ceil(usageRatio * g.readyPodCount));
  }
  if (g.missing.size > 0) {
    if (usageRatio < 1) {
      // On a scale-down a pod without metrics counts as using its whole request (or the target, if higher).
      const fallback = Math.max(100, targetUtilization);
      for (const name of g.missing) metrics.set(name, { value: ((requests.get(name) ?? 0) * fallback) / 100, timestampMs, windowMs: 0 });
    } else if (usageRatio > 1) {
      for (const name of g.missing) metrics.set(name, { value: 0, timestampMs, windowMs: 0 });
    }
  }
  // On a scale-up, not-yet-ready pods count as using nothing.
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { value: 0, timestampMs, windowMs: 0 });
  const second = utilizationRatio(metrics, requests, targetUtilization);
  if ('ok' in second) return second;
  const newRatio = second.ratio;
  if (Math.abs(1 - newRatio) <= cfg.tolerance || (usageRatio < 1 && newRatio > 1) || (usageRatio > 1 && newRatio < 1)) return result(currentReplicas);
  const newReplicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && newReplicas > currentReplicas) || (newRatio > 1 && newReplicas < currentReplicas)) return result(currentReplicas);
  return result(newReplicas);
}

/**
 * calcPlainMetricReplicas: an average-value target (Resource AverageValue, Pods metrics). `resource` is the
 * resource name for Resource metrics ('cpu' applies the readiness rules) and '' for Pods metrics.
 */
export function averageValueReplicas(
  currentReplicas: number,
  targetAverage: number,
  resource: string,
  pods: readonly HpaPod[],
  podMetrics: ReadonlyMap<string, HpaPodMetric>,
  cfg: CalculatorConfig,
): CalculatorResult<{ averageValue: number }> | CalculatorError {
  if (pods.length === 0) return { ok: false, error: 'no pods returned by selector while calculating replica count' };
  const metrics = new Map(podMetrics);
  const g = groupPods(pods, metrics, resource, cfg);
  for (const name of [...g.ignored, ...g.unready]) metrics.delete(name);
  if (metrics.size === 0) return { ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' };
  const first = averageRatio(metrics, targetAverage);
  const timestampMs = latestTimestamp(metrics);
  const result = (replicas: number) => ({ ok: true as const, replicas, timestampMs, averageValue: first.average });
  const usageRatio = first.ratio;
  const scaleUpWithUnready = g.unready.size > 0 && usageRatio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - usageRatio) <= cfg.tolerance) return result(currentReplicas);
    return result(Math.ceil(usageRatio * g.readyPodCount));
  }
  if (g.missing.size > 0) {
    const value = usageRatio < 1 ? targetAverage : 0;
    if (usageRatio !== 1) for (const name of g.missing) metrics.set(name, { value, timestampMs, windowMs: 0 });
  }
  if (scaleUpWithUnready) for (const name of g.unready) metrics.set(name, { value: 0, timestampMs, windowMs: 0 });
  const newRatio = averageRatio(metrics, targetAverage).ratio;
  if (Math.abs(1 - newRatio) <= cfg.tolerance || (usageRatio < 1 && newRatio > 1) || (usageRatio > 1 && newRatio < 1)) return result(currentReplicas);
  const newReplicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && newReplicas > currentReplicas) || (newRatio > 1 && newReplicas < currentReplicas)) return result(currentReplicas);
  return result(newReplicas);
}
