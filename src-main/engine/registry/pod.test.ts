import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { podType } from './pod';

function newPod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'web', image: 'nginx:1.25', resources: { limits: { cpu: '1', memory: '128Mi' } } }] },
  };
}

describe('podType', () => {
  it('applies pod-only defaults on top of the PodSpec defaults', () => {
    const p = newPod();
    podType.applyDefaults(p);
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      serviceAccountName: 'default',
      serviceAccount: 'default',
      containers: [
        {
          imagePullPolicy: 'IfNotPresent',
          resources: { limits: { cpu: '1', memory: '128Mi' }, requests: { cpu: '1', memory: '128Mi' } },
        },
      ],
    });
  });

  it('validates a defaulted pod and records Pending status with the QoS class on create', () => {
    const p = newPod();
    podType.applyDefaults(p);
    expect(podType.validate(p)).toEqual([]);
    p.status = { phase: 'Running' };
    podType.prepareForCreate?.(p);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });

  it('allows image updates but forbids other spec changes', () => {
    const old = newPod();
    podType.applyDefaults(old);
    const imageOnly = deepCopy(old);
    (imageOnly.spec as { containers: { image: string }[] }).containers[0].image = 'nginx:1.26';
    expect(podType.validate(imageOnly, old)).toEqual([]);
    const bound = deepCopy(old);
    (bound.spec as Record<string, unknown>).nodeName = 'skiff';
    expect(podType.validate(bound, old)).toEqual([]);
    const changed = deepCopy(old);
    (changed.spec as Record<string, unknown>).restartPolicy = 'Never';
    const causes = podType.validate(changed, old);
    expect(causes).toHaveLength(1);
    expect(causes[0].field).toBe('spec');
    expect(causes[0].message).toMatch(/^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  });

  it('serves the pod field selectors', () => {
    const p = newPod();
    p.spec = { ...(p.spec as object), nodeName: 'skiff', restartPolicy: 'Always' };
    p.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.7' }], podIP: '10.0.0.7' };
    const values = Object.fromEntries(Object.entries(podType.fieldSelectors).map(([k, f]) => [k, f(p)]));
    expect(values).toMatchObject({
      'spec.nodeName': 'skiff',
      'spec.restartPolicy': 'Always',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.7',
      'status.nominatedNodeName': '',
      'spec.hostNetwork': 'false',
    });
  });

  it('declares the real pod columns', () => {
    expect(podType.tableColumns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Ready:0',
      'Status:0',
      'Restarts:0',
      'Age:0',
      'IP:1',
      'Node:1',
      'Nominated Node:1',
      'Readiness Gates:1',
    ]);
    expect(podType.tableColumns[0].format).toBe('name');
  });
});
