/**
 * One container's resource sample from Docker's stats endpoint, reduced to what metrics need: cumulative CPU
 * time and the memory working set as cAdvisor (and so metrics-server) reports it.
 */
import { asNumber, asObject, asString } from '../registry/json-access';

/** A point-in-time reading of one container. */
export interface ContainerSample {
  /** cumulative CPU time of the container (cpu_stats.cpu_usage.total_usage), nanoseconds */
  cpuUsageNanos: number;
  /** usage − inactive_file (cgroup v2) or − total_inactive_file (v1), floored at 0, bytes */
  memoryWorkingSetBytes: number;
  /** when Docker read the counters (ms since epoch) */
  timestampMs: number;
}

/** Docker's `read` is RFC 3339 with nanoseconds; Date.parse wants at most milliseconds. */
function parseReadTime(v: unknown): number | undefined {
  const s = asString(v);
  if (!s || s.startsWith('0001-')) return undefined;
  const ms = Date.parse(s.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Parse a `GET /containers/{id}/stats?stream=false` body. Undefined when the container is not running
 * (Docker then answers zeros and an unset read time) or the body is not a stats object.
 */
export function parseDockerStats(raw: unknown, fallbackNowMs: number): ContainerSample | undefined {
  const o = asObject(raw);
  if (!o) return undefined;
  const cpu = asObject(asObject(o.cpu_stats)?.cpu_usage);
  const total = asNumber(cpu?.total_usage);
  if (total === undefined) return undefined;
  const mem = asObject(o.memory_stats) ?? {};
  const usage = asNumber(mem.usage) ?? 0;
  const stats = asObject(mem.stats) ?? {};
  // cAdvisor's working set: what the kernel cannot drop under pressure (cgroup v2 names it inactive_file).
  const inactive = asNumber(stats.inactive_file) ?? asNumber(stats.total_inactive_file) ?? 0;
  const read = parseReadTime(o.read);
  if (read === undefined && total === 0 && usage === 0) return undefined;
  return { cpuUsageNanos: total, memoryWorkingSetBytes: Math.max(0, usage - inactive), timestampMs: read ?? fallbackNowMs };
}

/** CPU in cores between two samples of one container, or undefined when they do not make an interval. */
export function cpuCoresBetween(prev: ContainerSample, next: ContainerSample): number | undefined {
  const dtMs = next.timestampMs - prev.timestampMs;
  if (dtMs <= 0) return undefined;
  const dCpu = next.cpuUsageNanos - prev.cpuUsageNanos;
  // A restarted container's counter starts again from zero: no rate across that.
  if (dCpu < 0) return undefined;
  return dCpu / (dtMs * 1e6);
}

/**
 * The reading Docker took about a second before, from the same body (`precpu_stats` and `preread`): without
 * `one-shot`, `stats?stream=false` waits for a second collection so that one answer already makes an interval.
 * Undefined when the body has none (a one-shot answer, or a container that has just started).
 */
export function parsePreviousDockerStats(raw: unknown): ContainerSample | undefined {
  const o = asObject(raw);
  if (!o) return undefined;
  const total = asNumber(asObject(asObject(o.precpu_stats)?.cpu_usage)?.total_usage);
  const read = parseReadTime(o.preread);
  if (total === undefined || read === undefined) return undefined;
  const current = parseDockerStats(raw, read);
  if (!current) return undefined;
  return { cpuUsageNanos: total, memoryWorkingSetBytes: current.memoryWorkingSetBytes, timestampMs: read };
}
