import { describe, it, expect } from 'vitest';
import { formatFieldSelector, matchesFields, parseFieldSelector, SelectorError, unsupportedFields } from './field-selector';

describe('parseFieldSelector', () => {
  it('parses =, == and != terms joined by commas', () => {
    expect(parseFieldSelector('metadata.name=web,metadata.namespace==default,status.phase!=Running')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'web' },
      { field: 'metadata.namespace', operator: '==', value: 'default' },
      { field: 'status.phase', operator: '!=', value: 'Running' },
    ]);
  });

  it('selects everything for empty text and skips empty terms', () => {
    expect(parseFieldSelector('')).toEqual([]);
    expect(parseFieldSelector('a=b,,c=d,')).toHaveLength(2);
  });

  it('allows an empty value (kubectl uses spec.nodeName=)', () => {
    expect(parseFieldSelector('spec.nodeName=')).toEqual([{ field: 'spec.nodeName', operator: '=', value: '' }]);
    expect(parseFieldSelector('spec.nodeName!=')).toEqual([{ field: 'spec.nodeName', operator: '!=', value: '' }]);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    expect(parseFieldSelector('a=x\\,y\\=z\\\\w,b=c')).toEqual([
      { field: 'a', operator: '=', value: 'x,y=z\\w' },
      { field: 'b', operator: '=', value: 'c' },
    ]);
  });

  it('trims whitespace around fields and values', () => {
    expect(parseFieldSelector(' metadata.name = web , status.phase != Failed ')).toEqual([
      { field: 'metadata.name', operator: '=', value: 'web' },
      { field: 'status.phase', operator: '!=', value: 'Failed' },
    ]);
  });

  it('rejects garbage', () => {
    const cases: Array<[string, string]> = [
      ['metadata.name', "can't understand 'metadata.name'"],
      ['a=b,c', "can't understand 'c'"],
      ['=b', 'names no field'],
      ['a=b=c', 'unescaped character in value: ='],
      ['a==b=c', 'unescaped character in value: ='],
      ['a=\\x', 'invalid escape sequence: \\x'],
      ['a=b\\', 'invalid escape sequence'],
    ];
    for (const [text, message] of cases) {
      expect(() => parseFieldSelector(text), text).toThrow(SelectorError);
      expect(() => parseFieldSelector(text), text).toThrow(message);
    }
  });

  it('round-trips through formatFieldSelector', () => {
    const reqs = parseFieldSelector('a=x\\,y,b!=\\=,c==\\\\');
    expect(formatFieldSelector(reqs)).toBe('a=x\\,y,b!=\\=,c==\\\\');
    expect(parseFieldSelector(formatFieldSelector(reqs))).toEqual(reqs);
  });
});

describe('matchesFields', () => {
  const pod: Record<string, string> = { 'metadata.name': 'web-1', 'metadata.namespace': 'default', 'status.phase': 'Running', 'spec.nodeName': '' };
  const get = (field: string) => (Object.prototype.hasOwnProperty.call(pod, field) ? pod[field] : undefined);
  const match = (text: string) => matchesFields(parseFieldSelector(text), get);

  it('ANDs equality and inequality terms', () => {
    expect(match('metadata.name=web-1')).toBe(true);
    expect(match('metadata.name==web-1,metadata.namespace=default')).toBe(true);
    expect(match('metadata.name=web-1,metadata.namespace=kube-system')).toBe(false);
    expect(match('status.phase!=Succeeded,status.phase!=Failed')).toBe(true);
    expect(match('status.phase!=Running')).toBe(false);
    expect(match('spec.nodeName=')).toBe(true);
    expect(match('')).toBe(true);
  });

  it('never equates an unknown field', () => {
    expect(match('spec.unknown=x')).toBe(false);
    expect(match('spec.unknown!=x')).toBe(true);
  });
});

describe('unsupportedFields', () => {
  it('lists fields outside the supported set once, in order', () => {
    const supported = new Set(['metadata.name', 'metadata.namespace']);
    expect(unsupportedFields(parseFieldSelector('metadata.name=a,spec.x=1,status.y=2,spec.x!=3'), supported)).toEqual(['spec.x', 'status.y']);
    expect(unsupportedFields(parseFieldSelector('metadata.namespace=a'), supported)).toEqual([]);
  });
});
