import { describe, expect, it } from 'vitest';
import { StatusError } from '../../status';
import { parsePortForwardPorts } from './port-forward-options';

function message(query: string): string {
  try {
    parsePortForwardPorts(new URLSearchParams(query));
  } catch (err) {
    if (err instanceof StatusError && err.code === 400) return err.message;
    throw err;
  }
  throw new Error('did not throw');
}

describe('parsePortForwardPorts', () => {
  it('reads repeated and comma-separated ports', () => {
    expect(parsePortForwardPorts(new URLSearchParams('ports=8080'))).toEqual([8080]);
    expect(parsePortForwardPorts(new URLSearchParams('ports=80,443&ports=9000'))).toEqual([80, 443, 9000]);
  });
  it('refuses missing, empty and invalid ports', () => {
    expect(message('')).toBe('query parameter "ports" is required');
    expect(message('ports=')).toBe('query parameter "ports" cannot be empty');
    expect(message('ports=http')).toBe('unable to parse "http" as a port');
    expect(message('ports=70000')).toBe('unable to parse "70000" as a port');
    expect(message('ports=0')).toBe('port "0" must be > 0');
  });
});
