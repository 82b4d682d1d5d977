import { describe, expect, it } from 'vitest';
import { probeAction, resolvePort } from './probe-action';

const container = { name: 'web', ports: [{ name: 'http', containerPort: 8080 }, { name: 'admin', containerPort: 9090 }] };

describe('resolvePort', () => {
  it('takes numbers, names of container ports, and numbers written as strings', () => {
    expect(resolvePort(80, undefined)).toBe(80);
    expect(resolvePort('admin', container)).toBe(9090);
    expect(resolvePort('8081', container)).toBe(8081);
  });
  it('explains what it cannot resolve', () => {
    expect(resolvePort('metrics', container)).toBe('port "metrics" not found in container "web"');
    expect(resolvePort(0, container)).toBe('invalid port number: 0');
    expect(resolvePort(70000, container)).toBe('invalid port number: 70000');
    expect(resolvePort(undefined, container)).toBe('invalid port number: undefined');
  });
});

describe('probeAction', () => {
  it('parses exec', () => {
    expect(probeAction({ exec: { command: ['cat', '/tmp/healthy'] } })).toEqual({ type: 'exec', command: ['cat', '/tmp/healthy'] });
  });
  it('parses httpGet with defaults and a named port', () => {
    expect(probeAction({ httpGet: { port: 'http', httpHeaders: [{ name: 'X', value: '1' }] } }, container)).toEqual({
      type: 'http',
      scheme: 'HTTP',
      host: undefined,
      port: 8080,
      path: '/',
      headers: [{ name: 'X', value: '1' }],
    });
    expect(probeAction({ httpGet: { port: 443, scheme: 'HTTPS', path: '/healthz', host: '127.0.0.1' } })).toMatchObject({ scheme: 'HTTPS', host: '127.0.0.1', path: '/healthz' });
  });
  it('parses tcpSocket and grpc', () => {
    expect(probeAction({ tcpSocket: { port: 'admin' } }, container)).toEqual({ type: 'tcp', host: undefined, port: 9090 });
    expect(probeAction({ grpc: { port: 50051, service: 'liveness' } })).toEqual({ type: 'grpc', port: 50051, service: 'liveness' });
  });
  it('marks unusable probes invalid with the reason', () => {
    expect(probeAction({ httpGet: { port: 'nope' } }, container)).toEqual({ type: 'invalid', error: 'port "nope" not found in container "web"' });
    expect(probeAction({ tcpSocket: { port: -1 } })).toMatchObject({ type: 'invalid' });
    expect(probeAction({ periodSeconds: 1 })).toMatchObject({ type: 'invalid' });
  });
});
