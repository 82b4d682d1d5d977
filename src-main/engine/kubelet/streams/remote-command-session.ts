/**
 * One exec or attach session, whatever the transport (RemoteCommandChannels): Docker's output to the
 * client's stdout/stderr, the client's stdin into the process (stdin EOF half-closes it), resizes to the
 * TTY, and when the Docker stream ends the Status, after which the transport closes. A client that leaves
 * only closes the Docker connection; the process itself is not killed (Docker offers no way to kill one exec).
 */
import type { Duplex } from 'node:stream';
import type { ActiveStreams } from './active-streams';
import { DOCKER_STDERR, DOCKER_STDOUT, DockerFrameDecoder, execStartError } from './docker-frames';
import { dockerErrorMessage } from './docker-logs';
import type { RemoteCommandOptions } from './exec-options';
import { internalErrorStatus, type ChannelStatus } from './exec-status';
import type { RemoteCommandChannels } from './remote-command-channels';
import type { RemoteProcess } from './remote-process';
import { ResizeDecoder, type TerminalSize } from './resize-decoder';

const RESIZE_RETRY_MS = 100;

interface HeldOutput {
  message: string;
  stream: number;
  payload: Buffer;
}

export function runRemoteCommand(channels: RemoteCommandChannels, opts: RemoteCommandOptions, proc: RemoteProcess, active: ActiveStreams): void {
  const decoder = proc.multiplexed ? new DockerFrameDecoder() : undefined;
  const resizes = new ResizeDecoder();
  let stream: Duplex | undefined;
  let closed = false;
  let ended = false;
  let stdinEnded = false;
  let sniffing = proc.mayFailToStart;
  let held: HeldOutput | undefined;

  const untrack = active.add(() => channels.terminate());
  channels.onClose = () => {
    if (closed) return;
    closed = true;
    untrack();
    stream?.destroy();
  };

  const emit = (dockerStream: number, payload: Buffer): void => {
    if (payload.length === 0) return;
    if (dockerStream === DOCKER_STDERR) {
      if (opts.stderr) channels.send('stderr', payload, stream);
    } else if (dockerStream === DOCKER_STDOUT) {
      if (opts.stdout) channels.send('stdout', payload, stream);
    }
  };
  const flushHeld = (): void => {
    if (!held) return;
    const h = held;
    held = undefined;
    emit(h.stream, h.payload);
  };
  /** Docker's "could not start" text comes first and alone; hold it until we know it was not output. */
  const sniff = (payload: Buffer, multiplexed: boolean): boolean => {
    sniffing = false;
    const message = execStartError(payload, multiplexed);
    if (message === undefined) return false;
    held = { message, stream: DOCKER_STDOUT, payload };
    return true;
  };
  const onOutput = (chunk: Buffer): void => {
    if (closed) return;
    if (!decoder) {
      flushHeld();
      if (sniffing && sniff(chunk, false)) return;
      emit(DOCKER_STDOUT, chunk);
      return;
    }
    for (const frame of decoder.push(chunk)) {
      flushHeld();
      if (sniffing && frame.stream === DOCKER_STDOUT && sniff(frame.payload, true)) continue;
      if (frame.payload.length > 0) sniffing = false;
      emit(frame.stream, frame.payload);
    }
  };

  const sendStatus = (status: ChannelStatus): void => {
    if (closed) return;
    channels.finish(status);
  };
  const onEnd = (): void => {
    if (ended) return;
    ended = true;
    void proc.finish(held?.message).then(({ status, startFailed }) => {
      if (closed) return;
      if (held && startFailed) {
        // what `docker exec` prints; kubectl shows it before "command terminated with exit code 127"
        const text = `${held.message}\r\n`;
        held = undefined;
        if (opts.stderr) channels.send('stderr', text);
        else if (opts.stdout) channels.send('stdout', text);
      }
      flushHeld();
      sendStatus(status);
    });
  };

  // Resizes go to Docker one at a time and in order, as the kubelet applies them: two in flight could land in
  // either order, and a retried old size must never undo a newer one (the terminal would keep the client's
  // first size after the user resized).
  const pendingSizes: TerminalSize[] = [];
  let resizing = false;
  const drainResizes = async (): Promise<void> => {
    resizing = true;
    for (let size = pendingSizes.shift(); size !== undefined && !closed; size = pendingSizes.shift()) {
      try {
        await proc.resize(size);
      } catch {
        // right after start Docker may not yet see the process running: once more, unless a newer size came
        await new Promise((r) => setTimeout(r, RESIZE_RETRY_MS));
        if (pendingSizes.length === 0 && !closed) await proc.resize(size).catch(() => undefined);
      }
    }
    resizing = false;
  };
  const applyResize = (size: TerminalSize): void => {
    pendingSizes.push(size);
    if (!resizing) void drainResizes();
  };
  channels.onStdinEnd = (): void => {
    if (stdinEnded) return;
    stdinEnded = true;
    // half-close: Docker closes the process's stdin. With a TTY that would end the whole session instead.
    if (proc.stdin && !proc.tty) stream?.end();
  };
  channels.onStdin = (chunk: Buffer): void => {
    if (!stream || closed || !proc.stdin || stdinEnded || chunk.length === 0 || ended) return;
    if (!stream.write(chunk)) {
      channels.pauseInput();
      stream.once('drain', () => channels.resumeInput());
    }
  };
  channels.onResize = (chunk: Buffer): void => {
    if (!opts.tty || closed) return;
    for (const size of resizes.push(chunk)) applyResize(size);
  };

  // Input stays paused (as the channels start) until the Docker connection exists.
  proc.start().then(
    (s) => {
      if (closed) {
        s.destroy();
        return;
      }
      stream = s;
      s.on('data', onOutput);
      s.on('end', onEnd);
      s.on('close', onEnd);
      s.on('error', onEnd);
      channels.resumeInput();
    },
    (err: unknown) => {
      ended = true;
      sendStatus(internalErrorStatus(`error executing command in container: ${dockerErrorMessage(err)}`));
    },
  );
}
