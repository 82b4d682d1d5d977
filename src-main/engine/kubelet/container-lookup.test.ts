import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { chooseContainer, instanceFor } from './container-lookup';

const pod = (containers: string[], inits: string[] = [], annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', annotations },
  spec: { containers: containers.map((name) => ({ name })), initContainers: inits.map((name) => ({ name })) },
});

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return '';
}

describe('chooseContainer', () => {
  it('picks the requested, annotated or only container', () => {
    expect(chooseContainer(pod(['a']), undefined)).toBe('a');
    expect(chooseContainer(pod(['a', 'b']), 'b')).toBe('b');
    expect(chooseContainer(pod(['a', 'b'], ['i']), 'i')).toBe('i');
    expect(chooseContainer(pod(['a', 'b'], [], { 'kubectl.kubernetes.io/default-container': 'b' }), '')).toBe('b');
  });
  it("refuses with the API server's messages", () => {
    expect(message(() => chooseContainer(pod(['a', 'b'], ['i']), undefined))).toBe('a container name must be specified for pod p, choose one of: [i a b]');
    expect(message(() => chooseContainer(pod(['a']), 'z'))).toBe('container z is not valid for pod p');
  });
});

describe('instanceFor', () => {
  const running = { name: 'c', containerID: 'docker://r1', state: { running: {} }, lastState: { terminated: { containerID: 'docker://old' } } };
  it('reads the current or the previous instance', () => {
    expect(instanceFor('p', 'c', running, false)).toBe('r1');
    expect(instanceFor('p', 'c', running, true)).toBe('old');
    expect(instanceFor('p', 'c', { name: 'c', state: { terminated: { containerID: 'docker://t' } } }, false)).toBe('t');
    expect(instanceFor('p', 'c', { name: 'c', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { containerID: 'docker://l' } } }, false)).toBe('l');
  });
  it("refuses with the kubelet's messages", () => {
    expect(message(() => instanceFor('p', 'c', { name: 'c', state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} }, false))).toBe('container "c" in pod "p" is waiting to start: ContainerCreating');
    expect(message(() => instanceFor('p', 'c', { name: 'c', state: { waiting: { reason: 'ErrImagePull' } } }, false))).toBe('container "c" in pod "p" is waiting to start: image can\'t be pulled');
    expect(message(() => instanceFor('p', 'c', { name: 'c', state: { waiting: { reason: 'ImagePullBackOff' } } }, false))).toBe('container "c" in pod "p" is waiting to start: trying and failing to pull image');
    expect(message(() => instanceFor('p', 'c', { name: 'c', state: { running: {} }, lastState: {} }, true))).toBe('previous terminated container "c" in pod "p" not found');
    expect(message(() => instanceFor('p', 'c', undefined, false))).toBe('container "c" in pod "p" is not available');
  });
});
