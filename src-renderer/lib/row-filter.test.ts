import { describe, expect, it } from 'vitest';
import { compareValues, matchesLabels, matchesText, parseLabelFilter, sortRows } from './row-filter';

describe('parseLabelFilter', () => {
  it('parses equality, inequality, existence and absence', () => {
    expect(parseLabelFilter('app=web, tier!=db,canary,!legacy')).toEqual([
      { key: 'app', op: '=', value: 'web' },
      { key: 'tier', op: '!=', value: 'db' },
      { key: 'canary', op: 'exists' },
      { key: 'legacy', op: '!exists' },
    ]);
  });
  it('accepts == and an empty filter', () => {
    expect(parseLabelFilter('app==web')).toEqual([{ key: 'app', op: '=', value: 'web' }]);
    expect(parseLabelFilter('  ')).toEqual([]);
  });
  it('rejects malformed terms', () => {
    expect(parseLabelFilter('=web')).toBeNull();
    expect(parseLabelFilter('!')).toBeNull();
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'web', tier: 'front' };
  it('applies every requirement', () => {
    expect(matchesLabels(labels, parseLabelFilter('app=web') ?? [])).toBe(true);
    expect(matchesLabels(labels, parseLabelFilter('app=web,tier!=front') ?? [])).toBe(false);
    expect(matchesLabels(labels, parseLabelFilter('canary') ?? [])).toBe(false);
    expect(matchesLabels(labels, parseLabelFilter('!canary,tier') ?? [])).toBe(true);
    expect(matchesLabels(labels, parseLabelFilter('db!=x') ?? [])).toBe(true);
  });
});

describe('matchesText', () => {
  it('needs every word somewhere, case-insensitively', () => {
    expect(matchesText(['web-7f9', 'Running'], 'WEB run')).toBe(true);
    expect(matchesText(['web-7f9', 'Running'], 'web pending')).toBe(false);
    expect(matchesText(['x'], '   ')).toBe(true);
  });
});

describe('sortRows', () => {
  it('sorts names naturally and numbers numerically, nulls last in both directions', () => {
    expect(sortRows(['pod-10', 'pod-2', 'pod-1'], (s) => s, 'asc')).toEqual(['pod-1', 'pod-2', 'pod-10']);
    const rows = [{ n: 3 }, { n: null }, { n: 10 }];
    expect(sortRows(rows, (r) => r.n, 'asc').map((r) => r.n)).toEqual([3, 10, null]);
    expect(sortRows(rows, (r) => r.n, 'desc').map((r) => r.n)).toEqual([10, 3, null]);
  });
  it('is stable', () => {
    const rows = [{ k: 1, id: 'a' }, { k: 1, id: 'b' }, { k: 0, id: 'c' }];
    expect(sortRows(rows, (r) => r.k, 'asc').map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });
  it('compares nulls last', () => {
    expect(compareValues(null, 1)).toBeGreaterThan(0);
  });
});
