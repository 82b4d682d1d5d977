import { describe, expect, it } from 'vitest';
import { cpuMillicores, memoryBytes, parseQuantity } from './quantity';

describe('quantities', () => {
  it('reads CPU as millicores', () => {
    expect(cpuMillicores('250m')).toBe(250);
    expect(cpuMillicores('1')).toBe(1000);
    expect(cpuMillicores('1.5')).toBe(1500);
    expect(cpuMillicores('1500000n')).toBeCloseTo(1.5);
    expect(cpuMillicores('12u')).toBeCloseTo(0.012);
    expect(cpuMillicores('0')).toBe(0);
  });

  it('reads memory as bytes', () => {
    expect(memoryBytes('128Mi')).toBe(128 * 1024 * 1024);
    expect(memoryBytes('1Gi')).toBe(2 ** 30);
    expect(memoryBytes('1000k')).toBe(1_000_000);
    expect(memoryBytes('123456')).toBe(123456);
    expect(memoryBytes('1e3')).toBe(1000);
    expect(memoryBytes('2.5E2')).toBe(250);
  });

  it('refuses what is not a quantity', () => {
    for (const bad of ['', 'abc', '12 Mi', '12MiB', '1..2', 'm', null, undefined, {}, [], NaN, Infinity, '9'.repeat(100), '1e999']) {
      expect(parseQuantity(bad), String(bad)).toBeNull();
    }
  });
});
