import { describe, expect, it } from 'vitest';
import { formatLabelSelector, formatLabels, labelSelectorMatches, labelSelectorString } from './label-selector-format';

describe('labelSelectorString', () => {
  it('sorts requirements by key and renders every operator', () => {
    expect(
      labelSelectorString({
        matchLabels: { tier: 'web', app: 'shop' },
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['b', 'a'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'owner', operator: 'Exists' },
        ],
      }),
    ).toBe('app=shop,!canary,env notin (dev),owner,tier=web,zone in (a,b)');
  });

  it('is empty for no or an empty selector and undefined when invalid', () => {
    expect(labelSelectorString(undefined)).toBe('');
    expect(labelSelectorString({})).toBe('');
    expect(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toBeUndefined();
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bad' }] })).toBe('<error>');
  });
});

describe('labelSelectorMatches', () => {
  const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }] };
  it('applies all requirements', () => {
    expect(labelSelectorMatches(sel, { app: 'web' })).toBe(true);
    expect(labelSelectorMatches(sel, { app: 'web', track: 'canary' })).toBe(false);
    expect(labelSelectorMatches(sel, { app: 'db' })).toBe(false);
  });
  it('matches nothing without a selector and everything with an empty one', () => {
    expect(labelSelectorMatches(undefined, { a: 'b' })).toBe(false);
    expect(labelSelectorMatches({}, { a: 'b' })).toBe(true);
  });
});

describe('formatLabels', () => {
  it('sorts keys and prints <none> for an empty map', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels(undefined)).toBe('<none>');
  });
});

describe('malformed selectors', () => {
  it('fail conversion on bad keys or values, as labels.NewRequirement does', () => {
    expect(labelSelectorString({ matchLabels: { 'bad key': 'x' } })).toBeUndefined();
    expect(labelSelectorString({ matchLabels: { app: '-x' } })).toBeUndefined();
  });
});
