import { deepCopy, isPlainObject, jsonEqual } from '../../object';
import { describeJson, getOwn, hasOwn, setOwn } from './json-object';
import { formatJsonPointer, parseArrayIndex, parseJsonPointer } from './json-pointer';
import { conflicting, malformed, type PatchError } from './patch-error';

export { PatchError, patchErrorToStatus, type PatchErrorKind } from './patch-error';

/** One RFC 6902 operation, with its pointers already split into tokens. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string[]; value: unknown }
  | { op: 'remove'; path: string[] }
  | { op: 'move' | 'copy'; from: string[]; path: string[] };

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Validates an RFC 6902 patch document; throws PatchError('malformed') if it is not a list of valid operations. */
export function parseJsonPatch(patch: unknown): JsonPatchOperation[] {
  if (!Array.isArray(patch)) throw malformed(`json patch must be a JSON array of operations, got ${describeJson(patch)}`);
  return patch.map((raw, i) => parseOperation(raw, i));
}

function parseOperation(raw: unknown, index: number): JsonPatchOperation {
  const where = `json patch operation ${index}`;
  if (!isPlainObject(raw)) throw malformed(`${where} must be an object, got ${describeJson(raw)}`);
  const op = getOwn(raw, 'op');
  if (typeof op !== 'string') throw malformed(`${where}: missing or non-string "op"`);
  if (!OPS.has(op)) throw malformed(`${where}: unknown op "${op}"`);
  const pathText = getOwn(raw, 'path');
  if (typeof pathText !== 'string') throw malformed(`${where} (${op}): missing or non-string "path"`);
  const path = parseJsonPointer(pathText);
  switch (op) {
    case 'add':
    case 'replace':
    case 'test':
      if (!hasOwn(raw, 'value')) throw malformed(`${where} (${op} ${pathText}): missing "value"`);
      return { op, path, value: raw.value };
    case 'remove':
      return { op, path };
    default: {
      const fromText = getOwn(raw, 'from');
      if (typeof fromText !== 'string') throw malformed(`${where} (${op} ${pathText}): missing or non-string "from"`);
      const from = parseJsonPointer(fromText);
      if (op === 'move' && from.length < path.length && from.every((t, i) => path[i] === t)) {
        throw malformed(`${where}: cannot move "${fromText}" into its own child "${pathText}"`);
      }
      return { op: op === 'move' ? 'move' : 'copy', from, path };
    }
  }
}

/**
 * Applies an RFC 6902 JSON Patch and returns the new document; `doc` is never modified.
 * Throws PatchError: 'malformed' when the op list is invalid, 'conflict' when an op does not apply
 * (missing path, index out of range, failed test).
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const operations = parseJsonPatch(patch);
  let root = deepCopy(doc);
  for (const operation of operations) root = applyOperation(root, operation);
  return root;
}

function applyOperation(root: unknown, operation: JsonPatchOperation): unknown {
  switch (operation.op) {
    case 'add':
      return addValue(root, operation.path, deepCopy(operation.value), 'add');
    case 'remove':
      return removeValue(root, operation.path, 'remove').root;
    case 'replace':
      return replaceValue(root, operation.path, deepCopy(operation.value));
    case 'test': {
      const actual = readValue(root, operation.path, 'test');
      if (!jsonEqual(actual, operation.value)) {
        throw conflicting(
          `test operation failed at "${formatJsonPointer(operation.path)}": expected ${describeJson(operation.value)}, found ${describeJson(actual)}`,
        );
      }
      return root;
    }
    case 'move': {
      const removed = removeValue(root, operation.from, 'move');
      return addValue(removed.root, operation.path, removed.value, 'move');
    }
    case 'copy':
      return addValue(root, operation.path, deepCopy(readValue(root, operation.from, 'copy')), 'copy');
  }
}

type Container = Record<string, unknown> | unknown[];

function missing(op: string, path: readonly string[]): PatchError {
  return conflicting(`${op} operation does not apply: path "${formatJsonPointer(path)}" does not exist`);
}

/** The value at `path`, or a conflict if any token does not resolve. */
function readValue(root: unknown, path: readonly string[], op: string): unknown {
  let current = root;
  for (const token of path) {
    if (Array.isArray(current)) {
      const index = parseArrayIndex(token);
      if (index === undefined || index >= current.length) throw missing(op, path);
      current = current[index];
    } else if (isPlainObject(current) && hasOwn(current, token)) {
      current = current[token];
    } else {
      throw missing(op, path);
    }
  }
  return current;
}

function parentOf(root: unknown, path: readonly string[], op: string): Container {
  const parent = readValue(root, path.slice(0, -1), op);
  if (Array.isArray(parent) || isPlainObject(parent)) return parent;
  throw conflicting(`${op} operation does not apply: "${formatJsonPointer(path.slice(0, -1))}" is not an object or array`);
}

function addValue(root: unknown, path: readonly string[], value: unknown, op: string): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(root, path, op);
  const token = path[path.length - 1];
  if (Array.isArray(parent)) {
    if (token === '-') {
      parent.push(value);
      return root;
    }
    const index = parseArrayIndex(token);
    if (index === undefined || index > parent.length) {
      throw conflicting(`${op} operation does not apply: index "${token}" is out of range for "${formatJsonPointer(path.slice(0, -1))}" (length ${parent.length})`);
    }
    parent.splice(index, 0, value);
  } else {
    setOwn(parent, token, value);
  }
  return root;
}

function removeValue(root: unknown, path: readonly string[], op: string): { root: unknown; value: unknown } {
  if (path.length === 0) throw conflicting(`${op} operation does not apply: cannot remove the whole document`);
  const parent = parentOf(root, path, op);
  const token = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index = parseArrayIndex(token);
    if (index === undefined || index >= parent.length) throw missing(op, path);
    const [value] = parent.splice(index, 1);
    return { root, value };
  }
  if (!hasOwn(parent, token)) throw missing(op, path);
  const value = parent[token];
  delete parent[token];
  return { root, value };
}

function replaceValue(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(root, path, 'replace');
  const token = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index = parseArrayIndex(token);
    if (index === undefined || index >= parent.length) throw missing('replace', path);
    parent[index] = value;
  } else {
    if (!hasOwn(parent, token)) throw missing('replace', path);
    setOwn(parent, token, value);
  }
  return root;
}
