import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { podQosClass } from './pod-qos';

function pod(resources: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: resources.map((r, i) => ({ name: `c${i}`, image: 'x', resources: r })) },
  };
}

describe('podQosClass', () => {
  it('classifies pods', () => {
    expect(podQosClass(pod([{}]))).toBe('BestEffort');
    expect(podQosClass(pod([{ limits: { cpu: '1', memory: '1Gi' } }]))).toBe('Guaranteed');
    expect(podQosClass(pod([{ requests: { cpu: '100m' } }]))).toBe('Burstable');
    expect(podQosClass(pod([{ limits: { cpu: '1', memory: '1Gi' } }, {}]))).toBe('Burstable');
    expect(podQosClass(pod([{ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }]))).toBe('Burstable');
  });
});
