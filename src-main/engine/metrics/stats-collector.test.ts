import { describe, expect, it } from 'vitest';
import { LABEL_CLUSTER, LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, LABEL_ROLE } from '../kubelet/labels';
import { StatsCollector, type StatsDocker } from './stats-collector';

interface FakeContainer {
  id: string;
  pod: string;
  container: string;
  role: string;
  cpuNanos: number;
  memory: number;
  /** CPU time a second before each reading: what Docker answers as precpu_stats when not asked for one-shot */
  cpuNanosSecondBefore?: number;
}

/** A scripted Docker: each container's counters and the clock advance between samples. */
function fakeDocker(containers: FakeContainer[], clock: { t: number }, calls: { inFlight: number; max: number; oneShot?: Map<string, boolean[]> }): StatsDocker {
  return {
    listContainers: (async (opts: { filters: string }) => {
      expect(JSON.parse(opts.filters)).toEqual({ label: [`${LABEL_CLUSTER}=c1`] });
      return containers.map((c) => ({
        Id: c.id,
        Labels: { [LABEL_POD_UID]: `uid-${c.pod}`, [LABEL_POD_NAME]: c.pod, [LABEL_POD_NAMESPACE]: 'ns', [LABEL_CONTAINER_NAME]: c.container, [LABEL_ROLE]: c.role },
      }));
    }) as unknown as StatsDocker['listContainers'],
    getContainer: ((id: string) => ({
      stats: async (opts: { stream: boolean; 'one-shot': boolean }) => {
        expect(opts.stream).toBe(false);
        calls.oneShot?.set(id, [...(calls.oneShot.get(id) ?? []), opts['one-shot']]);
        calls.inFlight++;
        calls.max = Math.max(calls.max, calls.inFlight);
        await new Promise((r) => setTimeout(r, 2));
        calls.inFlight--;
        const c = containers.find((x) => x.id === id);
        if (!c) throw new Error('no such container');
        const body = { read: new Date(clock.t).toISOString(), cpu_stats: { cpu_usage: { total_usage: c.cpuNanos } }, memory_stats: { usage: c.memory, stats: { inactive_file: 0 } } };
        if (opts['one-shot'] || c.cpuNanosSecondBefore === undefined) return body;
        return { ...body, preread: new Date(clock.t - 1000).toISOString(), precpu_stats: { cpu_usage: { total_usage: c.cpuNanosSecondBefore } } };
      },
    })) as unknown as StatsDocker['getContainer'],
  };
}

describe('StatsCollector', () => {
  it("without Docker's previous reading, reports pods from their second sample: CPU as cores between samples, app containers only; the node sums all", async () => {
    const clock = { t: 1_000_000 };
    const containers: FakeContainer[] = [
      { id: 's1', pod: 'a', container: 'POD', role: 'sandbox', cpuNanos: 0, memory: 1024 },
      { id: 'a1', pod: 'a', container: 'web', role: 'app', cpuNanos: 0, memory: 4096 },
      { id: 'a2', pod: 'a', container: 'log', role: 'app', cpuNanos: 0, memory: 2048 },
      { id: 'b1', pod: 'b', container: 'app', role: 'app', cpuNanos: 0, memory: 8192 },
    ];
    const calls = { inFlight: 0, max: 0 };
    const c = new StatsCollector({ docker: fakeDocker(containers, clock, calls), clusterId: 'c1', concurrency: 2, clock: { now: () => clock.t, setTimeout: () => 0, clearTimeout: () => undefined } });
    await c.sample();
    expect(c.pods()).toEqual([]);
    expect(c.nodeUsage()).toBeUndefined();
    clock.t += 2000;
    containers[1].cpuNanos = 1e9; // 0.5 core over 2 s
    containers[2].cpuNanos = 2e8; // 0.1 core
    containers[3].cpuNanos = 4e9; // 2 cores
    await c.sample();
    const a = c.podUsage('ns', 'a');
    expect(a).toMatchObject({ uid: 'uid-a', windowMs: 2000, memoryBytes: 6144 });
    expect(a?.cpuCores).toBeCloseTo(0.6);
    expect(a?.containers.map((x) => x.name)).toEqual(['log', 'web']);
    expect(c.podUsage('ns', 'b')?.cpuCores).toBeCloseTo(2);
    expect(c.nodeUsage()?.cpuCores).toBeCloseTo(2.6);
    expect(c.nodeUsage()?.memoryBytes).toBe(1024 + 4096 + 2048 + 8192);
    expect(calls.max).toBeLessThanOrEqual(2);

    // a new container in pod b has no rate yet: b has no usage this round, a keeps its history
    containers.push({ id: 'b2', pod: 'b', container: 'side', role: 'app', cpuNanos: 0, memory: 1 });
    clock.t += 2000;
    await c.sample();
    expect(c.podUsage('ns', 'b')).toBeUndefined();
    expect(c.podHistory('ns', 'a')).toHaveLength(2);

    // a pod whose containers are gone disappears
    containers.splice(0, 3);
    clock.t += 2000;
    await c.sample();
    expect(c.podUsage('ns', 'a')).toBeUndefined();
    expect(c.podUsage('ns', 'b')).toBeDefined();
  });

  it("reports a new container from its first sample with Docker's reading of a second before, then asks one-shot", async () => {
    const clock = { t: 5_000_000 };
    const containers: FakeContainer[] = [
      { id: 's1', pod: 'a', container: 'POD', role: 'sandbox', cpuNanos: 1e6, cpuNanosSecondBefore: 1e6, memory: 10 },
      { id: 'a1', pod: 'a', container: 'web', role: 'app', cpuNanos: 9e8, cpuNanosSecondBefore: 6e8, memory: 100 },
    ];
    const calls = { inFlight: 0, max: 0, oneShot: new Map<string, boolean[]>() };
    const c = new StatsCollector({ docker: fakeDocker(containers, clock, calls), clusterId: 'c1', clock: { now: () => clock.t, setTimeout: () => 0, clearTimeout: () => undefined } });
    await c.sample();
    expect(c.podUsage('ns', 'a')).toMatchObject({ windowMs: 1000, memoryBytes: 100 });
    expect(c.podUsage('ns', 'a')?.cpuCores).toBeCloseTo(0.3);
    expect(c.nodeUsage()?.cpuCores).toBeCloseTo(0.3);

    // the second round uses our own previous sample (one-shot): 0.5 core over 5 s
    clock.t += 5000;
    containers[1].cpuNanos += 2.5e9;
    containers[1].cpuNanosSecondBefore = 0; // would give a wrong rate if it were still read
    await c.sample();
    expect(c.podUsage('ns', 'a')?.windowMs).toBe(5000);
    expect(c.podUsage('ns', 'a')?.cpuCores).toBeCloseTo(0.5);
    expect(calls.oneShot.get('a1')).toEqual([false, true]);
    expect(calls.oneShot.get('s1')).toEqual([false, true]);
    expect(c.podHistory('ns', 'a')).toHaveLength(2);
  });

  it('keeps only historyMs of points', async () => {
    const clock = { t: 0 };
    const containers: FakeContainer[] = [{ id: 'x', pod: 'p', container: 'app', role: 'app', cpuNanos: 0, memory: 1 }];
    const c = new StatsCollector({ docker: fakeDocker(containers, clock, { inFlight: 0, max: 0 }), clusterId: 'c1', historyMs: 5000, clock: { now: () => clock.t, setTimeout: () => 0, clearTimeout: () => undefined } });
    for (let i = 0; i < 10; i++) {
      clock.t += 1000;
      containers[0].cpuNanos += 1e8;
      await c.sample();
    }
    const h = c.podHistory('ns', 'p');
    expect(h.length).toBeLessThanOrEqual(6);
    expect(h[h.length - 1].cpuCores).toBeCloseTo(0.1);
  });
});
