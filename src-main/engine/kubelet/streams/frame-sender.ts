/**
 * Sends channel frames on a WebSocket and applies back-pressure to the source: a source whose output the
 * client does not read fast enough is paused until the socket has drained.
 */
import { WebSocket } from 'ws';
import { encodeFrame } from './channel-protocol';

export interface Pausable {
  pause(): unknown;
  resume(): unknown;
}

/** Bytes queued on the socket above which sources pause. */
const HIGH_WATER = 1024 * 1024;

export class FrameSender {
  private readonly paused = new Set<Pausable>();

  constructor(
    private readonly ws: WebSocket,
    private readonly highWater = HIGH_WATER,
  ) {}

  /** Returns false when the socket is no longer open (the frame is dropped). */
  send(channel: number, payload?: Buffer | string, source?: Pausable): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(encodeFrame(channel, payload), { binary: true }, () => this.maybeResume());
    if (source && this.ws.bufferedAmount > this.highWater && !this.paused.has(source)) {
      this.paused.add(source);
      source.pause();
    }
    return true;
  }

  private maybeResume(): void {
    if (this.paused.size === 0 || this.ws.bufferedAmount > this.highWater / 2) return;
    const all = [...this.paused];
    this.paused.clear();
    for (const s of all) s.resume();
  }
}
