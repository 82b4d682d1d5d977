import { deepCopy, isPlainObject } from '../../object';
import { getOwn, setOwn } from './json-object';

/**
 * Applies an RFC 7386 JSON Merge Patch and returns the result; neither argument is modified.
 * Objects merge recursively, `null` deletes a member, anything else (arrays included) replaces.
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  return mergeInto(deepCopy(doc), patch);
}

// `target` is owned (already copied); `patch` is only read, and copied where it is stored.
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return deepCopy(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? target : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) {
      delete result[key];
    } else {
      setOwn(result, key, mergeInto(getOwn(result, key), value));
    }
  }
  return result;
}
