/**
 * The kubelet's per-container restart back-off (client-go flowcontrol.Backoff as the kubelet uses it): the
 * first restart of a crashed container is immediate and opens a window of `baseMs`; each further crash inside
 * the window doubles the window up to `maxMs`. A container that ran `resetAfterMs` or longer before it finished
 * starts over (the documented "10 minutes without problems" reset). Pure apart from the injected clock.
 */

export interface RestartBackoffOptions {
  /** first window (Kubernetes: 10 s) */
  baseMs?: number;
  /** cap (Kubernetes: 5 min) */
  maxMs?: number;
  /** a run this long resets the back-off (Kubernetes docs: 10 min) */
  resetAfterMs?: number;
  now?: () => number;
}

export const DEFAULT_BACKOFF_BASE_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;
export const BACKOFF_RESET_AFTER_MS = 600_000;

export class RestartBackoff {
  private readonly windows = new Map<string, number>();
  readonly baseMs: number;
  readonly maxMs: number;
  readonly resetAfterMs: number;
  private readonly now: () => number;

  constructor(opts: RestartBackoffOptions = {}) {
    this.baseMs = opts.baseMs ?? DEFAULT_BACKOFF_BASE_MS;
    this.maxMs = opts.maxMs ?? MAX_BACKOFF_MS;
    this.resetAfterMs = opts.resetAfterMs ?? BACKOFF_RESET_AFTER_MS;
    this.now = opts.now ?? Date.now;
  }

  /**
   * How long (ms) a container that finished at `finishedAt` after running `ranMs` must still wait before its
   * restart; 0 when it may restart now.
   */
  remaining(key: string, finishedAt: number, ranMs: number): number {
    const window = this.windows.get(key);
    if (window === undefined || ranMs >= this.resetAfterMs) return 0;
    const left = window - (this.now() - finishedAt);
    return left > 0 ? left : 0;
  }

  /** The current window (ms), 0 when the key has none: what `back-off 20s restarting ...` prints. */
  window(key: string): number {
    return this.windows.get(key) ?? 0;
  }

  /** A restart happens now: open the next window. `ranMs` is how long the finished instance ran. */
  next(key: string, ranMs: number): void {
    const window = this.windows.get(key);
    if (window === undefined || ranMs >= this.resetAfterMs) this.windows.set(key, this.baseMs);
    else this.windows.set(key, Math.min(this.maxMs, window * 2));
  }

  /** Forget every key starting with `prefix` (a pod that is gone). */
  forget(prefix: string): void {
    for (const key of this.windows.keys()) if (key.startsWith(prefix)) this.windows.delete(key);
  }
}
