/** PodExecOptions / PodAttachOptions from the query of pods/{name}/exec and pods/{name}/attach. */
import { badRequest } from '../../status';
import { boolParam } from './stream-params';

export type RemoteCommandKind = 'exec' | 'attach';

export interface RemoteCommandOptions {
  /** undefined: the pod's default container */
  container: string | undefined;
  /** exec only; empty for attach */
  command: string[];
  stdin: boolean;
  stdout: boolean;
  /** always false with tty: a terminal has one output stream */
  stderr: boolean;
  tty: boolean;
}

/** kubectl omits false flags, client-node spells them out; `command` repeats once per argument. */
export function parseRemoteCommandOptions(query: URLSearchParams, kind: RemoteCommandKind): RemoteCommandOptions {
  const container = query.get('container') ?? '';
  const tty = boolParam(query, 'tty');
  const stdin = boolParam(query, 'stdin');
  const stdout = boolParam(query, 'stdout');
  const stderr = boolParam(query, 'stderr') && !tty;
  const command = kind === 'exec' ? query.getAll('command') : [];
  if (kind === 'exec' && command.length === 0) throw badRequest('you must specify at least one command for the container');
  if (!stdin && !stdout && !stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  return { container: container === '' ? undefined : container, command, stdin, stdout, stderr, tty };
}
