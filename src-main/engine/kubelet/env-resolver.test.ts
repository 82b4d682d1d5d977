import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { expandCommand, expandVars, resolveEnv, type EnvLookup, type EnvRuntime } from './env-resolver';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'hi' } },
  spec: { nodeName: 'node-1', serviceAccountName: 'default', containers: [{ name: 'c', resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } } }] },
};

const cm = (name: string, data: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });
const secret = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'shop' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

const objects: EnvLookup = {
  configMap: (n) => ({ settings: cm('settings', { mode: 'fast', 'log-level': 'debug', '1bad': 'x' }) })[n],
  secret: (n) => ({ creds: secret('creds', { password: 's3cret' }) })[n],
};

const runtime: EnvRuntime = { podIP: '10.0.0.5', hostIP: '192.168.1.2', allocatable: { cpu: 4, memory: 8 * 2 ** 30 }, serviceEnv: [['SVC_SERVICE_HOST', '10.96.0.9']] };

function env(container: Record<string, unknown>): Map<string, string> {
  const r = resolveEnv(pod, { name: 'c', ...container }, objects, runtime);
  if (!r.ok) throw new Error(r.message);
  return new Map(r.env);
}

function error(container: Record<string, unknown>): string {
  const r = resolveEnv(pod, { name: 'c', ...container }, objects, runtime);
  return r.ok ? '' : r.message;
}

describe('expandVars', () => {
  const lookup = (n: string): string | undefined => ({ A: 'x', B: 'y' })[n];
  it("follows Kubernetes' $(VAR) rules", () => {
    expect(expandVars('$(A)-$(B)', lookup)).toBe('x-y');
    expect(expandVars('$(MISSING)', lookup)).toBe('$(MISSING)');
    expect(expandVars('$$(A)', lookup)).toBe('$(A)');
    expect(expandVars('$$', lookup)).toBe('$');
    expect(expandVars('cost: $5', lookup)).toBe('cost: $5');
    expect(expandVars('$(A', lookup)).toBe('$(A');
    expect(expandVars('$()', lookup)).toBe('$()');
    expect(expandVars('end$', lookup)).toBe('end$');
  });
});

describe('resolveEnv', () => {
  it('resolves values with expansion against earlier variables and services', () => {
    const e = env({ env: [{ name: 'A', value: 'one' }, { name: 'B', value: '$(A)-two' }, { name: 'C', value: '$(SVC_SERVICE_HOST):80' }, { name: 'D', value: '$(LATER)' }, { name: 'LATER', value: 'x' }] });
    expect(e.get('B')).toBe('one-two');
    expect(e.get('C')).toBe('10.96.0.9:80');
    expect(e.get('D')).toBe('$(LATER)');
    expect(e.get('SVC_SERVICE_HOST')).toBe('10.96.0.9');
  });

  it('lets container variables override service variables, keeping one entry', () => {
    const r = resolveEnv(pod, { name: 'c', env: [{ name: 'SVC_SERVICE_HOST', value: 'mine' }] }, objects, runtime);
    expect(r.ok && r.env.filter(([k]) => k === 'SVC_SERVICE_HOST')).toEqual([['SVC_SERVICE_HOST', 'mine']]);
  });

  it('resolves fieldRef and resourceFieldRef', () => {
    const e = env({
      resources: { limits: { memory: '64Mi' }, requests: { cpu: '250m' } },
      env: [
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'NOTE', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['note']" } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'CPU_REQ_M', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'CPU_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
        { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
        { name: 'OTHER_MEM', valueFrom: { resourceFieldRef: { containerName: 'c', resource: 'limits.memory' } } },
      ],
    });
    expect(Object.fromEntries([...e].filter(([k]) => !k.startsWith('SVC')))).toEqual({
      NAME: 'web',
      NS: 'shop',
      UID: 'u-1',
      APP: 'web',
      NOTE: 'hi',
      NODE: 'node-1',
      SA: 'default',
      IP: '10.0.0.5',
      HOST: '192.168.1.2',
      MEM: '64',
      CPU_REQ_M: '250',
      CPU_REQ: '1',
      CPU_LIMIT: '4',
      OTHER_MEM: String(64 * 2 ** 20),
    });
  });

  it('resolves configMapKeyRef and secretKeyRef, skipping optional ones that are missing', () => {
    const e = env({
      env: [
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
        { name: 'OPT1', valueFrom: { configMapKeyRef: { name: 'absent', key: 'x', optional: true } } },
        { name: 'OPT2', valueFrom: { secretKeyRef: { name: 'creds', key: 'absent', optional: true } } },
      ],
    });
    expect(e.get('MODE')).toBe('fast');
    expect(e.get('PW')).toBe('s3cret');
    expect(e.has('OPT1')).toBe(false);
    expect(e.has('OPT2')).toBe(false);
  });

  it('reports missing sources and keys as the kubelet words them', () => {
    expect(error({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] })).toBe('configmap "absent" not found');
    expect(error({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'settings', key: 'k' } } }] })).toBe("couldn't find key k in ConfigMap shop/settings");
    expect(error({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k' } } }] })).toBe('secret "absent" not found');
    expect(error({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'k' } } }] })).toBe("couldn't find key k in Secret shop/creds");
    expect(error({ envFrom: [{ configMapRef: { name: 'absent' } }] })).toBe('configmap "absent" not found');
    expect(error({ envFrom: [{ secretRef: { name: 'absent' } }] })).toBe('secret "absent" not found');
  });

  it('takes envFrom with prefixes, skips invalid names with a warning, and lets env override', () => {
    const r = resolveEnv(
      pod,
      { name: 'c', envFrom: [{ configMapRef: { name: 'settings' }, prefix: 'CFG_' }, { secretRef: { name: 'creds' } }, { configMapRef: { name: 'absent', optional: true } }], env: [{ name: 'CFG_mode', value: 'slow' }] },
      objects,
      runtime,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const e = new Map(r.env);
    expect(e.get('CFG_mode')).toBe('slow');
    expect(e.get('CFG_log-level')).toBe('debug');
    expect(e.get('password')).toBe('s3cret');
    expect(r.warnings).toEqual([]);
    const bad = resolveEnv(pod, { name: 'c', envFrom: [{ configMapRef: { name: 'settings' } }] }, objects, runtime);
    expect(bad.ok && bad.warnings).toEqual(['Keys [1bad] from the EnvFrom configMap shop/settings were skipped since they are considered invalid environment variable names.']);
  });
});

describe('expandCommand', () => {
  it('expands command and args against the final environment', () => {
    const out = expandCommand({ command: ['echo', '$(A)'], args: ['$(B)', '$$(A)', '$(NONE)'] }, [['A', '1'], ['B', '2']]);
    expect(out).toEqual({ command: ['echo', '1'], args: ['2', '$(A)', '$(NONE)'] });
    expect(expandCommand({}, [])).toEqual({ command: undefined, args: undefined });
  });
});
