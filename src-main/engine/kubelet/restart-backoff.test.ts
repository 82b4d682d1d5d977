import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './restart-backoff';

describe('RestartBackoff', () => {
  function make(): { b: RestartBackoff; clock: { t: number } } {
    const clock = { t: 1_000_000 };
    return { b: new RestartBackoff({ now: () => clock.t }), clock };
  }

  it('restarts the first crash at once, then waits 10 s, 20 s, 40 s ... up to 5 min', () => {
    const { b, clock } = make();
    expect(b.remaining('k', clock.t, 100)).toBe(0);
    b.next('k', 100);
    expect(b.window('k')).toBe(10_000);
    const windows: number[] = [];
    for (let i = 0; i < 8; i++) {
      const finished = clock.t;
      expect(b.remaining('k', finished, 100)).toBe(b.window('k'));
      clock.t += 4000;
      expect(b.remaining('k', finished, 100)).toBe(b.window('k') - 4000);
      clock.t = finished + b.window('k');
      expect(b.remaining('k', finished, 100)).toBe(0);
      b.next('k', 100);
      windows.push(b.window('k'));
    }
    expect(windows).toEqual([20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000]);
  });

  it('starts over after a run of 10 minutes', () => {
    const { b, clock } = make();
    b.next('k', 0);
    b.next('k', 0);
    b.next('k', 0);
    expect(b.window('k')).toBe(40_000);
    expect(b.remaining('k', clock.t, 600_000)).toBe(0);
    b.next('k', 600_000);
    expect(b.window('k')).toBe(10_000);
  });

  it('keeps keys apart and forgets by prefix', () => {
    const { b, clock } = make();
    b.next('pod1/a', 0);
    b.next('pod2/a', 0);
    b.forget('pod1/');
    expect(b.remaining('pod1/a', clock.t, 0)).toBe(0);
    expect(b.remaining('pod2/a', clock.t, 0)).toBe(10_000);
  });

  it('honours a shortened base', () => {
    const b = new RestartBackoff({ baseMs: 100, now: () => 0 });
    b.next('k', 0);
    b.next('k', 0);
    expect(b.window('k')).toBe(200);
  });
});
