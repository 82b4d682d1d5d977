/**
 * Controller expectations (client-go's UIDTrackingControllerExpectations): the creates and deletes a
 * controller has issued but not yet seen come back through its watch. While any are outstanding the
 * controller must not act on its (possibly stale) view again, or a slow watch would make it create twice.
 * Expectations expire after five minutes so a lost event cannot wedge a controller for ever.
 */

export const EXPECTATIONS_TTL_MS = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  /** keys ("namespace/name") of objects whose deletion is expected */
  deletes: Set<string>;
  setAt: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = EXPECTATIONS_TTL_MS,
  ) {}

  /** Whether the controller of `key` may act: nothing outstanding, nothing recorded, or expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.now() - e.setAt > this.ttlMs;
  }

  /** Record `count` creations about to be issued (replaces what was recorded). */
  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { adds: count, deletes: new Set(), setAt: this.now() });
  }

  /** Record the deletions of these objects about to be issued (replaces what was recorded). */
  expectDeletions(key: string, objectKeys: readonly string[]): void {
    this.byKey.set(key, { adds: 0, deletes: new Set(objectKeys), setAt: this.now() });
  }

  /** A creation was seen (or will never happen because it failed). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds--;
  }

  /** A deletion was seen (or will never happen because it failed). */
  deletionObserved(key: string, objectKey: string): void {
    this.byKey.get(key)?.deletes.delete(objectKey);
  }

  /** Forget the controller (it was deleted). */
  forget(key: string): void {
    this.byKey.delete(key);
  }

  /** Outstanding counts, for tests and diagnostics. */
  pending(key: string): { adds: number; deletes: number } {
    const e = this.byKey.get(key);
    return { adds: Math.max(0, e?.adds ?? 0), deletes: e?.deletes.size ?? 0 };
  }
}
