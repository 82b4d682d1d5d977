import { describe, it, expect } from 'vitest';
import { labelKeyErrors, labelValueErrors } from './label-validation';

describe('labelKeyErrors', () => {
  it('accepts names and prefixed names', () => {
    for (const key of ['app', 'a', 'App_1.x-y', 'app.kubernetes.io/name', 'example.com/MyName', 'k8s.io/a', 'x'.repeat(63), `${'a'.repeat(253)}/n`]) {
      expect(labelKeyErrors(key), key).toEqual([]);
    }
  });

  it('rejects bad names and prefixes', () => {
    const cases: Array<[string, string]> = [
      ['', 'name part must be non-empty'],
      ['-a', 'name part must consist'],
      ['a-', 'name part must consist'],
      ['a b', 'name part must consist'],
      ['x'.repeat(64), 'no more than 63'],
      ['/a', 'prefix part must be non-empty'],
      ['Example.com/a', 'prefix part a lowercase RFC 1123 subdomain'],
      ['a_b.com/a', 'prefix part a lowercase RFC 1123 subdomain'],
      [`${'a'.repeat(254)}/n`, 'no more than 253'],
      ['example.com/', 'name part must be non-empty'],
      ['a/b/c', 'a qualified name'],
    ];
    for (const [key, message] of cases) {
      const errors = labelKeyErrors(key);
      expect(errors.join('; '), key).toContain(message);
    }
  });
});

describe('labelValueErrors', () => {
  it('accepts empty and well-formed values', () => {
    for (const v of ['', 'web', 'v1.2_3-x', 'A', '1', 'x'.repeat(63)]) expect(labelValueErrors(v), v).toEqual([]);
  });

  it('rejects long values and bad characters', () => {
    for (const v of ['x'.repeat(64), '-a', 'a-', 'a/b', 'a b', 'é']) expect(labelValueErrors(v).length, v).toBe(1);
  });
});
