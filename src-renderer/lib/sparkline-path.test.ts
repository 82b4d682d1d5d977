import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu, sparklinePoints } from './sparkline-path';

describe('sparklines', () => {
  it('scales values into the box, the largest at the top and zero at the bottom', () => {
    expect(sparklinePoints([0, 5, 10], 100, 22)).toBe('0,21 50,11 100,1');
    expect(sparklinePoints([], 100, 20)).toBe('');
    expect(sparklinePoints([3], 100, 20)).toBe('50,1');
    expect(sparklinePoints([0, 0], 10, 10)).toBe('0,9 10,9');
  });

  it('formats CPU and memory as kubectl top does', () => {
    expect(formatCpu(12.4)).toBe('12m');
    expect(formatCpu(1250)).toBe('1.25');
    expect(formatBytes(24 * 2 ** 20)).toBe('24.0Mi');
    expect(formatBytes(512)).toBe('512');
    expect(formatBytes(1.5 * 2 ** 30)).toBe('1.5Gi');
  });
});
