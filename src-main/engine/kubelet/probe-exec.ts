/**
 * exec probes: the command runs in the container through `docker exec`; exit code 0 is success, anything
 * else a failure whose message is the command's output (stdout and stderr, first 10 KiB), as the kubelet
 * reports it. timeoutSeconds is enforced: the probe fails, and the command is left to finish on its own
 * (Docker offers no way to kill one exec).
 */
import { Writable } from 'node:stream';
import type Docker from 'dockerode';
import { isPlainObject } from '../object';
import type { ProbeOutcome } from './probe-state';

const MAX_OUTPUT = 10 * 1024;

export interface ExecResult {
  /** undefined when the command did not finish in time */
  exitCode: number | undefined;
  output: string;
  timedOut: boolean;
}

/** Collects at most `limit` bytes. */
class LimitedBuffer extends Writable {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    const room = this.limit - this.size;
    if (room > 0) {
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      this.chunks.push(part);
      this.size += part.length;
    }
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

async function exitCodeOf(exec: Docker.Exec): Promise<number | undefined> {
  // the stream can end a moment before Docker marks the exec finished
  for (let i = 0; i < 50; i++) {
    const info: unknown = await exec.inspect();
    if (isPlainObject(info) && info.Running === false) return typeof info.ExitCode === 'number' ? info.ExitCode : undefined;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

/** Run `cmd` in a running container, collecting its combined output, within `timeoutMs`. */
export async function execInContainer(docker: Docker, containerId: string, cmd: string[], timeoutMs: number): Promise<ExecResult> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = await exec.start({ hijack: true, stdin: false });
  const sink = new LimitedBuffer(MAX_OUTPUT);
  docker.modem.demuxStream(stream, sink, sink);
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    new Promise<boolean>((resolve) => {
      stream.once('end', () => resolve(true));
      stream.once('close', () => resolve(true));
      stream.once('error', () => resolve(true));
    }),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!finished) {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
    return { exitCode: undefined, output: sink.text(), timedOut: true };
  }
  return { exitCode: await exitCodeOf(exec), output: sink.text(), timedOut: false };
}

/** One exec probe. Docker refusing the exec (container gone or stopped) is an error, not a failure. */
export async function execProbe(docker: Docker, containerId: string, command: string[], timeoutMs: number): Promise<ProbeOutcome> {
  let r: ExecResult;
  try {
    r = await execInContainer(docker, containerId, command, timeoutMs);
  } catch (err) {
    return { result: 'unknown', output: err instanceof Error ? err.message : String(err) };
  }
  if (r.timedOut) return { result: 'failure', output: `command ${JSON.stringify(command.join(' '))} timed out` };
  if (r.exitCode === undefined) return { result: 'unknown', output: 'exec finished without an exit code' };
  return r.exitCode === 0 ? { result: 'success', output: r.output } : { result: 'failure', output: r.output };
}
