import { describe, expect, it } from 'vitest';
import { formatAge, podStatusHealth } from './format';

describe('formatAge', () => {
  const now = Date.parse('2025-01-10T00:00:00Z');
  it('uses the largest sensible unit', () => {
    expect(formatAge('2025-01-09T23:59:15Z', now)).toBe('45s');
    expect(formatAge('2025-01-09T23:00:00Z', now)).toBe('60m');
    expect(formatAge('2025-01-09T12:00:00Z', now)).toBe('12h');
    expect(formatAge('2025-01-01T00:00:00Z', now)).toBe('9d');
    expect(formatAge(null, now)).toBe('—');
  });
});

describe('podStatusHealth', () => {
  it('colours statuses', () => {
    expect(podStatusHealth('Running')).toBe('ok');
    expect(podStatusHealth('CrashLoopBackOff')).toBe('error');
    expect(podStatusHealth('ImagePullBackOff')).toBe('error');
    expect(podStatusHealth('Pending')).toBe('progress');
    expect(podStatusHealth('Init:0/1')).toBe('progress');
    expect(podStatusHealth('Completed')).toBe('muted');
  });
});
