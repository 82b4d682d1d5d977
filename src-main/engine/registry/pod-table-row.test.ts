import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { podTableRow } from './pod-table-row';

const now = Date.parse('2024-05-01T12:10:00Z');

function pod(status: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }], nodeName: 'skiff' },
    status,
    ...extra,
  };
}

describe('podTableRow', () => {
  it('shows a running pod', () => {
    const row = podTableRow(
      pod({
        phase: 'Running',
        podIPs: [{ ip: '10.1.0.5' }],
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          { name: 'b', ready: true, restartCount: 0, state: { running: {} } },
        ],
      }),
      now,
    );
    expect(row).toEqual(['web-1', '2/2', 'Running', '0', '10m', '10.1.0.5', 'skiff', '<none>', '<none>']);
  });

  it('shows CrashLoopBackOff with restarts and the last restart age', () => {
    const row = podTableRow(
      pod({
        phase: 'Running',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: { running: {} } },
          {
            name: 'b',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T12:05:00Z' } },
          },
        ],
      }),
      now,
    );
    expect(row.slice(0, 5)).toEqual(['web-1', '1/2', 'CrashLoopBackOff', '3 (5m ago)', '10m']);
    expect(row[5]).toBe('<none>');
  });

  it('shows Terminating for a pod being deleted', () => {
    const p = pod({ phase: 'Running' });
    p.metadata.deletionTimestamp = '2024-05-01T12:09:00Z';
    expect(podTableRow(p, now)[2]).toBe('Terminating');
  });

  it('shows Pending, ContainerCreating and Completed', () => {
    expect(podTableRow(pod({ phase: 'Pending' }), now).slice(1, 4)).toEqual(['0/2', 'Pending', '0']);
    expect(
      podTableRow(pod({ phase: 'Pending', containerStatuses: [{ name: 'a', state: { waiting: { reason: 'ContainerCreating' } } }] }), now)[2],
    ).toBe('ContainerCreating');
    expect(
      podTableRow(
        pod({ phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
        now,
      )[2],
    ).toBe('Completed');
  });

  it('shows init progress', () => {
    const p = pod({
      phase: 'Pending',
      initContainerStatuses: [{ name: 'init', state: { running: {} }, restartCount: 0 }],
    });
    (p.spec as Record<string, unknown>).initContainers = [{ name: 'init', image: 'busybox' }];
    expect(podTableRow(p, now)[2]).toBe('Init:0/1');
  });

  it('counts readiness gates', () => {
    const p = pod({ phase: 'Running', conditions: [{ type: 'example.com/ready', status: 'True' }] });
    (p.spec as Record<string, unknown>).readinessGates = [{ conditionType: 'example.com/ready' }, { conditionType: 'other' }];
    expect(podTableRow(p, now)[8]).toBe('1/2');
  });
});
