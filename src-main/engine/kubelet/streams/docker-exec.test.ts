/** docker exec as a RemoteProcess against a real container: exit codes, start failures, refusal. */
import type { Duplex } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatusError } from '../../status';
import { ensureTestImage } from '../../test/test-images';
import type { ContainerRef } from '../container-resolver';
import { execStartError } from './docker-frames';
import { prepareExec } from './docker-exec';
import type { RemoteCommandOptions } from './exec-options';

const docker = new Docker();
const created: string[] = [];

async function container(cmd: string[]): Promise<ContainerRef> {
  const c = await docker.createContainer({ Image: await ensureTestImage(docker), Cmd: cmd, Labels: { 'skiff-streams-test': 'docker-exec' } });
  created.push(c.id);
  await c.start();
  return { id: c.id, name: 'main', restartCount: 0, running: true, tty: false, podIP: '', sandboxId: '' };
}

function drain(stream: Duplex): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

const opts = (command: string[]): RemoteCommandOptions => ({ container: undefined, command, stdin: false, stdout: true, stderr: true, tty: false });

describe('prepareExec', () => {
  let running: ContainerRef;
  let exited: ContainerRef;

  beforeAll(async () => {
    running = await container(['sleep', '3600']);
    exited = await container(['true']);
    await docker.getContainer(exited.id).wait();
  });
  afterAll(async () => {
    await Promise.all(created.map((id) => docker.getContainer(id).remove({ force: true })));
  });

  it('reports the exit code once the stream ends', async () => {
    const proc = await prepareExec(docker, running, opts(['sh', '-c', 'exit 3']));
    await drain(await proc.start());
    const r = await proc.finish(undefined);
    expect(r.startFailed).toBe(false);
    expect(r.status.details?.causes[0]).toEqual({ reason: 'ExitCode', message: '3' });
  });

  it('recognises a command Docker could not start and gives it the shell exit code', async () => {
    const proc = await prepareExec(docker, running, opts(['nope']));
    const out = await drain(await proc.start());
    const message = execStartError(out.subarray(8), true);
    expect(message).toContain('exec: "nope": executable file not found in $PATH');
    const r = await proc.finish(message);
    expect(r.startFailed).toBe(true);
    expect(r.status.details?.causes[0].message).toBe('127');
  });

  it('refuses a container that is not running as the kubelet does', async () => {
    const err = await prepareExec(docker, exited, opts(['ls'])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(err).toMatchObject({ code: 400, message: 'container not found ("main")' });
  });
});
