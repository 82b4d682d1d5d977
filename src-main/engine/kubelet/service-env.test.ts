import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { serviceEnvVars } from './service-env';

const svc = (namespace: string, name: string, clusterIP: string, ports: Array<Record<string, unknown>>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { namespace, name },
  spec: { clusterIP, ports },
});

describe('serviceEnvVars', () => {
  const services = [
    svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]),
    svc('app', 'redis-main', '10.96.0.20', [{ port: 6379 }, { name: 'metrics', port: 9121, protocol: 'TCP' }]),
    svc('app', 'headless', 'None', [{ port: 80 }]),
    svc('other', 'elsewhere', '10.96.0.30', [{ port: 80 }]),
  ];

  it('gives the Docker-links variables of the namespace and the kubernetes service', () => {
    const env = new Map(serviceEnvVars(services, 'app', true));
    expect(env.get('KUBERNETES_SERVICE_HOST')).toBe('10.96.0.1');
    expect(env.get('KUBERNETES_SERVICE_PORT')).toBe('443');
    expect(env.get('KUBERNETES_SERVICE_PORT_HTTPS')).toBe('443');
    expect(env.get('KUBERNETES_PORT')).toBe('tcp://10.96.0.1:443');
    expect(env.get('KUBERNETES_PORT_443_TCP_ADDR')).toBe('10.96.0.1');
    expect(env.get('REDIS_MAIN_SERVICE_HOST')).toBe('10.96.0.20');
    expect(env.get('REDIS_MAIN_SERVICE_PORT')).toBe('6379');
    expect(env.get('REDIS_MAIN_SERVICE_PORT_METRICS')).toBe('9121');
    expect(env.get('REDIS_MAIN_PORT')).toBe('tcp://10.96.0.20:6379');
    expect(env.get('REDIS_MAIN_PORT_9121_TCP')).toBe('tcp://10.96.0.20:9121');
    expect(env.get('REDIS_MAIN_PORT_9121_TCP_PROTO')).toBe('tcp');
    expect(env.get('REDIS_MAIN_PORT_9121_TCP_PORT')).toBe('9121');
    expect([...env.keys()].some((k) => k.startsWith('HEADLESS') || k.startsWith('ELSEWHERE'))).toBe(false);
  });

  it('keeps only the kubernetes service without enableServiceLinks', () => {
    const names = serviceEnvVars(services, 'app', false).map(([k]) => k);
    expect(names.every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
    expect(names.length).toBeGreaterThan(0);
  });
});
