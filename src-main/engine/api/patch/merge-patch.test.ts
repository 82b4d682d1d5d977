import { describe, it, expect } from 'vitest';
import { applyMergePatch } from './merge-patch';

describe('applyMergePatch', () => {
  it('passes the RFC 7386 appendix examples', () => {
    const cases: Array<[unknown, unknown, unknown]> = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ a: 'foo' }, 'bar', 'bar'],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [doc, patch, expected] of cases) {
      expect(applyMergePatch(doc, patch), JSON.stringify([doc, patch])).toEqual(expected);
    }
  });

  it('handles kubectl scale, label and annotate shapes', () => {
    const live = { metadata: { labels: { app: 'web', tier: 'fe' }, annotations: { a: '1' } }, spec: { replicas: 1 } };
    expect(applyMergePatch(live, { spec: { replicas: 5 } })).toEqual({ ...live, spec: { replicas: 5 } });
    expect(applyMergePatch(live, { metadata: { labels: { tier: null, env: 'prod' } } })).toEqual({
      metadata: { labels: { app: 'web', env: 'prod' }, annotations: { a: '1' } },
      spec: { replicas: 1 },
    });
  });

  it('never mutates either argument and never aliases patch values into the result', () => {
    const doc = { a: { b: 1 }, keep: [1] };
    const patch = { a: { c: [1, 2] }, n: { x: 1 } };
    const docBefore = structuredClone(doc);
    const patchBefore = structuredClone(patch);
    const out = applyMergePatch(doc, patch) as { a: { c: number[] }; n: { x: number } };
    expect(doc).toEqual(docBefore);
    expect(patch).toEqual(patchBefore);
    out.a.c.push(3);
    out.n.x = 2;
    expect(patch).toEqual(patchBefore);
  });

  it('keeps __proto__ as a plain key', () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });
});
