import { describe, expect, it } from 'vitest';
import { decodeBase64Length, encodeBase64 } from './base64-data';

describe('decodeBase64Length', () => {
  it('decodes padded input and ignores newlines', () => {
    expect(decodeBase64Length('aGVsbG8=')).toEqual({ ok: true, bytes: 5 });
    expect(decodeBase64Length('aGk=')).toEqual({ ok: true, bytes: 2 });
    expect(decodeBase64Length('aA==')).toEqual({ ok: true, bytes: 1 });
    expect(decodeBase64Length('aGVs\nbG8=')).toEqual({ ok: true, bytes: 5 });
    expect(decodeBase64Length('')).toEqual({ ok: true, bytes: 0 });
  });

  it('reports the failing byte as Go does', () => {
    expect(decodeBase64Length('hello!')).toEqual({ ok: false, error: 'illegal base64 data at input byte 5' });
    expect(decodeBase64Length('aGVsbG8')).toEqual({ ok: false, error: 'illegal base64 data at input byte 4' });
    expect(decodeBase64Length('aA=')).toEqual({ ok: false, error: 'illegal base64 data at input byte 3' });
    expect(decodeBase64Length('aA==x')).toEqual({ ok: false, error: 'illegal base64 data at input byte 4' });
    expect(decodeBase64Length('a===')).toEqual({ ok: false, error: 'illegal base64 data at input byte 1' });
  });

  it('encodes UTF-8 text', () => {
    expect(encodeBase64('hello')).toBe('aGVsbG8=');
  });
});
