import { describe, it, expect } from 'vitest';
import { conflicting, malformed, PatchError, patchErrorToStatus } from './patch-error';

describe('PatchError', () => {
  it('carries its kind and maps to the Status kube-apiserver returns', () => {
    const bad = malformed('not a list');
    expect(bad).toBeInstanceOf(PatchError);
    expect(bad).toBeInstanceOf(Error);
    expect(bad.kind).toBe('malformed');
    expect(patchErrorToStatus(bad).code).toBe(400);
    const off = conflicting('test failed');
    expect(off.kind).toBe('conflict');
    expect(patchErrorToStatus(off).toStatus()).toMatchObject({ kind: 'Status', status: 'Failure', code: 422, message: 'test failed' });
  });
});
