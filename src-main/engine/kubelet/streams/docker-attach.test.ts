/** Attach as a RemoteProcess: stdin only when the container keeps it open, framing from the container's TTY. */
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureTestImage } from '../../test/test-images';
import type { ContainerRef } from '../container-resolver';
import { prepareAttach } from './docker-attach';
import type { RemoteCommandOptions } from './exec-options';

const docker = new Docker();
const created: string[] = [];

async function container(openStdin: boolean, tty: boolean): Promise<ContainerRef> {
  const c = await docker.createContainer({ Image: await ensureTestImage(docker), Cmd: ['sleep', '3600'], OpenStdin: openStdin, Tty: tty, Labels: { 'skiff-streams-test': 'docker-attach' } });
  created.push(c.id);
  return { id: c.id, name: 'main', restartCount: 0, running: false, tty, podIP: '', sandboxId: '' };
}

const opts: RemoteCommandOptions = { container: undefined, command: [], stdin: true, stdout: true, stderr: true, tty: false };

describe('prepareAttach', () => {
  afterAll(async () => {
    await Promise.all(created.map((id) => docker.getContainer(id).remove({ force: true })));
  });

  it('attaches stdin only when the container keeps it open', async () => {
    expect((await prepareAttach(docker, await container(false, false), opts)).stdin).toBe(false);
    expect((await prepareAttach(docker, await container(true, false), opts)).stdin).toBe(true);
  });

  it('follows the container TTY for framing and reports Success at the end', async () => {
    const tty = await prepareAttach(docker, await container(true, true), opts);
    expect(tty).toMatchObject({ multiplexed: false, tty: true });
    expect((await tty.finish(undefined)).status).toEqual({ metadata: {}, status: 'Success' });
  });

  it('refuses a container Docker does not know', async () => {
    const ref: ContainerRef = { id: 'does-not-exist-0123', name: 'ghost', restartCount: 0, running: false, tty: false, podIP: '', sandboxId: '' };
    await expect(prepareAttach(docker, ref, opts)).rejects.toMatchObject({ code: 400, message: 'container not found ("ghost")' });
  });
});
