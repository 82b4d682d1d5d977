import { describe, expect, it } from 'vitest';
import { canonicalQuantity, canonicalizeResourceList, isValidQuantity, parseQuantity, quantityString } from './quantity';

describe('parseQuantity', () => {
  it('understands binary, decimal and exponent suffixes', () => {
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2k')).toBe(2000);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(3)).toBe(3);
    expect(parseQuantity('.5')).toBe(0.5);
  });
  it('rejects what the regular expression rejects', () => {
    expect(isValidQuantity('1 Gi')).toBe(false);
    expect(isValidQuantity('abc')).toBe(false);
    expect(isValidQuantity('1Gb')).toBe(false);
  });
  it('prints quantities as stored', () => {
    expect(quantityString('10Gi')).toBe('10Gi');
    expect(quantityString(undefined)).toBe('0');
  });
});

describe('canonicalQuantity', () => {
  it.each([
    ['0.5', '500m'],
    [0.25, '250m'],
    [2, '2'],
    ['.5', '500m'],
    ['1.0', '1'],
    ['10', '10'],
    ['1000', '1k'],
    ['1000M', '1G'],
    ['100m', '100m'],
    ['1500m', '1500m'],
    ['128974848', '128974848'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['123Mi', '123Mi'],
    ['512Ki', '512Ki'],
    ['0.5Ki', '512'],
    ['0.1Gi', '107374182400m'],
    ['1e3', '1e3'],
    ['129e6', '129e6'],
    ['12e2', '1200'],
    ['-1', '-1'],
    ['0', '0'],
    ['0Mi', '0'],
    ['0.0000000001', '1n'],
  ])('%j is stored as %j', (input, expected) => {
    expect(canonicalQuantity(input)).toBe(expected);
  });
  it('leaves what is not a quantity alone', () => {
    expect(canonicalQuantity('abc')).toBeUndefined();
    expect(canonicalQuantity('1Gb')).toBeUndefined();
    expect(canonicalQuantity({})).toBeUndefined();
    const list: Record<string, unknown> = { cpu: 0.5, memory: '1024Mi', bad: '1 Gi' };
    canonicalizeResourceList(list);
    expect(list).toEqual({ cpu: '500m', memory: '1Gi', bad: '1 Gi' });
  });
});
