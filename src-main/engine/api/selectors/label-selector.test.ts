import { describe, it, expect } from 'vitest';
import {
  EVERYTHING,
  NOTHING,
  SelectorError,
  formatLabelSelector,
  formatLabelSelectorForTable,
  labelRequirement,
  labelSelectorFromObject,
  labelSelectorFromSet,
  labelSelectorToString,
  matchesLabels,
  parseLabelSelector,
  selectsEverything,
} from './label-selector';

function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (e) {
    if (e instanceof SelectorError) return e.message;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseLabelSelector', () => {
  it('parses every operator into sorted requirements', () => {
    const sel = parseLabelSelector('z=1,y==2,x!=3,w in (b,a,b),v notin (q),u,!t,s>5,r<-2');
    expect(sel.requirements).toEqual([
      { key: 'r', operator: 'lt', values: ['-2'] },
      { key: 's', operator: 'gt', values: ['5'] },
      { key: 't', operator: '!', values: [] },
      { key: 'u', operator: 'exists', values: [] },
      { key: 'v', operator: 'notin', values: ['q'] },
      { key: 'w', operator: 'in', values: ['a', 'b'] },
      { key: 'x', operator: '!=', values: ['3'] },
      { key: 'y', operator: '==', values: ['2'] },
      { key: 'z', operator: '=', values: ['1'] },
    ]);
  });

  it('tolerates whitespace anywhere between tokens', () => {
    const a = parseLabelSelector('  app = web ,tier  in ( a , b ) ,  ! canary , env notin(x)  ');
    const b = parseLabelSelector('app=web,tier in (a,b),!canary,env notin (x)');
    expect(a).toEqual(b);
    expect(labelSelectorToString(a)).toBe('app=web,!canary,env notin (x),tier in (a,b)');
  });

  it('selects everything for empty or blank text', () => {
    expect(parseLabelSelector('')).toEqual(EVERYTHING);
    expect(parseLabelSelector('  \t')).toEqual(EVERYTHING);
    expect(selectsEverything(parseLabelSelector(''))).toBe(true);
  });

  it('accepts empty values where apimachinery does', () => {
    expect(parseLabelSelector('a=').requirements).toEqual([{ key: 'a', operator: '=', values: [''] }]);
    expect(parseLabelSelector('a!=,b').requirements[0]).toEqual({ key: 'a', operator: '!=', values: [''] });
    expect(parseLabelSelector('a in (x,)').requirements[0].values).toEqual(['', 'x']);
    expect(parseLabelSelector('a in (,x)').requirements[0].values).toEqual(['', 'x']);
  });

  it('accepts prefixed keys and keywords as values', () => {
    expect(parseLabelSelector('app.kubernetes.io/name=in').requirements).toEqual([{ key: 'app.kubernetes.io/name', operator: '=', values: ['in'] }]);
    expect(parseLabelSelector('in in (notin)').requirements).toEqual([{ key: 'in', operator: 'in', values: ['notin'] }]);
  });

  it('rejects garbage with a clear message', () => {
    const cases: Array<[string, string]> = [
      ['a=b,', 'expected a label key'],
      [',a=b', 'expected a label key'],
      ['a=b,,c=d', 'expected a label key'],
      ['=b', 'expected a label key'],
      ['a b', "expected an operator"],
      ['a=b c', "expected ',' or end of selector"],
      ['a=b=c', "expected ',' or end of selector"],
      ['a in b', "expected '('"],
      ['a in (b', "expected ',' or ')'"],
      ['a in (b c)', "expected ',' or ')'"],
      ['a in ()', "values set can't be empty"],
      ['a notin ()', "values set can't be empty"],
      ['!a=b', "after '!a'"],
      ['!', 'expected a label key'],
      ['!!a', 'expected a label key'],
      ['a=(b)', 'expected a label value'],
      ['a>b', 'exactly one integer'],
      ['a<', 'exactly one integer'],
      ['-a=b', 'invalid label key "-a"'],
      ['a/b/c=d', 'invalid label key'],
      ['Bad_Prefix/a=b', 'invalid label key'],
      [`${'k'.repeat(64)}=v`, 'no more than 63'],
      [`a=${'v'.repeat(64)}`, 'invalid label value'],
      ['a=b/c', 'invalid label value'],
      ['a in (x,-y)', 'invalid label value "-y"'],
      ['a)', "expected an operator"],
    ];
    for (const [text, message] of cases) expect(parseError(text), text).toContain(message);
  });

  it('reports where parsing failed', () => {
    expect(parseError('app=web x')).toMatch(/unable to parse label selector "app=web x": found 'x' at position 8/);
  });
});

describe('matchesLabels', () => {
  const labels = { app: 'web', tier: 'fe', n: '10' };
  const match = (text: string, l: Record<string, string> | undefined = labels) => matchesLabels(parseLabelSelector(text), l);

  it('implements equality, sets and existence', () => {
    expect(match('app=web')).toBe(true);
    expect(match('app==web')).toBe(true);
    expect(match('app=db')).toBe(false);
    expect(match('app!=db')).toBe(true);
    expect(match('app!=web')).toBe(false);
    expect(match('tier in (fe,be)')).toBe(true);
    expect(match('tier in (be)')).toBe(false);
    expect(match('tier notin (be)')).toBe(true);
    expect(match('tier notin (fe)')).toBe(false);
    expect(match('app')).toBe(true);
    expect(match('canary')).toBe(false);
    expect(match('!canary')).toBe(true);
    expect(match('!app')).toBe(false);
    expect(match('app=web,tier=be')).toBe(false);
    expect(match('app=web,tier=fe,!canary')).toBe(true);
  });

  it('lets != and notin match objects without the label', () => {
    expect(match('env!=prod')).toBe(true);
    expect(match('env notin (prod)')).toBe(true);
    expect(match('env in (prod)')).toBe(false);
    expect(match('env=')).toBe(false);
  });

  it('compares integers for > and <', () => {
    expect(match('n>9')).toBe(true);
    expect(match('n>10')).toBe(false);
    expect(match('n<11')).toBe(true);
    expect(match('app>1')).toBe(false);
    expect(match('missing<1')).toBe(false);
  });

  it('treats undefined labels as none and ignores inherited members', () => {
    expect(matchesLabels(parseLabelSelector(''), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector('app'), undefined)).toBe(false);
    expect(matchesLabels(parseLabelSelector('!app'), undefined)).toBe(true);
    expect(match('constructor', {})).toBe(false);
    expect(match('!toString', {})).toBe(true);
  });

  it('never matches with NOTHING and always with EVERYTHING', () => {
    expect(matchesLabels(NOTHING, labels)).toBe(false);
    expect(matchesLabels(EVERYTHING, undefined)).toBe(true);
  });
});

describe('labelSelectorFromObject and formatLabelSelector', () => {
  it('formats matchLabels and matchExpressions like LabelSelectorAsSelector().String()', () => {
    expect(formatLabelSelector({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(
      formatLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['b', 'a'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'env', operator: 'NotIn', values: ['x'] },
          { key: 'k', operator: 'Exists', values: [] },
        ],
      }),
    ).toBe('app=web,!canary,env notin (x),k,tier in (a,b)');
  });

  it('sorts by key across matchLabels and expressions', () => {
    expect(formatLabelSelector({ matchLabels: { z: '1', a: '2' }, matchExpressions: [{ key: 'm', operator: 'Exists' }] })).toBe('a=2,m,z=1');
  });

  it('selects everything for {} and nothing for null/undefined', () => {
    expect(selectsEverything(labelSelectorFromObject({}))).toBe(true);
    expect(matchesLabels(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }), { a: 'b' })).toBe(true);
    expect(matchesLabels(labelSelectorFromObject(null), { a: 'b' })).toBe(false);
    expect(matchesLabels(labelSelectorFromObject(undefined), {})).toBe(false);
    expect(formatLabelSelector({})).toBe('');
    expect(formatLabelSelector(null)).toBe('');
  });

  it('round-trips through the text form', () => {
    const sel = labelSelectorFromObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] });
    expect(parseLabelSelector(labelSelectorToString(sel))).toEqual(sel);
  });

  it('matches like the parsed text form', () => {
    const sel = labelSelectorFromObject({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] });
    expect(matchesLabels(sel, { app: 'web' })).toBe(true);
    expect(matchesLabels(sel, { app: 'web', canary: 'yes' })).toBe(false);
  });

  it('rejects malformed selector objects', () => {
    const cases: unknown[] = [
      'app=web',
      [],
      { matchLabels: [] },
      { matchLabels: { app: 1 } },
      { matchLabels: { '-bad': 'x' } },
      { matchLabels: { app: 'bad value' } },
      { matchExpressions: {} },
      { matchExpressions: [null] },
      { matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] },
      { matchExpressions: [{ key: 'a', operator: 'In' }] },
      { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] },
      { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
      { matchExpressions: [{ key: 'a', operator: 'In', values: [1] }] },
      { matchExpressions: [{ operator: 'Exists' }] },
      { matchExpressions: [{ key: 'a', operator: 'constructor' }] },
    ];
    for (const c of cases) expect(() => labelSelectorFromObject(c), JSON.stringify(c)).toThrow(SelectorError);
    expect(formatLabelSelectorForTable({ matchExpressions: [{ key: 'a', operator: 'Nope' }] })).toBe('<error>');
  });

  it('formats table cells like metav1.FormatLabelSelector', () => {
    expect(formatLabelSelectorForTable({})).toBe('<none>');
    expect(formatLabelSelectorForTable({ matchLabels: { app: 'web' } })).toBe('app=web');
  });
});

describe('labelSelectorFromSet and labelRequirement', () => {
  it('builds an equality selector from a map', () => {
    const sel = labelSelectorFromSet({ b: '2', a: '1' });
    expect(labelSelectorToString(sel)).toBe('a=1,b=2');
    expect(matchesLabels(sel, { a: '1', b: '2', c: '3' })).toBe(true);
    expect(matchesLabels(sel, { a: '1' })).toBe(false);
    expect(selectsEverything(labelSelectorFromSet({}))).toBe(true);
  });

  it('validates operator arity', () => {
    expect(() => labelRequirement('a', '=', [])).toThrow(SelectorError);
    expect(() => labelRequirement('a', '=', ['x', 'y'])).toThrow(SelectorError);
    expect(() => labelRequirement('a', 'exists', ['x'])).toThrow(SelectorError);
    expect(labelRequirement('a', 'notin', ['y', 'x', 'y']).values).toEqual(['x', 'y']);
  });
});
