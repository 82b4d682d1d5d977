import { describe, it, expect } from 'vitest';
import { applyJsonPatch, parseJsonPatch, PatchError, patchErrorToStatus } from './json-patch';

function failure(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

describe('applyJsonPatch', () => {
  const deployment = {
    metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
  };

  it('adds, replaces and removes object members', () => {
    const out = applyJsonPatch(deployment, [
      { op: 'add', path: '/metadata/labels', value: { app: 'web' } },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'remove', path: '/metadata/annotations/deployment.kubernetes.io~1revision' },
    ]);
    expect(out).toEqual({
      metadata: { name: 'web', annotations: {}, labels: { app: 'web' } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
    });
  });

  it('never mutates the input document or the patch values', () => {
    const before = structuredClone(deployment);
    const value = { name: 'side', image: 'busybox' };
    const out = applyJsonPatch(deployment, [
      { op: 'add', path: '/spec/template/spec/containers/-', value },
      { op: 'replace', path: '/spec/template/spec/containers/1/image', value: 'alpine' },
    ]) as typeof deployment;
    expect(deployment).toEqual(before);
    expect(value.image).toBe('busybox');
    expect(out.spec.template.spec.containers.map((c) => c.image)).toEqual(['nginx:1', 'alpine']);
  });

  it('inserts into arrays at an index, at the end, and appends with "-"', () => {
    const doc = { l: ['a', 'c'] };
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/l/1', value: 'b' }])).toEqual({ l: ['a', 'b', 'c'] });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/l/2', value: 'z' }])).toEqual({ l: ['a', 'c', 'z'] });
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/l/-', value: 'z' }])).toEqual({ l: ['a', 'c', 'z'] });
    expect(applyJsonPatch(doc, [{ op: 'remove', path: '/l/0' }])).toEqual({ l: ['c'] });
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '/l/1', value: 'x' }])).toEqual({ l: ['a', 'x'] });
  });

  it('replaces the whole document with an empty path', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: [1] }])).toEqual([1]);
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
  });

  it('adds a null value and replaces with null', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/b', value: null }])).toEqual({ a: 1, b: null });
    expect(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/a', value: null }])).toEqual({ a: null });
  });

  it('moves and copies', () => {
    const doc = { a: { x: 1 }, b: [1, 2, 3] };
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/a/x', path: '/y' }])).toEqual({ a: {}, b: [1, 2, 3], y: 1 });
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/b/0', path: '/b/2' }])).toEqual({ a: { x: 1 }, b: [2, 3, 1] });
    expect(applyJsonPatch(doc, [{ op: 'move', from: '/a', path: '/a' }])).toEqual(doc);
    const copied = applyJsonPatch(doc, [
      { op: 'copy', from: '/a', path: '/c' },
      { op: 'replace', path: '/c/x', value: 9 },
    ]);
    expect(copied).toEqual({ a: { x: 1 }, b: [1, 2, 3], c: { x: 9 } });
  });

  it('passes a test op comparing JSON structurally and fails with a conflict otherwise', () => {
    const doc = { spec: { a: { x: 1, y: [1, { z: null }] } } };
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/spec/a', value: { y: [1, { z: null }], x: 1 } }])).toEqual(doc);
    const err = failure(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/a/x', value: '1' }]));
    expect(err.kind).toBe('conflict');
    expect(err.message).toContain('test operation failed');
  });

  it('reports replace/remove on a missing path as a conflict (rollout undo relies on this)', () => {
    const doc = { metadata: { name: 'x' } };
    for (const op of [
      { op: 'replace', path: '/metadata/annotations', value: {} },
      { op: 'remove', path: '/metadata/labels' },
      { op: 'remove', path: '/metadata/name/x' },
      { op: 'add', path: '/metadata/labels/app', value: 'x' },
      { op: 'add', path: '/l/5', value: 1 },
      { op: 'move', from: '/nope', path: '/x' },
      { op: 'copy', from: '/nope', path: '/x' },
      { op: 'test', path: '/nope', value: null },
      { op: 'remove', path: '' },
    ]) {
      expect(failure(() => applyJsonPatch({ ...doc, l: [1] }, [op])).kind, JSON.stringify(op)).toBe('conflict');
    }
  });

  it('does not resolve inherited members like constructor or __proto__', () => {
    expect(failure(() => applyJsonPatch({}, [{ op: 'remove', path: '/constructor' }])).kind).toBe('conflict');
    expect(failure(() => applyJsonPatch({}, [{ op: 'test', path: '/toString', value: null }])).kind).toBe('conflict');
    const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats non-canonical array indexes as missing', () => {
    for (const path of ['/l/01', '/l/-1', '/l/x', '/l/-']) {
      expect(failure(() => applyJsonPatch({ l: [1, 2] }, [{ op: 'replace', path, value: 0 }])).kind).toBe('conflict');
    }
  });

  it('rejects malformed patches before touching the document', () => {
    const cases: unknown[] = [
      { op: 'add', path: '/a', value: 1 },
      'nope',
      null,
      [null],
      [{ path: '/a' }],
      [{ op: 'frobnicate', path: '/a' }],
      [{ op: 'add', path: 'a', value: 1 }],
      [{ op: 'add', path: '/a' }],
      [{ op: 'replace', value: 1 }],
      [{ op: 'move', path: '/a' }],
      [{ op: 'copy', path: '/a', from: 3 }],
      [{ op: 'move', from: '/a', path: '/a/b' }],
      [{ op: 'add', path: '/a~2', value: 1 }],
      [{ op: 'remove', path: '/missing' }, { op: 'bogus', path: '/a' }],
    ];
    for (const patch of cases) {
      expect(failure(() => applyJsonPatch({ a: { b: 1 } }, patch)).kind, JSON.stringify(patch)).toBe('malformed');
    }
  });

  it('applies an empty patch as a copy', () => {
    const doc = { a: [1] };
    const out = applyJsonPatch(doc, []);
    expect(out).toEqual(doc);
    expect(out).not.toBe(doc);
  });

  it('applies the kubectl rollout undo shape', () => {
    const live = {
      metadata: { annotations: { 'deployment.kubernetes.io/revision': '3' } },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'v3' }] } } },
    };
    const out = applyJsonPatch(live, [
      { op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'v1' }] } } },
      { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3' } },
    ]) as typeof live;
    expect(out.spec.template.spec.containers[0].image).toBe('v1');
  });
});

describe('parseJsonPatch', () => {
  it('splits pointers and keeps values', () => {
    expect(parseJsonPatch([{ op: 'copy', from: '/a~1b', path: '/c' }, { op: 'test', path: '', value: null }])).toEqual([
      { op: 'copy', from: ['a/b'], path: ['c'] },
      { op: 'test', path: [], value: null },
    ]);
  });
});

describe('patchErrorToStatus', () => {
  it('maps malformed to 400 and conflict to 422', () => {
    expect(patchErrorToStatus(new PatchError('malformed', 'bad')).toStatus()).toMatchObject({ code: 400, reason: 'BadRequest', message: 'bad' });
    expect(patchErrorToStatus(new PatchError('conflict', 'nope')).toStatus()).toMatchObject({ code: 422, reason: 'Invalid', message: 'nope' });
  });
});
