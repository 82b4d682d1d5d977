import { describe, it, expect } from 'vitest';
import { describeJson, getOwn, hasOwn, isJsonScalar, setOwn } from './json-object';

describe('json-object helpers', () => {
  it('only sees own members', () => {
    const obj: Record<string, unknown> = { a: 1 };
    expect(hasOwn(obj, 'a')).toBe(true);
    expect(hasOwn(obj, 'constructor')).toBe(false);
    expect(getOwn(obj, 'toString')).toBeUndefined();
    expect(getOwn(obj, 'a')).toBe(1);
  });

  it('sets __proto__ as data, not as the prototype', () => {
    const obj: Record<string, unknown> = {};
    setOwn(obj, '__proto__', { polluted: true });
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(hasOwn(obj, '__proto__')).toBe(true);
    setOwn(obj, 'x', 2);
    expect(obj.x).toBe(2);
  });

  it('classifies scalars and renders short JSON', () => {
    expect([null, 'a', 1, true].every(isJsonScalar)).toBe(true);
    expect([undefined, {}, []].some(isJsonScalar)).toBe(false);
    expect(describeJson({ a: 1 })).toBe('{"a":1}');
    expect(describeJson('x'.repeat(300), 10)).toBe(`${'"'}${'x'.repeat(9)}...`);
    expect(describeJson(undefined)).toBe('undefined');
  });
});
