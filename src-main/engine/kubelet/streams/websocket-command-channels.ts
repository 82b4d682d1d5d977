/**
 * The WebSocket channel protocol (v5/v4.channel.k8s.io) as RemoteCommandChannels: an empty frame on the
 * lowest output channel right after the upgrade, output on channels 1/2, channel 0 into stdin (v5 CLOSE of
 * channel 0 is stdin EOF), channel 4 resizes, and at the end the Status on channel 3 and close code 1000.
 */
import type { RawData, WebSocket } from 'ws';
import { closedChannel, decodeFrame, ERROR_CHANNEL, initialChannel, RESIZE_CHANNEL, STDERR_CHANNEL, STDIN_CHANNEL, STDOUT_CHANNEL } from './channel-protocol';
import type { ChannelStatus } from './exec-status';
import { FrameSender, type Pausable } from './frame-sender';
import type { OutputStream, RemoteCommandChannels } from './remote-command-channels';

export function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export class WebSocketCommandChannels implements RemoteCommandChannels {
  onStdin: (chunk: Buffer) => void = () => undefined;
  onStdinEnd: () => void = () => undefined;
  onResize: (chunk: Buffer) => void = () => undefined;
  onClose: () => void = () => undefined;

  private readonly sender: FrameSender;
  private pauses = 1;

  constructor(
    private readonly ws: WebSocket,
    streams: { stdout: boolean; stderr: boolean },
  ) {
    this.sender = new FrameSender(ws);
    ws.pause();
    ws.on('error', () => undefined); // 'close' follows
    ws.on('close', () => this.onClose());
    ws.on('message', (data: RawData, isBinary: boolean) => this.receive(data, isBinary));
    this.sender.send(initialChannel(streams));
  }

  send(stream: OutputStream, payload: Buffer | string, source?: Pausable): void {
    this.sender.send(stream === 'stdout' ? STDOUT_CHANNEL : STDERR_CHANNEL, payload, source);
  }

  finish(status: ChannelStatus): void {
    if (this.sender.send(ERROR_CHANNEL, JSON.stringify(status))) this.ws.close(1000);
  }

  terminate(): void {
    this.ws.terminate();
  }

  pauseInput(): void {
    if (this.pauses++ === 0) this.ws.pause();
  }

  resumeInput(): void {
    if (this.pauses === 0) return;
    if (--this.pauses === 0) this.ws.resume();
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (!isBinary) return;
    const frame = decodeFrame(toBuffer(data));
    if (!frame) return;
    const closing = closedChannel(frame, this.ws.protocol);
    if (closing !== undefined) {
      if (closing === STDIN_CHANNEL) this.onStdinEnd();
      return;
    }
    if (frame.channel === STDIN_CHANNEL) this.onStdin(frame.payload);
    else if (frame.channel === RESIZE_CHANNEL) this.onResize(frame.payload);
  }
}
