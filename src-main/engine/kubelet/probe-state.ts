/**
 * The timing and threshold logic of one probe (the kubelet's prober worker), pure and clock-free: the worker
 * asks when to probe next and records each outcome; a transition comes back when the reported state changes.
 *
 * Initial states: readiness false, liveness true, startup undecided (its first decisive result is reported,
 * success included, so the kubelet learns when the container has started). Errored probes (`unknown`) are
 * ignored, as the kubelet throws such results away. After a liveness or startup failure is reported the probe
 * holds (the container is restarted and gets a new worker); a startup probe stops once it succeeded.
 */
import { asNumber } from '../registry/json-access';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** What one probe attempt found: `output` is the failure (or error) text. */
export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
}

export interface ProbeTiming {
  initialDelayMs: number;
  periodMs: number;
  timeoutMs: number;
  successThreshold: number;
  failureThreshold: number;
}

export interface ProbeTransition {
  ok: boolean;
  message: string;
}

const KIND_TITLE: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

/** Positive integer field or its API default (0 and absence both mean the default, as defaulting does). */
function positive(probe: Record<string, unknown>, key: string, fallback: number): number {
  const n = asNumber(probe[key]);
  return n !== undefined && n > 0 ? Math.floor(n) : fallback;
}

/** The probe's timing fields with the API defaults: delay 0 s, period 10 s, timeout 1 s, thresholds 1 and 3. */
export function probeTiming(kind: ProbeKind, probe: Record<string, unknown>): ProbeTiming {
  return {
    initialDelayMs: Math.max(0, Math.floor(asNumber(probe.initialDelaySeconds) ?? 0)) * 1000,
    periodMs: positive(probe, 'periodSeconds', 10) * 1000,
    timeoutMs: positive(probe, 'timeoutSeconds', 1) * 1000,
    // validation holds liveness and startup to 1; stay safe if something else slips through
    successThreshold: kind === 'readiness' ? positive(probe, 'successThreshold', 1) : 1,
    failureThreshold: positive(probe, 'failureThreshold', 3),
  };
}

/** `Liveness probe failed: <output>`, the text of the kubelet's Unhealthy events. */
export function probeMessage(kind: ProbeKind, outcome: ProbeOutcome): string {
  const title = KIND_TITLE[kind];
  const output = outcome.output.trimEnd();
  if (outcome.result === 'success') return `${title} probe succeeded`;
  if (outcome.result === 'unknown') return `${title} probe errored: ${output}`;
  return `${title} probe failed: ${output}`;
}

export class ProbeState {
  private reported: boolean | undefined;
  private lastResult: ProbeResult | undefined;
  private run = 0;
  private next: number;
  private finished = false;

  constructor(
    readonly kind: ProbeKind,
    readonly timing: ProbeTiming,
    /** when the container started (ms); the initial delay counts from here */
    containerStartedAt: number,
  ) {
    this.reported = kind === 'readiness' ? false : kind === 'liveness' ? true : undefined;
    this.next = containerStartedAt + timing.initialDelayMs;
  }

  /** The state reported so far (undefined: a startup probe that has not decided yet). */
  get value(): boolean | undefined {
    return this.reported;
  }

  /** No more probes: a liveness/startup failure was reported, or a startup probe succeeded. */
  get done(): boolean {
    return this.finished;
  }

  /** When the next probe should start (ms), or undefined when done. */
  nextProbeAt(): number | undefined {
    return this.finished ? undefined : this.next;
  }

  /** Record a probe that started at `startedAt` and ended at `now`. Returns the transition, if any. */
  record(outcome: ProbeOutcome, startedAt: number, now: number): ProbeTransition | undefined {
    if (this.finished) return undefined;
    this.next = Math.max(now, startedAt + this.timing.periodMs);
    if (outcome.result === 'unknown') return undefined;
    if (outcome.result === this.lastResult) this.run++;
    else {
      this.lastResult = outcome.result;
      this.run = 1;
    }
    const ok = outcome.result === 'success';
    const threshold = ok ? this.timing.successThreshold : this.timing.failureThreshold;
    if (this.run < threshold) return undefined;
    if (!ok && this.kind !== 'readiness') this.finished = true;
    if (ok && this.kind === 'startup') this.finished = true;
    if (this.reported === ok) return undefined;
    this.reported = ok;
    return { ok, message: probeMessage(this.kind, outcome) };
  }
}
