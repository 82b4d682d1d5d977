import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import type { StatusError } from '../status';
import { SqliteStore, type StoreEvent } from './sqlite-store';

const cm = (name: string, ns = 'default', data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns },
  data,
});

function dbFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'store-')), 'state.db');
}

describe('SqliteStore', () => {
  it('creates, updates and deletes with a monotonic resourceVersion', () => {
    const s = new SqliteStore(dbFile());
    const a = s.create('configmaps', cm('a'));
    const b = s.create('configmaps', cm('b'));
    expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
    const a2 = s.update('configmaps', { ...cm('a', 'default', { k: 'v' }) }, a.metadata.resourceVersion);
    expect(Number(a2.metadata.resourceVersion)).toBeGreaterThan(Number(b.metadata.resourceVersion));
    const gone = s.delete('configmaps', 'default', 'a');
    expect(Number(gone.metadata.resourceVersion)).toBe(s.resourceVersion);
    expect(s.get('configmaps', 'default', 'a')).toBeUndefined();
    expect(s.list('configmaps').map((o) => o.metadata.name)).toEqual(['b']);
    s.close();
  });

  it('refuses duplicates, stale updates and missing objects with Status errors', () => {
    const s = new SqliteStore(dbFile());
    const a = s.create('configmaps', cm('a'));
    const err = (fn: () => unknown): StatusError => {
      try {
        fn();
      } catch (e) {
        return e as StatusError;
      }
      throw new Error('expected an error');
    };
    expect(err(() => s.create('configmaps', cm('a'))).reason).toBe('AlreadyExists');
    s.update('configmaps', cm('a', 'default', { x: '1' }), a.metadata.resourceVersion);
    const stale = err(() => s.update('configmaps', cm('a', 'default', { x: '2' }), a.metadata.resourceVersion));
    expect(stale.code).toBe(409);
    expect(stale.reason).toBe('Conflict');
    expect(err(() => s.update('configmaps', cm('zzz'))).code).toBe(404);
    expect(err(() => s.delete('configmaps', 'default', 'zzz')).code).toBe(404);
    s.close();
  });

  it('keeps objects, the resourceVersion and the watch history across reopen', () => {
    const file = dbFile();
    const s = new SqliteStore(file);
    s.create('configmaps', cm('a'));
    s.create('configmaps', cm('b'));
    s.delete('configmaps', 'default', 'b');
    const rv = s.resourceVersion;
    s.close();
    const s2 = new SqliteStore(file);
    expect(s2.resourceVersion).toBe(rv);
    expect(s2.list('configmaps').map((o) => o.metadata.name)).toEqual(['a']);
    const events = s2.eventsSince(0);
    expect(events).not.toBe('expired');
    expect((events as StoreEvent[]).map((e) => e.type)).toEqual(['ADDED', 'ADDED', 'DELETED']);
    const next = s2.create('configmaps', cm('c'));
    expect(Number(next.metadata.resourceVersion)).toBe(rv + 1);
    s2.close();
  });

  it('answers expired for history it no longer has, and replays what it has', () => {
    const s = new SqliteStore(dbFile(), { historySize: 10 });
    for (let i = 0; i < 30; i++) {
      s.create('configmaps', cm(`c${i}`));
      s.flush();
    }
    expect(s.eventsSince(1)).toBe('expired');
    const recent = s.eventsSince(s.resourceVersion - 3);
    expect(recent).not.toBe('expired');
    expect((recent as StoreEvent[]).length).toBe(3);
    s.compact(s.resourceVersion - 1);
    expect(s.eventsSince(s.resourceVersion - 3)).toBe('expired');
    s.close();
  });

  it('notifies subscribers synchronously and isolates a failing listener', () => {
    const s = new SqliteStore(dbFile());
    const seen: string[] = [];
    s.subscribe(() => {
      throw new Error('bad listener');
    });
    const off = s.subscribe((e) => seen.push(`${e.type}:${e.name}`));
    s.create('configmaps', cm('a'));
    expect(seen).toEqual([]); // not before it is on disk
    s.flush();
    off();
    s.create('configmaps', cm('b'));
    s.flush();
    expect(seen).toEqual(['ADDED:a']);
    s.close();
  });

  it('commits concurrent writes as one group and acknowledges them once durable', async () => {
    const file = dbFile();
    const s = new SqliteStore(file);
    const writes = Array.from({ length: 50 }, (_, i) => s.create('configmaps', cm(`g${i}`)));
    expect(writes.map((w) => Number(w.metadata.resourceVersion))).toEqual(writes.map((_, i) => i + 1));
    await s.whenDurable();
    // a second connection sees all of them on disk
    const other = new SqliteStore(file);
    expect(other.list('configmaps')).toHaveLength(50);
    other.close();
    s.close();
  });
});
