import { describe, expect, it } from 'vitest';
import { arrayOf, boolean, boundedString, exactObject, integer, noInput, nonEmptyString, oneOf, optional, refine, taggedUnion } from './validate';

describe('noInput', () => {
  it('accepts undefined', () => {
    expect(noInput(undefined)).toEqual({ ok: true, result: undefined });
  });

  it.each([null, 0, '', {}, []])('rejects %j', (input) => {
    expect(noInput(input)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});

describe('boundedString', () => {
  const name = boundedString(3);

  it('accepts strings up to the bound', () => {
    expect(name('abc')).toEqual({ ok: true, result: 'abc' });
  });

  it('rejects longer strings and non-strings', () => {
    expect(name('abcd')).toMatchObject({ ok: false, error: { message: 'expected at most 3 characters' } });
    expect(name(3)).toMatchObject({ ok: false, error: { message: 'expected a string' } });
  });
});

describe('exactObject', () => {
  const target = exactObject<{ namespace: string; name: string }>({
    namespace: boundedString(63),
    name: boundedString(253),
  });

  it('parses a matching object into a fresh one', () => {
    const input = { namespace: 'default', name: 'web' };
    const parsed = target(input);
    expect(parsed).toEqual({ ok: true, result: input });
    expect(parsed.ok && parsed.result).not.toBe(input);
  });

  it('rejects unknown fields instead of ignoring them', () => {
    expect(target({ namespace: 'default', name: 'web', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'unknown field "extra"' },
    });
  });

  it('names the field that failed', () => {
    expect(target({ namespace: 'default' })).toMatchObject({
      ok: false,
      error: { message: 'name: expected a string' },
    });
  });

  it.each([null, 'x', [], new Date(0)])('rejects the non-plain-object %j', (input) => {
    expect(target(input)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('accepts null-prototype objects', () => {
    const input: unknown = Object.assign(Object.create(null) as object, { namespace: 'default', name: 'web' });
    expect(target(input)).toEqual({ ok: true, result: { namespace: 'default', name: 'web' } });
  });
});

describe('the other validators', () => {
  it('optional passes undefined and checks everything else', () => {
    const v = optional(integer(0, 3));
    expect(v(undefined)).toEqual({ ok: true, result: undefined });
    expect(v(2)).toEqual({ ok: true, result: 2 });
    expect(v(null).ok).toBe(false);
  });

  it('nonEmptyString checks emptiness and the pattern', () => {
    const v = nonEmptyString(5, /^[a-z]+$/, 'lowercase');
    expect(v('').ok).toBe(false);
    expect(v('ABC')).toMatchObject({ ok: false, error: { message: 'expected lowercase' } });
    expect(v('abcdef').ok).toBe(false);
    expect(v('abc').ok).toBe(true);
  });

  it('oneOf, integer and boolean', () => {
    expect(oneOf(['a', 'b'])('c').ok).toBe(false);
    expect(oneOf(['a', 'b'])('a').ok).toBe(true);
    expect(integer(1, 2)(Number.NaN).ok).toBe(false);
    expect(integer(1, 2)('1').ok).toBe(false);
    expect(boolean('true').ok).toBe(false);
    expect(boolean(false).ok).toBe(true);
  });

  it('arrayOf bounds and names the failing item', () => {
    const v = arrayOf(boundedString(2), 2, 1);
    expect(v([]).ok).toBe(false);
    expect(v(['a', 'b', 'c']).ok).toBe(false);
    expect(v(['a', 'bcd'])).toMatchObject({ ok: false, error: { message: '[1]: expected at most 2 characters' } });
    expect(v(['a'])).toEqual({ ok: true, result: ['a'] });
  });

  it('taggedUnion picks the variant by its tag', () => {
    const v = taggedUnion<{ t: 'a'; x: number } | { t: 'b' }>('t', {
      a: exactObject<{ t: 'a'; x: number }>({ t: oneOf(['a']), x: integer(0, 1) }),
      b: exactObject<{ t: 'b' }>({ t: oneOf(['b']) }),
    });
    expect(v({ t: 'a', x: 1 }).ok).toBe(true);
    expect(v({ t: 'b' }).ok).toBe(true);
    expect(v({ t: 'b', x: 1 }).ok).toBe(false);
    expect(v({ t: 'constructor' }).ok).toBe(false);
    expect(v(null).ok).toBe(false);
  });

  it('refine reports the check failure', () => {
    const v = refine(integer(0, 10), (n) => (n % 2 === 0 ? null : 'expected an even number'));
    expect(v(3)).toMatchObject({ ok: false, error: { message: 'expected an even number' } });
    expect(v(4).ok).toBe(true);
  });
});
