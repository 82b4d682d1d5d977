import { describe, expect, it } from 'vitest';
import { podDisplayStatus, toPodRow } from './pod-row';

function pod(status: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return {
    metadata: { name: 'web-1', namespace: 'default', uid: 'u1', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', controller: true }], ...extra },
    spec: { nodeName: 'skiff', containers: [{ name: 'app' }, { name: 'side' }] },
    status,
  };
}

describe('toPodRow', () => {
  it('projects what the pods table shows', () => {
    const row = toPodRow(
      pod({
        phase: 'Running',
        podIP: '10.0.0.5',
        containerStatuses: [
          { name: 'app', ready: true, restartCount: 2, state: { running: {} } },
          { name: 'side', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      }),
    );
    expect(row).toEqual({
      uid: 'u1',
      name: 'web-1',
      namespace: 'default',
      createdAt: '2026-01-01T00:00:00Z',
      labels: {},
      resourceVersion: '5',
      deleting: false,
      phase: 'Running',
      status: 'CrashLoopBackOff',
      readyContainers: 1,
      totalContainers: 2,
      restarts: 3,
      podIP: '10.0.0.5',
      nodeName: 'skiff',
      owner: { kind: 'ReplicaSet', name: 'web-abc' },
      containers: ['app', 'side'],
      initContainers: [],
    });
  });

  it('shows kubectl’s status reasons', () => {
    expect(podDisplayStatus(pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }] }))).toBe('Running');
    expect(podDisplayStatus(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }))).toBe('Completed');
    expect(podDisplayStatus(pod({ phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 2 } } }] }))).toBe('ExitCode:2');
    expect(podDisplayStatus(pod({ phase: 'Running' }, { deletionTimestamp: '2026-01-01T00:00:00Z' }))).toBe('Terminating');
    const initializing = { ...(pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] }) as object) };
    (initializing as { spec: { initContainers: unknown[] } }).spec.initContainers = [{ name: 'init' }];
    expect(podDisplayStatus(initializing)).toBe('Init:0/1');
  });

  it('survives malformed objects', () => {
    expect(toPodRow({ metadata: 'x', spec: 7, status: null })).toMatchObject({ name: '', phase: 'Unknown', status: 'Unknown', containers: [] });
  });
});
