import { describe, expect, it } from 'vitest';
import { cpuCoresBetween, parseDockerStats, parsePreviousDockerStats } from './docker-stats';

const v2 = {
  read: '2026-01-01T00:00:10.123456789Z',
  cpu_stats: { cpu_usage: { total_usage: 5_000_000_000 } },
  memory_stats: { usage: 10 * 1024 * 1024, stats: { inactive_file: 2 * 1024 * 1024 } },
};

describe('parseDockerStats', () => {
  it('reads cumulative CPU, the working set (usage − inactive_file) and the read time', () => {
    expect(parseDockerStats(v2, 0)).toEqual({ cpuUsageNanos: 5e9, memoryWorkingSetBytes: 8 * 1024 * 1024, timestampMs: Date.parse('2026-01-01T00:00:10.123Z') });
  });

  it('uses total_inactive_file on cgroup v1 and floors the working set at 0', () => {
    const v1 = { ...v2, memory_stats: { usage: 100, stats: { total_inactive_file: 500 } } };
    expect(parseDockerStats(v1, 0)?.memoryWorkingSetBytes).toBe(0);
  });

  it('refuses bodies that are not stats, and the zero answer of a stopped container', () => {
    expect(parseDockerStats('nope', 0)).toBeUndefined();
    expect(parseDockerStats({ cpu_stats: {} }, 0)).toBeUndefined();
    expect(parseDockerStats({ read: '0001-01-01T00:00:00Z', cpu_stats: { cpu_usage: { total_usage: 0 } }, memory_stats: {} }, 0)).toBeUndefined();
  });
});

describe('parsePreviousDockerStats', () => {
  it("reads Docker's reading of a second before (precpu_stats at preread) with the same working set", () => {
    const body = { ...v2, preread: '2026-01-01T00:00:09.120000000Z', precpu_stats: { cpu_usage: { total_usage: 4_500_000_000 } } };
    const before = parsePreviousDockerStats(body);
    expect(before).toEqual({ cpuUsageNanos: 4.5e9, memoryWorkingSetBytes: 8 * 1024 * 1024, timestampMs: Date.parse('2026-01-01T00:00:09.120Z') });
    const now = parseDockerStats(body, 0);
    expect(before && now ? cpuCoresBetween(before, now) : undefined).toBeCloseTo(0.5 / 1.003);
  });

  it('has none in a one-shot answer (zero preread) or a body that is not stats', () => {
    expect(parsePreviousDockerStats({ ...v2, preread: '0001-01-01T00:00:00Z', precpu_stats: { cpu_usage: { total_usage: 0 } } })).toBeUndefined();
    expect(parsePreviousDockerStats(v2)).toBeUndefined();
    expect(parsePreviousDockerStats({ preread: '2026-01-01T00:00:09Z', precpu_stats: { cpu_usage: { total_usage: 1 } } })).toBeUndefined();
    expect(parsePreviousDockerStats(null)).toBeUndefined();
  });
});

describe('cpuCoresBetween', () => {
  it('is CPU time over wall time', () => {
    expect(cpuCoresBetween({ cpuUsageNanos: 0, memoryWorkingSetBytes: 0, timestampMs: 0 }, { cpuUsageNanos: 1.5e9, memoryWorkingSetBytes: 0, timestampMs: 2000 })).toBeCloseTo(0.75);
  });

  it('has no rate across a counter reset or a non-advancing clock', () => {
    expect(cpuCoresBetween({ cpuUsageNanos: 9, memoryWorkingSetBytes: 0, timestampMs: 0 }, { cpuUsageNanos: 1, memoryWorkingSetBytes: 0, timestampMs: 10 })).toBeUndefined();
    expect(cpuCoresBetween({ cpuUsageNanos: 0, memoryWorkingSetBytes: 0, timestampMs: 10 }, { cpuUsageNanos: 1, memoryWorkingSetBytes: 0, timestampMs: 10 })).toBeUndefined();
  });
});
