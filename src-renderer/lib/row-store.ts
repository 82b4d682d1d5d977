import type { ResourceKind } from '../../src-main/contract/kinds';
import type { RowKey, RowOf } from '../../src-main/contract/rows';
import type { ResourceEventOf } from '../../src-main/contract/streams';

/**
 * The rows of one resource feed keyed by uid. Events mutate the map in place (cheap for thousands of rows);
 * `rows()` builds the array once per batch, when the view asks for it.
 */
export class RowStore<K extends ResourceKind> {
  private readonly byUid = new Map<string, RowOf<K>>();
  private cached: RowOf<K>[] | null = [];

  /** Applies one event; returns true when the rows changed. Errors leave the last rows in place. */
  apply(event: ResourceEventOf<K>): boolean {
    switch (event.type) {
      case 'snapshot':
        this.byUid.clear();
        for (const row of event.rows) this.byUid.set(row.uid, row);
        break;
      case 'changes':
        for (const row of event.added) this.byUid.set(row.uid, row);
        for (const row of event.modified) this.byUid.set(row.uid, row);
        for (const key of event.deleted) this.remove(key);
        if (event.added.length + event.modified.length + event.deleted.length === 0) return false;
        break;
      case 'error':
        return false;
    }
    this.cached = null;
    return true;
  }

  private remove(key: RowKey): void {
    if (this.byUid.delete(key.uid)) return;
    // A key without a known uid (a tombstone from a relist): match by name and namespace.
    for (const [uid, row] of this.byUid) {
      if (row.name === key.name && row.namespace === key.namespace) this.byUid.delete(uid);
    }
  }

  get size(): number {
    return this.byUid.size;
  }

  rows(): RowOf<K>[] {
    if (this.cached === null) this.cached = [...this.byUid.values()];
    return this.cached;
  }
}
