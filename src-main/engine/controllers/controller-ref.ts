/**
 * Controller references (metav1.GetControllerOf / NewControllerRef) and the claim rule of client-go's
 * ControllerRefManager: a controller keeps what it owns and still selects, releases what it owns but no
 * longer selects, and adopts orphans it selects.
 */
import type { KubeObject, OwnerReference } from '../object';
import { deepCopy } from '../object';

/** The ownerReference with controller: true, if any. */
export function controllerRefOf(obj: KubeObject): OwnerReference | undefined {
  return (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
}

/** A controller reference to `owner` that blocks the owner's foreground deletion. */
export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export type ClaimDecision = 'owned' | 'adopt' | 'release' | 'ignore';

/**
 * What `owner` does with `obj` (ClaimObject). `selected` says whether the owner's selector matches the object.
 * Objects being deleted are never adopted; a controller being deleted neither adopts nor releases.
 */
export function claimDecision(owner: KubeObject, obj: KubeObject, selected: boolean): ClaimDecision {
  const ref = controllerRefOf(obj);
  const ownerDeleting = !!owner.metadata.deletionTimestamp;
  if (ref) {
    if (ref.uid !== owner.metadata.uid) return 'ignore';
    if (selected) return 'owned';
    return ownerDeleting ? 'ignore' : 'release';
  }
  if (ownerDeleting || !selected || obj.metadata.deletionTimestamp) return 'ignore';
  if ((owner.metadata.namespace ?? '') !== (obj.metadata.namespace ?? '')) return 'ignore';
  return 'adopt';
}

/** A copy of `obj` with `owner` as its controller (adoption). */
export function withControllerRef(obj: KubeObject, owner: KubeObject): KubeObject {
  const next = deepCopy(obj);
  const refs = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== owner.metadata.uid);
  next.metadata.ownerReferences = [...refs, newControllerRef(owner)];
  return next;
}

/** A copy of `obj` without any reference to `ownerUid` (release). */
export function withoutOwner(obj: KubeObject, ownerUid: string): KubeObject {
  const next = deepCopy(obj);
  const refs = (next.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
  if (refs.length > 0) next.metadata.ownerReferences = refs;
  else delete next.metadata.ownerReferences;
  return next;
}
