import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderCompressor, HeaderDecompressor, headerValue } from './spdy-header-block';

describe('SPDY/3 header blocks', () => {
  it('is the 1423-byte dictionary of the SPDY/3 draft', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1')).toBe('\0\0\0\x07options');
    expect(SPDY3_DICTIONARY.subarray(-9).toString('latin1')).toBe(',*,enq=0.');
  });

  it('encodes counts and lengths big-endian, names lower-cased, several values NUL-joined', () => {
    const block = encodeHeaderBlock([
      ['StreamType', 'error'],
      ['x', ['a', 'b']],
    ]);
    expect(block.toString('hex')).toBe('00000002' + '0000000a' + Buffer.from('streamtype').toString('hex') + '00000005' + Buffer.from('error').toString('hex') + '00000001' + '78' + '00000003' + '610062');
    const headers = decodeHeaderBlock(block);
    expect(headers.get('x')).toEqual(['a', 'b']);
    expect(headerValue(headers, 'STREAMTYPE')).toBe('error');
    expect(headerValue(headers, 'missing')).toBe('');
  });

  it('lower-cases received names, so lookups are case-insensitive', () => {
    const block = Buffer.concat([Buffer.from('00000001' + '00000004', 'hex'), Buffer.from('Port'), Buffer.from('00000004', 'hex'), Buffer.from('8080')]);
    expect(headerValue(decodeHeaderBlock(block), 'port')).toBe('8080');
  });

  it('refuses truncated blocks', () => {
    expect(() => decodeHeaderBlock(Buffer.from('0000000100000009ab', 'hex'))).toThrow(/truncated/);
  });

  it('round-trips many blocks through one zlib stream per direction', async () => {
    const out = new HeaderCompressor();
    const inn = new HeaderDecompressor();
    const blocks = await Promise.all(Array.from({ length: 20 }, (_, i) => out.compress([['streamtype', i % 2 ? 'data' : 'error'], ['port', '8080'], ['requestid', String(i)]])));
    // later blocks lean on the earlier ones: they are smaller than the first
    expect(blocks[19].length).toBeLessThan(blocks[0].length);
    for (let i = 0; i < blocks.length; i++) {
      const h = await inn.decompress(blocks[i]);
      expect(headerValue(h, 'requestid')).toBe(String(i));
    }
    out.close();
    inn.close();
  });

  it('reads blocks compressed as Go does (zlib with the dictionary, a sync flush per block)', async () => {
    const go = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY, level: 9 });
    const chunks: Buffer[] = [];
    go.on('data', (c: Buffer) => chunks.push(c));
    const flushBlock = (block: Buffer): Promise<Buffer> =>
      new Promise((resolve) => {
        chunks.length = 0;
        go.write(block);
        go.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(chunks)));
      });
    const first = await flushBlock(encodeHeaderBlock([['streamtype', 'error'], ['port', '80'], ['requestid', '0']]));
    const second = await flushBlock(encodeHeaderBlock([['streamtype', 'data'], ['port', '80'], ['requestid', '0']]));
    // the zlib header announces the SPDY/3 dictionary (FDICT and its Adler-32)
    expect(first[1] & 0x20).toBe(0x20);
    expect(first.subarray(2, 6).readUInt32BE(0)).toBe(adler32(SPDY3_DICTIONARY));
    const inn = new HeaderDecompressor();
    expect(headerValue(await inn.decompress(first), 'streamtype')).toBe('error');
    expect(headerValue(await inn.decompress(second), 'streamtype')).toBe('data');
    inn.close();
    go.close();
  });

  it('rejects a block that is not zlib, and every block after it', async () => {
    const inn = new HeaderDecompressor();
    await expect(inn.decompress(Buffer.from('definitely not zlib'))).rejects.toThrow(/header block/);
    await expect(inn.decompress(Buffer.from([0x78, 0xbb]))).rejects.toThrow(/header block/);
  });

  it('rejects a block that decompresses beyond the limit', async () => {
    const bomb = zlib.deflateSync(Buffer.alloc(1024 * 1024), { dictionary: SPDY3_DICTIONARY });
    await expect(new HeaderDecompressor().decompress(bomb)).rejects.toThrow(/larger than/);
  });
});

function adler32(data: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}
