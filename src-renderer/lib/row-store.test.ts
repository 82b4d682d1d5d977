import { describe, expect, it } from 'vitest';
import type { ConfigMapRow } from '../../src-main/contract/rows';
import { RowStore } from './row-store';

function row(uid: string, name: string, keys: string[] = []): ConfigMapRow {
  return { uid, name, namespace: 'default', createdAt: null, labels: {}, resourceVersion: '1', deleting: false, keys };
}

describe('RowStore', () => {
  it('replaces everything on a snapshot', () => {
    const store = new RowStore<'configmaps'>();
    store.apply({ type: 'snapshot', kind: 'configmaps', rows: [row('a', 'a'), row('b', 'b')] });
    store.apply({ type: 'snapshot', kind: 'configmaps', rows: [row('c', 'c')] });
    expect(store.rows().map((r) => r.name)).toEqual(['c']);
  });

  it('applies added, modified and deleted rows', () => {
    const store = new RowStore<'configmaps'>();
    store.apply({ type: 'snapshot', kind: 'configmaps', rows: [row('a', 'a'), row('b', 'b')] });
    const changed = store.apply({
      type: 'changes',
      kind: 'configmaps',
      added: [row('c', 'c')],
      modified: [row('a', 'a', ['k'])],
      deleted: [{ uid: 'b', name: 'b', namespace: 'default' }],
    });
    expect(changed).toBe(true);
    expect(store.rows()).toEqual([row('a', 'a', ['k']), row('c', 'c')]);
  });

  it('deletes by name when the uid is unknown', () => {
    const store = new RowStore<'configmaps'>();
    store.apply({ type: 'snapshot', kind: 'configmaps', rows: [row('a', 'x')] });
    store.apply({ type: 'changes', kind: 'configmaps', added: [], modified: [], deleted: [{ uid: '?', name: 'x', namespace: 'default' }] });
    expect(store.size).toBe(0);
  });

  it('keeps the same array until something changes', () => {
    const store = new RowStore<'configmaps'>();
    store.apply({ type: 'snapshot', kind: 'configmaps', rows: [row('a', 'a')] });
    const first = store.rows();
    expect(store.apply({ type: 'changes', kind: 'configmaps', added: [], modified: [], deleted: [] })).toBe(false);
    expect(store.rows()).toBe(first);
    expect(
      store.apply({ type: 'error', kind: 'configmaps', error: { code: 'unreachable', message: 'x', server: null, status: null, causes: [] }, retryInMs: 1000 }),
    ).toBe(false);
    expect(store.rows()).toBe(first);
  });
});
