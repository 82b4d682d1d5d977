/**
 * Kubernetes resource quantities ("250m", "1.5", "128Mi", "1e3", "12345n") as numbers. Returns null for
 * anything that is not a quantity, so a malformed metrics response is skipped rather than charted as 0.
 */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

export function parseQuantity(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
  const m = QUANTITY.exec(value.trim());
  if (m === null) return null;
  const base = Number(m[1]);
  const scale = m[2] !== undefined ? 10 ** Number(m[2].slice(1)) : m[3] !== undefined ? SUFFIX[m[3]] : 1;
  const result = base * scale;
  return Number.isFinite(result) ? result : null;
}

/** CPU quantity in millicores ("250m" → 250, "1" → 1000, "1500000n" → 1.5). */
export function cpuMillicores(value: unknown): number | null {
  const cores = parseQuantity(value);
  return cores === null ? null : cores * 1000;
}

/** Memory quantity in bytes ("128Mi" → 134217728). */
export function memoryBytes(value: unknown): number | null {
  return parseQuantity(value);
}
