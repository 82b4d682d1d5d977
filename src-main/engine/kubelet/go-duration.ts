/** Go's time.Duration.String() for millisecond durations, as the kubelet prints them in messages. */

/** `523ms`, `1.234s`, `1m20s`, `5m0s`, `1h0m0s`. */
export function goDuration(ms: number): string {
  const total = Math.max(0, Math.trunc(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const secondsMs = total % 60_000;
  const whole = Math.floor(secondsMs / 1000);
  const frac = secondsMs % 1000;
  const seconds = frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
  let out = '';
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${out}${seconds}s`;
}
