import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { endpointSliceType } from './endpoint-slice';

function slice(extra: Record<string, unknown>): KubeObject {
  const s: KubeObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', namespace: 'default' }, ...extra };
  endpointSliceType.applyDefaults(s);
  return s;
}

describe('endpointSliceType', () => {
  it('defaults ports and validates a good slice', () => {
    const s = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }] });
    expect(s.ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    expect(endpointSliceType.validate(s)).toEqual([]);
  });

  it('reports address type, empty endpoints and bad addresses', () => {
    expect(endpointSliceType.validate(slice({})).map((c) => `${c.field}: ${c.message}`)).toEqual(['addressType: Required value']);
    const s = slice({ addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['fd00::1'] }] });
    expect(endpointSliceType.validate(s).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
    ]);
    const old = slice({ addressType: 'IPv4' });
    const next = deepCopy(old);
    next.addressType = 'IPv6';
    expect(endpointSliceType.validate(next, old).map((c) => c.message)).toEqual(['Invalid value: "IPv6": field is immutable']);
  });

  it('prints ports and endpoints with <unset> and "+ N more..."', () => {
    const s = slice({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3', '10.0.0.4'] }],
      ports: [{ port: 80 }, { port: 443 }],
    });
    const row = endpointSliceType.tableRow(s, Date.now());
    expect(row.slice(0, 4)).toEqual(['web-abc', 'IPv4', '80,443', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...']);
    expect(endpointSliceType.tableRow(slice({ addressType: 'IPv4' }), Date.now()).slice(2, 4)).toEqual(['<unset>', '<unset>']);
  });
});
