/** Test support: ObservedContainer values for the pure planner and status tests (not used by the engine). */
import type { KubeObject } from '../object';
import type { JsonObject } from '../registry/json-access';
import { containerSpecHash } from './container-config';
import type { ObservedContainer } from './observed-container';

let seq = 0;

export function observed(partial: Partial<ObservedContainer> & Pick<ObservedContainer, 'name' | 'role'>): ObservedContainer {
  seq++;
  return {
    id: partial.id ?? `id${seq}`,
    podUid: 'uid-1',
    restartCount: 0,
    state: 'running',
    exitCode: 0,
    oomKilled: false,
    startError: '',
    createdAt: '2024-01-01T00:00:00Z',
    startedAt: '2024-01-01T00:00:01Z',
    finishedAt: '',
    startedAtMs: Date.parse('2024-01-01T00:00:01Z'),
    finishedAtMs: 0,
    image: 'busybox:1.36',
    imageId: 'sha256:abc',
    specHash: '',
    sandboxId: partial.role === 'sandbox' ? '' : 'sb',
    ip: partial.role === 'sandbox' ? '10.0.0.2' : '',
    stopSignal: '',
    tty: false,
    ...partial,
  };
}

export const sandbox = (p: Partial<ObservedContainer> = {}): ObservedContainer => observed({ id: 'sb', name: 'POD', role: 'sandbox', ...p });

export function app(name: string, p: Partial<ObservedContainer> = {}): ObservedContainer {
  return observed({ name, role: 'app', ...p });
}

export function init(name: string, p: Partial<ObservedContainer> = {}): ObservedContainer {
  return observed({ name, role: 'init', ...p });
}

export function exited(code: number, p: Partial<ObservedContainer> = {}): Partial<ObservedContainer> {
  return { state: 'exited', exitCode: code, finishedAt: '2024-01-01T00:00:05Z', finishedAtMs: Date.parse('2024-01-01T00:00:05Z'), ...p };
}

export function testPod(spec: JsonObject, status: JsonObject = { phase: 'Pending' }): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'uid-1' }, spec: { nodeName: 'n', ...spec }, status };
}

/** A running app container whose spec hash matches `spec`. */
export function current(spec: JsonObject, p: Partial<ObservedContainer> = {}): ObservedContainer {
  return app(String(spec.name), { specHash: containerSpecHash(spec), ...p });
}
