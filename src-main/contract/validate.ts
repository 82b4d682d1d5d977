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
export function exactObject<T extends Record<string, unknown>>(fields: {
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
