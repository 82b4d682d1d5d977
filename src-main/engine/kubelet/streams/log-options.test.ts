import { describe, expect, it } from 'vitest';
import { StatusError } from '../../status';
import { parseLogOptions } from './log-options';

function failure(query: string): { code: number; reason: string; message: string } {
  try {
    parseLogOptions(new URLSearchParams(query), 'web');
  } catch (err) {
    if (err instanceof StatusError) return { code: err.code, reason: err.reason, message: err.message };
    throw err;
  }
  throw new Error('did not throw');
}

describe('parseLogOptions', () => {
  it('reads what client-node sends (every boolean spelled out, empty container)', () => {
    const o = parseLogOptions(new URLSearchParams('container=&follow=true&pretty=true&previous=false&timestamps=true'), 'web');
    expect(o).toEqual({ container: undefined, follow: true, previous: false, timestamps: true, tailLines: undefined, limitBytes: undefined, since: undefined });
  });

  it('reads kubectl-style numbers and times', () => {
    const o = parseLogOptions(new URLSearchParams('container=app&tailLines=0&limitBytes=10&sinceTime=2024-05-01T12:00:00.25Z'), 'web');
    expect(o).toMatchObject({ container: 'app', tailLines: 0, limitBytes: 10, since: { seconds: 1714564800, nanos: 250000000 } });
  });

  it('turns sinceSeconds into an absolute time', () => {
    const o = parseLogOptions(new URLSearchParams('sinceSeconds=60'), 'web', 1714564800_500);
    expect(o.since).toEqual({ seconds: 1714564740, nanos: 500_000_000 });
  });

  it('rejects out-of-range values as the API server does', () => {
    expect(failure('tailLines=-1')).toEqual({ code: 422, reason: 'Invalid', message: 'PodLogOptions "web" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0' });
    expect(failure('limitBytes=0').message).toBe('PodLogOptions "web" is invalid: limitBytes: Invalid value: 0: must be greater than 0');
    expect(failure('sinceSeconds=0').message).toBe('PodLogOptions "web" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0');
    expect(failure('sinceSeconds=5&sinceTime=2024-05-01T12:00:00Z').message).toBe('PodLogOptions "web" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
  });

  it('rejects unparsable values with 400', () => {
    expect(failure('follow=yes').code).toBe(400);
    expect(failure('tailLines=ten')).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(failure('sinceTime=now').code).toBe(400);
  });
});
