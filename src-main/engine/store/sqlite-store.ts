/**
 * The engine's object store: every object as JSON in SQLite (WAL), a global resourceVersion, and a bounded
 * event history that serves watch resumption across restarts.
 *
 * Durability: each write is its own transaction, committed before the call returns. With WAL and
 * synchronous=NORMAL a committed transaction survives the death of the process (kill -9); only an OS crash
 * could lose the last commits, which is the trade every desktop database makes.
 */
import Database from 'better-sqlite3';
import type { KubeObject } from '../object';
import { StatusError, STALE_OBJECT, alreadyExists, conflict, notFound } from '../status';
import { StoreMaintenance } from './store-maintenance';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One committed change. `object` carries the change's resourceVersion (for DELETED: the deletion's). */
export interface StoreEvent {
  type: EventType;
  rv: number;
  resource: string;
  namespace: string;
  name: string;
  object: KubeObject;
  /** the object as it was before this change (MODIFIED and DELETED) */
  prev?: KubeObject;
}

export interface StoreOptions {
  /** how many events to keep for watch resumption (memory and disk) */
  historySize?: number;
}

interface Entry {
  obj: KubeObject;
  rv: number;
}

type Listener = (event: StoreEvent) => void;

/** Split a resource key like "deployments.apps" into its plural and group for messages. */
function splitResource(resource: string): { plural: string; group: string } {
  const dot = resource.indexOf('.');
  return dot < 0 ? { plural: resource, group: '' } : { plural: resource.slice(0, dot), group: resource.slice(dot + 1) };
}

export class SqliteStore {
  private maintenanceStopped: Promise<void> = Promise.resolve();
  private readonly db: Database.Database;
  /** resource -> "namespace/name" -> entry */
  private readonly objects = new Map<string, Map<string, Entry>>();
  private readonly history: StoreEvent[] = [];
  private readonly historySize: number;
  private readonly listeners = new Set<Listener>();
  private currentRV = 0;
  /** events at or below this rv are gone from the history */
  private compactedRV = 0;
  private writesSincePrune = 0;
  private readonly stmt: {
    upsert: Database.Statement;
    remove: Database.Statement;
    event: Database.Statement;
    prune: Database.Statement;
    setMeta: Database.Statement;
  };
  private closed = false;

  constructor(file: string, options: StoreOptions = {}) {
    this.historySize = options.historySize ?? 10_000;
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // Checkpoints (which fsync) run in a background worker, not in the middle of a request.
    this.db.pragma('wal_autocheckpoint = 0');
    this.db.pragma('journal_size_limit = 67108864');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (
        resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, rv INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (resource, namespace, name)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS events (
        rv INTEGER PRIMARY KEY, type TEXT NOT NULL, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
        data TEXT NOT NULL, prev TEXT);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    this.stmt = {
      upsert: this.db.prepare(
        'INSERT INTO objects (resource, namespace, name, rv, data) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (resource, namespace, name) DO UPDATE SET rv = excluded.rv, data = excluded.data',
      ),
      remove: this.db.prepare('DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?'),
      event: this.db.prepare('INSERT INTO events (rv, type, resource, namespace, name, data, prev) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      prune: this.db.prepare('DELETE FROM events WHERE rv <= ?'),
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
    this.load();
    this.maintenance = new StoreMaintenance(file);
  }

  private readonly maintenance: StoreMaintenance;

  private load(): void {
    let maxRV = 0;
    for (const row of this.db.prepare('SELECT resource, namespace, name, rv, data FROM objects').iterate() as Iterable<{
      resource: string;
      namespace: string;
      name: string;
      rv: number;
      data: string;
    }>) {
      const obj = JSON.parse(row.data) as KubeObject;
      this.bucket(row.resource).set(`${row.namespace}/${row.name}`, { obj, rv: row.rv });
      if (row.rv > maxRV) maxRV = row.rv;
    }
    const lastEvent = this.db.prepare('SELECT MAX(rv) AS rv FROM events').get() as { rv: number | null };
    const metaRV = this.db.prepare("SELECT value FROM meta WHERE key = 'rv'").get() as { value: string } | undefined;
    this.currentRV = Math.max(maxRV, lastEvent.rv ?? 0, metaRV ? Number(metaRV.value) : 0);
    const rows = this.db
      .prepare('SELECT rv, type, resource, namespace, name, data, prev FROM events ORDER BY rv DESC LIMIT ?')
      .all(this.historySize) as Array<{
      rv: number;
      type: EventType;
      resource: string;
      namespace: string;
      name: string;
      data: string;
      prev: string | null;
    }>;
    rows.reverse();
    for (const r of rows) {
      const ev: StoreEvent = {
        type: r.type,
        rv: r.rv,
        resource: r.resource,
        namespace: r.namespace,
        name: r.name,
        object: JSON.parse(r.data) as KubeObject,
      };
      if (r.prev) ev.prev = JSON.parse(r.prev) as KubeObject;
      this.history.push(ev);
    }
    // Everything before the oldest kept event is gone; with no history at all, only "now" can be resumed from.
    this.compactedRV = this.history.length > 0 ? this.history[0].rv - 1 : this.currentRV;
  }

  private bucket(resource: string): Map<string, Entry> {
    let b = this.objects.get(resource);
    if (!b) {
      b = new Map();
      this.objects.set(resource, b);
    }
    return b;
  }

  /** The latest resourceVersion handed out. */
  get resourceVersion(): number {
    return this.currentRV;
  }

  /** The oldest resourceVersion a watch can resume from (exclusive lower bound of the history). */
  get oldestResumableRV(): number {
    return this.compactedRV;
  }

  /** Read-only: never modify the returned object; copy it first. */
  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(`${namespace}/${name}`)?.obj;
  }

  /** Read-only objects of a resource, optionally of one namespace, in name order within a namespace. */
  list(resource: string, namespace?: string): KubeObject[] {
    const b = this.objects.get(resource);
    if (!b) return [];
    const out: KubeObject[] = [];
    if (namespace === undefined || namespace === '') {
      for (const e of b.values()) out.push(e.obj);
    } else {
      const prefix = `${namespace}/`;
      for (const [k, e] of b) if (k.startsWith(prefix)) out.push(e.obj);
    }
    out.sort(compareByNamespaceName);
    return out;
  }

  /** Count of objects of a resource (all namespaces). */
  count(resource: string): number {
    return this.objects.get(resource)?.size ?? 0;
  }

  /** All resource keys that hold objects. */
  resources(): string[] {
    return [...this.objects.keys()];
  }

  /** Store a new object; sets metadata.resourceVersion on `obj` (which the store now owns). */
  create(resource: string, obj: KubeObject): KubeObject {
    this.assertOpen();
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const key = `${ns}/${name}`;
    const b = this.bucket(resource);
    if (b.has(key)) {
      const { group, plural } = splitResource(resource);
      throw alreadyExists(group, plural, name);
    }
    const rv = this.currentRV + 1;
    obj.metadata.resourceVersion = String(rv);
    this.commit('ADDED', resource, ns, name, rv, obj, undefined);
    b.set(key, { obj, rv });
    return obj;
  }

  /**
   * Replace an object. `expectRV` (if given) must equal the stored resourceVersion, else 409 Conflict.
   * Sets metadata.resourceVersion on `obj`, which the store now owns.
   */
  update(resource: string, obj: KubeObject, expectRV?: string): KubeObject {
    this.assertOpen();
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    const key = `${ns}/${name}`;
    const b = this.bucket(resource);
    const cur = b.get(key);
    const { group, plural } = splitResource(resource);
    if (!cur) throw notFound(group, plural, name);
    if (expectRV !== undefined && expectRV !== '' && expectRV !== String(cur.rv)) {
      throw conflict(group, plural, name, STALE_OBJECT);
    }
    const rv = this.currentRV + 1;
    obj.metadata.resourceVersion = String(rv);
    this.commit('MODIFIED', resource, ns, name, rv, obj, cur.obj);
    b.set(key, { obj, rv });
    return obj;
  }

  /** Remove an object; returns its last state carrying the deletion's resourceVersion. */
  delete(resource: string, namespace: string, name: string, precondition?: { rv?: string; uid?: string }): KubeObject {
    this.assertOpen();
    const key = `${namespace}/${name}`;
    const b = this.bucket(resource);
    const cur = b.get(key);
    const { group, plural } = splitResource(resource);
    if (!cur) throw notFound(group, plural, name);
    if (precondition?.uid && precondition.uid !== cur.obj.metadata.uid) {
      throw conflict(
        group,
        plural,
        name,
        `Precondition failed: UID in precondition: ${precondition.uid}, UID in object meta: ${cur.obj.metadata.uid ?? ''}`,
      );
    }
    if (precondition?.rv && precondition.rv !== String(cur.rv)) {
      throw conflict(
        group,
        plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${precondition.rv}, ResourceVersion in object meta: ${cur.rv}`,
      );
    }
    const rv = this.currentRV + 1;
    const last: KubeObject = { ...cur.obj, metadata: { ...cur.obj.metadata, resourceVersion: String(rv) } };
    this.commit('DELETED', resource, namespace, name, rv, last, cur.obj);
    b.delete(key);
    return last;
  }

  /**
   * Group commit: a write changes memory and the resourceVersion at once, and joins the batch that is written
   * to SQLite in one transaction at the end of the current event-loop turn. Watchers see a change only once it
   * is on disk, and the API acknowledges a write only after `whenDurable()`, so every acknowledged write
   * survives kill -9 while many concurrent writers share one commit.
   */
  private commit(
    type: EventType,
    resource: string,
    ns: string,
    name: string,
    rv: number,
    obj: KubeObject,
    prev: KubeObject | undefined,
  ): void {
    this.currentRV = rv;
    const ev: StoreEvent = { type, rv, resource, namespace: ns, name, object: obj };
    if (prev) ev.prev = prev;
    this.batch.push(ev);
    for (const o of this.writeObservers) {
      try {
        o(ev);
      } catch {
        // an index's failure must not fail the write
      }
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private batch: StoreEvent[] = [];
  private flushScheduled = false;
  private durableWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];

  /** Resolves once every write made so far is committed to disk. */
  whenDurable(): Promise<void> {
    if (this.batch.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.durableWaiters.push({ resolve, reject }));
  }

  /** Write the pending batch in one transaction, then publish its events in order. */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    const waiters = this.durableWaiters;
    this.durableWaiters = [];
    let lastDelete = 0;
    const tx = this.db.transaction(() => {
      for (const e of batch) {
        const data = JSON.stringify(e.object);
        if (e.type === 'DELETED') {
          this.stmt.remove.run(e.resource, e.namespace, e.name);
          lastDelete = e.rv;
        } else this.stmt.upsert.run(e.resource, e.namespace, e.name, e.rv, data);
        this.stmt.event.run(e.rv, e.type, e.resource, e.namespace, e.name, data, e.prev ? JSON.stringify(e.prev) : null);
      }
      // A deletion must not lose the counter once its event is pruned.
      if (lastDelete) this.stmt.setMeta.run('rv', String(lastDelete));
    });
    try {
      tx();
    } catch (err) {
      const e = new StatusError(500, 'InternalError', `Internal error occurred: storage write failed: ${(err as Error).message}`);
      for (const w of waiters) w.reject(e);
      return;
    }
    for (const ev of batch) this.history.push(ev);
    if (this.history.length > this.historySize * 1.1) {
      const drop = this.history.length - this.historySize;
      this.history.splice(0, drop);
      this.compactedRV = this.history[0].rv - 1;
    }
    this.writesSincePrune += batch.length;
    if (this.writesSincePrune >= 1000) {
      this.writesSincePrune = 0;
      if (this.maintenance.running) this.maintenance.pruneThrough(this.compactedRV);
      else {
        this.stmt.prune.run(this.compactedRV);
        this.db.pragma('wal_checkpoint(PASSIVE)');
      }
    }
    for (const w of waiters) w.resolve();
    for (const ev of batch) this.dispatch(ev);
  }

  private readonly pending: StoreEvent[] = [];
  private dispatching = false;

  /**
   * Deliver events to listeners strictly in resourceVersion order, even when a listener writes (a nested
   * commit is queued and delivered after the current event has reached every listener).
   */
  private dispatch(ev: StoreEvent): void {
    this.pending.push(ev);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      while (this.pending.length > 0) {
        const next = this.pending.shift() as StoreEvent;
        for (const l of this.listeners) {
          try {
            l(next);
          } catch {
            // A listener's failure must never fail an acknowledged write.
          }
        }
      }
    } finally {
      this.dispatching = false;
    }
  }

  /**
   * Events with rv > `sinceRV`, oldest first, or 'expired' when the history no longer reaches back that far.
   */
  eventsSince(sinceRV: number): StoreEvent[] | 'expired' {
    // Only events on disk are history; the pending batch reaches watchers through the listeners.
    if (sinceRV < this.compactedRV) return 'expired';
    // binary search the first event with rv > sinceRV
    let lo = 0;
    let hi = this.history.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.history[mid].rv <= sinceRV) lo = mid + 1;
      else hi = mid;
    }
    return this.history.slice(lo);
  }

  private readonly writeObservers = new Set<Listener>();

  /**
   * For in-memory indexes that must match the objects at every moment: called synchronously inside each
   * write, before it is durable. Must not write. Returns the disposer.
   */
  observeWrites(observer: Listener): () => void {
    this.writeObservers.add(observer);
    return () => this.writeObservers.delete(observer);
  }

  /** Called with every write once it is on disk, in resourceVersion order. Returns the disposer. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drop history up to `rv` (tests and fault injection: forces 410 Expired for older resumes). */
  compact(rv: number): void {
    this.flush();
    const keepFrom = this.history.findIndex((e) => e.rv > rv);
    if (keepFrom < 0) this.history.length = 0;
    else this.history.splice(0, keepFrom);
    this.compactedRV = Math.max(this.compactedRV, Math.min(rv, this.currentRV));
    this.stmt.prune.run(this.compactedRV);
    this.stmt.setMeta.run('rv', String(this.currentRV));
  }

  /** Resolves when the checkpoint worker has let go of the database files (after `close()`). */
  whenClosed(): Promise<void> {
    return this.maintenanceStopped;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.listeners.clear();
    this.maintenanceStopped = this.maintenance.stop().catch(() => undefined);
    try {
      this.stmt.setMeta.run('rv', String(this.currentRV));
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.db.close();
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StatusError(503, 'ServiceUnavailable', 'the store is closed');
  }
}

function compareByNamespaceName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? '';
  const bn = b.metadata.namespace ?? '';
  if (an !== bn) return an < bn ? -1 : 1;
  const a1 = a.metadata.name ?? '';
  const b1 = b.metadata.name ?? '';
  return a1 < b1 ? -1 : a1 > b1 ? 1 : 0;
}
