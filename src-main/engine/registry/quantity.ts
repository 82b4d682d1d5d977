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

const DECIMAL_EXPONENTS: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENTS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIXES = new Map(Object.entries(DECIMAL_EXPONENTS).map(([s, e]) => [e, s]));
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/**
 * The canonical form resource.Quantity serialises to (Quantity.String / CanonicalizeBytes), which is what
 * kube-apiserver stores and returns: "0.5" → "500m", 2 → "2", "1024Mi" → "1Gi", "1.5Gi" → "1536Mi", "1000" → "1k".
 * Values are rounded up to nano precision, as ParseQuantity does. Undefined when `q` is not a quantity.
 */
export function canonicalQuantity(q: unknown): string | undefined {
  let text: string;
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) return undefined;
    text = String(q);
  } else if (typeof q === 'string') text = q.trim();
  else return undefined;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, whole, frac = '', suffix] = m;
  let format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
  let mantissa = BigInt(`${whole}${frac}` || '0');
  // value = mantissa × 10^exp10 throughout
  let exp10 = -frac.length;
  if (suffix in DECIMAL_EXPONENTS) {
    format = 'DecimalSI';
    exp10 += DECIMAL_EXPONENTS[suffix];
  } else if (suffix in BINARY_EXPONENTS) {
    format = 'BinarySI';
    mantissa <<= BigInt(BINARY_EXPONENTS[suffix]);
  } else {
    const e = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
    if (!e) return undefined;
    format = 'DecimalExponent';
    exp10 += Number(e[1]);
  }
  if (mantissa === 0n) return '0';
  // Non-zero values round up to the smallest representable amount, 1n.
  if (exp10 < -9) {
    const d = pow10(-9 - exp10);
    mantissa = (mantissa + d - 1n) / d;
    exp10 = -9;
  }
  const neg = sign === '-' ? '-' : '';
  if (format === 'BinarySI') {
    const isInteger = exp10 >= 0 || mantissa % pow10(-exp10) === 0n;
    const integer = exp10 >= 0 ? mantissa * pow10(exp10) : mantissa / pow10(-exp10);
    if (isInteger && integer >= 1024n) {
      let n = integer;
      let k = 0;
      while (n % 1024n === 0n && k < BINARY_SUFFIXES.length - 1) {
        n /= 1024n;
        k++;
      }
      return `${neg}${n}${BINARY_SUFFIXES[k]}`;
    }
    // below 1024, or a fraction: shown as DecimalSI so nothing is lost
    format = 'DecimalSI';
  }
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp10++;
  }
  const r = ((exp10 % 3) + 3) % 3;
  mantissa *= pow10(r);
  exp10 -= r;
  if (format === 'DecimalSI' && DECIMAL_SUFFIXES.has(exp10)) return `${neg}${mantissa}${DECIMAL_SUFFIXES.get(exp10)}`;
  return `${neg}${mantissa}${exp10 === 0 ? '' : `e${exp10}`}`;
}

/** Rewrite the values of a ResourceList (limits, requests, capacity...) in canonical form; invalid ones stay for validation. */
export function canonicalizeResourceList(list: unknown): void {
  if (typeof list !== 'object' || list === null || Array.isArray(list)) return;
  const entries = list as Record<string, unknown>;
  for (const [k, v] of Object.entries(entries)) {
    const c = canonicalQuantity(v);
    if (c !== undefined) entries[k] = c;
  }
}
