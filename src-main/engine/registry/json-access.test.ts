import { describe, expect, it } from 'vitest';
import { childObject, defaultNonZero, defaultPointer, defaultString, get, getString, stringMap } from './json-access';

describe('json-access', () => {
  it('walks objects and arrays without throwing', () => {
    const o = { a: [{ b: 'x' }] };
    expect(get(o, 'a', 0, 'b')).toBe('x');
    expect(get(o, 'a', 'b')).toBeUndefined();
    expect(getString(o, 'missing')).toBe('');
    expect(stringMap({ a: 'x', b: 1 })).toEqual({ a: 'x' });
  });

  it('defaults by Go zero-value rules', () => {
    const o: Record<string, unknown> = { s: '', n: 0, p: 0, z: null };
    defaultString(o, 's', 'x');
    defaultNonZero(o, 'n', 5);
    defaultPointer(o, 'p', 5);
    defaultPointer(o, 'z', true);
    expect(o).toEqual({ s: 'x', n: 5, p: 0, z: true });
    expect(childObject({ k: 'str' }, 'k')).toBeUndefined();
    const parent: Record<string, unknown> = {};
    expect(childObject(parent, 'k')).toBe(parent.k);
  });
});
