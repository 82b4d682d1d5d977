import { describe, expect, it } from 'vitest';
import type { EngineStatus } from '../../src-main/contract/cluster';
import { describeOutage } from './engine-outage';

const healthy: EngineStatus = {
  mode: 'managed',
  state: 'running',
  url: 'https://127.0.0.1:6443',
  context: 'skiff',
  stateDir: '/state',
  pid: 42,
  restarts: 0,
  message: null,
  crash: null,
};
const since = Date.parse('2026-12-04T10:00:00Z');

describe('describeOutage', () => {
  it('is null while the engine runs or before the status arrived', () => {
    expect(describeOutage(null, since)).toBeNull();
    expect(describeOutage(healthy, since)).toBeNull();
  });

  it('counts down to the next attempt and names the crash and its backoff', () => {
    const crashed: EngineStatus = {
      ...healthy,
      state: 'crashed',
      pid: null,
      crash: { reason: 'the engine was killed (SIGKILL)', since: new Date(since).toISOString(), attempt: 1, retryAt: new Date(since + 2000).toISOString(), backoffMs: 2000 },
    };
    expect(describeOutage(crashed, since + 500)).toEqual({
      title: 'The local engine crashed',
      reason: 'the engine was killed (SIGKILL)',
      attempt: 'Restart attempt 1 in 2 s (backoff 2 s, doubling after each failed attempt)',
      down: 'down for 1 s',
      canRestartNow: true,
    });
    // A clock that ticked just before the status arrived does not count down from more than the backoff.
    expect(describeOutage(crashed, since - 800)?.attempt).toMatch(/^Restart attempt 1 in 2 s/);
    // Past the retry time (the next status is on its way) the countdown stops at zero.
    expect(describeOutage(crashed, since + 5000)?.attempt).toMatch(/^Restart attempt 1 in 0 s/);
  });

  it('says an attempt is running (no Restart now then), and says "down" after failed attempts', () => {
    const restarting: EngineStatus = {
      ...healthy,
      state: 'restarting',
      crash: { reason: 'the engine exited with code 1: locked', since: new Date(since).toISOString(), attempt: 3, retryAt: null, backoffMs: null },
    };
    expect(describeOutage(restarting, since + 12_000)).toMatchObject({ title: 'The local engine is down', attempt: 'Restart attempt 3 is running…', down: 'down for 12 s', canRestartNow: false });
  });

  it('offers Restart now only for an engine this console manages', () => {
    const attachedGone: EngineStatus = {
      ...healthy,
      mode: 'attached',
      state: 'crashed',
      crash: { reason: 'gone', since: new Date(since).toISOString(), attempt: 1, retryAt: new Date(since + 1000).toISOString(), backoffMs: 1000 },
    };
    expect(describeOutage(attachedGone, since)?.canRestartNow).toBe(false);
  });
});
