import { describe, expect, it } from 'vitest';
import { dockerErrorMessage, dockerSince } from './docker-logs';

describe('docker log request helpers', () => {
  it('formats since with nanoseconds', () => {
    expect(dockerSince({ seconds: 1714564800, nanos: 5 })).toBe('1714564800.000000005');
  });
  it('prefers the daemon message', () => {
    const err = Object.assign(new Error('(HTTP code 404) no such container - No such container: x '), { json: { message: 'No such container: x' } });
    expect(dockerErrorMessage(err)).toBe('No such container: x');
    expect(dockerErrorMessage(new Error('boom'))).toBe('boom');
    expect(dockerErrorMessage('plain')).toBe('plain');
  });
});
