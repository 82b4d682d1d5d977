import { describe, expect, it } from 'vitest';
import { humanDuration, translateTimestampSince } from './human-duration';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  it.each([
    [-1500, '0s'],
    [-3000, '<invalid>'],
    [0, '0s'],
    [45 * s, '45s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 30 * s, '5m30s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [8 * h + 5 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [2 * d + 3 * h, '2d3h'],
    [8 * d + 3 * h, '8d'],
    [400 * d, '400d'],
    [3 * 365 * d + 10 * d, '3y10d'],
    [9 * 365 * d, '9y'],
  ])('%d ms -> %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('translates timestamps and reports missing ones as <unknown>', () => {
    const now = Date.parse('2024-05-01T12:05:30Z');
    expect(translateTimestampSince('2024-05-01T12:00:00Z', now)).toBe('5m30s');
    expect(translateTimestampSince(undefined, now)).toBe('<unknown>');
    expect(translateTimestampSince(null, now)).toBe('<unknown>');
  });
});
