import { describe, expect, it } from 'vitest';
import { RequeueTimers } from './requeue-timers';
import { FakeClock } from './test-harness';

describe('RequeueTimers', () => {
  it('keeps the sooner of two requests per key and fires once', () => {
    const clock = new FakeClock();
    const added: string[] = [];
    const timers = new RequeueTimers(clock, (k) => added.push(k));
    timers.after('a', 60_000);
    timers.after('a', 5_000);
    timers.after('a', 30_000);
    clock.advance(5_000);
    expect(added).toEqual(['a']);
    clock.advance(60_000);
    expect(added).toEqual(['a']);
  });

  it('stops every timer', () => {
    const clock = new FakeClock();
    const added: string[] = [];
    const timers = new RequeueTimers(clock, (k) => added.push(k));
    timers.after('a', 10);
    timers.stop();
    clock.advance(100);
    expect(added).toEqual([]);
  });
});
