import { describe, it, expect } from 'vitest';
import { formatJsonPointer, parseArrayIndex, parseJsonPointer } from './json-pointer';
import { PatchError } from './patch-error';

describe('parseJsonPointer', () => {
  it('treats the empty pointer as the whole document', () => {
    expect(parseJsonPointer('')).toEqual([]);
  });

  it('splits tokens and unescapes ~1 and ~0 in the right order', () => {
    expect(parseJsonPointer('/metadata/annotations/kubernetes.io~1change-cause')).toEqual([
      'metadata',
      'annotations',
      'kubernetes.io/change-cause',
    ]);
    expect(parseJsonPointer('/a~0b')).toEqual(['a~b']);
    expect(parseJsonPointer('/~01')).toEqual(['~1']);
    expect(parseJsonPointer('/')).toEqual(['']);
    expect(parseJsonPointer('/a//b')).toEqual(['a', '', 'b']);
  });

  it('rejects pointers without a leading slash and bad escapes as malformed', () => {
    for (const bad of ['a/b', '/a~2', '/a~']) {
      try {
        parseJsonPointer(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(PatchError);
        expect((e as PatchError).kind).toBe('malformed');
      }
    }
  });

  it('round-trips through formatJsonPointer', () => {
    const tokens = ['a/b', 'c~d', '', '0'];
    expect(parseJsonPointer(formatJsonPointer(tokens))).toEqual(tokens);
  });
});

describe('parseArrayIndex', () => {
  it('accepts canonical non-negative integers only', () => {
    expect(parseArrayIndex('0')).toBe(0);
    expect(parseArrayIndex('12')).toBe(12);
    for (const bad of ['-', '01', '-1', '1.5', '1e2', '', ' 1', '99999999999999999999']) {
      expect(parseArrayIndex(bad)).toBeUndefined();
    }
  });
});
