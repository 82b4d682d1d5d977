/** Ages as kubectl shows them: apimachinery duration.HumanDuration and the printers' translateTimestampSince. */

/** duration.HumanDuration for a duration in milliseconds (~2-3 significant figures). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  // A clock up to 2s behind counts as "now"; anything further is a bad timestamp.
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when absent/unparseable. */
export function parseTimestamp(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** translateTimestampSince: "<unknown>" for a missing timestamp, else the human age at `now`. */
export function translateTimestampSince(ts: unknown, now: number): string {
  const t = parseTimestamp(ts);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}
