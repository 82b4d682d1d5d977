import { describe, expect, it } from 'vitest';
import { parseFlags, UsageError } from './args';

const spec = {
  port: { type: 'port', description: 'port' },
  'state-dir': { type: 'string', description: 'dir' },
  'no-engine': { type: 'bool', description: 'b' },
} as const;

describe('parseFlags', () => {
  it('parses both forms', () => {
    expect(parseFlags(['--port', '0', '--state-dir=/x', '--no-engine'], spec)).toEqual({ port: 0, 'state-dir': '/x', 'no-engine': true });
  });
  it.each([
    [['--prot', '1'], /unknown flag --prot/],
    [['--port'], /needs a value/],
    [['--port', 'abc'], /port number/],
    [['--port', '70000'], /port number/],
    [['--port', '-1'], /needs a value|port number/],
    [['start'], /unexpected argument/],
    [['--state-dir', ''], /non-empty/],
    [['--port', '1', '--port', '2'], /more than once/],
    [['--no-engine=yes'], /true or false/],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseFlags(argv, spec)).toThrow(UsageError);
    expect(() => parseFlags(argv, spec)).toThrow(msg);
  });
});
