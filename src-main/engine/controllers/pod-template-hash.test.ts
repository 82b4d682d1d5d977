import { describe, expect, it } from 'vitest';
import { canonicalJson, fnv32a, podTemplateHash, safeEncode } from './pod-template-hash';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const template = (image: string): Record<string, unknown> => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

describe('pod-template-hash', () => {
  it('implements 32-bit FNV-1a', () => {
    expect(fnv32a(bytes(''))).toBe(0x811c9dc5);
    expect(fnv32a(bytes('a'))).toBe(0xe40c292c);
    expect(fnv32a(bytes('foobar'))).toBe(0xbf9cf968);
  });

  it('maps characters into the safe alphabet like rand.SafeEncodeString', () => {
    // '0' is 48: 48 % 27 = 21, the alphabet's '4'
    expect(safeEncode('0123456789')).toBe('456789bcdf');
    expect(safeEncode('4294967295')).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  });

  it('renders canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] })).toBe('{"a":[{"c":"x","d":null}],"b":1}');
  });

  it('is stable, ignores key order and semantic nulls, and changes with the template and the collision count', () => {
    const h = podTemplateHash(template('nginx:1'));
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(podTemplateHash({ spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { app: 'web' }, creationTimestamp: null } })).toBe(h);
    expect(podTemplateHash(template('nginx:2'))).not.toBe(h);
    expect(podTemplateHash(template('nginx:1'), 1)).not.toBe(h);
    expect(podTemplateHash(template('nginx:1'), 1)).toBe(podTemplateHash(template('nginx:1'), 1));
  });
});
