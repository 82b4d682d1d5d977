/**
 * Test support: the client end of a SPDY/3.1 connection, as kubectl's spdystream drives it. Feed it the
 * server's bytes with `push`; it opens streams, sends DATA and PINGs through `send`, and records what the
 * server answered per stream. Works over a fake wire (unit tests) or an upgraded TLS socket.
 */
import { decodeFrame, encodeData, encodePing, encodeSynStream, type SpdyFrame } from './spdy-frames';
import { HeaderCompressor, HeaderDecompressor } from './spdy-header-block';

export interface StreamRecord {
  replied: boolean;
  data: Buffer[];
  fin: boolean;
  reset?: number;
}

export class SpdyTestClient {
  readonly streams = new Map<number, StreamRecord>();
  readonly pings: number[] = [];
  goAway: { lastGoodStreamId: number; status: number } | undefined;
  /** the first frame this client could not handle */
  failure: unknown;

  private readonly deflate = new HeaderCompressor();
  private readonly inflate = new HeaderDecompressor();
  private pending = Buffer.alloc(0);
  /** frames are handled in order; a SYN_REPLY's headers are decompressed before the next frame */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly send: (bytes: Buffer) => void) {}

  /** Bytes from the server. */
  push(bytes: Buffer): void {
    this.pending = Buffer.concat([this.pending, bytes]);
    while (this.pending.length >= 8) {
      const len = 8 + this.pending.readUIntBE(5, 3);
      if (this.pending.length < len) break;
      const frame = decodeFrame(this.pending.subarray(0, len));
      this.pending = this.pending.subarray(len);
      this.chain = this.chain.then(() => this.handle(frame)).catch((err: unknown) => {
        this.failure ??= err;
      });
    }
  }

  /** Every frame received so far has been handled. */
  settled(): Promise<void> {
    return this.chain;
  }

  async open(id: number, headers: Array<[string, string]>, fin = false): Promise<void> {
    this.record(id);
    this.send(encodeSynStream(id, await this.deflate.compress(headers), fin));
  }

  data(id: number, payload: Buffer | string, fin = false): void {
    this.send(encodeData(id, typeof payload === 'string' ? Buffer.from(payload) : payload, fin));
  }

  ping(id: number): void {
    this.send(encodePing(id));
  }

  text(id: number): string {
    return Buffer.concat(this.streams.get(id)?.data ?? []).toString();
  }

  /** Release the zlib streams once every received frame is handled. */
  async close(): Promise<void> {
    await this.chain;
    this.inflate.close();
    this.deflate.close();
  }

  private record(id: number): StreamRecord {
    let r = this.streams.get(id);
    if (!r) {
      r = { replied: false, data: [], fin: false };
      this.streams.set(id, r);
    }
    return r;
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    switch (frame.kind) {
      case 'data': {
        const r = this.record(frame.streamId);
        if (frame.data.length > 0) r.data.push(Buffer.from(frame.data));
        if (frame.fin) r.fin = true;
        return;
      }
      case 'syn_reply':
        await this.inflate.decompress(frame.headerBlock);
        this.record(frame.streamId).replied = true;
        if (frame.fin) this.record(frame.streamId).fin = true;
        return;
      case 'rst_stream':
        this.record(frame.streamId).reset = frame.status;
        return;
      case 'ping':
        this.pings.push(frame.id);
        return;
      case 'goaway':
        this.goAway = { lastGoodStreamId: frame.lastGoodStreamId, status: frame.status };
        return;
      default:
        return;
    }
  }
}
