import { describe, expect, it } from 'vitest';
import { isValidQuantity, parseQuantity, quantityString } from './quantity';

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
