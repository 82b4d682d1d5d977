/**
 * Attach to a container's main process as a RemoteProcess. Stdin is attached only when the container keeps
 * it open (`stdin: true` in the pod spec); framing follows the container's TTY, not the request.
 */
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { isPlainObject } from '../../object';
import { StatusError } from '../../status';
import type { ContainerRef } from '../container-resolver';
import { dockerErrorMessage } from './docker-logs';
import type { RemoteCommandOptions } from './exec-options';
import { successStatus } from './exec-status';
import type { RemoteProcess, RemoteProcessResult } from './remote-process';

interface AttachConfig {
  openStdin: boolean;
  tty: boolean;
}

async function attachConfig(container: Docker.Container, ref: ContainerRef): Promise<AttachConfig> {
  let info: unknown;
  try {
    info = await container.inspect();
  } catch (err) {
    const code = isPlainObject(err) && typeof err.statusCode === 'number' ? err.statusCode : 0;
    if (code === 404) throw new StatusError(400, 'BadRequest', `container not found ("${ref.name}")`);
    throw new StatusError(500, 'InternalError', `Internal error occurred: error attaching to container: ${dockerErrorMessage(err)}`);
  }
  const config = isPlainObject(info) && isPlainObject(info.Config) ? info.Config : {};
  return { openStdin: config.OpenStdin === true, tty: config.Tty === true };
}

export async function prepareAttach(docker: Docker, ref: ContainerRef, opts: RemoteCommandOptions): Promise<RemoteProcess> {
  const container = docker.getContainer(ref.id);
  const config = await attachConfig(container, ref);
  const stdin = opts.stdin && config.openStdin;
  return {
    multiplexed: !config.tty,
    tty: config.tty,
    stdin,
    mayFailToStart: false,
    async start(): Promise<Duplex> {
      const stream: unknown = await container.attach({ stream: true, hijack: true, logs: false, stdin, stdout: opts.stdout, stderr: opts.stderr && !config.tty });
      if (!(stream instanceof Duplex)) throw new Error('Docker did not hijack the attach connection');
      return stream;
    },
    async resize(size): Promise<void> {
      await container.resize({ h: size.height, w: size.width });
    },
    // the kubelet reports Success whenever the attach ends without an error
    finish: async (): Promise<RemoteProcessResult> => ({ status: successStatus(), startFailed: false }),
  };
}
