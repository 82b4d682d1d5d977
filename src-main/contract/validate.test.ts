import { describe, expect, it } from 'vitest';
import { boundedString, exactObject, noInput } from './validate';

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
