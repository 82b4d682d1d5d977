/**
 * The stats collector on real Docker with many containers: Docker answers `stats?stream=false` on its own 1 s
 * collection tick, so a sample's duration is set by how many requests are in flight, not by work. With a
 * node's worth of containers a sample must stay within the 5 s sampling period (at the old 4 in flight, 24
 * containers took 6 s or more), and every pod must have usage from its first sample.
 */
import { randomUUID } from 'node:crypto';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_CLUSTER, LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID, LABEL_ROLE } from '../kubelet/labels';
import { ensureTestImage, TEST_IMAGE } from '../test/test-images';
import { StatsCollector } from './stats-collector';

const docker = new Docker();
const CONTAINERS = 24;
const cluster = `stats-test-${randomUUID().slice(0, 8)}`;

describe('StatsCollector on Docker with many containers', () => {
  beforeAll(async () => {
    await ensureTestImage(docker);
    await Promise.all(
      Array.from({ length: CONTAINERS }, async (_, i) => {
        const c = await docker.createContainer({
          Image: TEST_IMAGE,
          Cmd: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
          Labels: { [LABEL_CLUSTER]: cluster, [LABEL_POD_UID]: `uid-${i}`, [LABEL_POD_NAME]: `p${i}`, [LABEL_POD_NAMESPACE]: 'ns', [LABEL_CONTAINER_NAME]: 'app', [LABEL_ROLE]: 'app' },
          HostConfig: { NetworkMode: 'none' },
        });
        await c.start();
      }),
    );
  }, 120_000);
  afterAll(async () => {
    const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${cluster}`] });
    for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true });
  }, 60_000);

  it('samples every container within one sampling period, each pod with usage from the first sample', async () => {
    const collector = new StatsCollector({ docker, clusterId: cluster });
    const t0 = performance.now();
    await collector.sample();
    const first = performance.now() - t0;
    expect(collector.pods()).toHaveLength(CONTAINERS);
    for (const p of collector.pods()) {
      expect(p.memoryBytes).toBeGreaterThan(0);
      expect(p.cpuCores).toBeGreaterThanOrEqual(0);
      expect(p.windowMs).toBeGreaterThan(0);
    }
    const t1 = performance.now();
    await collector.sample();
    const second = performance.now() - t1;
    expect(collector.pods()).toHaveLength(CONTAINERS);
    expect(collector.podHistory('ns', 'p0')).toHaveLength(2);
    // a new container costs two of Docker's ticks (the previous reading too), a known one one
    expect(first).toBeLessThan(collector.interval);
    expect(second).toBeLessThan(collector.interval);
  }, 60_000);
});
