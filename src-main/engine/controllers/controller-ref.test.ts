import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { claimDecision, controllerRefOf, withControllerRef, withoutOwner } from './controller-ref';

const owner: KubeObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'ns', uid: 'o' } };
const obj = (refUid?: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    namespace: 'ns',
    uid: 'p',
    ownerReferences: refUid ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: refUid, controller: true }] : undefined,
    ...extra,
  },
});

describe('controller references', () => {
  it.each([
    ['owned and selected', obj('o'), true, 'owned'],
    ['owned, no longer selected', obj('o'), false, 'release'],
    ['owned by another controller', obj('other'), true, 'ignore'],
    ['orphan, selected', obj(), true, 'adopt'],
    ['orphan, not selected', obj(), false, 'ignore'],
    ['orphan being deleted', obj(undefined, { deletionTimestamp: 'now' }), true, 'ignore'],
    ['orphan in another namespace', obj(undefined, { namespace: 'other' }), true, 'ignore'],
  ] as Array<[string, KubeObject, boolean, string]>)('%s', (_name, o, selected, decision) => {
    expect(claimDecision(owner, o, selected)).toBe(decision);
  });

  it('neither adopts nor releases for an owner being deleted', () => {
    const deleting = { ...owner, metadata: { ...owner.metadata, deletionTimestamp: 'now' } };
    expect(claimDecision(deleting, obj(), true)).toBe('ignore');
    expect(claimDecision(deleting, obj('o'), false)).toBe('ignore');
    expect(claimDecision(deleting, obj('o'), true)).toBe('owned');
  });

  it('adopts and releases on copies', () => {
    const orphan = obj();
    const adopted = withControllerRef(orphan, owner);
    expect(orphan.metadata.ownerReferences).toBeUndefined();
    expect(controllerRefOf(adopted)).toEqual({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'o', controller: true, blockOwnerDeletion: true });
    expect(withoutOwner(adopted, 'o').metadata.ownerReferences).toBeUndefined();
  });
});
