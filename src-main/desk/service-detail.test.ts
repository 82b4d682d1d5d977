import { describe, expect, it } from 'vitest';
import type { ServicePort } from '../contract/rows';
import { addressesFromPods, forwardTarget, forwardTargetFromPods } from './service-detail';

const port = (p: Partial<ServicePort> & { port: number }): ServicePort => ({ name: null, targetPort: null, protocol: 'TCP', nodePort: null, ...p });

const pod = (name: string) => ({ ip: '10.0.0.1', targetRef: { kind: 'Pod', name } });

describe('forwardTarget', () => {
  it('goes to a ready pod on the port the Endpoints resolved (named target ports included)', () => {
    const ports = [port({ name: 'http', port: 80, targetPort: 'web' }), port({ name: 'metrics', port: 9090 })];
    const endpoints = {
      subsets: [
        { addresses: [pod('web-1')], notReadyAddresses: [pod('web-0')], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9091 }] },
      ],
    };
    expect(forwardTarget('web', ports, endpoints, 80)).toEqual({ pod: 'web-1', podPort: 8080 });
    expect(forwardTarget('web', ports, endpoints, 9090)).toEqual({ pod: 'web-1', podPort: 9091 });
  });

  it('takes the only port of a single-port Service whatever its name', () => {
    expect(forwardTarget('one', [port({ port: 80 })], { subsets: [{ addresses: [pod('p')], ports: [{ port: 8000 }] }] }, 80)).toEqual({ pod: 'p', podPort: 8000 });
  });

  it('says why it cannot forward', () => {
    const ports = [port({ port: 80 }), port({ port: 53, protocol: 'UDP' })];
    expect(() => forwardTarget('web', ports, null, 81)).toThrow('service web has no port 81 (it has 80, 53)');
    expect(() => forwardTarget('web', ports, null, 53)).toThrow('only TCP');
    expect(() => forwardTarget('web', ports, { subsets: [{ notReadyAddresses: [pod('p')], ports: [{ port: 80 }] }] }, 80)).toThrow('no ready pod behind service web port 80');
    expect(() => forwardTarget('web', ports, 'garbage', 80)).toThrow('no ready pod');
  });
});

describe('forwardTargetFromPods (clusters without Endpoints)', () => {
  const readyPod = (name: string, ready = true) => ({
    metadata: { name },
    spec: { containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { podIP: '10.0.0.2', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

  it('resolves a named target port on a ready pod', () => {
    const ports = [port({ name: 'web', port: 80, targetPort: 'http' })];
    expect(forwardTargetFromPods('hello', ports, [readyPod('a', false), readyPod('b')], 80)).toEqual({ pod: 'b', podPort: 8080 });
    expect(forwardTargetFromPods('hello', [port({ port: 80, targetPort: '9000' })], [readyPod('b')], 80)).toEqual({ pod: 'b', podPort: 9000 });
    expect(forwardTargetFromPods('hello', [port({ port: 80 })], [readyPod('b')], 80)).toEqual({ pod: 'b', podPort: 80 });
  });

  it('refuses when no ready pod has the port', () => {
    expect(() => forwardTargetFromPods('hello', [port({ port: 80, targetPort: 'nope' })], [readyPod('b')], 80)).toThrow('no ready pod');
    expect(() => forwardTargetFromPods('hello', [port({ port: 80 })], [readyPod('a', false), null, 'x'], 80)).toThrow('no ready pod');
  });

  it('lists selected pods as endpoint addresses, ready first', () => {
    expect(addressesFromPods([readyPod('a', false), readyPod('b'), { metadata: { name: 'no-ip' } }]).map((a) => `${a.podName}:${a.ready}`)).toEqual(['b:true', 'a:false']);
  });
});
