/**
 * A de-duplicating work queue with client-go's semantics: a key waits at most once, is never processed by two
 * workers at once, and a key added while it is being processed runs again afterwards. Failed keys retry with
 * per-key exponential backoff. The clock is injected so tests can fake time.
 */

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface WorkQueueOptions {
  clock?: Clock;
  baseDelayMs?: number;
  maxDelayMs?: number;
  concurrency?: number;
}

export type Reconcile = (key: string) => Promise<void> | void;

export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { timer: unknown; due: number }>();
  private readonly clock: Clock;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly concurrency: number;
  private active = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly reconcile: Reconcile,
    opts: WorkQueueOptions = {},
  ) {
    this.clock = opts.clock ?? realClock;
    this.baseDelayMs = opts.baseDelayMs ?? 5;
    this.maxDelayMs = opts.maxDelayMs ?? 60_000;
    this.concurrency = opts.concurrency ?? 1;
  }

  start(): void {
    this.running = true;
    this.schedulePump();
  }

  stop(): void {
    this.running = false;
    for (const t of this.timers.values()) this.clock.clearTimeout(t.timer);
    this.timers.clear();
  }

  get length(): number {
    return this.queue.length;
  }

  add(key: string): void {
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (!this.processing.has(key)) this.queue.push(key);
    // Never reconcile inside the caller (often a store listener in the middle of a commit).
    this.schedulePump();
  }

  private pumpScheduled = false;

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Add after a delay (a pending later add of the same key is kept if it is sooner). */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const due = this.clock.now() + ms;
    const pending = this.timers.get(key);
    // A sooner request wins (client-go's AddAfter keeps the earliest ready time).
    if (pending && pending.due <= due) return;
    if (pending) this.clock.clearTimeout(pending.timer);
    const timer = this.clock.setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { timer, due });
  }

  /** Resolves when nothing is queued or running (timers pending later do not count). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.active === 0 && !this.pumpScheduled) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running && this.active < this.concurrency && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      this.dirty.delete(key);
      this.processing.add(key);
      this.active++;
      void this.run(key);
    }
    if (this.queue.length === 0 && this.active === 0 && !this.pumpScheduled && this.idleWaiters.length > 0) {
      const ws = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of ws) w();
    }
  }

  private async run(key: string): Promise<void> {
    try {
      await this.reconcile(key);
      this.failures.delete(key);
    } catch {
      const n = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, n);
      this.addAfter(key, Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (n - 1)));
    } finally {
      this.processing.delete(key);
      this.active--;
      if (this.dirty.has(key)) this.queue.push(key);
      // Let other microtasks (store listeners) run before the next key.
      setImmediate(() => this.pump());
    }
  }
}
