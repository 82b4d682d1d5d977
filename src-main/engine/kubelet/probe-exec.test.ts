import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerAvailable } from '../test/test-images';
import { execInContainer, execProbe } from './probe-exec';
import { TestSandbox } from './volume-test-sandbox';

const docker = new Docker();
const available = await dockerAvailable(docker);

describe.skipIf(!available)('exec probes (real Docker)', () => {
  const t = new TestSandbox(docker);
  let id = '';
  beforeAll(async () => {
    await t.init();
    const sandbox = await t.sandbox();
    id = await t.container(sandbox.id, ['sleep', '3600']);
  });
  afterAll(() => t.cleanup());

  it('exit 0 is success', async () => {
    expect(await execProbe(docker, id, ['sh', '-c', 'echo fine'], 5000)).toEqual({ result: 'success', output: 'fine\n' });
  });

  it('a non-zero exit is a failure carrying stdout and stderr', async () => {
    // stdout and stderr travel through separate pipes: their relative order is not defined
    const r = await execProbe(docker, id, ['sh', '-c', 'echo out; echo err >&2; exit 3'], 5000);
    expect(r.result).toBe('failure');
    expect(r.output.split('\n').sort()).toEqual(['', 'err', 'out']);
    expect((await execInContainer(docker, id, ['sh', '-c', 'exit 7'], 5000)).exitCode).toBe(7);
  });

  it('honours the timeout', async () => {
    const started = Date.now();
    expect(await execProbe(docker, id, ['sleep', '5'], 500)).toEqual({ result: 'failure', output: 'command "sleep 5" timed out' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('keeps at most 10 KiB of output', async () => {
    const r = await execInContainer(docker, id, ['sh', '-c', 'head -c 20000 /dev/zero | tr "\\0" a'], 5000);
    expect(r.output.length).toBe(10 * 1024);
  });

  it('a command that cannot start fails; a container that is gone errors', async () => {
    expect((await execProbe(docker, id, ['/no/such/binary'], 5000)).result).toBe('failure');
    expect((await execProbe(docker, 'no-such-container-id', ['true'], 5000)).result).toBe('unknown');
  });
});
