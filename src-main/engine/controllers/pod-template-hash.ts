/**
 * The pod-template-hash of a Deployment's template (controller.ComputeHash): FNV-32a over a canonical
 * rendering of the template, plus the collision count when there is one, printed in decimal and mapped to
 * the "safe" alphabet of apimachinery's rand.SafeEncodeString so it never spells words. Kubernetes hashes
 * Go's struct dump; we hash canonical JSON (sorted keys, semantic nulls dropped), which is just as stable.
 */
import { isPlainObject } from '../object';
import { semanticNormalize } from './template-equality';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** 32-bit FNV-1a. */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** rand.SafeEncodeString: each character mapped by its code into the consonant-and-digit alphabet. */
export function safeEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** The hash label value for a template (at most 10 characters). */
export function podTemplateHash(template: unknown, collisionCount?: number): string {
  const encoder = new TextEncoder();
  let h = fnv32a(encoder.encode(canonicalJson(semanticNormalize(template))));
  if (collisionCount !== undefined && collisionCount !== null) {
    // binary.LittleEndian.PutUint32 into an 8-byte buffer, as ComputeHash writes it.
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncode(String(h));
}
