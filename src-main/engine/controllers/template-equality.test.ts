import { describe, expect, it } from 'vitest';
import { equalIgnoreHash, semanticNormalize } from './template-equality';

describe('template equality', () => {
  const base = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };

  it('ignores the pod-template-hash label, nulls and empty maps or lists', () => {
    const fromRS = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc12' } }, spec: { containers: [{ name: 'c', image: 'nginx:1', env: [] }] } };
    const fromUndo = { metadata: { labels: { app: 'web' }, creationTimestamp: null, annotations: {} }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
    expect(equalIgnoreHash(fromRS, base)).toBe(true);
    expect(equalIgnoreHash(fromUndo, base)).toBe(true);
  });

  it('sees real differences', () => {
    expect(equalIgnoreHash(base, { ...base, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } })).toBe(false);
    expect(equalIgnoreHash(base, { ...base, metadata: { labels: { app: 'web', v: '2' } } })).toBe(false);
    expect(equalIgnoreHash(base, { ...base, metadata: { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } })).toBe(false);
  });

  it('keeps list positions when normalizing', () => {
    expect(semanticNormalize({ a: [null, {}, 1], b: { c: null } })).toEqual({ a: [null, {}, 1] });
  });
});
