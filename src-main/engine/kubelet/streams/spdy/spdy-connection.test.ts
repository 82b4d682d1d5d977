import { describe, expect, it } from 'vitest';
import { eventually } from '../../../test/harness';
import { SpdyConnection, type SpdyStream, type SpdyWire } from './spdy-connection';
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSettings,
  encodeSynStream,
  encodeWindowUpdate,
  GOAWAY_OK,
  GOAWAY_PROTOCOL_ERROR,
  RST_PROTOCOL_ERROR,
  SpdyFrameParser,
  type SpdyFrame,
} from './spdy-frames';
import { HeaderCompressor, HeaderDecompressor, headerValue, type SpdyHeaders } from './spdy-header-block';

/** A fake transport and the client end of the connection: compresses what it sends, parses what it gets. */
function harness() {
  const written: Buffer[] = [];
  const state = { closed: false, paused: false };
  const wire: SpdyWire = {
    write: (b) => {
      written.push(b);
      return true;
    },
    pause: () => (state.paused = true),
    resume: () => (state.paused = false),
    close: () => (state.closed = true),
  };
  const conn = new SpdyConnection(wire);
  const streams: SpdyStream[] = [];
  conn.onStream = (s) => {
    streams.push(s);
    s.reply();
  };
  let closeReason = '';
  conn.onClose = (r) => (closeReason = r);
  const deflate = new HeaderCompressor();
  const inflate = new HeaderDecompressor();
  let readUpTo = 0;
  return {
    conn,
    state,
    streams,
    closeReason: () => closeReason,
    async open(id: number, headers: Array<[string, string]>, fin = false): Promise<Buffer> {
      return encodeSynStream(id, await deflate.compress(headers), fin);
    },
    /** Frames the server wrote since the last call (SYN_REPLY headers decoded). */
    async frames(): Promise<Array<SpdyFrame | { kind: 'syn_reply_headers'; streamId: number; headers: SpdyHeaders }>> {
      const fresh = Buffer.concat(written.slice(readUpTo));
      readUpTo = written.length;
      const out = [];
      for (const f of rawFrames(fresh)) {
        if (f.kind === 'syn_reply') out.push({ kind: 'syn_reply_headers' as const, streamId: f.streamId, headers: await inflate.decompress(f.headerBlock) });
        else out.push(f);
      }
      return out;
    },
  };
}

/** What the server wrote, frame by frame (the parser's DATA check is for the client's direction). */
function rawFrames(bytes: Buffer): SpdyFrame[] {
  const frames: SpdyFrame[] = [];
  const p = new SpdyFrameParser();
  let at = 0;
  while (at < bytes.length) {
    const len = 8 + bytes.readUIntBE(at + 5, 3);
    const one = bytes.subarray(at, at + len);
    if (one[0] & 0x80) frames.push(...p.push(one));
    else frames.push({ kind: 'data', streamId: one.readUInt32BE(0), fin: (one[4] & 1) === 1, data: one.subarray(8) });
    at += len;
  }
  return frames;
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));

describe('SpdyConnection', () => {
  it('accepts a stream, replies, and carries data both ways with FIN', async () => {
    const h = harness();
    const received: string[] = [];
    let ended = false;
    h.conn.onStream = (s) => {
      h.streams.push(s);
      s.reply();
      // written before the SYN_REPLY's compression finishes: must still follow it on the wire
      s.write(Buffer.from('from server'));
      s.onData = (d) => received.push(d.toString());
      s.onEnd = () => {
        ended = true;
        s.end();
      };
    };
    h.conn.receive(Buffer.concat([await h.open(1, [['StreamType', 'data'], ['port', '80']]), encodeData(1, Buffer.from('from client'), true)]));
    await eventually(() => ended);
    expect(headerValue(h.streams[0].headers, 'streamtype')).toBe('data');
    expect(received).toEqual(['from client']);
    const frames = await h.frames();
    expect(frames.map((f) => f.kind)).toEqual(['syn_reply_headers', 'data', 'data']);
    expect(frames[1]).toMatchObject({ streamId: 1, fin: false, data: Buffer.from('from server') });
    expect(frames[2]).toMatchObject({ streamId: 1, fin: true });
    expect(h.conn.openStreams).toBe(0);
  });

  it('takes the byte stream in pieces of any size', async () => {
    const h = harness();
    const bytes = Buffer.concat([await h.open(1, [['streamtype', 'error']]), await h.open(3, [['streamtype', 'data']]), encodeData(3, Buffer.from('abc'), false)]);
    const got: string[] = [];
    h.conn.onStream = (s) => {
      h.streams.push(s);
      s.onData = (d) => got.push(d.toString());
    };
    for (let i = 0; i < bytes.length; i += 3) h.conn.receive(bytes.subarray(i, i + 3));
    await eventually(() => got.join('') === 'abc');
    expect(h.streams.map((s) => s.id)).toEqual([1, 3]);
  });

  it("echoes the client's pings and ignores SETTINGS and WINDOW_UPDATE", async () => {
    const h = harness();
    h.conn.receive(Buffer.concat([encodeSettings([{ flags: 0, id: 7, value: 65536 }]), encodePing(1), encodeWindowUpdate(0, 1000), encodePing(2), encodePing(3)]));
    await tick();
    expect(await h.frames()).toEqual([
      { kind: 'ping', id: 1 },
      { kind: 'ping', id: 3 },
    ]);
    expect(h.state.closed).toBe(false);
  });

  it('tells a stream the client reset it', async () => {
    const h = harness();
    h.conn.receive(await h.open(1, [['streamtype', 'data']]));
    await eventually(() => h.streams.length === 1);
    let status = 0;
    h.streams[0].onReset = (s) => (status = s);
    h.conn.receive(encodeRstStream(1, 5));
    expect(status).toBe(5);
    expect(h.conn.openStreams).toBe(0);
  });

  it('resets a stream id that goes backwards', async () => {
    const h = harness();
    h.conn.receive(Buffer.concat([await h.open(5, [['a', 'b']]), await h.open(3, [['a', 'b']])]));
    await eventually(() => h.streams.length === 1);
    await tick();
    const frames = await h.frames();
    expect(frames).toContainEqual({ kind: 'rst_stream', streamId: 3, status: RST_PROTOCOL_ERROR });
  });

  it('answers garbage with GOAWAY(PROTOCOL_ERROR) and closes, without throwing', async () => {
    for (const garbage of [Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), Buffer.from('800300010000000c00000001000000000000ffff', 'hex')]) {
      const h = harness();
      let reset = false;
      h.conn.receive(await h.open(1, [['streamtype', 'data']]));
      await eventually(() => h.streams.length === 1);
      h.streams[0].onReset = () => (reset = true);
      h.conn.receive(garbage);
      await eventually(() => h.state.closed);
      const frames = await h.frames();
      expect(frames.at(-1)).toEqual({ kind: 'goaway', lastGoodStreamId: 1, status: GOAWAY_PROTOCOL_ERROR });
      expect(reset).toBe(true);
      expect(h.conn.isClosed).toBe(true);
      h.conn.receive(Buffer.from('more'));
    }
  });

  it('ends everything on GOAWAY from the client', async () => {
    const h = harness();
    h.conn.receive(await h.open(1, [['streamtype', 'data']]));
    await eventually(() => h.streams.length === 1);
    let reset = false;
    h.streams[0].onReset = () => (reset = true);
    h.conn.receive(encodeGoAway(1, GOAWAY_OK));
    expect(reset).toBe(true);
    expect(h.state.closed).toBe(true);
    expect(h.closeReason()).toBe('client sent GOAWAY');
  });

  it('says GOAWAY with the last stream on close(), and ends its streams', async () => {
    const h = harness();
    h.conn.receive(Buffer.concat([await h.open(1, [['x', '1']]), await h.open(3, [['x', '2']])]));
    await eventually(() => h.streams.length === 2);
    await tick();
    h.conn.close();
    expect((await h.frames()).at(-1)).toEqual({ kind: 'goaway', lastGoodStreamId: 3, status: GOAWAY_OK });
    expect(h.state.closed).toBe(true);
  });

  it('reports congestion to writers until the wire drains, and pauses input on request', async () => {
    let full = true;
    const conn = new SpdyConnection({ write: () => !full, pause: () => undefined, resume: () => undefined, close: () => undefined });
    const deflate = new HeaderCompressor();
    let stream: SpdyStream | undefined;
    conn.onStream = (s) => {
      stream = s;
    };
    conn.receive(encodeSynStream(1, await deflate.compress([['x', 'y']])));
    await eventually(() => stream);
    expect(stream?.write(Buffer.from('a'))).toBe(false);
    let resumed = false;
    conn.onceDrained(() => (resumed = true));
    expect(resumed).toBe(false);
    full = false;
    conn.wireDrained();
    expect(resumed).toBe(true);
    expect(stream?.write(Buffer.from('b'))).toBe(true);
  });
});
