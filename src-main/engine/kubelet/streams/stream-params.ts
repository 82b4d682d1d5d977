/**
 * Query parameters of the pod streaming subresources (log, exec, attach, portforward), decoded strictly:
 * a value that is not a boolean, an integer or an RFC 3339 time is a 400 BadRequest rather than a guess.
 */
import { badRequest } from '../../status';

/** A point in time with nanosecond precision (JavaScript dates stop at milliseconds). */
export interface PreciseTime {
  /** whole seconds since the Unix epoch */
  seconds: number;
  /** 0..999999999 */
  nanos: number;
}

/** Absent or empty is false; `true`/`false` (any case) and `1`/`0` are accepted. */
export function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === '') return false;
  const lower = v.toLowerCase();
  if (lower === 'true' || v === '1') return true;
  if (lower === 'false' || v === '0') return false;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be true or false`);
}

/** A base-10 integer that fits an int64 exactly enough for JavaScript; absent or empty is undefined. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!/^[+-]?\d+$/.test(v) || !Number.isSafeInteger(n)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be an integer`);
  return n;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parse an RFC 3339 time (Go's time.RFC3339 layout, which also takes fractional seconds); undefined if malformed. */
export function parseRfc3339(text: string): PreciseTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s));
  if (new Date(ms).getUTCDate() !== day) return undefined; // 31 June and the like
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number);
    if (oh > 23 || om > 59) return undefined;
    offset = sign * (oh * 3600 + om * 60);
  }
  return { seconds: ms / 1000 - offset, nanos: Number((frac ?? '').padEnd(9, '0')) };
}

/** An RFC 3339 time parameter; absent or empty is undefined. */
export function timeParam(query: URLSearchParams, name: string): PreciseTime | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  const t = parseRfc3339(v);
  if (!t) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be an RFC 3339 time such as "2024-05-01T12:00:00Z"`);
  return t;
}
