import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  SpdyFrameParser,
  SpdyProtocolError,
  type SpdyFrame,
} from './spdy-frames';

const sample: Buffer[] = [
  encodeSynStream(1, Buffer.from('compressed-block')),
  encodeData(1, Buffer.from('hello'), false),
  encodePing(7),
  encodeData(1, Buffer.alloc(0), true),
  encodeWindowUpdate(1, 65536),
  encodeSettings([{ flags: 0, id: 7, value: 1 << 20 }]),
  encodeRstStream(3, 5),
  encodeGoAway(3, 0),
];
const expected: SpdyFrame[] = [
  { kind: 'syn_stream', streamId: 1, associatedStreamId: 0, priority: 0, fin: false, unidirectional: false, headerBlock: Buffer.from('compressed-block') },
  { kind: 'data', streamId: 1, fin: false, data: Buffer.from('hello') },
  { kind: 'ping', id: 7 },
  { kind: 'data', streamId: 1, fin: true, data: Buffer.alloc(0) },
  { kind: 'window_update', streamId: 1, delta: 65536 },
  { kind: 'settings', settings: [{ flags: 0, id: 7, value: 1 << 20 }] },
  { kind: 'rst_stream', streamId: 3, status: 5 },
  { kind: 'goaway', lastGoodStreamId: 3, status: 0 },
];

describe('SPDY/3.1 frames', () => {
  it('encodes the control frame header as SPDY/3 (control bit, version 3, type, flags, 24-bit length)', () => {
    expect(encodePing(1).toString('hex')).toBe('8003000600000004' + '00000001');
    expect(encodeSynReply(5, Buffer.from([0xaa]), true).toString('hex')).toBe('8003000201000005' + '00000005' + 'aa');
    expect(encodeData(3, Buffer.from('x'), true).toString('hex')).toBe('0000000301000001' + '78');
  });

  it('parses frames merged into one chunk', () => {
    expect(new SpdyFrameParser().push(Buffer.concat(sample))).toEqual(expected);
  });

  it('parses frames split at every byte', () => {
    const parser = new SpdyFrameParser();
    const all = Buffer.concat(sample);
    const frames: SpdyFrame[] = [];
    for (let i = 0; i < all.length; i++) frames.push(...parser.push(all.subarray(i, i + 1)));
    expect(frames).toEqual(expected);
  });

  it('parses chunks that cut frames at arbitrary places', () => {
    const all = Buffer.concat(sample);
    for (const cut of [3, 8, 13, 29, 50]) {
      const parser = new SpdyFrameParser();
      const frames = [...parser.push(all.subarray(0, cut)), ...parser.push(all.subarray(cut, cut + 17)), ...parser.push(all.subarray(cut + 17))];
      expect(frames).toEqual(expected);
    }
  });

  it('keeps a large DATA frame whole across many chunks', () => {
    const big = Buffer.alloc(300_000, 7);
    const parser = new SpdyFrameParser();
    parser.push(encodeSynStream(9, Buffer.alloc(0)));
    const wire = encodeData(9, big, false);
    const frames: SpdyFrame[] = [];
    for (let at = 0; at < wire.length; at += 16_384) frames.push(...parser.push(wire.subarray(at, at + 16_384)));
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ kind: 'data', streamId: 9 });
    expect((frames[0] as { data: Buffer }).data.equals(big)).toBe(true);
  });

  it('reads the flags of SYN_STREAM', () => {
    const frame = encodeSynStream(3, Buffer.alloc(0), true);
    frame[4] |= 0x02;
    expect(decodeFrame(frame)).toMatchObject({ kind: 'syn_stream', fin: true, unidirectional: true });
  });

  it('refuses what cannot be SPDY/3 as soon as the frame header is in', () => {
    const v2 = encodePing(1);
    v2.writeUInt16BE(0x8002, 0);
    expect(() => new SpdyFrameParser().push(v2.subarray(0, 8))).toThrow(SpdyProtocolError);
    // an HTTP request line reads as DATA on stream 0x47455420 with a 3 MB payload: refused at once
    expect(() => new SpdyFrameParser().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/never opened/);
    expect(() => new SpdyFrameParser().push(encodeData(2, Buffer.from('x'), false))).toThrow(/never opened/);
    expect(() => new SpdyFrameParser().push(Buffer.from([0, 0, 0, 0, 0, 0, 0, 1, 0x41]))).toThrow(/stream 0/);
    expect(() => new SpdyFrameParser(1024).push(Buffer.concat([encodeSynStream(1, Buffer.alloc(0)), encodeData(1, Buffer.alloc(2048), false)]))).toThrow(/exceeds/);
  });

  it('refuses truncated control payloads', () => {
    const short = Buffer.from('8003000600000002aaaa', 'hex');
    expect(() => new SpdyFrameParser().push(short)).toThrow(/PING frame too short/);
    const badSettings = Buffer.from('80030004000000080000000500000000', 'hex');
    expect(() => new SpdyFrameParser().push(badSettings)).toThrow(/SETTINGS/);
  });

  it('passes unknown control frame types through for the connection to ignore', () => {
    const credential = Buffer.from('8003000a00000000', 'hex');
    expect(new SpdyFrameParser().push(credential)).toEqual([{ kind: 'unknown', type: 10 }]);
  });
});
