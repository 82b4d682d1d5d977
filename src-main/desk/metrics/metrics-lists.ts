import { list, record, text } from '../json-fields';
import { cpuMillicores, memoryBytes } from './quantity';

/** One pod's usage from a PodMetrics object: its containers summed. */
export interface PodUsage {
  namespace: string;
  name: string;
  /** epoch ms of the sample (metrics `timestamp`), or null when absent or unparsable */
  timestamp: number | null;
  cpuMillicores: number;
  memoryBytes: number;
}

/** The name and namespace of a metrics item, or null when it lacks either. */
function podOf(item: Record<string, unknown>): { name: string; namespace: string } | null {
  const meta = record(item.metadata);
  const name = text(meta.name);
  const namespace = text(meta.namespace);
  return name === null || namespace === null ? null : { name, namespace };
}

/** A `usage` of metrics.k8s.io (`{cpu, memory}` quantities), or null when neither parses. */
function usageOf(value: unknown): { cpuMillicores: number; memoryBytes: number } | null {
  const usage = record(value);
  const cpu = cpuMillicores(usage.cpu);
  const memory = memoryBytes(usage.memory);
  return cpu === null && memory === null ? null : { cpuMillicores: cpu ?? 0, memoryBytes: memory ?? 0 };
}

/**
 * Reads a metrics.k8s.io/v1beta1 PodMetricsList (`items[].containers[].usage.{cpu,memory}`). Items that are
 * not PodMetrics, or whose containers carry no parsable usage, are skipped.
 */
export function parsePodMetricsList(body: unknown): PodUsage[] {
  const out: PodUsage[] = [];
  for (const item of list(record(body).items).map(record)) {
    const pod = podOf(item);
    if (pod === null) continue;
    let cpu = 0;
    let memory = 0;
    let parsed = 0;
    for (const container of list(item.containers).map(record)) {
      const usage = usageOf(container.usage);
      if (usage === null) continue;
      cpu += usage.cpuMillicores;
      memory += usage.memoryBytes;
      parsed++;
    }
    if (parsed === 0) continue;
    const stamp = text(item.timestamp);
    const time = stamp === null ? NaN : Date.parse(stamp);
    out.push({ ...pod, timestamp: Number.isFinite(time) ? time : null, cpuMillicores: cpu, memoryBytes: memory });
  }
  return out;
}

/** One pod's recent usage from a metrics.skiff.dev PodMetricsHistory: its points, oldest first. */
export interface PodUsageHistory {
  namespace: string;
  name: string;
  points: Array<{ timestamp: number; cpuMillicores: number; memoryBytes: number }>;
}

/**
 * Reads the local engine's metrics.skiff.dev/v1alpha1 PodMetricsHistoryList (`items[].points[].{timestamp,
 * usage}`; usage as in PodMetrics). Points without a parsable timestamp or usage are skipped, and so are items
 * left with none.
 */
export function parsePodMetricsHistoryList(body: unknown): PodUsageHistory[] {
  const out: PodUsageHistory[] = [];
  for (const item of list(record(body).items).map(record)) {
    const pod = podOf(item);
    if (pod === null) continue;
    const points: PodUsageHistory['points'] = [];
    for (const p of list(item.points).map(record)) {
      const time = Date.parse(text(p.timestamp) ?? '');
      const usage = usageOf(p.usage);
      if (!Number.isFinite(time) || usage === null) continue;
      points.push({ timestamp: time, ...usage });
    }
    if (points.length > 0) out.push({ ...pod, points });
  }
  return out;
}

/** One value of a custom.metrics.k8s.io MetricValueList item. */
export interface MetricValue {
  kind: string | null;
  namespace: string | null;
  name: string;
  metricName: string;
  value: number;
}

/** Reads a custom.metrics.k8s.io/v1beta1 MetricValueList (`items[].{describedObject, metricName, value}`). */
export function parseMetricValueList(body: unknown): MetricValue[] {
  const out: MetricValue[] = [];
  for (const item of list(record(body).items).map(record)) {
    const described = record(item.describedObject);
    const name = text(described.name);
    const value = typeof item.value === 'number' ? item.value : typeof item.value === 'string' ? parseQuantityValue(item.value) : null;
    if (name === null || value === null) continue;
    out.push({ kind: text(described.kind), namespace: text(described.namespace), name, metricName: text(item.metricName) ?? '', value });
  }
  return out;
}

function parseQuantityValue(value: string): number | null {
  // Custom metrics values are quantities too ("1500m" requests per second is 1.5).
  const millis = cpuMillicores(value);
  return millis === null ? null : millis / 1000;
}
