/**
 * SPDY/3 header blocks (§2.6.10): a count, then length-prefixed names and values (several values of one
 * name joined by NUL), zlib-compressed with the SPDY/3 dictionary. Each direction of a connection is ONE
 * zlib stream: every block continues the previous one and ends with a sync flush, so blocks must be
 * compressed and decompressed strictly in wire order — HeaderCompressor and HeaderDecompressor queue them.
 * The same pattern as ws's permessage-deflate (write, then flush with a callback, collecting 'data').
 */
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import { SpdyProtocolError } from './spdy-frames';

/** Header names lower-cased; values in order. */
export type SpdyHeaders = Map<string, string[]>;

/** Decompressed header blocks above this are refused (a zlib bomb, or not a port-forward client). */
const MAX_DECOMPRESSED_BLOCK = 256 * 1024;

/** The first value of a header, looked up case-insensitively; '' when absent. */
export function headerValue(headers: SpdyHeaders, name: string): string {
  return headers.get(name.toLowerCase())?.[0] ?? '';
}

/** The uncompressed name/value block. Names are lower-cased, as SPDY/3 requires. */
export function encodeHeaderBlock(headers: Iterable<[string, string | readonly string[]]>): Buffer {
  const entries = [...headers].map(([name, value]): [Buffer, Buffer] => [
    Buffer.from(name.toLowerCase(), 'utf8'),
    Buffer.from(typeof value === 'string' ? value : value.join('\0'), 'utf8'),
  ]);
  const size = 4 + entries.reduce((n, [k, v]) => n + 8 + k.length + v.length, 0);
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt32BE(entries.length, 0);
  for (const [k, v] of entries) {
    at = out.writeUInt32BE(k.length, at);
    at += k.copy(out, at);
    at = out.writeUInt32BE(v.length, at);
    at += v.copy(out, at);
  }
  return out;
}

/** Parse an uncompressed name/value block; throws SpdyProtocolError on a malformed one. */
export function decodeHeaderBlock(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = new Map();
  let at = 0;
  const u32 = (): number => {
    if (at + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const v = block.readUInt32BE(at);
    at += 4;
    return v;
  };
  const bytes = (n: number): string => {
    if (at + n > block.length) throw new SpdyProtocolError('truncated header block');
    const s = block.toString('utf8', at, at + n);
    at += n;
    return s;
  };
  const count = u32();
  for (let i = 0; i < count; i++) {
    const name = bytes(u32()).toLowerCase();
    if (name === '') throw new SpdyProtocolError('empty header name');
    const values = bytes(u32()).split('\0');
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  return headers;
}

/** One zlib stream used block by block, each block ending in a sync flush. */
class SerialZlib {
  private tail: Promise<unknown> = Promise.resolve();
  private chunks: Buffer[] = [];
  private size = 0;
  private failure: Error | undefined;

  constructor(
    private readonly z: zlib.Inflate | zlib.Deflate,
    private readonly maxOutput: number,
  ) {
    z.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.size += c.length;
      if (this.size > this.maxOutput) this.fail(new SpdyProtocolError(`header block larger than ${this.maxOutput} bytes`));
    });
    z.on('error', (err: Error) => this.fail(new SpdyProtocolError(`header block: ${err.message}`)));
  }

  process(input: Buffer): Promise<Buffer> {
    const step = (): Promise<Buffer> =>
      new Promise<Buffer>((resolve, reject) => {
        if (this.failure) return reject(this.failure);
        this.chunks = [];
        this.size = 0;
        const onFailed = (): void => reject(this.failure);
        this.z.once('close', onFailed);
        this.z.write(input);
        this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
          this.z.off('close', onFailed);
          if (this.failure) return reject(this.failure);
          resolve(Buffer.concat(this.chunks, this.size));
        });
      });
    const result = this.tail.then(step, step);
    this.tail = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.z.close();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    this.z.destroy();
  }
}

/** Compresses the header blocks one direction sends. */
export class HeaderCompressor {
  private readonly zlib = new SerialZlib(zlib.createDeflate({ dictionary: SPDY3_DICTIONARY }), Number.MAX_SAFE_INTEGER);

  compress(headers: Iterable<[string, string | readonly string[]]>): Promise<Buffer> {
    return this.zlib.process(encodeHeaderBlock(headers));
  }

  close(): void {
    this.zlib.close();
  }
}

/** Decompresses the header blocks one direction receives; rejects with SpdyProtocolError on bad input. */
export class HeaderDecompressor {
  private readonly zlib = new SerialZlib(zlib.createInflate({ dictionary: SPDY3_DICTIONARY }), MAX_DECOMPRESSED_BLOCK);

  async decompress(block: Buffer): Promise<SpdyHeaders> {
    if (block.length === 0) return new Map();
    return decodeHeaderBlock(await this.zlib.process(block));
  }

  close(): void {
    this.zlib.close();
  }
}
