import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { nodeType } from './node';

function node(extra: Record<string, unknown> = {}, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'skiff', labels, creationTimestamp: '2024-05-01T00:00:00Z' },
    ...extra,
  };
}

const now = Date.parse('2024-05-03T03:00:00Z');

describe('nodeType', () => {
  it('prints a ready control-plane node with its wide cells', () => {
    const n = node(
      {
        status: {
          conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
          addresses: [{ type: 'InternalIP', address: '192.168.65.3' }, { type: 'Hostname', address: 'skiff' }],
          nodeInfo: { kubeletVersion: 'v1.30.0', osImage: 'Docker Desktop', kernelVersion: '6.6.0', containerRuntimeVersion: 'docker://26.1.0' },
        },
      },
      { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' },
    );
    expect(nodeType.tableRow(n, now)).toEqual([
      'skiff',
      'Ready',
      'control-plane,worker',
      '2d3h',
      'v1.30.0',
      '192.168.65.3',
      '<none>',
      'Docker Desktop',
      '6.6.0',
      'docker://26.1.0',
    ]);
  });

  it('shows NotReady, Unknown and SchedulingDisabled', () => {
    expect(nodeType.tableRow(node({ status: { conditions: [{ type: 'Ready', status: 'False' }] } }), now)[1]).toBe('NotReady');
    const cordoned = node({ spec: { unschedulable: true } });
    expect(nodeType.tableRow(cordoned, now).slice(1, 3)).toEqual(['Unknown,SchedulingDisabled', '<none>']);
    expect(nodeType.tableRow(cordoned, now)[7]).toBe('<unknown>');
    expect(nodeType.fieldSelectors['spec.unschedulable'](cordoned)).toBe('true');
  });

  it('defaults allocatable to capacity and validates taints', () => {
    const n = node({ status: { capacity: { cpu: '4' } }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }, { effect: 'NoSchedule' }] } });
    nodeType.applyDefaults(n);
    expect(n.status).toEqual({ capacity: { cpu: '4' }, allocatable: { cpu: '4' } });
    expect(nodeType.validate(n).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'spec.taints[1].key: Required value',
    ]);
  });
});
