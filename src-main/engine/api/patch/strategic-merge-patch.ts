import { deepCopy, isPlainObject, jsonEqual } from '../../object';
import { describeJson, getOwn, hasOwn, isJsonScalar, setOwn } from './json-object';
import { conflicting, malformed } from './patch-error';
import { fieldMeta, isMergeList, patchMetaFor, type PatchMeta } from './patch-meta';

/*
 * Strategic merge patch (apimachinery pkg/util/strategicpatch, apply side only), written against plain JSON.
 * Everything works on private deep copies, so merging may mutate `original` and `patch` freely.
 */

const PATCH_DIRECTIVE = '$patch';
const RETAIN_KEYS_DIRECTIVE = '$retainKeys';
const SET_ELEMENT_ORDER_PREFIX = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST_PREFIX = '$deleteFromPrimitiveList/';

type JsonMap = Record<string, unknown>;

/** Returned by mergeMap for `{"$patch":"delete"}`: the caller removes the key. */
const DELETED = Symbol('deleted');
type MergedMap = JsonMap | typeof DELETED;

/** Whether `key` is one of the SMP directive keys of a map (which must never be stored). */
export function isDirectiveKey(key: string): boolean {
  return (
    key === PATCH_DIRECTIVE ||
    key === RETAIN_KEYS_DIRECTIVE ||
    key.startsWith(SET_ELEMENT_ORDER_PREFIX) ||
    key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX) ||
    key === SET_ELEMENT_ORDER_PREFIX.slice(0, -1) ||
    key === DELETE_FROM_PRIMITIVE_LIST_PREFIX.slice(0, -1)
  );
}

/**
 * Applies a strategic merge patch (application/strategic-merge-patch+json) to an object of `kind` and returns
 * the result; neither argument is modified. Unknown kinds merge like a JSON merge patch, directives still honoured.
 * Throws PatchError('malformed') for an invalid patch, PatchError('conflict') if the object cannot take it.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, kind: string): unknown {
  if (!isPlainObject(patch)) throw malformed(`strategic merge patch must be a JSON object, got ${describeJson(patch)}`);
  const original = isPlainObject(doc) ? deepCopy(doc) : {};
  const merged = mergeMap(original, deepCopy(patch), patchMetaFor(kind), '');
  return merged === DELETED ? {} : merged;
}

/**
 * Minimal server-side apply: merges the applied configuration into the live object with strategic merge
 * rules (lists of maps by merge key, primitive merge lists as sets, atomic lists replaced) but never deletes:
 * `null` values and SMP directives in the applied object are ignored. Neither argument is modified.
 */
export function strategicMergeForApply(live: unknown, applied: unknown, kind: string): unknown {
  if (!isPlainObject(applied)) throw malformed(`applied configuration must be a JSON object, got ${describeJson(applied)}`);
  const original = isPlainObject(live) ? deepCopy(live) : {};
  const merged = mergeMap(original, mapWithoutNullsAndDirectives(applied), patchMetaFor(kind), '');
  return merged === DELETED ? {} : merged;
}

function mapWithoutNullsAndDirectives(map: JsonMap): JsonMap {
  const out: JsonMap = {};
  for (const key of Object.keys(map)) {
    if (map[key] === null || isDirectiveKey(key)) continue;
    setOwn(out, key, withoutNullsAndDirectives(map[key]));
  }
  return out;
}

function withoutNullsAndDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((el) => !isDirectiveElement(el)).map(withoutNullsAndDirectives);
  return isPlainObject(value) ? mapWithoutNullsAndDirectives(value) : value;
}

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function where(path: string): string {
  return path ? `field "${path}"` : 'the object';
}

function mergeMap(original: JsonMap, patch: JsonMap, meta: PatchMeta, path: string): MergedMap {
  if (hasOwn(patch, PATCH_DIRECTIVE)) {
    const directive = patch[PATCH_DIRECTIVE];
    delete patch[PATCH_DIRECTIVE];
    if (directive === 'delete') return DELETED;
    // Merging the rest into nothing strips any directives nested in the replacement.
    if (directive === 'replace') return mergeMap({}, patch, meta, path);
    if (directive !== 'merge') {
      throw malformed(`${where(path)}: unknown $patch directive ${describeJson(directive)} (want replace, merge or delete)`);
    }
  }

  applyRetainKeys(original, patch, path);
  for (const key of Object.keys(patch)) {
    if (key.startsWith(SET_ELEMENT_ORDER_PREFIX)) applySetElementOrder(original, patch, key, meta, path);
  }

  const deletions: string[] = [];
  for (const key of Object.keys(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      deletions.push(key);
      continue;
    }
    if (isDirectiveKey(key)) throw malformed(`${where(path)}: malformed directive key "${key}"`);
    const value = patch[key];
    if (value === null) {
      delete original[key];
      continue;
    }
    const merged = mergeValue(original, key, value, fieldMeta(meta, key), childPath(path, key));
    if (merged === DELETED) delete original[key];
    else setOwn(original, key, merged);
  }
  // After merging, so that a list both extended and trimmed in one patch loses the trimmed values.
  for (const key of deletions) deleteFromPrimitiveList(original, key, patch[key], path);
  return original;
}

function mergeValue(original: JsonMap, key: string, value: unknown, meta: PatchMeta, path: string): unknown {
  const current = getOwn(original, key);
  if (isPlainObject(value)) {
    if (meta.strategy === 'replace') return mergeMap({}, value, meta, path);
    return mergeMap(isPlainObject(current) ? current : {}, value, meta, path);
  }
  if (Array.isArray(value)) return mergeList(Array.isArray(current) ? current : [], value, meta, path);
  return value;
}

function applyRetainKeys(original: JsonMap, patch: JsonMap, path: string): void {
  if (!hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const keys = patch[RETAIN_KEYS_DIRECTIVE];
  delete patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(keys) || !keys.every((k): k is string => typeof k === 'string')) {
    throw malformed(`${where(path)}: $retainKeys must be a list of field names, got ${describeJson(keys)}`);
  }
  const retained = new Set(keys);
  for (const key of Object.keys(patch)) {
    if (patch[key] === null || isDirectiveKey(key)) continue;
    if (!retained.has(key)) {
      throw malformed(`${where(path)}: "${key}" is set by the patch but missing from $retainKeys ${describeJson(keys)}`);
    }
  }
  for (const key of Object.keys(original)) {
    if (!retained.has(key)) delete original[key];
  }
}

function deleteFromPrimitiveList(original: JsonMap, directiveKey: string, values: unknown, path: string): void {
  const field = directiveKey.slice(DELETE_FROM_PRIMITIVE_LIST_PREFIX.length);
  if (!field) throw malformed(`${where(path)}: "${directiveKey}" names no field`);
  if (!Array.isArray(values)) {
    throw malformed(`${where(path)}: ${directiveKey} must be a list, got ${describeJson(values)}`);
  }
  const current = getOwn(original, field);
  if (!Array.isArray(current)) return;
  setOwn(
    original,
    field,
    current.filter((item) => !values.some((v) => jsonEqual(v, item))),
  );
}

/** How elements of a merge list are identified: their merge key's value, or themselves for primitives. */
type KeyOf = (element: unknown) => unknown;

function keyFunction(meta: PatchMeta): KeyOf {
  const mergeKey = meta.mergeKey;
  if (!mergeKey) return (element) => element;
  return (element) => (isPlainObject(element) ? getOwn(element, mergeKey) : undefined);
}

function indexOfKey(keys: readonly unknown[], key: unknown): number {
  return keys.findIndex((k) => jsonEqual(k, key));
}

function isDirectiveElement(element: unknown): boolean {
  return isPlainObject(element) && hasOwn(element, PATCH_DIRECTIVE);
}

function noMergeKey(element: unknown, mergeKey: string, path: string): Error {
  return malformed(`${where(path)}: map: ${describeJson(element)} does not contain declared merge key: ${mergeKey}`);
}

function applySetElementOrder(original: JsonMap, patch: JsonMap, directiveKey: string, meta: PatchMeta, path: string): void {
  const field = directiveKey.slice(SET_ELEMENT_ORDER_PREFIX.length);
  const order = patch[directiveKey];
  delete patch[directiveKey];
  if (!field) throw malformed(`${where(path)}: "${directiveKey}" names no field`);
  if (!Array.isArray(order)) throw malformed(`${where(path)}: ${directiveKey} must be a list, got ${describeJson(order)}`);
  const listMeta = fieldMeta(meta, field);
  const listPath = childPath(path, field);
  // Atomic lists are replaced wholesale, so an order for them carries no information.
  if (!isMergeList(listMeta)) return;

  const mergeKey = listMeta.mergeKey;
  for (const item of order) {
    if (mergeKey ? !isPlainObject(item) || !hasOwn(item, mergeKey) : !isJsonScalar(item)) {
      if (mergeKey) throw noMergeKey(item, mergeKey, childPath(path, directiveKey));
      throw malformed(`${where(listPath)}: ${directiveKey} must list scalar values, got ${describeJson(item)}`);
    }
  }
  const keyOf = keyFunction(listMeta);
  const orderKeys = order.map(keyOf);

  const patchList = getOwn(patch, field);
  // null or a non-list: the ordinary merge replaces or deletes the field; there is nothing to order.
  if (patchList !== undefined && !Array.isArray(patchList)) return;
  if (patchList) validatePatchOrder(patchList, orderKeys, keyOf, mergeKey, listPath, order);

  const current = getOwn(original, field);
  const base = Array.isArray(current) ? current : undefined;
  if (!base && !patchList) return;
  const serverOrder = (base ?? []).map(keyOf);
  const merged = patchList ? mergeList(base ?? [], patchList, listMeta, listPath) : base ?? [];
  setOwn(original, field, orderElements(merged, orderKeys, serverOrder, keyOf));
  delete patch[field];
}

/** The patch list's own items must appear in the same relative order as in its $setElementOrder list. */
function validatePatchOrder(
  patchList: readonly unknown[],
  orderKeys: readonly unknown[],
  keyOf: KeyOf,
  mergeKey: string | undefined,
  path: string,
  order: unknown,
): void {
  if (orderKeys.length === 0) return;
  let next = 0;
  for (const element of patchList) {
    if (isDirectiveElement(element)) continue;
    if (mergeKey && !(isPlainObject(element) && hasOwn(element, mergeKey))) throw noMergeKey(element, mergeKey, path);
    const key = keyOf(element);
    while (next < orderKeys.length && !jsonEqual(orderKeys[next], key)) next++;
    if (next >= orderKeys.length) {
      throw malformed(
        `${where(path)}: the order in patch list ${describeJson(patchList)} doesn't match $setElementOrder list ${describeJson(order)}`,
      );
    }
    next++;
  }
}

/**
 * apimachinery's normalizeElementOrder: the elements named in `orderKeys` take that order; the others keep
 * their server order and are interleaved back in front of the first ordered element that followed them on
 * the server. Elements unknown to both orders stay where the ordered elements put them.
 */
function orderElements(merged: unknown[], orderKeys: readonly unknown[], serverOrder: readonly unknown[], keyOf: KeyOf): unknown[] {
  const ordered: Array<{ element: unknown; rank: number }> = [];
  const serverOnly: Array<{ element: unknown; rank: number }> = [];
  for (const element of merged) {
    const key = keyOf(element);
    const orderRank = indexOfKey(orderKeys, key);
    if (orderRank >= 0) ordered.push({ element, rank: orderRank });
    else {
      const serverRank = indexOfKey(serverOrder, key);
      serverOnly.push({ element, rank: serverRank < 0 ? Number.MAX_SAFE_INTEGER : serverRank });
    }
  }
  // Array.prototype.sort is stable, so ties keep their merged order.
  ordered.sort((a, b) => a.rank - b.rank);
  serverOnly.sort((a, b) => a.rank - b.rank);

  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < ordered.length) {
    if (j >= ordered.length) {
      result.push(serverOnly[i++].element);
    } else if (i >= serverOnly.length) {
      result.push(ordered[j++].element);
    } else {
      const left = indexOfKey(serverOrder, keyOf(serverOnly[i].element));
      const right = indexOfKey(serverOrder, keyOf(ordered[j].element));
      if (left >= 0 && right >= 0 && left < right) result.push(serverOnly[i++].element);
      else result.push(ordered[j++].element);
    }
  }
  return result;
}

function mergeList(original: unknown[], patch: unknown[], meta: PatchMeta, path: string): unknown[] {
  if (!isMergeList(meta)) return patch.filter((element) => !isDirectiveElement(element)).map(stripDirectives);
  if (meta.mergeKey) return mergeMapList(original, patch, meta, meta.mergeKey, path);
  return mergePrimitiveList(original, patch, path);
}

/** Atomic values are stored as sent, minus directive keys, which are never data. */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((el) => !isDirectiveElement(el)).map(stripDirectives);
  if (!isPlainObject(value)) return value;
  for (const key of Object.keys(value)) {
    if (isDirectiveKey(key)) delete value[key];
    else value[key] = stripDirectives(value[key]);
  }
  return value;
}

/** A set union, existing values first, then new ones in patch order; `{"$patch":"replace"}` replaces. */
function mergePrimitiveList(original: unknown[], patch: unknown[], path: string): unknown[] {
  let replace = false;
  const values: unknown[] = [];
  for (const element of patch) {
    if (isDirectiveElement(element) && isPlainObject(element)) {
      if (element[PATCH_DIRECTIVE] !== 'replace') {
        throw malformed(`${where(path)}: a list of values only takes {"$patch":"replace"}, got ${describeJson(element)}`);
      }
      replace = true;
    } else if (!isJsonScalar(element)) {
      throw malformed(`${where(path)}: expected a list of values, got element ${describeJson(element)}`);
    } else {
      values.push(element);
    }
  }
  const result: unknown[] = [];
  for (const value of replace ? values : [...original, ...values]) {
    if (!result.some((r) => jsonEqual(r, value))) result.push(value);
  }
  return result;
}

function mergeMapList(original: unknown[], patch: unknown[], meta: PatchMeta, mergeKey: string, path: string): unknown[] {
  let replace = false;
  const deleteKeys: unknown[] = [];
  const entries: JsonMap[] = [];
  for (const element of patch) {
    if (!isPlainObject(element)) {
      throw malformed(`${where(path)}: expected a list of objects merged by "${mergeKey}", got element ${describeJson(element)}`);
    }
    if (hasOwn(element, PATCH_DIRECTIVE)) {
      const directive = element[PATCH_DIRECTIVE];
      if (directive === 'replace') {
        replace = true;
        continue;
      }
      if (directive === 'delete') {
        if (!hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey, path);
        deleteKeys.push(element[mergeKey]);
        continue;
      }
      if (directive !== 'merge') {
        throw malformed(`${where(path)}: unknown $patch directive ${describeJson(directive)} in list element`);
      }
      delete element[PATCH_DIRECTIVE];
    }
    if (!hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey, path);
    entries.push(element);
  }

  const elementPath = (entry: JsonMap): string => `${path}[${mergeKey}=${describeJson(entry[mergeKey], 60)}]`;
  const fresh = (entry: JsonMap): unknown => {
    const merged = mergeMap({}, entry, meta, elementPath(entry));
    return merged === DELETED ? {} : merged;
  };
  if (replace) return entries.map(fresh);

  for (const element of original) {
    if (!isPlainObject(element)) {
      throw conflicting(`${where(path)}: cannot merge by "${mergeKey}": existing element ${describeJson(element)} is not an object`);
    }
  }
  const keyOf = keyFunction(meta);
  const serverOrder = original.map(keyOf);
  const working = original.filter((element) => !deleteKeys.some((k) => jsonEqual(k, keyOf(element))));
  for (const entry of entries) {
    const index = working.findIndex((element) => isPlainObject(element) && hasOwn(element, mergeKey) && jsonEqual(element[mergeKey], entry[mergeKey]));
    if (index < 0) {
      working.push(fresh(entry));
      continue;
    }
    const target = working[index];
    const merged = isPlainObject(target) ? mergeMap(target, entry, meta, elementPath(entry)) : fresh(entry);
    working[index] = merged === DELETED ? {} : merged;
  }
  return orderElements(working, entries.map(keyOf), serverOrder, keyOf);
}
