import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import type { JsonObject } from '../registry/json-access';
import type { ObservedContainer } from './observed-container';
import { app, exited, init, sandbox, testPod } from './observed-fixtures';
import { computePodStatus, type ProbeView, type WaitingReason } from './pod-status';

const NOW = Date.parse('2024-01-01T00:01:00Z');
const A: JsonObject = { name: 'a', image: 'busybox:1.36' };
const B: JsonObject = { name: 'b', image: 'busybox:1.36' };
const I1: JsonObject = { name: 'i1', image: 'busybox:1.36' };

function status(
  pod: KubeObject,
  obs: ObservedContainer[],
  opts: { reasons?: Record<string, WaitingReason>; probes?: Record<string, ProbeView>; terminated?: boolean; now?: number } = {},
): JsonObject & { phase: string; conditions: JsonObject[]; containerStatuses: JsonObject[]; initContainerStatuses?: JsonObject[] } {
  return computePodStatus({
    pod,
    observed: obs,
    reasons: new Map(Object.entries(opts.reasons ?? {})),
    probes: (id) => opts.probes?.[id],
    imageRef: (id) => `docker://${id}`,
    hostIP: '192.168.1.2',
    now: opts.now ?? NOW,
    terminated: opts.terminated,
  }) as never;
}

function cond(s: { conditions: JsonObject[] }, type: string): JsonObject | undefined {
  return s.conditions.find((c) => c.type === type);
}

function cs(s: { containerStatuses: JsonObject[] }, name: string): JsonObject | undefined {
  return s.containerStatuses.find((c) => c.name === name);
}

describe('computePodStatus', () => {
  it('reports a new pod as Pending with ContainerCreating', () => {
    const s = status(testPod({ containers: [A] }, { phase: 'Pending', qosClass: 'BestEffort' }), []);
    expect(s.phase).toBe('Pending');
    expect(s.qosClass).toBe('BestEffort');
    expect(s.startTime).toBe('2024-01-01T00:01:00Z');
    expect(s.hostIP).toBe('192.168.1.2');
    expect(s.hostIPs).toEqual([{ ip: '192.168.1.2' }]);
    expect(s.podIP).toBeUndefined();
    expect(cs(s, 'a')).toEqual({ name: 'a', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: 'busybox:1.36', imageID: '', started: false });
    expect(s.conditions.map((c) => [c.type, c.status])).toEqual([
      ['PodReadyToStartContainers', 'False'],
      ['Initialized', 'True'],
      ['Ready', 'False'],
      ['ContainersReady', 'False'],
      ['PodScheduled', 'True'],
    ]);
    expect(cond(s, 'Ready')).toMatchObject({ reason: 'ContainersNotReady', message: 'containers with unready status: [a]', lastProbeTime: null });
  });

  it('reports a running pod: Running, Ready, pod IP, running state and container ids', () => {
    const s = status(testPod({ containers: [A, B] }), [sandbox(), app('a', { id: 'ida' }), app('b', { id: 'idb', restartCount: 2 })]);
    expect(s.phase).toBe('Running');
    expect(s.podIP).toBe('10.0.0.2');
    expect(s.podIPs).toEqual([{ ip: '10.0.0.2' }]);
    expect(cond(s, 'Ready')?.status).toBe('True');
    expect(cond(s, 'ContainersReady')?.status).toBe('True');
    expect(cond(s, 'PodReadyToStartContainers')?.status).toBe('True');
    expect(cs(s, 'a')).toEqual({
      name: 'a',
      state: { running: { startedAt: '2024-01-01T00:00:01Z' } },
      lastState: {},
      ready: true,
      started: true,
      restartCount: 0,
      image: 'busybox:1.36',
      imageID: 'docker://sha256:abc',
      containerID: 'docker://ida',
    });
    expect(cs(s, 'b')?.restartCount).toBe(2);
  });

  it('sorts container statuses by name', () => {
    const s = status(testPod({ containers: [B, A] }), []);
    expect(s.containerStatuses.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('follows readiness and startup probes for ready and started', () => {
    const pod = testPod({ containers: [{ ...A, readinessProbe: { exec: {} } }, { ...B, startupProbe: { exec: {} } }] });
    const obs = [sandbox(), app('a', { id: 'x' }), app('b', { id: 'y' })];
    let s = status(pod, obs);
    expect([cs(s, 'a')?.ready, cs(s, 'a')?.started, cs(s, 'b')?.ready, cs(s, 'b')?.started]).toEqual([false, true, false, false]);
    expect(cond(s, 'Ready')?.message).toBe('containers with unready status: [a b]');
    s = status(pod, obs, { probes: { x: { ready: true }, y: { started: true } } });
    expect([cs(s, 'a')?.ready, cs(s, 'b')?.ready, cs(s, 'b')?.started]).toEqual([true, true, true]);
    expect(cond(s, 'Ready')?.status).toBe('True');
  });

  it('shows a crashed container as terminated until a restart is refused, then waiting with the reason and lastState', () => {
    const pod = testPod({ containers: [A] });
    const crashed = [sandbox(), app('a', { id: 'old', ...exited(2), restartCount: 1 }), app('a', { id: 'older', ...exited(2) })];
    let s = status(pod, crashed);
    expect(cs(s, 'a')?.state).toEqual({
      terminated: { exitCode: 2, reason: 'Error', startedAt: '2024-01-01T00:00:01Z', finishedAt: '2024-01-01T00:00:05Z', containerID: 'docker://old' },
    });
    expect((cs(s, 'a')?.lastState as JsonObject).terminated).toMatchObject({ containerID: 'docker://older' });
    s = status(pod, crashed, { reasons: { a: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=a pod=p_ns(uid-1)' } } });
    expect(cs(s, 'a')?.state).toEqual({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=a pod=p_ns(uid-1)' } });
    expect((cs(s, 'a')?.lastState as JsonObject).terminated).toMatchObject({ exitCode: 2, containerID: 'docker://old' });
    expect(cs(s, 'a')?.restartCount).toBe(1);
    expect(s.phase).toBe('Running');
  });

  it('names termination reasons: Completed, Error, OOMKilled, StartError', () => {
    const pod = testPod({ restartPolicy: 'Never', containers: [A] });
    const reason = (p: Partial<ObservedContainer>): unknown => ((cs(status(pod, [sandbox(), app('a', p)]), 'a')?.state as JsonObject).terminated as JsonObject).reason;
    expect(reason(exited(0))).toBe('Completed');
    expect(reason(exited(1))).toBe('Error');
    expect(reason(exited(137, { oomKilled: true }))).toBe('OOMKilled');
    const start = status(pod, [sandbox(), app('a', exited(127, { startError: 'exec: "x": not found', startedAt: '', finishedAt: '' }))]);
    expect((cs(start, 'a')?.state as JsonObject).terminated).toMatchObject({ reason: 'StartError', message: 'exec: "x": not found', exitCode: 127, startedAt: '1970-01-01T00:00:00Z' });
  });

  it('ends restartPolicy Never and OnFailure pods in Succeeded or Failed', () => {
    const ok = [sandbox(), app('a', exited(0)), app('b', exited(0))];
    const bad = [sandbox(), app('a', exited(0)), app('b', exited(1))];
    expect(status(testPod({ restartPolicy: 'Never', containers: [A, B] }), ok).phase).toBe('Succeeded');
    expect(status(testPod({ restartPolicy: 'Never', containers: [A, B] }), bad).phase).toBe('Failed');
    expect(status(testPod({ restartPolicy: 'OnFailure', containers: [A, B] }), ok).phase).toBe('Succeeded');
    expect(status(testPod({ restartPolicy: 'OnFailure', containers: [A, B] }), bad).phase).toBe('Running');
    expect(status(testPod({ restartPolicy: 'Always', containers: [A, B] }), ok).phase).toBe('Running');
    const done = status(testPod({ restartPolicy: 'Never', containers: [A, B] }), ok);
    expect(cond(done, 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(cond(done, 'ContainersReady')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
    expect(cond(status(testPod({ restartPolicy: 'Never', containers: [A, B] }), bad), 'Ready')).toMatchObject({ reason: 'PodFailed' });
  });

  it('gives a terminated (deleted) pod a terminal phase whatever its restart policy', () => {
    const pod = testPod({ restartPolicy: 'Always', containers: [A] });
    expect(status(pod, [app('a', exited(0))], { terminated: true }).phase).toBe('Succeeded');
    expect(status(pod, [app('a', exited(137))], { terminated: true }).phase).toBe('Failed');
  });

  it('keeps a terminal phase', () => {
    expect(status(testPod({ containers: [A] }, { phase: 'Failed' }), [sandbox(), app('a')]).phase).toBe('Failed');
  });

  it('reports init containers: PodInitializing, Initialized condition and phase', () => {
    const pod = testPod({ initContainers: [I1], containers: [A] });
    let s = status(pod, [sandbox(), init('i1')]);
    expect(s.phase).toBe('Pending');
    expect(cs(s, 'a')?.state).toEqual({ waiting: { reason: 'PodInitializing' } });
    expect(s.initContainerStatuses?.[0]).toMatchObject({ name: 'i1', state: { running: { startedAt: '2024-01-01T00:00:01Z' } }, ready: false, started: false });
    expect(cond(s, 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [i1]' });
    s = status(pod, [sandbox(), init('i1', exited(0)), app('a')]);
    expect(cond(s, 'Initialized')?.status).toBe('True');
    expect(s.initContainerStatuses?.[0]).toMatchObject({ ready: true, state: { terminated: { reason: 'Completed' } } });
    expect(s.phase).toBe('Running');
  });

  it('fails a Never pod whose init container failed; keeps others Pending in Init:CrashLoopBackOff', () => {
    const failedInit = [sandbox(), init('i1', exited(1))];
    expect(status(testPod({ restartPolicy: 'Never', initContainers: [I1], containers: [A] }), failedInit).phase).toBe('Failed');
    const s = status(testPod({ restartPolicy: 'Always', initContainers: [I1], containers: [A] }), failedInit, { reasons: { i1: { reason: 'CrashLoopBackOff', message: 'back-off' } } });
    expect(s.phase).toBe('Pending');
    expect(s.initContainerStatuses?.[0]).toMatchObject({ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } });
  });

  it('shows image and config errors as waiting reasons of containers never started', () => {
    const s = status(testPod({ containers: [A] }), [sandbox()], { reasons: { a: { reason: 'ErrImagePull', message: 'pull failed' } } });
    expect(cs(s, 'a')?.state).toEqual({ waiting: { reason: 'ErrImagePull', message: 'pull failed' } });
    expect(s.phase).toBe('Pending');
  });

  it('keeps transition times of unchanged conditions and the first start time', () => {
    const pod = testPod({ containers: [A] });
    const obs = [sandbox(), app('a')];
    const first = status(pod, obs);
    const later = Date.parse('2024-01-01T00:05:00Z');
    const again = status({ ...pod, status: first }, obs, { now: later });
    expect(again).toEqual(first);
    const changed = status({ ...pod, status: first }, [sandbox(), app('a', exited(1))], { now: later });
    expect(cond(changed, 'Ready')?.lastTransitionTime).toBe('2024-01-01T00:05:00Z');
    expect(cond(changed, 'Initialized')?.lastTransitionTime).toBe('2024-01-01T00:01:00Z');
    expect(changed.startTime).toBe('2024-01-01T00:01:00Z');
  });

  it("keeps the scheduler's PodScheduled condition and conditions the kubelet does not own", () => {
    const scheduled = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2023-12-31T00:00:00Z' };
    const other = { type: 'DisruptionTarget', status: 'True', reason: 'x', lastTransitionTime: '2023-12-31T00:00:00Z' };
    const s = status(testPod({ containers: [A] }, { phase: 'Pending', conditions: [scheduled, other] }), []);
    expect(cond(s, 'PodScheduled')).toEqual(scheduled);
    expect(cond(s, 'DisruptionTarget')).toEqual(other);
  });

  it('keeps the last pod IP while no sandbox runs, and uses the host IP for hostNetwork pods', () => {
    const s = status(testPod({ containers: [A] }, { phase: 'Running', podIP: '10.0.0.9', podIPs: [{ ip: '10.0.0.9' }] }), [sandbox({ state: 'exited' })]);
    expect(s.podIP).toBe('10.0.0.9');
    const host = status(testPod({ hostNetwork: true, containers: [A] }), [sandbox({ ip: '' }), app('a')]);
    expect(host.podIP).toBe('192.168.1.2');
    expect(cond(host, 'PodReadyToStartContainers')?.status).toBe('True');
  });

  it('uses the stored restart count for a container whose instances are all gone', () => {
    const pod = testPod({ containers: [A] }, { phase: 'Running', containerStatuses: [{ name: 'a', restartCount: 4, containerID: 'docker://gone' }] });
    expect(cs(status(pod, [sandbox()]), 'a')?.restartCount).toBe(4);
  });
});
