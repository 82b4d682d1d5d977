/**
 * One exec or attach session on an upgraded WebSocket: Docker's output onto channels 1/2, channel 0 into the
 * process's stdin (v5 CLOSE is stdin EOF), channel 4 resizes the TTY, and when the Docker stream ends the
 * Status goes on channel 3 and the socket closes with 1000. A client that leaves only closes the Docker
 * connection; the process itself is not killed (Docker offers no way to kill one exec).
 */
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { ActiveStreams } from './active-streams';
import { closedChannel, decodeFrame, ERROR_CHANNEL, initialChannel, RESIZE_CHANNEL, STDERR_CHANNEL, STDIN_CHANNEL, STDOUT_CHANNEL } from './channel-protocol';
import { DOCKER_STDERR, DOCKER_STDOUT, DockerFrameDecoder, execStartError } from './docker-frames';
import { dockerErrorMessage } from './docker-logs';
import type { RemoteCommandOptions } from './exec-options';
import { internalErrorStatus, type ChannelStatus } from './exec-status';
import { FrameSender } from './frame-sender';
import type { RemoteProcess } from './remote-process';
import { ResizeDecoder, type TerminalSize } from './resize-decoder';

const RESIZE_RETRY_MS = 100;

export function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

interface HeldOutput {
  message: string;
  stream: number;
  payload: Buffer;
}

export function runRemoteCommandSession(ws: WebSocket, opts: RemoteCommandOptions, proc: RemoteProcess, active: ActiveStreams): void {
  const protocol = ws.protocol;
  const sender = new FrameSender(ws);
  const decoder = proc.multiplexed ? new DockerFrameDecoder() : undefined;
  const resizes = new ResizeDecoder();
  let stream: Duplex | undefined;
  let closed = false;
  let ended = false;
  let stdinEnded = false;
  let sniffing = proc.mayFailToStart;
  let held: HeldOutput | undefined;

  const untrack = active.add(() => ws.terminate());
  ws.on('error', () => undefined); // 'close' follows
  ws.on('close', () => {
    closed = true;
    untrack();
    stream?.destroy();
  });

  const emit = (dockerStream: number, payload: Buffer): void => {
    if (payload.length === 0) return;
    if (dockerStream === DOCKER_STDERR) {
      if (opts.stderr) sender.send(STDERR_CHANNEL, payload, stream);
    } else if (dockerStream === DOCKER_STDOUT) {
      if (opts.stdout) sender.send(STDOUT_CHANNEL, payload, stream);
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
    sender.send(ERROR_CHANNEL, JSON.stringify(status));
    ws.close(1000);
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
        if (opts.stderr) sender.send(STDERR_CHANNEL, text);
        else if (opts.stdout) sender.send(STDOUT_CHANNEL, text);
      }
      flushHeld();
      sendStatus(status);
    });
  };

  const applyResize = (size: TerminalSize): void => {
    // right after start Docker may not yet see the process running: try once more
    proc.resize(size).catch(() => setTimeout(() => proc.resize(size).catch(() => undefined), RESIZE_RETRY_MS));
  };
  const endStdin = (): void => {
    if (stdinEnded) return;
    stdinEnded = true;
    // half-close: Docker closes the process's stdin. With a TTY that would end the whole session instead.
    if (proc.stdin && !proc.tty) stream?.end();
  };
  const onMessage = (data: RawData, isBinary: boolean): void => {
    if (!isBinary || !stream || closed) return;
    const frame = decodeFrame(toBuffer(data));
    if (!frame) return;
    const closing = closedChannel(frame, protocol);
    if (closing !== undefined) {
      if (closing === STDIN_CHANNEL) endStdin();
      return;
    }
    if (frame.channel === STDIN_CHANNEL) {
      if (!proc.stdin || stdinEnded || frame.payload.length === 0 || ended) return;
      if (!stream.write(frame.payload)) {
        ws.pause();
        stream.once('drain', () => ws.resume());
      }
    } else if (frame.channel === RESIZE_CHANNEL && opts.tty) {
      for (const size of resizes.push(frame.payload)) applyResize(size);
    }
  };

  // Input waits until the Docker connection exists.
  ws.pause();
  ws.on('message', onMessage);
  sender.send(initialChannel(opts));
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
      ws.resume();
    },
    (err: unknown) => {
      ended = true;
      sendStatus(internalErrorStatus(`error executing command in container: ${dockerErrorMessage(err)}`));
    },
  );
}
