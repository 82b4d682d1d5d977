/** Turn a PATCH request into the patched object, by content type. */
import type { KubeObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { StatusError, badRequest } from '../status';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, strategicMergeForApply, PatchError } from './patch';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export function applyPatch(type: ResourceType, current: KubeObject, patchType: PatchType, patch: unknown): unknown {
  try {
    switch (patchType) {
      case 'json':
        return applyJsonPatch(current, patch);
      case 'merge':
        return applyMergePatch(current, patch);
      case 'strategic':
        return applyStrategicMergePatch(current, patch, type.kind);
      case 'apply':
        return strategicMergeForApply(current, patch, type.kind);
    }
  } catch (err) {
    if (err instanceof PatchError) {
      if (err.kind === 'malformed') throw badRequest(err.message);
      throw new StatusError(422, 'Invalid', `the server rejected our request due to an error in our request: ${err.message}`);
    }
    throw err;
  }
}
