/**
 * Delayed re-adds for level-based controllers ("look at this key again in 30 s"): one timer per key, and a
 * sooner request replaces a later one. Kept apart from the work queue's own retry backoff so that a long
 * wait (a progress deadline) never swallows a short one (minReadySeconds).
 */
import type { Clock } from './work-queue';

export class RequeueTimers {
  private readonly timers = new Map<string, { at: number; handle: unknown }>();

  constructor(
    private readonly clock: Clock,
    private readonly add: (key: string) => void,
  ) {}

  /** Add `key` after `ms`, unless it is already due sooner. */
  after(key: string, ms: number): void {
    const at = this.clock.now() + Math.max(0, ms);
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) this.clock.clearTimeout(existing.handle);
    const handle = this.clock.setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, Math.max(0, ms));
    this.timers.set(key, { at, handle });
  }

  stop(): void {
    for (const t of this.timers.values()) this.clock.clearTimeout(t.handle);
    this.timers.clear();
  }
}
