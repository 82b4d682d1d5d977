import { describe, expect, it } from 'vitest';
import type { CallInput, CallName, SubscriptionInput, SubscriptionName } from './contract';
import { calls, isCallName, isSubscriptionName, subscriptions } from './contract';
import type { Validator } from './validate';

/** A valid input for every call: typed so that adding a call without a sample fails to compile. */
const validCalls: { [C in CallName]: CallInput<C> } = {
  'app.version': undefined,
  'app.info': undefined,
  'app.openExternal': { url: 'http://127.0.0.1:43123/' },
  'engine.status': undefined,
  'engine.restart': undefined,
  'contexts.list': undefined,
  'contexts.reload': undefined,
  'contexts.retry': { context: 'skiff' },
  'contexts.get': { context: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' },
  'namespaces.list': { context: 'skiff' },
  'resources.get': { context: 'skiff', kind: 'pods', namespace: 'default', name: 'web-1' },
  'resources.replace': { context: 'skiff', kind: 'configmaps', namespace: 'default', name: 'cfg', yaml: 'kind: ConfigMap' },
  'resources.delete': { context: 'skiff', kind: 'namespaces', name: 'old' },
  'resources.apply': { context: 'skiff', yaml: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', namespace: 'default' },
  'pods.detail': { context: 'skiff', namespace: 'default', name: 'web-1' },
  'secrets.reveal': { context: 'skiff', namespace: 'default', name: 'db', key: 'password' },
  'deployments.scale': { context: 'skiff', namespace: 'default', name: 'web', replicas: 4 },
  'deployments.restart': { context: 'skiff', namespace: 'default', name: 'web' },
  'deployments.setPaused': { context: 'skiff', namespace: 'default', name: 'web', paused: true },
  'deployments.history': { context: 'skiff', namespace: 'default', name: 'web' },
  'deployments.rollback': { context: 'skiff', namespace: 'default', name: 'web', revision: 2 },
  'hpa.detail': { context: 'skiff', namespace: 'default', name: 'web' },
  'services.detail': { context: 'skiff', namespace: 'default', name: 'web' },
  'exec.write': { sessionId: 'a1b2-c3', data: 'ls\r' },
  'exec.resize': { sessionId: 'a1b2-c3', cols: 120, rows: 40 },
};

const validSubscriptions: { [S in SubscriptionName]: SubscriptionInput<S> } = {
  onEngineStatus: undefined,
  onContexts: undefined,
  onResources: { context: 'skiff', kind: 'pods', namespace: 'default', labelSelector: 'app=web' },
  onLogs: {
    context: 'skiff',
    namespace: 'default',
    target: { kind: 'deployment', deployment: 'web' },
    follow: true,
    previous: false,
    timestamps: true,
    tailLines: 100,
  },
  onExec: { context: 'skiff', namespace: 'default', pod: 'web-1', container: 'web', command: ['sh'], cols: 80, rows: 24 },
  onPodMetrics: { context: 'skiff', namespace: 'default' },
  onPortForward: { context: 'skiff', namespace: 'default', service: 'web', port: 80 },
};

/** Values of the wrong type for any field of any input. */
const wrongValues: unknown[] = [null, 42.5, -1, '', 'x'.repeat(2 * 1024 * 1024), [], {}, true, new Date(0)];

function expectRejected(validator: Validator<unknown>, input: unknown, why: string): void {
  const result = validator(input);
  expect(result.ok, `${why}: ${JSON.stringify(input)?.slice(0, 200)} was accepted`).toBe(false);
  if (!result.ok) {
    expect(result.error.code).toBe('invalid-input');
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

/** The malformed variants of a valid input: wrong shapes, an unknown field, each field missing or mistyped. */
function malformedVariants(valid: unknown): { input: unknown; why: string }[] {
  const out: { input: unknown; why: string }[] = [
    { input: null, why: 'null' },
    { input: 'string', why: 'a string' },
    { input: [], why: 'an array' },
    { input: 7, why: 'a number' },
  ];
  if (valid === undefined) {
    out.push({ input: {}, why: 'an object for a call without input' });
    return out;
  }
  const record = valid as Record<string, unknown>;
  out.push({ input: { ...record, extra: 1 }, why: 'an unknown field' });
  out.push({ input: { ...record, __proto__: { polluted: true } }, why: 'a foreign prototype' });
  for (const key of Object.keys(record)) {
    const { [key]: _dropped, ...rest } = record;
    // Fields that are optional by design may be dropped; everything else must be there.
    const optionalFields = ['namespace', 'labelSelector', 'container', 'command', 'tailLines', 'sinceSeconds'];
    if (!optionalFields.includes(key)) out.push({ input: rest, why: `missing ${key}` });
    for (const wrong of wrongValues) {
      if (wrong === record[key] || (typeof wrong === 'boolean' && typeof record[key] === 'boolean')) continue;
      out.push({ input: { ...record, [key]: wrong }, why: `${key} = ${String(wrong).slice(0, 20)}` });
    }
  }
  return out;
}

describe('contract calls', () => {
  it('knows its calls and nothing else', () => {
    expect(isCallName('app.version')).toBe(true);
    expect(isCallName('app.nope')).toBe(false);
    expect(isCallName('toString')).toBe(false);
    expect(isCallName('__proto__')).toBe(false);
    expect(isCallName(42)).toBe(false);
    expect(Object.keys(validCalls).sort()).toEqual(Object.keys(calls).sort());
  });

  it.each(Object.keys(calls) as CallName[])('%s accepts its sample input', (name) => {
    expect(calls[name].input(validCalls[name])).toMatchObject({ ok: true });
  });

  it.each(Object.keys(calls) as CallName[])('%s rejects malformed input', (name) => {
    const validator = calls[name].input as Validator<unknown>;
    for (const { input, why } of malformedVariants(validCalls[name])) expectRejected(validator, input, `${name}: ${why}`);
  });

  it('opens only port-forward URLs on 127.0.0.1', () => {
    const open = calls['app.openExternal'].input;
    expect(open({ url: 'http://127.0.0.1:8080/' }).ok).toBe(true);
    expect(open({ url: 'http://127.0.0.1:65535/' }).ok).toBe(true);
    for (const url of [
      'https://127.0.0.1:8080/',
      'http://localhost:8080/',
      'http://127.0.0.1:65536/',
      'http://127.0.0.1:0/',
      'http://127.0.0.1:8080/admin',
      'http://127.0.0.1:8080/@evil.example',
      'http://127.0.0.1:8080',
      'http://127.0.0.2:8080/',
      'http://evil.example/?http://127.0.0.1:1/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      ' http://127.0.0.1:8080/',
    ]) {
      expect(open({ url }), url).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    }
    expect(calls['app.openExternal'].input({ url: 'http://127.0.0.1:99999/' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/url/) } });
  });

  it('ties the namespace to the kind', () => {
    const get = calls['resources.get'].input;
    expect(get({ context: 'c', kind: 'nodes', name: 'n1' }).ok).toBe(true);
    expect(get({ context: 'c', kind: 'nodes', namespace: 'default', name: 'n1' })).toMatchObject({
      ok: false,
      error: { message: 'namespace: nodes are cluster-scoped, leave it out' },
    });
    expect(get({ context: 'c', kind: 'pods', name: 'p' })).toMatchObject({
      ok: false,
      error: { message: 'namespace: pods are namespaced, give a namespace' },
    });
    expect(calls['resources.delete'].input({ context: 'c', kind: 'widgets', namespace: 'd', name: 'p' }).ok).toBe(false);
  });

  it('refuses names Kubernetes would refuse, and out-of-range numbers', () => {
    const scale = calls['deployments.scale'].input;
    const base = { context: 'c', namespace: 'default', name: 'web', replicas: 1 };
    expect(scale({ ...base, name: 'Web' }).ok).toBe(false);
    expect(scale({ ...base, name: '../etc' }).ok).toBe(false);
    expect(scale({ ...base, namespace: 'a.b' }).ok).toBe(false);
    expect(scale({ ...base, replicas: -1 }).ok).toBe(false);
    expect(scale({ ...base, replicas: 1.5 }).ok).toBe(false);
    expect(scale({ ...base, replicas: 10_001 }).ok).toBe(false);
    expect(scale({ ...base, replicas: 0 }).ok).toBe(true);
    expect(calls['deployments.rollback'].input({ context: 'c', namespace: 'd', name: 'w', revision: 0 }).ok).toBe(false);
    expect(calls['secrets.reveal'].input({ context: 'c', namespace: 'd', name: 's', key: 'a/b' }).ok).toBe(false);
    expect(calls['exec.write'].input({ sessionId: 'x y', data: 'a' }).ok).toBe(false);
  });
});

describe('contract subscriptions', () => {
  it('knows its subscriptions and nothing else', () => {
    expect(isSubscriptionName('onResources')).toBe(true);
    expect(isSubscriptionName('onNothing')).toBe(false);
    expect(isSubscriptionName('hasOwnProperty')).toBe(false);
    expect(Object.keys(validSubscriptions).sort()).toEqual(Object.keys(subscriptions).sort());
  });

  it.each(Object.keys(subscriptions) as SubscriptionName[])('%s accepts its sample input', (name) => {
    expect(subscriptions[name].input(validSubscriptions[name])).toMatchObject({ ok: true });
  });

  it.each(Object.keys(subscriptions) as SubscriptionName[])('%s rejects malformed input', (name) => {
    const validator = subscriptions[name].input as Validator<unknown>;
    for (const { input, why } of malformedVariants(validSubscriptions[name])) expectRejected(validator, input, `${name}: ${why}`);
  });

  it('checks the log target by its kind', () => {
    const logs = subscriptions.onLogs.input;
    const base = { context: 'c', namespace: 'd', follow: false, previous: false, timestamps: false };
    expect(logs({ ...base, target: { kind: 'pod', pod: 'p' } }).ok).toBe(true);
    expect(logs({ ...base, target: { kind: 'pod', pod: 'p', container: 'c' } }).ok).toBe(true);
    expect(logs({ ...base, target: { kind: 'pod', deployment: 'p' } }).ok).toBe(false);
    expect(logs({ ...base, target: { kind: 'job', name: 'p' } })).toMatchObject({
      ok: false,
      error: { message: 'target: kind: expected one of "pod", "deployment"' },
    });
    expect(logs({ ...base, target: { kind: 'pod', pod: 'p' }, tailLines: 100_001 }).ok).toBe(false);
  });

  it('bounds exec commands and terminal sizes', () => {
    const exec = subscriptions.onExec.input;
    const base = { context: 'c', namespace: 'd', pod: 'p', cols: 80, rows: 24 };
    expect(exec(base).ok).toBe(true);
    expect(exec({ ...base, command: [] }).ok).toBe(false);
    expect(exec({ ...base, command: Array.from({ length: 65 }, () => 'x') }).ok).toBe(false);
    expect(exec({ ...base, command: ['ls', 3] }).ok).toBe(false);
    expect(exec({ ...base, cols: 0 }).ok).toBe(false);
    expect(subscriptions.onResources.input({ context: 'c', kind: 'nodes', namespace: 'd' }).ok).toBe(false);
    expect(subscriptions.onResources.input({ context: 'c', kind: 'nodes' }).ok).toBe(true);
  });
});
