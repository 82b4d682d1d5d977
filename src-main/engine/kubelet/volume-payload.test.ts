import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import {
  configMapPayload,
  downwardApiPayload,
  filePayloadOf,
  formatMap,
  goQuote,
  podFieldValue,
  projectedPayload,
  secretPayload,
  volumeReferences,
  type PayloadResult,
  type SourceLookup,
} from './volume-payload';

const configMap: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default' },
  data: { 'app.conf': 'port=80\n', other: 'x' },
  binaryData: { 'logo.bin': Buffer.from([0, 1, 2, 255]).toString('base64') },
};
const secret: KubeObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'creds', namespace: 'default' },
  data: { password: Buffer.from('s3cr3t').toString('base64') },
};
const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u-1', labels: { b: '2', a: 'x"y' }, annotations: { note: 'hi' } },
  spec: { nodeName: 'skiff', serviceAccountName: 'default' },
  status: { podIP: '10.0.0.5' },
};
const lookup: SourceLookup = {
  configMap: (n) => (n === 'cfg' ? configMap : undefined),
  secret: (n) => (n === 'creds' ? secret : undefined),
};

function files(r: PayloadResult | undefined): Record<string, [string, string]> {
  if (!r || !r.ok) throw new Error(r ? r.error : 'no payload');
  const out: Record<string, [string, string]> = {};
  for (const [p, f] of r.payload) out[p] = [f.data.toString('utf8'), f.mode.toString(8)];
  return out;
}

describe('configMap payload', () => {
  it('projects every key (data and binaryData) with the default mode when there are no items', () => {
    const r = configMapPayload({ name: 'cfg' }, configMap, 0o644);
    expect(Object.keys(files(r)).sort()).toEqual(['app.conf', 'logo.bin', 'other']);
    expect(files(r)['app.conf']).toEqual(['port=80\n', '644']);
    if (!r.ok) throw new Error();
    expect([...(r.payload.get('logo.bin')?.data ?? [])]).toEqual([0, 1, 2, 255]);
  });

  it('projects only the listed items, at their paths, with their modes', () => {
    const r = configMapPayload({ name: 'cfg', items: [{ key: 'app.conf', path: 'conf/app.conf', mode: 0o400 }, { key: 'other', path: 'o' }] }, configMap, 0o640);
    expect(files(r)).toEqual({ 'conf/app.conf': ['port=80\n', '400'], o: ['x', '640'] });
  });

  it('fails for a missing configMap unless optional', () => {
    expect(configMapPayload({ name: 'nope' }, undefined, 0o644)).toEqual({ ok: false, error: 'configmap "nope" not found' });
    expect(files(configMapPayload({ name: 'nope', optional: true }, undefined, 0o644))).toEqual({});
  });

  it('fails for an item naming a missing key unless optional', () => {
    expect(configMapPayload({ name: 'cfg', items: [{ key: 'k', path: 'k' }] }, configMap, 0o644)).toEqual({
      ok: false,
      error: 'configmap references non-existent config key: k',
    });
    expect(files(configMapPayload({ name: 'cfg', optional: true, items: [{ key: 'k', path: 'k' }, { key: 'other', path: 'o' }] }, configMap, 0o644))).toEqual({
      o: ['x', '644'],
    });
  });
});

describe('secret payload', () => {
  it('decodes base64 data', () => {
    expect(files(secretPayload({ name: 'creds' }, secret, 0o644))).toEqual({ password: ['s3cr3t', '644'] });
  });
  it('words missing secrets and keys as the kubelet does', () => {
    expect(secretPayload({ name: 'x' }, undefined, 0o644)).toEqual({ ok: false, error: 'secret "x" not found' });
    expect(secretPayload({ name: 'creds', items: [{ key: 'user', path: 'u' }] }, secret, 0o644)).toEqual({
      ok: false,
      error: 'references non-existent secret key: user',
    });
    expect(files(secretPayload({ name: 'x', optional: true }, undefined, 0o644))).toEqual({});
  });
});

describe('downward API', () => {
  it('quotes like Go and formats maps sorted without a trailing newline', () => {
    expect(goQuote('a"b\\c\nd\x01é')).toBe('"a\\"b\\\\c\\nd\\x01é"');
    expect(formatMap({ b: '2', a: '1' })).toBe('a="1"\nb="2"');
    expect(formatMap({})).toBe('');
  });

  it('reads the supported pod fields', () => {
    expect(podFieldValue(pod, 'metadata.name')).toBe('web');
    expect(podFieldValue(pod, 'metadata.namespace')).toBe('default');
    expect(podFieldValue(pod, 'metadata.uid')).toBe('u-1');
    expect(podFieldValue(pod, 'metadata.labels')).toBe('a="x\\"y"\nb="2"');
    expect(podFieldValue(pod, "metadata.labels['b']")).toBe('2');
    expect(podFieldValue(pod, "metadata.annotations['note']")).toBe('hi');
    expect(podFieldValue(pod, "metadata.annotations['none']")).toBe('');
    expect(podFieldValue(pod, 'status.podIP')).toBe('10.0.0.5');
    expect(podFieldValue(pod, 'spec.nodeName')).toBe('skiff');
    expect(podFieldValue(pod, 'metadata.generation')).toBeUndefined();
  });

  it('writes one file per item and refuses what it cannot expose', () => {
    const r = downwardApiPayload([{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }, { path: 'meta/labels', fieldRef: { fieldPath: 'metadata.labels' }, mode: 0o600 }], pod, 0o644);
    expect(files(r)).toEqual({ name: ['web', '644'], 'meta/labels': ['a="x\\"y"\nb="2"', '600'] });
    expect(downwardApiPayload([{ path: 'x', fieldRef: { fieldPath: 'spec.hostname' } }], pod, 0o644)).toEqual({ ok: false, error: 'unsupported fieldPath: spec.hostname' });
    expect(downwardApiPayload([{ path: 'x', resourceFieldRef: { resource: 'limits.cpu' } }], pod, 0o644).ok).toBe(false);
  });
});

describe('projected and dispatch', () => {
  it('merges configMap, secret and downwardAPI sources under the projected defaultMode', () => {
    const r = projectedPayload(
      {
        defaultMode: 0o440,
        sources: [
          { configMap: { name: 'cfg', items: [{ key: 'other', path: 'cfg/other' }] } },
          { secret: { name: 'creds' } },
          { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
          { serviceAccountToken: { path: 'token' } },
        ],
      },
      pod,
      lookup,
    );
    expect(files(r)).toEqual({ 'cfg/other': ['x', '440'], password: ['s3cr3t', '440'], ns: ['default', '440'] });
  });

  it('fails a projected volume when one non-optional source is missing', () => {
    expect(projectedPayload({ sources: [{ secret: { name: 'creds' } }, { configMap: { name: 'gone' } }] }, pod, lookup)).toEqual({
      ok: false,
      error: 'configmap "gone" not found',
    });
  });

  it('dispatches on the volume source and ignores other kinds', () => {
    expect(files(filePayloadOf({ name: 'v', configMap: { name: 'cfg', defaultMode: 0o600, items: [{ key: 'other', path: 'o' }] } }, pod, lookup))).toEqual({ o: ['x', '600'] });
    expect(files(filePayloadOf({ name: 'v', secret: { secretName: 'creds' } }, pod, lookup))).toEqual({ password: ['s3cr3t', '644'] });
    expect(files(filePayloadOf({ name: 'v', downwardAPI: { items: [{ path: 'n', fieldRef: { fieldPath: 'metadata.name' } }] } }, pod, lookup))).toEqual({ n: ['web', '644'] });
    expect(filePayloadOf({ name: 'v', emptyDir: {} }, pod, lookup)).toBeUndefined();
  });

  it('lists the configMaps and secrets a volume depends on', () => {
    expect(volumeReferences({ configMap: { name: 'a' } })).toEqual({ configMaps: ['a'], secrets: [] });
    expect(volumeReferences({ secret: { secretName: 's' } })).toEqual({ configMaps: [], secrets: ['s'] });
    expect(volumeReferences({ projected: { sources: [{ configMap: { name: 'b' } }, { secret: { name: 't' } }] } })).toEqual({ configMaps: ['b'], secrets: ['t'] });
  });
});
