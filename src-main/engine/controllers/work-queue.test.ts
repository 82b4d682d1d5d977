import { describe, expect, it } from 'vitest';
import { WorkQueue, type Clock } from './work-queue';

function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let id = 0;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: ++id });
      return id;
    },
    clearTimeout: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

describe('WorkQueue', () => {
  it('de-duplicates keys that are waiting', async () => {
    const seen: string[] = [];
    const q = new WorkQueue((k) => {
      seen.push(k);
    });
    q.add('a');
    q.add('a');
    q.add('b');
    q.start();
    await q.idle();
    expect(seen).toEqual(['a', 'b']);
  });

  it('never runs a key twice at once and re-runs a key changed while processing', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let release: () => void = () => undefined;
    const q = new WorkQueue(
      async () => {
        running++;
        runs++;
        maxRunning = Math.max(maxRunning, running);
        if (runs === 1) await new Promise<void>((r) => (release = r));
        running--;
      },
      { concurrency: 4 },
    );
    q.start();
    q.add('k');
    await new Promise((r) => setImmediate(r));
    q.add('k'); // while processing
    q.add('k');
    release();
    await new Promise((r) => setTimeout(r, 10));
    await q.idle();
    expect(maxRunning).toBe(1);
    expect(runs).toBe(2);
  });

  it('retries failures with exponential backoff on the injected clock', async () => {
    const clock = fakeClock();
    let attempts = 0;
    const q = new WorkQueue(
      () => {
        attempts++;
        if (attempts < 3) throw new Error('transient');
      },
      { clock, baseDelayMs: 100 },
    );
    q.start();
    q.add('x');
    await q.idle();
    expect(attempts).toBe(1);
    clock.advance(99);
    await q.idle();
    expect(attempts).toBe(1);
    clock.advance(1);
    await new Promise((r) => setImmediate(r));
    await q.idle();
    expect(attempts).toBe(2);
    clock.advance(200);
    await new Promise((r) => setImmediate(r));
    await q.idle();
    expect(attempts).toBe(3);
  });

  it('addAfter: a sooner request replaces a later one, a later one never delays a sooner one', async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    let t = 0;
    const q = new WorkQueue(() => {
      seen.push(t);
    }, { clock });
    q.start();
    q.addAfter('k', 1000);
    q.addAfter('k', 100);
    q.addAfter('k', 5000);
    t = 100;
    clock.advance(100);
    await new Promise((r) => setImmediate(r));
    await q.idle();
    expect(seen).toEqual([100]);
    t = 1000;
    clock.advance(900);
    await new Promise((r) => setImmediate(r));
    await q.idle();
    // the replaced 1000 ms timer did not fire again
    expect(seen).toEqual([100]);
  });
});
