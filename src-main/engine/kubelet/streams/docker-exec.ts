/** `docker exec` as a RemoteProcess: created before the upgrade (so Docker's refusal is a plain HTTP error). */
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { isPlainObject } from '../../object';
import { StatusError } from '../../status';
import type { ContainerRef } from '../container-resolver';
import { dockerErrorMessage } from './docker-logs';
import type { RemoteCommandOptions } from './exec-options';
import { internalErrorStatus, nonZeroExitStatus, startFailureExitCode, successStatus } from './exec-status';
import type { RemoteProcess, RemoteProcessResult } from './remote-process';

/** How long the exec may still report Running after its stream ended. */
const EXIT_WAIT_MS = 5000;
const EXIT_POLL_MS = 20;

interface ExecState {
  running: boolean;
  exitCode: number | null;
  pid: number;
}

async function inspectExec(exec: Docker.Exec): Promise<ExecState> {
  const info: unknown = await exec.inspect();
  if (!isPlainObject(info)) throw new Error('Docker returned no exec state');
  return {
    running: info.Running === true,
    exitCode: typeof info.ExitCode === 'number' ? info.ExitCode : null,
    pid: typeof info.Pid === 'number' ? info.Pid : 0,
  };
}

/** The stream can end a moment before Docker marks the exec finished. */
export async function waitForExit(exec: Docker.Exec, timeoutMs = EXIT_WAIT_MS): Promise<ExecState | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await inspectExec(exec);
    if (!state.running) return state;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, EXIT_POLL_MS));
  }
}

/** Docker's answer to an exec on a container that is gone or stopped, as the kubelet words it. */
function execCreateError(err: unknown, ref: ContainerRef): StatusError {
  const code = isPlainObject(err) && typeof err.statusCode === 'number' ? err.statusCode : 0;
  if (code === 404 || code === 409) return new StatusError(400, 'BadRequest', `container not found ("${ref.name}")`);
  return new StatusError(500, 'InternalError', `Internal error occurred: error executing command in container: ${dockerErrorMessage(err)}`);
}

export async function prepareExec(docker: Docker, ref: ContainerRef, opts: RemoteCommandOptions): Promise<RemoteProcess> {
  let exec: Docker.Exec;
  try {
    exec = await docker.getContainer(ref.id).exec({
      Cmd: opts.command,
      AttachStdin: opts.stdin,
      AttachStdout: opts.stdout,
      AttachStderr: opts.stderr,
      Tty: opts.tty,
    });
  } catch (err) {
    throw execCreateError(err, ref);
  }
  return {
    multiplexed: !opts.tty,
    tty: opts.tty,
    stdin: opts.stdin,
    mayFailToStart: true,
    async start(): Promise<Duplex> {
      // Docker frames the output unless the start request, too, says Tty
      const stream: unknown = await exec.start({ hijack: true, stdin: opts.stdin, Tty: opts.tty });
      if (!(stream instanceof Duplex)) throw new Error('Docker did not hijack the exec connection');
      return stream;
    },
    async resize(size): Promise<void> {
      await exec.resize({ h: size.height, w: size.width });
    },
    async finish(startError): Promise<RemoteProcessResult> {
      let state: ExecState | undefined;
      try {
        state = await waitForExit(exec);
      } catch (err) {
        return { status: internalErrorStatus(`error executing command in container: ${dockerErrorMessage(err)}`), startFailed: false };
      }
      if (!state) return { status: internalErrorStatus('error executing command in container: the output ended while the command is still running'), startFailed: false };
      if (startError !== undefined && state.pid === 0) {
        return { status: nonZeroExitStatus(opts.command, startFailureExitCode(startError), startError), startFailed: true };
      }
      if (state.exitCode === 0) return { status: successStatus(), startFailed: false };
      if (state.exitCode === null) return { status: internalErrorStatus('error executing command in container: Docker reported no exit code'), startFailed: false };
      return { status: nonZeroExitStatus(opts.command, state.exitCode), startFailed: false };
    },
  };
}
