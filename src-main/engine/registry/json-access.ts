/** Safe readers and default-setters over client JSON, which arrives as `unknown`. */
import { isPlainObject } from '../object';

export type JsonObject = Record<string, unknown>;

export function asObject(v: unknown): JsonObject | undefined {
  return isPlainObject(v) ? v : undefined;
}

export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Finite numbers only; JSON has no NaN, but a caller-built object might. */
export function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function asArray(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

export function asBoolean(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** Walks object keys and array indices; anything missing or of the wrong shape yields undefined. */
export function get(root: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = root;
  for (const step of path) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (!isPlainObject(cur)) return undefined;
      cur = cur[step];
    }
  }
  return cur;
}

/** The string at `path`, or '' (Go's zero value) when absent or not a string. */
export function getString(root: unknown, ...path: (string | number)[]): string {
  return asString(get(root, ...path)) ?? '';
}

export function getNumber(root: unknown, ...path: (string | number)[]): number | undefined {
  return asNumber(get(root, ...path));
}

/** The array at `path`, or [] when absent. */
export function getArray(root: unknown, ...path: (string | number)[]): unknown[] {
  return asArray(get(root, ...path)) ?? [];
}

export function getObject(root: unknown, ...path: (string | number)[]): JsonObject | undefined {
  return asObject(get(root, ...path));
}

/** A map's string entries (Go `map[string]string`); non-string values are skipped. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPlainObject(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** JSON null and absence both mean "unset" to Go's decoder. */
export function isUnset(v: unknown): boolean {
  return v === undefined || v === null;
}

/**
 * The object under `key`, created when unset. Returns undefined when the key holds something else,
 * which validation (or the decoder) will reject; defaulting must not paper over it.
 */
export function childObject(parent: JsonObject, key: string): JsonObject | undefined {
  const v = parent[key];
  if (isUnset(v)) {
    const created: JsonObject = {};
    parent[key] = created;
    return created;
  }
  return asObject(v);
}

/** Default a string field whose Go type is a plain string: '' counts as unset. */
export function defaultString(o: JsonObject, key: string, value: string): void {
  const v = o[key];
  if (isUnset(v) || v === '') o[key] = value;
}

/** Default a pointer field (*int32, *bool, ...): only absence/null counts as unset. */
export function defaultPointer(o: JsonObject, key: string, value: unknown): void {
  if (isUnset(o[key])) o[key] = value;
}

/** Default a non-pointer number field (int32): 0 counts as unset. */
export function defaultNonZero(o: JsonObject, key: string, value: number): void {
  const v = o[key];
  if (isUnset(v) || v === 0) o[key] = value;
}

/** The plain objects of an array, each with its index (other entries are left to validation). */
export function objectItems(v: unknown): Array<[JsonObject, number]> {
  const out: Array<[JsonObject, number]> = [];
  const items = asArray(v) ?? [];
  items.forEach((item, i) => {
    if (isPlainObject(item)) out.push([item, i]);
  });
  return out;
}
