import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import type { JsonObject } from '../registry/json-access';
import type { ObservedContainer } from './observed-container';
import { app, current, exited, init, sandbox, testPod } from './observed-fixtures';
import { nextInitContainer, planPodSync, sandboxChanged, shouldRestart } from './pod-sync-plan';

const A: JsonObject = { name: 'a', image: 'busybox:1.36' };
const B: JsonObject = { name: 'b', image: 'busybox:1.36' };
const I1: JsonObject = { name: 'i1', image: 'busybox:1.36' };
const I2: JsonObject = { name: 'i2', image: 'busybox:1.36' };

function plan(pod: KubeObject, obs: ObservedContainer[], liveness: string[] = [], startup: string[] = []) {
  const p = planPodSync({ pod, observed: obs, livenessFailed: new Set(liveness), startupFailed: new Set(startup) });
  return { ...p, nextInit: p.nextInit?.name, startApps: p.startApps.map((c) => c.name) };
}

describe('sandboxChanged', () => {
  const pod = testPod({ containers: [A] });
  it('wants a first sandbox, then keeps a running one with an IP', () => {
    expect(sandboxChanged(pod, [])).toEqual({ changed: true, attempt: 0, id: '' });
    expect(sandboxChanged(pod, [sandbox()])).toEqual({ changed: false, attempt: 0, id: 'sb' });
  });
  it('replaces a dead sandbox, one without IP, or several running ones with the next attempt', () => {
    expect(sandboxChanged(pod, [sandbox({ state: 'exited', restartCount: 2 })])).toMatchObject({ changed: true, attempt: 3 });
    expect(sandboxChanged(pod, [sandbox({ ip: '' })])).toMatchObject({ changed: true, attempt: 1 });
    expect(sandboxChanged(pod, [sandbox(), sandbox({ id: 'sb2', restartCount: 1 })])).toMatchObject({ changed: true, attempt: 2 });
    expect(sandboxChanged(testPod({ hostNetwork: true, containers: [A] }), [sandbox({ ip: '' })]).changed).toBe(false);
  });
});

describe('shouldRestart', () => {
  it('follows the restart policy for dead containers', () => {
    const always = testPod({ restartPolicy: 'Always', containers: [A] });
    const onFailure = testPod({ restartPolicy: 'OnFailure', containers: [A] });
    const never = testPod({ restartPolicy: 'Never', containers: [A] });
    const ok = app('a', exited(0));
    const bad = app('a', exited(1));
    expect([shouldRestart(always, ok), shouldRestart(always, bad)]).toEqual([true, true]);
    expect([shouldRestart(onFailure, ok), shouldRestart(onFailure, bad)]).toEqual([false, true]);
    expect([shouldRestart(never, ok), shouldRestart(never, bad)]).toEqual([false, false]);
    expect(shouldRestart(never, undefined)).toBe(true);
    expect(shouldRestart(never, app('a', { state: 'created' }))).toBe(true);
    expect(shouldRestart(always, app('a'))).toBe(false);
    const deleting = testPod({ containers: [A] });
    deleting.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    expect(shouldRestart(deleting, bad)).toBe(false);
  });
});

describe('nextInitContainer', () => {
  const pod = testPod({ initContainers: [I1, I2], containers: [A] });
  it('runs init containers one after the other in the current sandbox', () => {
    expect(nextInitContainer(pod, [], 'sb').next?.name).toBe('i1');
    expect(nextInitContainer(pod, [init('i1')], 'sb')).toEqual({ done: false });
    expect(nextInitContainer(pod, [init('i1', exited(0))], 'sb').next?.name).toBe('i2');
    expect(nextInitContainer(pod, [init('i1', exited(0)), init('i2', exited(0))], 'sb').done).toBe(true);
  });
  it('returns a failed init container to retry', () => {
    const r = nextInitContainer(pod, [init('i1', exited(0)), init('i2', exited(1))], 'sb');
    expect(r.next?.name).toBe('i2');
    expect(r.failed?.exitCode).toBe(1);
  });
  it('ignores runs in an older sandbox and is done once an app container runs', () => {
    expect(nextInitContainer(pod, [init('i1', exited(0, { sandboxId: 'old' })), init('i2', exited(0, { sandboxId: 'old' }))], 'sb').next?.name).toBe('i1');
    expect(nextInitContainer(pod, [app('a')], 'sb').done).toBe(true);
  });
});

describe('planPodSync', () => {
  it('creates the sandbox and starts every app container of a new pod', () => {
    expect(plan(testPod({ containers: [A, B] }), [])).toMatchObject({ killPod: true, createSandbox: true, sandboxAttempt: 0, startApps: ['a', 'b'], kills: [] });
  });

  it('creates the sandbox and runs the first init container first', () => {
    expect(plan(testPod({ initContainers: [I1, I2], containers: [A] }), [])).toMatchObject({ createSandbox: true, nextInit: 'i1', startApps: [] });
  });

  it('does nothing for a pod whose containers run as specified', () => {
    expect(plan(testPod({ containers: [A] }), [sandbox(), current(A)])).toMatchObject({ killPod: false, createSandbox: false, sandboxId: 'sb', startApps: [], kills: [] });
  });

  it('restarts dead containers per restart policy', () => {
    const obs = [sandbox(), current(A), current(B, exited(1))];
    expect(plan(testPod({ restartPolicy: 'Always', containers: [A, B] }), obs).startApps).toEqual(['b']);
    expect(plan(testPod({ restartPolicy: 'OnFailure', containers: [A, B] }), obs).startApps).toEqual(['b']);
    expect(plan(testPod({ restartPolicy: 'Never', containers: [A, B] }), obs)).toMatchObject({ startApps: [], killPod: false });
    expect(plan(testPod({ restartPolicy: 'OnFailure', containers: [A, B] }), [sandbox(), current(A), current(B, exited(0))]).startApps).toEqual([]);
  });

  it('kills the pod (its sandbox) once nothing is left to run', () => {
    const done = [sandbox(), current(A, exited(0))];
    expect(plan(testPod({ restartPolicy: 'Never', containers: [A] }), done)).toMatchObject({ killPod: true, createSandbox: false });
    expect(plan(testPod({ restartPolicy: 'Always', containers: [A] }), done)).toMatchObject({ killPod: false, startApps: ['a'] });
  });

  it('kills and restarts a container that failed its liveness or startup probe', () => {
    const a = current(A, { id: 'live' });
    const p = plan(testPod({ containers: [A] }), [sandbox(), a], ['live']);
    expect(p.kills).toEqual([{ id: 'live', name: 'a', message: 'Container a failed liveness probe, will be restarted' }]);
    expect(p.startApps).toEqual(['a']);
    const never = plan(testPod({ restartPolicy: 'Never', containers: [A] }), [sandbox(), a], ['live']);
    expect(never.kills[0].message).toBe('Container a failed liveness probe');
    expect(never.startApps).toEqual([]);
    expect(plan(testPod({ containers: [A] }), [sandbox(), a], [], ['live']).kills[0].message).toBe('Container a failed startup probe, will be restarted');
  });

  it("kills with the failed probe's terminationGracePeriodSeconds, the pod's otherwise", () => {
    const P: JsonObject = {
      ...A,
      livenessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 },
      startupProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 7 },
    };
    const pod = testPod({ terminationGracePeriodSeconds: 60, containers: [P] });
    const c = current(P, { id: 'c' });
    expect(plan(pod, [sandbox(), c], ['c']).kills).toEqual([{ id: 'c', name: 'a', message: 'Container a failed liveness probe, will be restarted', gracePeriodSeconds: 5 }]);
    expect(plan(pod, [sandbox(), c], [], ['c']).kills).toEqual([{ id: 'c', name: 'a', message: 'Container a failed startup probe, will be restarted', gracePeriodSeconds: 7 }]);
    // a probe without its own grace period, and a spec change, use the pod's (the worker's default)
    const Q: JsonObject = { ...A, livenessProbe: { exec: { command: ['true'] } }, startupProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 7 } };
    const q = current(Q, { id: 'q' });
    expect(plan(testPod({ containers: [Q] }), [sandbox(), q], ['q']).kills[0]?.gracePeriodSeconds).toBeUndefined();
    const changed = plan(testPod({ containers: [{ ...P, image: 'busybox:1.37' }] }), [sandbox(), c], ['c']);
    expect(changed.kills).toEqual([{ id: 'c', name: 'a', message: 'Container a definition changed, will be restarted' }]);
  });

  it('restarts a container whose spec changed (a new image)', () => {
    const old = current(A);
    const pod = testPod({ containers: [{ ...A, image: 'busybox:1.37' }] });
    const p = plan(pod, [sandbox(), old]);
    expect(p.kills[0].message).toBe('Container a definition changed, will be restarted');
    expect(p.startApps).toEqual(['a']);
  });

  it('replaces a dead sandbox and restarts every container, init containers first', () => {
    const obs = [sandbox({ state: 'exited' }), init('i1', exited(0)), current(A, { sandboxId: 'sb' })];
    expect(plan(testPod({ initContainers: [I1], containers: [A] }), obs)).toMatchObject({ killPod: true, createSandbox: true, sandboxAttempt: 1, nextInit: 'i1' });
    expect(plan(testPod({ containers: [A] }), [sandbox({ state: 'exited' }), current(A)])).toMatchObject({ createSandbox: true, startApps: ['a'] });
  });

  it('gives no new sandbox to a restartPolicy Never pod that already ran', () => {
    const obs = [sandbox({ state: 'exited' }), current(A, exited(137))];
    expect(plan(testPod({ restartPolicy: 'Never', containers: [A] }), obs)).toMatchObject({ killPod: true, createSandbox: false, startApps: [] });
  });

  it('gives no new sandbox to an OnFailure pod whose containers all succeeded', () => {
    const obs = [sandbox({ state: 'exited' }), current(A, exited(0))];
    expect(plan(testPod({ restartPolicy: 'OnFailure', containers: [A] }), obs)).toMatchObject({ createSandbox: false });
  });

  it('kills a pod whose init container failed under restartPolicy Never, retries it otherwise', () => {
    const obs = [sandbox(), init('i1', exited(1))];
    expect(plan(testPod({ restartPolicy: 'Never', initContainers: [I1], containers: [A] }), obs)).toMatchObject({ killPod: true, nextInit: undefined });
    expect(plan(testPod({ restartPolicy: 'Always', initContainers: [I1], containers: [A] }), obs)).toMatchObject({ killPod: false, nextInit: 'i1' });
  });

  it('starts app containers once the init containers are done', () => {
    const obs = [sandbox(), init('i1', exited(0)), init('i2', exited(0))];
    expect(plan(testPod({ initContainers: [I1, I2], containers: [A] }), obs)).toMatchObject({ nextInit: undefined, startApps: ['a'] });
  });

  it('starts containers that were created but never started, instead of making new ones', () => {
    const obs = [sandbox(), app('a', { id: 'made', state: 'created' })];
    expect(plan(testPod({ containers: [A] }), obs)).toMatchObject({ startCreated: ['made'], startApps: [], killPod: false });
  });

  it('stops everything of a pod in a terminal phase', () => {
    expect(plan(testPod({ containers: [A] }, { phase: 'Failed' }), [sandbox(), current(A)])).toMatchObject({ killPod: true, createSandbox: false, startApps: [] });
  });
});
