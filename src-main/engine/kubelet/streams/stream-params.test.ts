import { describe, expect, it } from 'vitest';
import { StatusError } from '../../status';
import { boolParam, intParam, parseRfc3339, timeParam } from './stream-params';

const q = (s: string): URLSearchParams => new URLSearchParams(s);

function statusOf(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('did not throw');
}

describe('stream query parameters', () => {
  it('reads booleans as client-node and kubectl send them', () => {
    expect(boolParam(q('follow=true'), 'follow')).toBe(true);
    expect(boolParam(q('follow=false'), 'follow')).toBe(false);
    expect(boolParam(q('follow=1'), 'follow')).toBe(true);
    expect(boolParam(q('follow=True'), 'follow')).toBe(true);
    expect(boolParam(q(''), 'follow')).toBe(false);
    expect(boolParam(q('follow='), 'follow')).toBe(false);
    expect(statusOf(() => boolParam(q('follow=maybe'), 'follow'))).toEqual({ code: 400, message: 'invalid value for follow: "maybe": must be true or false' });
  });

  it('reads integers and refuses anything else', () => {
    expect(intParam(q('tailLines=10'), 'tailLines')).toBe(10);
    expect(intParam(q('tailLines=-1'), 'tailLines')).toBe(-1);
    expect(intParam(q(''), 'tailLines')).toBeUndefined();
    expect(statusOf(() => intParam(q('tailLines=1.5'), 'tailLines')).code).toBe(400);
    expect(statusOf(() => intParam(q('tailLines=abc'), 'tailLines')).message).toBe('invalid value for tailLines: "abc": must be an integer');
    expect(statusOf(() => intParam(q('tailLines=99999999999999999999'), 'tailLines')).code).toBe(400);
  });

  it('parses RFC 3339 times with nanoseconds and offsets', () => {
    expect(parseRfc3339('2024-05-01T12:00:00Z')).toEqual({ seconds: 1714564800, nanos: 0 });
    expect(parseRfc3339('2024-05-01T12:00:00.123456789Z')).toEqual({ seconds: 1714564800, nanos: 123456789 });
    expect(parseRfc3339('2024-05-01T14:00:00.5+02:00')).toEqual({ seconds: 1714564800, nanos: 500000000 });
    expect(parseRfc3339('2024-06-31T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('2024-05-01 12:00:00Z')).toBeUndefined();
    expect(parseRfc3339('yesterday')).toBeUndefined();
    expect(statusOf(() => timeParam(q('sinceTime=yesterday'), 'sinceTime')).code).toBe(400);
    expect(timeParam(q('sinceTime=2024-05-01T12:00:00Z'), 'sinceTime')).toEqual({ seconds: 1714564800, nanos: 0 });
  });
});
