import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { isPodActive, isPodAvailable, isPodReady, maxContainerRestarts, msUntilAvailable } from './pod-state';

const READY_AT = Date.parse('2025-01-01T00:00:00Z');

const pod = (status: Record<string, unknown>, extra: Partial<KubeObject['metadata']> = {}, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', ...extra },
  spec,
  status,
});
const ready = pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] });

describe('pod state', () => {
  it('is active unless finished or being deleted', () => {
    expect(isPodActive(pod({ phase: 'Pending' }))).toBe(true);
    expect(isPodActive(pod({ phase: 'Succeeded' }))).toBe(false);
    expect(isPodActive(pod({ phase: 'Failed' }))).toBe(false);
    expect(isPodActive(pod({ phase: 'Running' }, { deletionTimestamp: '2025-01-01T00:00:00Z' }))).toBe(false);
  });

  it('is available once ready for strictly more than minReadySeconds', () => {
    expect(isPodReady(ready)).toBe(true);
    expect(isPodAvailable(ready, 0, READY_AT)).toBe(true);
    expect(isPodAvailable(ready, 10, READY_AT + 10_000)).toBe(false);
    expect(isPodAvailable(ready, 10, READY_AT + 10_001)).toBe(true);
    expect(msUntilAvailable(ready, 10, READY_AT + 4_000)).toBe(6_001);
    expect(msUntilAvailable(ready, 10, READY_AT + 20_000)).toBeUndefined();
    expect(isPodAvailable(pod({ phase: 'Running' }), 0, READY_AT)).toBe(false);
  });

  it('reads the highest restart counts of containers and sidecars', () => {
    const p = pod(
      {
        containerStatuses: [{ name: 'a', restartCount: 2 }, { name: 'b', restartCount: 5 }],
        initContainerStatuses: [{ name: 'init', restartCount: 9 }, { name: 'side', restartCount: 3 }],
      },
      {},
      { initContainers: [{ name: 'init' }, { name: 'side', restartPolicy: 'Always' }] },
    );
    expect(maxContainerRestarts(p)).toEqual({ regular: 5, sidecar: 3 });
  });
});
