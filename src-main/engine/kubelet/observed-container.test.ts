import { describe, expect, it } from 'vitest';
import { byRecency, instancesOf, kubeTime, parseInspect, repoDigests } from './observed-container';
import { app } from './observed-fixtures';

const inspect = (state: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown => ({
  Id: 'abc',
  Created: '2024-05-01T10:00:00.123456789Z',
  Image: 'sha256:img',
  State: { Status: 'running', ExitCode: 0, Error: '', OOMKilled: false, StartedAt: '2024-05-01T10:00:01.5Z', FinishedAt: '0001-01-01T00:00:00Z', ...state },
  Config: {
    Image: 'busybox:1.36',
    Tty: true,
    StopSignal: 'SIGQUIT',
    Labels: { 'dev.skiff.pod-uid': 'u1', 'dev.skiff.container': 'web', 'dev.skiff.role': 'app', 'dev.skiff.restart-count': '3', 'dev.skiff.spec-hash': 'h' },
  },
  HostConfig: { NetworkMode: 'container:sandbox1' },
  NetworkSettings: { Networks: { 'skiff-x': { IPAddress: '10.1.0.4' } } },
  ...extra,
});

describe('parseInspect', () => {
  it('reads what the kubelet needs from docker inspect', () => {
    expect(parseInspect(inspect({}), 'skiff-x')).toEqual({
      id: 'abc',
      podUid: 'u1',
      role: 'app',
      name: 'web',
      restartCount: 3,
      state: 'running',
      exitCode: 0,
      oomKilled: false,
      startError: '',
      createdAt: '2024-05-01T10:00:00Z',
      startedAt: '2024-05-01T10:00:01Z',
      finishedAt: '',
      startedAtMs: Date.parse('2024-05-01T10:00:01.5Z'),
      finishedAtMs: 0,
      image: 'busybox:1.36',
      imageId: 'sha256:img',
      specHash: 'h',
      sandboxId: 'sandbox1',
      ip: '10.1.0.4',
      stopSignal: 'SIGQUIT',
      tty: true,
    });
  });

  it('maps Docker states: exited, OOM, failed start, created', () => {
    const exited = parseInspect(inspect({ Status: 'exited', ExitCode: 137, OOMKilled: true, FinishedAt: '2024-05-01T10:00:09Z' }), 'n');
    expect(exited).toMatchObject({ state: 'exited', exitCode: 137, oomKilled: true, finishedAt: '2024-05-01T10:00:09Z' });
    const failed = parseInspect(inspect({ Status: 'created', ExitCode: 127, Error: 'exec: "x": not found', StartedAt: '0001-01-01T00:00:00Z' }), 'n');
    expect(failed).toMatchObject({ state: 'exited', exitCode: 127, startError: 'exec: "x": not found', startedAt: '', startedAtMs: 0 });
    expect(parseInspect(inspect({ Status: 'created' }), 'n')?.state).toBe('created');
    expect(parseInspect(inspect({ Status: 'dead' }), 'n')?.state).toBe('exited');
  });

  it('rejects what is not a container and tolerates missing parts', () => {
    expect(parseInspect(null, 'n')).toBeUndefined();
    expect(parseInspect({ Id: 'x' }, 'n')).toMatchObject({ id: 'x', role: 'app', restartCount: 0, state: 'exited', sandboxId: '', ip: '' });
    expect(parseInspect(inspect({}, { Config: { Labels: { 'dev.skiff.restart-count': '-4', 'dev.skiff.role': 'sandbox' } } }), 'n')).toMatchObject({ restartCount: 0, role: 'sandbox' });
  });
});

describe('helpers', () => {
  it('orders instances newest first by restart count', () => {
    const list = [app('a', { id: '1', restartCount: 1 }), app('a', { id: '3', restartCount: 3 }), app('b', { id: 'b' }), app('a', { id: '2', restartCount: 2 })];
    expect(instancesOf(list, 'a', 'app').map((c) => c.id)).toEqual(['3', '2', '1']);
    expect([...list].sort(byRecency)[0].id).toBe('3');
  });

  it('formats times and digests', () => {
    expect(kubeTime('2024-05-01T10:00:00.999999Z')).toBe('2024-05-01T10:00:00Z');
    expect(kubeTime('0001-01-01T00:00:00Z')).toBe('');
    expect(kubeTime(undefined)).toBe('');
    expect(repoDigests({ RepoDigests: ['busybox@sha256:1', 3] })).toEqual(['busybox@sha256:1']);
    expect(repoDigests('x')).toEqual([]);
  });
});
