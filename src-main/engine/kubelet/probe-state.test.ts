import { describe, expect, it } from 'vitest';
import { ProbeState, probeMessage, probeTiming, type ProbeKind, type ProbeOutcome, type ProbeTransition } from './probe-state';

const ok: ProbeOutcome = { result: 'success', output: '' };
const bad = (output = 'HTTP probe failed with statuscode: 500'): ProbeOutcome => ({ result: 'failure', output });
const err: ProbeOutcome = { result: 'unknown', output: 'boom' };

/** Feed outcomes at the times the state asks for (each probe takes `took` ms); collect transitions. */
function drive(state: ProbeState, outcomes: ProbeOutcome[], took = 10): Array<[number, ProbeTransition | undefined]> {
  const out: Array<[number, ProbeTransition | undefined]> = [];
  for (const o of outcomes) {
    const at = state.nextProbeAt();
    if (at === undefined) break;
    out.push([at, state.record(o, at, at + took)]);
  }
  return out;
}

describe('probeTiming', () => {
  it('applies the API defaults', () => {
    expect(probeTiming('readiness', {})).toEqual({ initialDelayMs: 0, periodMs: 10_000, timeoutMs: 1000, successThreshold: 1, failureThreshold: 3 });
  });
  it('reads the fields, treating zero as unset like defaulting does', () => {
    expect(probeTiming('readiness', { initialDelaySeconds: 5, periodSeconds: 2, timeoutSeconds: 3, successThreshold: 2, failureThreshold: 0 })).toEqual({
      initialDelayMs: 5000,
      periodMs: 2000,
      timeoutMs: 3000,
      successThreshold: 2,
      failureThreshold: 3,
    });
  });
  it('holds liveness and startup to one success', () => {
    expect(probeTiming('liveness', { successThreshold: 3 }).successThreshold).toBe(1);
    expect(probeTiming('startup', { successThreshold: 3 }).successThreshold).toBe(1);
  });
});

describe('probeMessage', () => {
  it('words results like the kubelet', () => {
    expect(probeMessage('liveness', bad())).toBe('Liveness probe failed: HTTP probe failed with statuscode: 500');
    expect(probeMessage('readiness', bad('dial tcp 10.0.0.5:8080: connect: connection refused\n'))).toBe(
      'Readiness probe failed: dial tcp 10.0.0.5:8080: connect: connection refused',
    );
    expect(probeMessage('startup', ok)).toBe('Startup probe succeeded');
    expect(probeMessage('liveness', err)).toBe('Liveness probe errored: boom');
  });
});

describe('ProbeState timing', () => {
  it('first probes after the initial delay, counted from the container start, then every period', () => {
    const s = new ProbeState('readiness', probeTiming('readiness', { initialDelaySeconds: 5, periodSeconds: 2 }), 1000);
    expect(s.nextProbeAt()).toBe(6000);
    s.record(ok, 6000, 6100);
    expect(s.nextProbeAt()).toBe(8000);
  });

  it('a probe slower than the period is followed at once', () => {
    const s = new ProbeState('readiness', probeTiming('readiness', { periodSeconds: 1, timeoutSeconds: 5 }), 0);
    s.record(bad(), 0, 3500);
    expect(s.nextProbeAt()).toBe(3500);
  });

  it('counts the initial delay from the container start, not from the worker', () => {
    const s = new ProbeState('liveness', probeTiming('liveness', { initialDelaySeconds: 30 }), 0);
    expect(s.nextProbeAt()).toBe(30_000);
  });
});

describe('ProbeState readiness', () => {
  it('starts not ready and becomes ready after successThreshold successes in a row', () => {
    const s = new ProbeState('readiness', probeTiming('readiness', { successThreshold: 2 }), 0);
    expect(s.value).toBe(false);
    expect(drive(s, [ok, bad(), ok, ok]).map(([, t]) => t)).toEqual([undefined, undefined, undefined, { ok: true, message: 'Readiness probe succeeded' }]);
    expect(s.value).toBe(true);
  });

  it('becomes unready after failureThreshold failures in a row, and ready again, probing forever', () => {
    const s = new ProbeState('readiness', probeTiming('readiness', { periodSeconds: 1 }), 0);
    const t = drive(s, [ok, bad(), bad(), ok, bad(), bad(), bad('last'), bad(), ok]);
    expect(t.map(([, x]) => x)).toEqual([
      { ok: true, message: 'Readiness probe succeeded' },
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      { ok: false, message: 'Readiness probe failed: last' },
      undefined,
      { ok: true, message: 'Readiness probe succeeded' },
    ]);
    expect(t.map(([at]) => at)).toEqual([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000]);
    expect(s.done).toBe(false);
  });

  it('reports nothing while failing from the start (already not ready)', () => {
    const s = new ProbeState('readiness', probeTiming('readiness', {}), 0);
    expect(drive(s, [bad(), bad(), bad(), bad()]).every(([, t]) => t === undefined)).toBe(true);
  });
});

describe('ProbeState liveness', () => {
  it('starts alive, reports the failure at failureThreshold, then holds', () => {
    const s = new ProbeState('liveness', probeTiming('liveness', { failureThreshold: 2, periodSeconds: 5 }), 0);
    expect(s.value).toBe(true);
    const t = drive(s, [ok, bad('one'), ok, bad('a'), bad('b'), ok]);
    expect(t.map(([at, x]) => [at, x])).toEqual([
      [0, undefined],
      [5000, undefined],
      [10_000, undefined],
      [15_000, undefined],
      [20_000, { ok: false, message: 'Liveness probe failed: b' }],
    ]);
    expect(s.done).toBe(true);
    expect(s.nextProbeAt()).toBeUndefined();
    expect(s.record(ok, 0, 0)).toBeUndefined();
  });

  it('ignores errored probes: they neither count nor break a run', () => {
    const s = new ProbeState('liveness', probeTiming('liveness', { failureThreshold: 2 }), 0);
    expect(drive(s, [bad(), err, err]).every(([, t]) => t === undefined)).toBe(true);
    expect(drive(s, [bad('x')])[0][1]).toEqual({ ok: false, message: 'Liveness probe failed: x' });
  });
});

describe('ProbeState startup', () => {
  it('is undecided, reports its first success and stops', () => {
    const s = new ProbeState('startup', probeTiming('startup', {}), 0);
    expect(s.value).toBeUndefined();
    expect(drive(s, [bad(), bad(), ok]).map(([, t]) => t)).toEqual([undefined, undefined, { ok: true, message: 'Startup probe succeeded' }]);
    expect(s.done).toBe(true);
  });

  it('reports failure after failureThreshold failures and holds', () => {
    const s = new ProbeState('startup', probeTiming('startup', { failureThreshold: 3 }), 0);
    expect(drive(s, [bad(), bad(), bad('never up'), ok]).map(([, t]) => t)).toEqual([undefined, undefined, { ok: false, message: 'Startup probe failed: never up' }]);
    expect(s.done).toBe(true);
  });
});

describe('every kind and threshold combination', () => {
  const kinds: ProbeKind[] = ['liveness', 'readiness', 'startup'];
  for (const kind of kinds) {
    for (const failureThreshold of [1, 2, 5]) {
      it(`${kind}: failure reported exactly at failure #${failureThreshold} when it changes the state`, () => {
        const s = new ProbeState(kind, probeTiming(kind, { failureThreshold, periodSeconds: 1 }), 0);
        const t = drive(s, Array.from({ length: failureThreshold }, () => bad()));
        const transitions = t.filter(([, x]) => x !== undefined);
        if (kind === 'readiness') expect(transitions).toEqual([]);
        else expect(transitions).toEqual([[(failureThreshold - 1) * 1000, { ok: false, message: expect.stringContaining('probe failed') }]]);
      });
    }
  }
});
