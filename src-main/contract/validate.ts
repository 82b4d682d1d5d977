import type { Result } from './result';
import { ErrorCode, fail, ok } from './result';

/** Parses untrusted input (`unknown`) into a typed value, or says why it was rejected. */
export type Validator<T> = (input: unknown) => Result<T>;

function invalid(message: string): { ok: false; error: { code: string; message: string } } {
  return fail(ErrorCode.invalidInput, message);
}

/** For calls that take nothing: anything but `undefined` is a caller bug worth surfacing. */
export const noInput: Validator<undefined> = (input) =>
  input === undefined ? ok(undefined) : invalid('this call takes no input');

/** A string of at most `maxLength` characters (every string input needs a bound). */
export function boundedString(maxLength: number): Validator<string> {
  return (input) => {
    if (typeof input !== 'string') return invalid('expected a string');
    if (input.length > maxLength) return invalid(`expected at most ${maxLength} characters`);
    return ok(input);
  };
}

/** A plain object with exactly these fields: unknown fields are rejected, not ignored. */
export function exactObject<T extends object>(fields: {
  readonly [K in keyof T]: Validator<T[K]>;
}): Validator<T> {
  const known = Object.keys(fields);
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return invalid('expected an object');
    }
    const prototype: unknown = Object.getPrototypeOf(input);
    if (prototype !== Object.prototype && prototype !== null) return invalid('expected a plain object');
    const record = input as Record<string, unknown>;
    const unknownField = Object.keys(record).find((key) => !known.includes(key));
    if (unknownField !== undefined) return invalid(`unknown field "${unknownField}"`);
    const parsed: Record<string, unknown> = {};
    for (const key of known) {
      const field = fields[key as keyof T](Object.hasOwn(record, key) ? record[key] : undefined);
      if (!field.ok) return invalid(`${key}: ${field.error.message}`);
      parsed[key] = field.result;
    }
    return ok(parsed as T);
  };
}

/** Accepts `undefined` (a missing field) or whatever `inner` accepts. */
export function optional<T>(inner: Validator<T>): Validator<T | undefined> {
  return (input) => (input === undefined ? ok(undefined) : inner(input));
}

/** A non-empty string of at most `maxLength` characters, optionally matching `pattern` (described by `what`). */
export function nonEmptyString(maxLength: number, pattern?: RegExp, what?: string): Validator<string> {
  const bounded = boundedString(maxLength);
  return (input) => {
    const parsed = bounded(input);
    if (!parsed.ok) return parsed;
    if (parsed.result.length === 0) return invalid('expected a non-empty string');
    if (pattern !== undefined && !pattern.test(parsed.result)) return invalid(`expected ${what ?? `a string matching ${pattern.source}`}`);
    return parsed;
  };
}

/** One of a fixed set of string literals. */
export function oneOf<const T extends string>(values: readonly T[]): Validator<T> {
  return (input) =>
    typeof input === 'string' && (values as readonly string[]).includes(input)
      ? ok(input as T)
      : invalid(`expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
}

/** An integer in [min, max]. */
export function integer(min: number, max: number): Validator<number> {
  return (input) =>
    typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max
      ? ok(input)
      : invalid(`expected an integer from ${min} to ${max}`);
}

export const boolean: Validator<boolean> = (input) => (typeof input === 'boolean' ? ok(input) : invalid('expected true or false'));

/** An array of at most `maxItems` items, each passing `item` (the failing index is named). */
export function arrayOf<T>(item: Validator<T>, maxItems: number, minItems = 0): Validator<T[]> {
  return (input) => {
    if (!Array.isArray(input)) return invalid('expected an array');
    if (input.length > maxItems) return invalid(`expected at most ${maxItems} items`);
    if (input.length < minItems) return invalid(`expected at least ${minItems} item${minItems === 1 ? '' : 's'}`);
    const parsed: T[] = [];
    for (let i = 0; i < input.length; i++) {
      const one = item(input[i]);
      if (!one.ok) return invalid(`[${i}]: ${one.error.message}`);
      parsed.push(one.result);
    }
    return ok(parsed);
  };
}

/** A tagged union: the value of `tag` picks which exact-object validator applies. */
export function taggedUnion<T extends object>(tag: string, variants: Record<string, Validator<T>>): Validator<T> {
  const names = Object.keys(variants);
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return invalid('expected an object');
    const value = (input as Record<string, unknown>)[tag];
    if (typeof value !== 'string' || !Object.hasOwn(variants, value)) {
      return invalid(`${tag}: expected one of ${names.map((n) => JSON.stringify(n)).join(', ')}`);
    }
    return variants[value](input);
  };
}

/** Runs `check` on what `inner` parsed; `check` returns an error message or null. */
export function refine<T>(inner: Validator<T>, check: (value: T) => string | null): Validator<T> {
  return (input) => {
    const parsed = inner(input);
    if (!parsed.ok) return parsed;
    const problem = check(parsed.result);
    return problem === null ? parsed : invalid(problem);
  };
}
