import { describe, expect, it } from 'vitest';
import { calls, isCallName } from './contract';

describe('contract', () => {
  it('knows its calls and nothing else', () => {
    expect(isCallName('app.version')).toBe(true);
    expect(isCallName('app.nope')).toBe(false);
    expect(isCallName('toString')).toBe(false);
    expect(isCallName(42)).toBe(false);
  });

  it('app.version takes no input', () => {
    expect(calls['app.version'].input(undefined)).toEqual({ ok: true, result: undefined });
    expect(calls['app.version'].input({ version: '1' }).ok).toBe(false);
  });
});
