import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { secretType } from './secret';

function secret(extra: Record<string, unknown>): KubeObject {
  const s: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra };
  secretType.applyDefaults(s);
  return s;
}

function messages(s: KubeObject, old?: KubeObject): string[] {
  return secretType.validate(s, old).map((c) => `${c.field}: ${c.message}`);
}

describe('secretType', () => {
  it('defaults type Opaque and folds stringData into data', () => {
    const s = secret({ data: { a: 'b2xk' }, stringData: { a: 'new', b: 'hello' } });
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ a: 'bmV3', b: 'aGVsbG8=' });
    expect(s).not.toHaveProperty('stringData');
    expect(messages(s)).toEqual([]);
  });

  it('rejects values that are not base64 and bad keys', () => {
    expect(messages(secret({ data: { token: 'not base64!' } }))).toEqual([
      'data[token]: Invalid value: "<secret contents redacted>": illegal base64 data at input byte 3',
    ]);
    expect(messages(secret({ data: { 'a/b': 'aGk=' } }))[0]).toMatch(/^data\[a\/b\]: Invalid value: "a\/b": a valid config key/);
  });

  it('enforces the 1 MiB limit on decoded data', () => {
    const big = Buffer.alloc(1024 * 1024 + 3).toString('base64');
    expect(messages(secret({ data: { big } }))).toEqual(['data: Too long: must have at most 1048576 bytes']);
  });

  it('checks the keys each type requires', () => {
    expect(messages(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'aGk=' } }))).toEqual(['data[tls.key]: Required value']);
    expect(messages(secret({ type: 'kubernetes.io/service-account-token' }))).toEqual([
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
    expect(messages(secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') } }))).toEqual([]);
  });

  it('keeps type immutable', () => {
    const old = secret({ data: {} });
    const next = deepCopy(old);
    next.type = 'kubernetes.io/basic-auth';
    next.data = { username: 'YQ==' };
    expect(messages(next, old)).toEqual(['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']);
  });

  it('prints type and key count; selects on type', () => {
    const s = secret({ data: { a: 'YQ==', b: 'Yg==' } });
    expect(secretType.tableRow(s, Date.now())).toEqual(['s', 'Opaque', 2, '<unknown>']);
    expect(secretType.fieldSelectors.type(s)).toBe('Opaque');
    expect(secretType.shortNames).toEqual([]);
  });
});
