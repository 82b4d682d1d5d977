import { describe, expect, it } from 'vitest';
import { clusterIpClientFilter, inCidr } from './cluster-ip-clients';

describe('clusterIpClientFilter', () => {
  const accept = clusterIpClientFilter(['10.123.4.0/24']);

  it('takes pods of the pod network and the host itself', () => {
    expect(accept('10.123.4.17', '10.96.1.2')).toBe(true);
    expect(accept('::ffff:10.123.4.17', '10.96.1.2')).toBe(true);
    expect(accept('127.0.0.1', '10.96.1.2')).toBe(true);
    expect(accept('10.96.1.2', '10.96.1.2')).toBe(true);
  });

  it('refuses anyone else (a LAN peer, another Docker network, garbage)', () => {
    expect(accept('192.168.1.50', '10.96.1.2')).toBe(false);
    expect(accept('10.123.5.17', '10.96.1.2')).toBe(false);
    expect(accept('10.96.1.3', '10.96.1.2')).toBe(false);
    expect(accept('', '10.96.1.2')).toBe(false);
    expect(accept('fe80::1', '10.96.1.2')).toBe(false);
  });

  it('inCidr', () => {
    expect(inCidr('10.0.0.1', '0.0.0.0/0')).toBe(true);
    expect(inCidr('10.0.0.1', '10.0.0.1/32')).toBe(true);
    expect(inCidr('10.0.0.2', '10.0.0.1/32')).toBe(false);
    expect(inCidr('10.0.0.2', 'nonsense')).toBe(false);
    expect(inCidr('300.0.0.2', '10.0.0.0/8')).toBe(false);
  });
});
