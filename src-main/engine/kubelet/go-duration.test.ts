import { describe, expect, it } from 'vitest';
import { goDuration } from './go-duration';

describe('goDuration', () => {
  it("prints durations as Go's time.Duration does", () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(523)).toBe('523ms');
    expect(goDuration(1000)).toBe('1s');
    expect(goDuration(1234)).toBe('1.234s');
    expect(goDuration(1500)).toBe('1.5s');
    expect(goDuration(10_000)).toBe('10s');
    expect(goDuration(80_000)).toBe('1m20s');
    expect(goDuration(300_000)).toBe('5m0s');
    expect(goDuration(3_600_000)).toBe('1h0m0s');
    expect(goDuration(3_661_050)).toBe('1h1m1.05s');
  });
});
