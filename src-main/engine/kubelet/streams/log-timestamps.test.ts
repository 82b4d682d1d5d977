import { describe, expect, it } from 'vitest';
import { formatTimestamp, normalizeTimestamp, TimestampRewriter } from './log-timestamps';

describe('log timestamps', () => {
  it('formats with nine fraction digits', () => {
    expect(formatTimestamp({ seconds: 1714564800, nanos: 123 })).toBe('2024-05-01T12:00:00.000000123Z');
    expect(normalizeTimestamp('2024-05-01T12:00:00.12Z')).toBe('2024-05-01T12:00:00.120000000Z');
    expect(normalizeTimestamp('2024-05-01T14:00:00+02:00')).toBe('2024-05-01T12:00:00.000000000Z');
    expect(normalizeTimestamp('hello')).toBeUndefined();
  });

  it('rewrites the prefix of every line, across any chunking', () => {
    const input = '2024-05-01T12:00:00.1Z line one\n2024-05-01T12:00:01.123456789Z two\nno-timestamp\n2024-05-01T12:00:02Z ';
    const expected = '2024-05-01T12:00:00.100000000Z line one\n2024-05-01T12:00:01.123456789Z two\nno-timestamp\n2024-05-01T12:00:02.000000000Z ';
    for (let cut = 0; cut <= input.length; cut++) {
      const r = new TimestampRewriter();
      const out = Buffer.concat([r.push(Buffer.from(input.slice(0, cut))), r.push(Buffer.from(input.slice(cut))), r.flush()]);
      expect(out.toString()).toBe(expected);
    }
  });

  it('passes a long first word through untouched', () => {
    const r = new TimestampRewriter();
    const long = 'x'.repeat(100);
    expect(Buffer.concat([r.push(Buffer.from(long)), r.push(Buffer.from(' tail\n')), r.flush()]).toString()).toBe(`${long} tail\n`);
  });
});
