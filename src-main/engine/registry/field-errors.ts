/** Constructors for validation causes, worded like apimachinery's field.Error bodies. */
import type { FieldCause } from '../status';
import { GoLiteral, goQuote } from './go-format';

function formatBadValue(value: unknown): string {
  if (value instanceof GoLiteral) return value.text;
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function withDetail(body: string, detail: string): string {
  return detail ? `${body}: ${detail}` : body;
}

/** `Required value` (+ `: detail`) */
export function required(field: string, detail = ''): FieldCause {
  return { type: 'FieldValueRequired', field, message: withDetail('Required value', detail) };
}

/** `Invalid value: "x": detail` */
export function invalid(field: string, value: unknown, detail: string): FieldCause {
  return { type: 'FieldValueInvalid', field, message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail) };
}

/** `Unsupported value: "x": supported values: "A", "B"` */
export function notSupported(field: string, value: unknown, valid: readonly string[]): FieldCause {
  const detail = valid.length ? `supported values: ${valid.map(goQuote).join(', ')}` : '';
  return {
    type: 'FieldValueNotSupported',
    field,
    message: withDetail(`Unsupported value: ${formatBadValue(value)}`, detail),
  };
}

/** `Duplicate value: "x"` */
export function duplicate(field: string, value: unknown): FieldCause {
  return { type: 'FieldValueDuplicate', field, message: `Duplicate value: ${formatBadValue(value)}` };
}

/** `Forbidden: detail` */
export function forbidden(field: string, detail: string): FieldCause {
  return { type: 'FieldValueForbidden', field, message: withDetail('Forbidden', detail) };
}

/** `Too long: must have at most N bytes` */
export function tooLong(field: string, maxBytes: number): FieldCause {
  return { type: 'FieldValueTooLong', field, message: `Too long: must have at most ${maxBytes} bytes` };
}

/** `Not found: "x"` */
export function notFound(field: string, value: unknown): FieldCause {
  return { type: 'FieldValueNotFound', field, message: `Not found: ${formatBadValue(value)}` };
}

/** A value of the wrong JSON type (the real server fails these while decoding). */
export function typeInvalid(field: string, value: unknown, detail: string): FieldCause {
  return { type: 'FieldValueTypeInvalid', field, message: withDetail(`Invalid value: ${formatBadValue(value)}`, detail) };
}
