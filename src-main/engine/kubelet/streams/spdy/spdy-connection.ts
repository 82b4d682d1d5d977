/**
 * The server side of a SPDY/3.1 connection, as kubectl's spdystream client needs it: accepts the streams the
 * client opens (SYN_STREAM -> SYN_REPLY), carries DATA both ways with FIN half-closes, RST_STREAM, echoes the
 * client's PINGs, accepts SETTINGS and WINDOW_UPDATE, and tears everything down on GOAWAY, on a protocol
 * error (answered with GOAWAY) or when the transport goes away.
 *
 * Flow control: SPDY/3.1 defines 64 KiB windows, but moby/spdystream (the client and the kubelet's server)
 * never sends WINDOW_UPDATE and never waits for one (Stream.WriteData writes unconditionally; its frame
 * handler treats WINDOW_UPDATE as an unhandled type). So this side neither enforces nor advertises windows;
 * back-pressure comes from the transport instead (SpdyWire.write returning false, pauseInput).
 *
 * The transport is abstract (SpdyWire) so the same connection runs on an upgraded socket (plain SPDY) and
 * inside WebSocket messages (kubectl 1.31+'s tunnel).
 */
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  GOAWAY_INTERNAL_ERROR,
  GOAWAY_OK,
  GOAWAY_PROTOCOL_ERROR,
  RST_CANCEL,
  RST_PROTOCOL_ERROR,
  SpdyFrameParser,
  SpdyProtocolError,
  type SpdyFrame,
} from './spdy-frames';
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from './spdy-header-block';

/** The byte transport under a SPDY connection. */
export interface SpdyWire {
  /** Send bytes; false when the peer reads slowly (the connection waits for `wireDrained()`). */
  write(bytes: Buffer): boolean;
  /** Stop / restart delivering received bytes. */
  pause(): void;
  resume(): void;
  /** Close after what was written; the owner then calls `wireClosed()`. */
  close(): void;
}

/** Outgoing DATA payloads are cut into frames of at most this size. */
const MAX_DATA_FRAME = 64 * 1024;

type PendingFrame = Extract<SpdyFrame, { headerBlock: Buffer }>;

/** One client-initiated stream. */
export class SpdyStream {
  /** bytes from the client */
  onData: (chunk: Buffer) => void = () => undefined;
  /** the client half-closed (FIN) */
  onEnd: () => void = () => undefined;
  /** the stream was reset by the client, or the connection went away */
  onReset: (status: number) => void = () => undefined;

  private replied = false;
  localClosed = false;
  remoteClosed: boolean;

  constructor(
    private readonly conn: SpdyConnection,
    readonly id: number,
    readonly headers: SpdyHeaders,
    fin: boolean,
  ) {
    this.remoteClosed = fin;
  }

  /** SYN_REPLY; must come before any DATA this side sends on the stream. */
  reply(headers: Array<[string, string]> = []): void {
    if (this.replied || this.conn.isClosed) return;
    this.replied = true;
    this.conn.sendReply(this.id, headers);
  }

  /** Send bytes; false when the transport is congested (wait with `conn.onceDrained`). */
  write(data: Buffer): boolean {
    if (this.localClosed || this.conn.isClosed) return false;
    for (let at = 0; at < data.length; at += MAX_DATA_FRAME) {
      this.conn.sendFrame(encodeData(this.id, data.subarray(at, at + MAX_DATA_FRAME), false));
    }
    return !this.conn.congested;
  }

  /** Half-close this side (DATA with FIN). */
  end(): void {
    if (this.localClosed || this.conn.isClosed) return;
    this.localClosed = true;
    this.conn.sendFrame(encodeData(this.id, Buffer.alloc(0), true));
    this.conn.maybeForget(this);
  }

  /** RST_STREAM: abandon the stream in both directions. */
  reset(status = RST_CANCEL): void {
    if (this.localClosed && this.remoteClosed) return;
    this.localClosed = true;
    this.remoteClosed = true;
    if (!this.conn.isClosed) this.conn.sendFrame(encodeRstStream(this.id, status));
    this.conn.maybeForget(this);
  }
}

/** The server end of one SPDY/3.1 connection. */
export class SpdyConnection {
  /** a stream the client opened, headers decoded; the handler replies or resets it */
  onStream: (stream: SpdyStream) => void = (s) => s.reset();
  /** the connection is over (GOAWAY, protocol error, transport gone, or close()) */
  onClose: (reason: string) => void = () => undefined;

  private readonly parser = new SpdyFrameParser();
  private readonly inflater = new HeaderDecompressor();
  private readonly deflater = new HeaderCompressor();
  private readonly streams = new Map<number, SpdyStream>();
  private readonly received: SpdyFrame[] = [];
  private decoding = false;
  private lastStreamId = 0;
  private closed = false;
  /** sends queued behind a header block still being compressed */
  private outTail: Promise<void> | undefined;
  private drainWaiters: Array<() => void> = [];
  private inputPauses = 0;
  congested = false;

  constructor(private readonly wire: SpdyWire) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Streams open now (tests, diagnostics). */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Bytes from the transport, in order, in chunks of any size. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.received.push(...this.parser.push(chunk));
    } catch (err) {
      return this.fail(err);
    }
    this.pump();
  }

  /** The transport accepts writes again. */
  wireDrained(): void {
    this.congested = false;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  /** The transport is gone: end every stream. */
  wireClosed(): void {
    this.shutdown('connection closed');
  }

  /** Call `fn` once the transport has drained (at once if it is not congested). */
  onceDrained(fn: () => void): void {
    if (!this.congested || this.closed) fn();
    else this.drainWaiters.push(fn);
  }

  /** Stop reading from the transport until as many resumeInput() calls (a target socket is full). */
  pauseInput(): void {
    if (this.inputPauses++ === 0 && !this.closed) this.wire.pause();
  }

  resumeInput(): void {
    if (this.inputPauses === 0) return;
    if (--this.inputPauses === 0 && !this.closed) this.wire.resume();
  }

  /** Say GOAWAY and close, after whatever is queued (a SYN_REPLY still compressing, the DATA behind it). */
  close(status = GOAWAY_OK): void {
    if (this.closed) return;
    const pending = this.outTail;
    if (pending !== undefined) {
      void pending.then(
        () => this.close(status),
        () => undefined, // the failure already closed the connection
      );
      return;
    }
    this.wire.write(encodeGoAway(this.lastStreamId, status));
    this.shutdown(status === GOAWAY_OK ? 'closed by server' : 'server error');
  }

  /** @internal for SpdyStream */
  sendFrame(frame: Buffer): void {
    if (this.closed) return;
    if (this.outTail === undefined) {
      this.writeWire(frame);
      return;
    }
    this.enqueue(Promise.resolve(frame));
  }

  /** @internal for SpdyStream */
  sendReply(streamId: number, headers: Array<[string, string]>): void {
    this.enqueue(this.deflater.compress(headers).then((block) => encodeSynReply(streamId, block)));
  }

  /** @internal for SpdyStream: drop a stream closed both ways. */
  maybeForget(stream: SpdyStream): void {
    if (stream.localClosed && stream.remoteClosed) this.streams.delete(stream.id);
  }

  private writeWire(frame: Buffer): void {
    if (this.closed) return;
    if (!this.wire.write(frame)) this.congested = true;
  }

  private enqueue(frame: Promise<Buffer>): void {
    const prev = this.outTail ?? Promise.resolve();
    const next = prev.then(() => frame).then((f) => this.writeWire(f));
    this.outTail = next;
    next.then(
      () => {
        if (this.outTail === next) this.outTail = undefined;
      },
      (err: unknown) => this.fail(err),
    );
  }

  /** Handle received frames in order; a frame with a header block waits for its (serial) decompression. */
  private pump(): void {
    while (!this.decoding && !this.closed && this.received.length > 0) {
      const frame = this.received.shift() as SpdyFrame;
      if ('headerBlock' in frame) {
        this.decoding = true;
        this.inflater.decompress(frame.headerBlock).then(
          (headers) => {
            this.decoding = false;
            this.handleWithHeaders(frame, headers);
            this.pump();
          },
          (err: unknown) => this.fail(err),
        );
        return;
      }
      this.handle(frame);
    }
  }

  private handleWithHeaders(frame: PendingFrame, headers: SpdyHeaders): void {
    if (this.closed) return;
    if (frame.kind !== 'syn_stream') {
      // SYN_REPLY (we open no streams) or HEADERS: decompressed only to keep the zlib stream in step
      if (frame.fin) this.remoteFin(frame.streamId);
      return;
    }
    const id = frame.streamId;
    if (id === 0 || id % 2 === 0 || id <= this.lastStreamId) {
      // client streams are odd and increasing (spdystream's validateStreamId answers the same way)
      this.writeWire(encodeRstStream(id, RST_PROTOCOL_ERROR));
      return;
    }
    this.lastStreamId = id;
    const stream = new SpdyStream(this, id, headers, frame.fin || frame.unidirectional);
    this.streams.set(id, stream);
    this.onStream(stream);
  }

  private handle(frame: Exclude<SpdyFrame, PendingFrame>): void {
    switch (frame.kind) {
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        // data for a stream already reset or finished is dropped, as spdystream does
        if (!stream || stream.remoteClosed) return;
        if (frame.data.length > 0) stream.onData(frame.data);
        if (frame.fin) this.remoteFin(frame.streamId);
        return;
      }
      case 'rst_stream': {
        const stream = this.streams.get(frame.streamId);
        if (!stream) return;
        stream.localClosed = true;
        stream.remoteClosed = true;
        this.streams.delete(stream.id);
        stream.onReset(frame.status);
        return;
      }
      case 'ping':
        // odd ids are the client's: echo them; even ones would answer our pings, and we send none
        if (frame.id % 2 === 1) this.sendFrame(encodePing(frame.id));
        return;
      case 'goaway':
        this.shutdown('client sent GOAWAY');
        return;
      case 'settings':
      case 'window_update':
      case 'unknown':
        return;
    }
  }

  private remoteFin(streamId: number): void {
    const stream = this.streams.get(streamId);
    if (!stream || stream.remoteClosed) return;
    stream.remoteClosed = true;
    this.maybeForget(stream);
    stream.onEnd();
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    const protocol = err instanceof SpdyProtocolError;
    this.wire.write(encodeGoAway(this.lastStreamId, protocol ? GOAWAY_PROTOCOL_ERROR : GOAWAY_INTERNAL_ERROR));
    this.shutdown(err instanceof Error ? err.message : String(err));
  }

  private shutdown(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.received.length = 0;
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const s of streams) {
      s.localClosed = true;
      s.remoteClosed = true;
      s.onReset(RST_CANCEL);
    }
    this.inflater.close();
    this.deflater.close();
    this.drainWaiters = [];
    if (this.inputPauses > 0) this.wire.resume();
    this.wire.close();
    this.onClose(reason);
  }
}
