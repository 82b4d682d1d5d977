/** Patch application for the API's PATCH verb: JSON patch, merge patch, strategic merge patch and minimal apply. */
export { PatchError, patchErrorToStatus, type PatchErrorKind } from './patch-error';
export { applyJsonPatch, parseJsonPatch, type JsonPatchOperation } from './json-patch';
export { applyMergePatch } from './merge-patch';
export { applyStrategicMergePatch, strategicMergeForApply, isDirectiveKey } from './strategic-merge-patch';
export { patchMetaFor, patchMetaAt, hasPatchMeta, fieldMeta, isMergeList, type PatchMeta } from './patch-meta';
