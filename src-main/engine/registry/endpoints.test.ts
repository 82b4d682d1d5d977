import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { endpointsType, formatEndpoints } from './endpoints';

function ep(subsets: unknown): KubeObject {
  const e: KubeObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets };
  endpointsType.applyDefaults(e);
  return e;
}

describe('endpointsType', () => {
  it('formats up to three endpoints, then "+ N more..."', () => {
    expect(formatEndpoints(ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] }]))).toBe('10.0.0.1:80,10.0.0.2:80');
    expect(
      formatEndpoints(
        ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }, { ip: '10.0.0.5' }], ports: [{ port: 80 }] }]),
      ),
    ).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...');
    expect(formatEndpoints(ep(undefined))).toBe('<none>');
    expect(formatEndpoints(ep([{ addresses: [{ ip: 'fd00::1' }] }]))).toBe('fd00::1');
    expect(formatEndpoints(ep([{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }]))).toBe('[fd00::1]:80');
  });

  it('defaults port protocols and validates subsets', () => {
    const e = ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]);
    expect(e.subsets).toEqual([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
    expect(endpointsType.validate(e)).toEqual([]);
    const bad = ep([{ ports: [{ port: 0 }, { port: 81, name: 'b' }] }, { addresses: [{ ip: 'nope' }] }]);
    expect(endpointsType.validate(bad).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'subsets[1].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });

  it('has the real columns', () => {
    expect(endpointsType.tableColumns.map((c) => c.name)).toEqual(['Name', 'Endpoints', 'Age']);
    expect(endpointsType.singular).toBe('endpoints');
  });
});
