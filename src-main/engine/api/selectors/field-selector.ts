import { SelectorError } from './selector-error';

export { SelectorError } from './selector-error';

/** `=` and `==` are the same test. */
export type FieldOperator = '=' | '==' | '!=';

/** One `field<op>value` term of a field selector; `value` is unescaped. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

// Longest first, so that "!=" and "==" are not read as "=".
const OPERATORS: readonly FieldOperator[] = ['!=', '==', '='];

/** Splits on commas not escaped by a backslash; escapes are kept for the value parser. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (escaped) escaped = false;
    else if (c === '\\') escaped = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Reverses `\\`, `\,` and `\=`; any other escape, or a bare `,` or `=`, is an error (fields.UnescapeValue). */
function unescapeValue(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const next = raw[i + 1];
      if (next !== '\\' && next !== ',' && next !== '=') {
        throw new SelectorError(`invalid field selector: invalid escape sequence: \\${next ?? ''}`);
      }
      out += next;
      i++;
    } else if (c === ',' || c === '=') {
      throw new SelectorError(`invalid field selector: unescaped character in value: ${c}`);
    } else {
      out += c;
    }
  }
  return out;
}

function parseTerm(term: string, text: string): FieldRequirement {
  for (let i = 0; i < term.length; i++) {
    const operator = OPERATORS.find((op) => term.startsWith(op, i));
    if (!operator) continue;
    const field = term.slice(0, i).trim();
    if (!field) throw new SelectorError(`invalid field selector: '${text}'; '${term}' names no field`);
    return { field, operator, value: unescapeValue(term.slice(i + operator.length).trim()) };
  }
  throw new SelectorError(`invalid field selector: '${text}'; can't understand '${term}'`);
}

/**
 * Parses a field selector (`metadata.name=foo,status.phase!=Running`, also `==`). Values may escape `,`, `=`
 * and `\` with a backslash. Empty text (and empty terms) select everything. Throws SelectorError on garbage.
 */
export function parseFieldSelector(text: string): FieldRequirement[] {
  return splitTerms(text)
    .filter((term) => term.trim() !== '')
    .map((term) => parseTerm(term, text));
}

/**
 * Whether an object satisfies every requirement. `getField` returns the object's value for a field name, or
 * undefined for an unknown field (which never equals anything); check unsupportedFields first to answer 400.
 */
export function matchesFields(requirements: readonly FieldRequirement[], getField: (field: string) => string | undefined): boolean {
  return requirements.every((requirement) => {
    const actual = getField(requirement.field);
    const equal = actual !== undefined && actual === requirement.value;
    return requirement.operator === '!=' ? !equal : equal;
  });
}

/** Fields the selector uses that the resource does not support, in first-use order, for `field label not supported: <name>`. */
export function unsupportedFields(requirements: readonly FieldRequirement[], supported: ReadonlySet<string>): string[] {
  const unsupported: string[] = [];
  for (const { field } of requirements) {
    if (!supported.has(field) && !unsupported.includes(field)) unsupported.push(field);
  }
  return unsupported;
}

function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** The text form of a parsed field selector, values re-escaped (parseFieldSelector's inverse). */
export function formatFieldSelector(requirements: readonly FieldRequirement[]): string {
  return requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(',');
}
