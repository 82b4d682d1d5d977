/**
 * SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 §2.2, and the 3.1 changes for WINDOW_UPDATE): an
 * incremental parser that takes the byte stream in chunks of any size (a frame split across chunks, or
 * several frames in one) and the encoders for what a server sends. Header blocks stay compressed here;
 * spdy-header-block.ts deals with them. Pure: no I/O, no zlib.
 */

export const SPDY_VERSION = 3;

/** Control frame types. */
export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PING = 6;
export const GOAWAY = 7;
export const HEADERS = 8;
export const WINDOW_UPDATE = 9;

/** FLAG_FIN on DATA, SYN_STREAM, SYN_REPLY and HEADERS. */
export const FLAG_FIN = 0x01;

/** RST_STREAM status codes. */
export const RST_PROTOCOL_ERROR = 1;
export const RST_INVALID_STREAM = 2;
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;
export const RST_INTERNAL_ERROR = 6;

/** GOAWAY status codes. */
export const GOAWAY_OK = 0;
export const GOAWAY_PROTOCOL_ERROR = 1;
export const GOAWAY_INTERNAL_ERROR = 2;

const HEADER_BYTES = 8;
/** the 24-bit length field's limit */
export const MAX_FRAME_PAYLOAD = 0xffffff;
const STREAM_ID_MASK = 0x7fffffff;

export interface DataFrame {
  kind: 'data';
  streamId: number;
  fin: boolean;
  data: Buffer;
}

export interface SynStreamFrame {
  kind: 'syn_stream';
  streamId: number;
  associatedStreamId: number;
  priority: number;
  fin: boolean;
  unidirectional: boolean;
  headerBlock: Buffer;
}

/** SYN_REPLY or HEADERS: a stream id and a header block. */
export interface StreamHeadersFrame {
  kind: 'syn_reply' | 'headers';
  streamId: number;
  fin: boolean;
  headerBlock: Buffer;
}

export interface RstStreamFrame {
  kind: 'rst_stream';
  streamId: number;
  status: number;
}

export interface SettingsFrame {
  kind: 'settings';
  settings: Array<{ flags: number; id: number; value: number }>;
}

export interface PingFrame {
  kind: 'ping';
  id: number;
}

export interface GoAwayFrame {
  kind: 'goaway';
  lastGoodStreamId: number;
  status: number;
}

export interface WindowUpdateFrame {
  kind: 'window_update';
  streamId: number;
  delta: number;
}

/** A control frame of a type SPDY/3 does not define (e.g. CREDENTIAL): to be ignored. */
export interface UnknownControlFrame {
  kind: 'unknown';
  type: number;
}

export type SpdyFrame =
  | DataFrame
  | SynStreamFrame
  | StreamHeadersFrame
  | RstStreamFrame
  | SettingsFrame
  | PingFrame
  | GoAwayFrame
  | WindowUpdateFrame
  | UnknownControlFrame;

/** A connection-level protocol error: the connection answers with GOAWAY and closes. */
export class SpdyProtocolError extends Error {}

/**
 * Splits a byte stream into frames. Bytes are buffered until a frame is complete; `push` returns every
 * frame the new chunk completes, in order, and throws SpdyProtocolError on bytes that cannot be SPDY/3.
 */
export class SpdyFrameParser {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  /** DATA may only come on streams the client opened: odd ids up to the last SYN_STREAM */
  private lastSynStreamId = 0;

  constructor(private readonly maxPayload = MAX_FRAME_PAYLOAD) {}

  push(chunk: Buffer): SpdyFrame[] {
    if (chunk.length > 0) {
      this.buffered.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    const frames: SpdyFrame[] = [];
    for (;;) {
      if (this.bufferedBytes < HEADER_BYTES) break;
      const head = this.peek(HEADER_BYTES);
      const length = head.readUIntBE(5, 3);
      if (length > this.maxPayload) throw new SpdyProtocolError(`frame of ${length} bytes exceeds the limit of ${this.maxPayload}`);
      // validate the header before waiting for a payload that may never come
      if (head[0] & 0x80) {
        const version = head.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
      } else {
        const streamId = head.readUInt32BE(0) & STREAM_ID_MASK;
        if (streamId === 0) throw new SpdyProtocolError('DATA frame on stream 0');
        if (streamId % 2 === 0 || streamId > this.lastSynStreamId) throw new SpdyProtocolError(`DATA frame on stream ${streamId}, which the client never opened`);
      }
      if (this.bufferedBytes < HEADER_BYTES + length) break;
      const frame = decodeFrame(this.take(HEADER_BYTES + length));
      if (frame.kind === 'syn_stream' && frame.streamId > this.lastSynStreamId) this.lastSynStreamId = frame.streamId;
      frames.push(frame);
    }
    return frames;
  }

  private peek(n: number): Buffer {
    if (this.buffered[0].length < n) this.buffered = [Buffer.concat(this.buffered)];
    return this.buffered[0].subarray(0, n);
  }

  private take(n: number): Buffer {
    if (this.buffered[0].length < n) this.buffered = [Buffer.concat(this.buffered)];
    const first = this.buffered[0];
    const out = first.subarray(0, n);
    if (first.length === n) this.buffered.shift();
    else this.buffered[0] = first.subarray(n);
    this.bufferedBytes -= n;
    return out;
  }
}

function need(payload: Buffer, n: number, what: string): void {
  if (payload.length < n) throw new SpdyProtocolError(`${what} frame too short (${payload.length} bytes)`);
}

/** One complete frame (header and payload) to its in-memory form. */
export function decodeFrame(frame: Buffer): SpdyFrame {
  const flags = frame[4];
  const payload = frame.subarray(HEADER_BYTES);
  const fin = (flags & FLAG_FIN) !== 0;
  if ((frame[0] & 0x80) === 0) {
    return { kind: 'data', streamId: frame.readUInt32BE(0) & STREAM_ID_MASK, fin, data: payload };
  }
  const type = frame.readUInt16BE(2);
  switch (type) {
    case SYN_STREAM:
      need(payload, 10, 'SYN_STREAM');
      return {
        kind: 'syn_stream',
        streamId: payload.readUInt32BE(0) & STREAM_ID_MASK,
        associatedStreamId: payload.readUInt32BE(4) & STREAM_ID_MASK,
        priority: payload[8] >> 5,
        fin,
        unidirectional: (flags & 0x02) !== 0,
        headerBlock: payload.subarray(10),
      };
    case SYN_REPLY:
    case HEADERS:
      need(payload, 4, type === SYN_REPLY ? 'SYN_REPLY' : 'HEADERS');
      return { kind: type === SYN_REPLY ? 'syn_reply' : 'headers', streamId: payload.readUInt32BE(0) & STREAM_ID_MASK, fin, headerBlock: payload.subarray(4) };
    case RST_STREAM:
      need(payload, 8, 'RST_STREAM');
      return { kind: 'rst_stream', streamId: payload.readUInt32BE(0) & STREAM_ID_MASK, status: payload.readUInt32BE(4) };
    case SETTINGS: {
      need(payload, 4, 'SETTINGS');
      const count = payload.readUInt32BE(0);
      if (payload.length !== 4 + count * 8) throw new SpdyProtocolError(`SETTINGS frame of ${payload.length} bytes for ${count} entries`);
      const settings = [];
      for (let i = 0; i < count; i++) {
        const at = 4 + i * 8;
        settings.push({ flags: payload[at], id: payload.readUIntBE(at + 1, 3), value: payload.readUInt32BE(at + 4) });
      }
      return { kind: 'settings', settings };
    }
    case PING:
      need(payload, 4, 'PING');
      return { kind: 'ping', id: payload.readUInt32BE(0) };
    case GOAWAY:
      need(payload, 4, 'GOAWAY');
      return { kind: 'goaway', lastGoodStreamId: payload.readUInt32BE(0) & STREAM_ID_MASK, status: payload.length >= 8 ? payload.readUInt32BE(4) : GOAWAY_OK };
    case WINDOW_UPDATE:
      need(payload, 8, 'WINDOW_UPDATE');
      return { kind: 'window_update', streamId: payload.readUInt32BE(0) & STREAM_ID_MASK, delta: payload.readUInt32BE(4) & STREAM_ID_MASK };
    default:
      return { kind: 'unknown', type };
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError(`control frame payload of ${payload.length} bytes`);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  frame.writeUInt16BE(type, 2);
  frame[4] = flags;
  frame.writeUIntBE(payload.length, 5, 3);
  payload.copy(frame, HEADER_BYTES);
  return frame;
}

function words(...values: number[]): Buffer {
  const b = Buffer.allocUnsafe(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** A DATA frame; payloads above the 24-bit limit are the caller's to split. */
export function encodeData(streamId: number, data: Buffer, fin: boolean): Buffer {
  if (data.length > MAX_FRAME_PAYLOAD) throw new RangeError(`DATA payload of ${data.length} bytes`);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + data.length);
  frame.writeUInt32BE(streamId & STREAM_ID_MASK, 0);
  frame[4] = fin ? FLAG_FIN : 0;
  frame.writeUIntBE(data.length, 5, 3);
  data.copy(frame, HEADER_BYTES);
  return frame;
}

export function encodeSynStream(streamId: number, compressedHeaders: Buffer, fin = false): Buffer {
  // associated stream 0, priority 0, slot 0
  return controlFrame(SYN_STREAM, fin ? FLAG_FIN : 0, Buffer.concat([words(streamId & STREAM_ID_MASK, 0), Buffer.alloc(2), compressedHeaders]));
}

export function encodeSynReply(streamId: number, compressedHeaders: Buffer, fin = false): Buffer {
  return controlFrame(SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([words(streamId & STREAM_ID_MASK), compressedHeaders]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  return controlFrame(RST_STREAM, 0, words(streamId & STREAM_ID_MASK, status));
}

export function encodeSettings(settings: Array<{ flags: number; id: number; value: number }>): Buffer {
  const payload = Buffer.alloc(4 + settings.length * 8);
  payload.writeUInt32BE(settings.length, 0);
  settings.forEach((s, i) => {
    payload[4 + i * 8] = s.flags & 0xff;
    payload.writeUIntBE(s.id & 0xffffff, 5 + i * 8, 3);
    payload.writeUInt32BE(s.value >>> 0, 8 + i * 8);
  });
  return controlFrame(SETTINGS, 0, payload);
}

export function encodePing(id: number): Buffer {
  return controlFrame(PING, 0, words(id));
}

export function encodeGoAway(lastGoodStreamId: number, status: number): Buffer {
  return controlFrame(GOAWAY, 0, words(lastGoodStreamId & STREAM_ID_MASK, status));
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  return controlFrame(WINDOW_UPDATE, 0, words(streamId & STREAM_ID_MASK, delta & STREAM_ID_MASK));
}
