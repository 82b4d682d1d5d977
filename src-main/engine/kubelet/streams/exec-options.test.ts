import { describe, expect, it } from 'vitest';
import { StatusError } from '../../status';
import { parseRemoteCommandOptions } from './exec-options';

const q = (s: string): URLSearchParams => new URLSearchParams(s);

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError && err.code === 400) return err.message;
    throw err;
  }
  throw new Error('did not throw');
}

describe('parseRemoteCommandOptions', () => {
  it('reads kubectl exec (false flags omitted, one command param per argument)', () => {
    expect(parseRemoteCommandOptions(q('command=sh&command=-c&command=echo+hi&container=app&stdin=true&stdout=true&stderr=true'), 'exec')).toEqual({
      container: 'app',
      command: ['sh', '-c', 'echo hi'],
      stdin: true,
      stdout: true,
      stderr: true,
      tty: false,
    });
  });

  it('reads client-node exec (every flag spelled out, empty container)', () => {
    const o = parseRemoteCommandOptions(q('stdout=true&stderr=true&stdin=false&tty=false&command=ls&container='), 'exec');
    expect(o).toMatchObject({ container: undefined, command: ['ls'], stdin: false, stdout: true, stderr: true });
  });

  it('drops stderr under a tty', () => {
    expect(parseRemoteCommandOptions(q('command=sh&stdin=true&stdout=true&stderr=true&tty=true'), 'exec')).toMatchObject({ stderr: false, tty: true });
  });

  it('needs a command for exec but not for attach', () => {
    expect(message(() => parseRemoteCommandOptions(q('stdout=true'), 'exec'))).toBe('you must specify at least one command for the container');
    expect(parseRemoteCommandOptions(q('stdout=true&command=ignored'), 'attach').command).toEqual([]);
  });

  it('needs at least one stream', () => {
    expect(message(() => parseRemoteCommandOptions(q('command=ls&stdin=false&stdout=false&stderr=false'), 'exec'))).toBe('you must specify at least 1 of stdin, stdout, stderr');
    expect(message(() => parseRemoteCommandOptions(q('command=ls&tty=true&stderr=true'), 'exec'))).toBe('you must specify at least 1 of stdin, stdout, stderr');
    expect(message(() => parseRemoteCommandOptions(q('command=ls&stdout=perhaps'), 'exec'))).toContain('stdout');
  });
});
