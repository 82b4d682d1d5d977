import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerAvailable } from '../test/test-images';
import { LABEL_CLUSTER } from './labels';
import {
  ensureVolume,
  inspectVolume,
  listVolumes,
  makeSubdirThroughContainer,
  openVolumeRootThroughContainer,
  removeVolume,
} from './volume-docker';
import { TestSandbox } from './volume-test-sandbox';

const docker = new Docker();
const available = await dockerAvailable(docker);

describe.skipIf(!available)('Docker volume helpers (real Docker)', () => {
  const t = new TestSandbox(docker);
  let sandbox = '';
  beforeAll(async () => {
    await t.init();
    sandbox = (await t.sandbox()).id;
  });
  afterAll(() => t.cleanup());

  const labels = (): Record<string, string> => ({ [LABEL_CLUSTER]: t.clusterId, 'dev.skiff.test': 'volume-docker' });

  it('creates a volume once, lists it by label and removes it (twice is fine)', async () => {
    const name = `skiff-${t.clusterId}-a`;
    const first = await ensureVolume(docker, { name, labels: labels() });
    expect(first.created).toBe(true);
    expect(first.mountpoint).toMatch(/_data$/);
    expect(await ensureVolume(docker, { name, labels: labels() })).toEqual({ mountpoint: first.mountpoint, created: false });
    expect((await listVolumes(docker, labels())).map((v) => v.name)).toEqual([name]);
    await removeVolume(docker, name);
    await removeVolume(docker, name);
    expect(await inspectVolume(docker, name)).toBeUndefined();
  });

  it('without access to the data root: opens a new volume to 0777 and makes subdirectories through a helper container', async () => {
    const name = `skiff-${t.clusterId}-b`;
    await ensureVolume(docker, { name, labels: labels() });
    await openVolumeRootThroughContainer(docker, name, t.clusterId);
    await makeSubdirThroughContainer(docker, name, 'logs/app', t.clusterId);
    const c = await t.container(sandbox, ['sleep', '3600'], [{ Type: 'volume', Source: name, Target: '/v' }]);
    expect((await t.exec(c, ['stat', '-c', '%a', '/v', '/v/logs/app'])).output).toBe('777\n755\n');
    expect((await t.exec(c, ['su', 'nobody', '-s', '/bin/sh', '-c', 'echo hi > /v/by-nobody'])).exitCode).toBe(0);
    // the helper containers are gone
    const helpers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.skiff.role=volume-helper`, `${LABEL_CLUSTER}=${t.clusterId}`] }) });
    expect(helpers).toEqual([]);
  });
});
