import type { EngineStatus } from '../../src-main/contract/cluster';

/** What the engine banner says about an outage of the supervised engine. */
export interface EngineOutage {
  title: string;
  reason: string;
  /** The restart attempt and its backoff, counting down to it. */
  attempt: string;
  /** How long the engine has been down. */
  down: string;
  /** "Restart now" skips the backoff; only for an engine this console manages, and not while an attempt runs. */
  canRestartNow: boolean;
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.ceil(ms / 1000))} s`;
}

/** Null while the engine is healthy (or was never started): the banner shows only during an outage. */
export function describeOutage(status: EngineStatus | null, now: number): EngineOutage | null {
  const crash = status?.crash ?? null;
  if (status === null || crash === null) return null;
  const running = crash.retryAt === null;
  const attempt = running
    ? `Restart attempt ${crash.attempt} is running…`
    : // The clock ticks once a second: never count down from more than the backoff itself.
      `Restart attempt ${crash.attempt} in ${seconds(Math.min(Date.parse(crash.retryAt ?? '') - now, crash.backoffMs ?? 0))} (backoff ${seconds(crash.backoffMs ?? 0)}, doubling after each failed attempt)`;
  return {
    title: crash.attempt === 1 ? 'The local engine crashed' : 'The local engine is down',
    reason: crash.reason,
    attempt,
    down: `down for ${seconds(now - Date.parse(crash.since))}`,
    canRestartNow: status.mode === 'managed' && !running,
  };
}
