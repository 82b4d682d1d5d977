/** resource.Quantity parsing, enough to validate and compare requests, limits and storage sizes. */

export const QUANTITY_PARSE_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** The numeric value of a quantity (string or JSON number), or undefined when it does not parse. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/.exec(q);
  if (!m) return undefined;
  const base = Number(m[1]);
  const suffix = m[2];
  if (suffix in BINARY) return base * BINARY[suffix];
  if (suffix in DECIMAL) return base * DECIMAL[suffix];
  const exp = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
  if (exp) return base * 10 ** Number(exp[1]);
  return undefined;
}

export function isValidQuantity(q: unknown): boolean {
  return parseQuantity(q) !== undefined;
}

/** How a quantity prints: strings as given, numbers in plain decimal. */
export function quantityString(q: unknown): string {
  if (typeof q === 'string') return q;
  if (typeof q === 'number') return String(q);
  return '0';
}
