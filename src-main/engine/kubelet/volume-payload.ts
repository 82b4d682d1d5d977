/**
 * What a configMap, secret, downwardAPI or projected volume holds: a map of relative file paths to contents and
 * modes, computed purely from the volume source and the objects it names (pkg/volume/{configmap,secret,
 * downwardapi,projected} MakePayload in the kubelet). The atomic writer puts a payload on disk.
 */
import type { KubeObject } from '../object';
import { asArray, asBoolean, asNumber, asObject, asString, stringMap, type JsonObject } from '../registry/json-access';

export interface PayloadFile {
  data: Buffer;
  /** permission bits, e.g. 0o644 */
  mode: number;
}

/** relative path (may contain '/') -> file */
export type Payload = Map<string, PayloadFile>;

export type PayloadResult = { ok: true; payload: Payload } | { ok: false; error: string };

/** 0644, the API default of defaultMode */
export const DEFAULT_FILE_MODE = 0o644;

const fail = (error: string): PayloadResult => ({ ok: false, error });

function modeOf(value: unknown, fallback: number): number {
  const n = asNumber(value);
  return n === undefined ? fallback : n & 0o777;
}

/**
 * The files of a key/value source: every key when `items` is empty, else each item's key at its path.
 * `missingKey` words the error for an item naming an absent key (ignored when the source is optional).
 */
function keyedPayload(
  entries: Map<string, Buffer>,
  items: unknown,
  defaultMode: number,
  optional: boolean,
  missingKey: (key: string) => string,
): PayloadResult {
  const payload: Payload = new Map();
  const list = asArray(items) ?? [];
  if (list.length === 0) {
    for (const [k, data] of entries) payload.set(k, { data, mode: defaultMode });
    return { ok: true, payload };
  }
  for (const raw of list) {
    const item = asObject(raw) ?? {};
    const key = asString(item.key) ?? '';
    const data = entries.get(key);
    if (data === undefined) {
      if (optional) continue;
      return fail(missingKey(key));
    }
    payload.set(asString(item.path) ?? key, { data, mode: modeOf(item.mode, defaultMode) });
  }
  return { ok: true, payload };
}

function configMapEntries(configMap: KubeObject): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(stringMap(configMap.data))) entries.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(stringMap(configMap.binaryData))) entries.set(k, Buffer.from(v, 'base64'));
  return entries;
}

function secretEntries(secret: KubeObject): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(stringMap(secret.data))) entries.set(k, Buffer.from(v, 'base64'));
  return entries;
}

/** A key/value source as found in a volume: the object's name, its items and whether it may be absent. */
export interface KeyedSource {
  name: string;
  items?: unknown;
  optional?: boolean;
}

/** configMap volume (or projected configMap source); `configMap` undefined when it does not exist. */
export function configMapPayload(source: KeyedSource, configMap: KubeObject | undefined, defaultMode: number): PayloadResult {
  const optional = source.optional === true;
  if (!configMap) return optional ? { ok: true, payload: new Map() } : fail(`configmap "${source.name}" not found`);
  return keyedPayload(configMapEntries(configMap), source.items, defaultMode, optional, (k) => `configmap references non-existent config key: ${k}`);
}

/** secret volume (or projected secret source); `data` values are base64 and written decoded. */
export function secretPayload(source: KeyedSource, secret: KubeObject | undefined, defaultMode: number): PayloadResult {
  const optional = source.optional === true;
  if (!secret) return optional ? { ok: true, payload: new Map() } : fail(`secret "${source.name}" not found`);
  return keyedPayload(secretEntries(secret), source.items, defaultMode, optional, (k) => `references non-existent secret key: ${k}`);
}

/** Go's strconv.Quote for the strings Kubernetes writes (printable Unicode kept, control characters escaped). */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** fieldpath.FormatMap: `key="value"` lines sorted by key, no trailing newline. */
export function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${goQuote(m[k])}`)
    .join('\n');
}

/** `metadata.labels['app']` -> ['labels', 'app'] */
function subscripted(fieldPath: string): [string, string] | undefined {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  return m ? [m[1], m[2]] : undefined;
}

/** The value of a pod field as the downward API exposes it, or undefined for a field it does not support. */
export function podFieldValue(pod: KubeObject, fieldPath: string): string | undefined {
  const meta = pod.metadata;
  const spec = asObject(pod.spec) ?? {};
  const status = asObject(pod.status) ?? {};
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels ?? {});
    case 'metadata.annotations':
      return formatMap(meta.annotations ?? {});
    case 'spec.nodeName':
      return asString(spec.nodeName) ?? '';
    case 'spec.serviceAccountName':
      return asString(spec.serviceAccountName) ?? '';
    case 'status.podIP':
      return asString(status.podIP) ?? '';
    case 'status.hostIP':
      return asString(status.hostIP) ?? '';
  }
  const sub = subscripted(fieldPath);
  if (sub) return (sub[0] === 'labels' ? meta.labels : meta.annotations)?.[sub[1]] ?? '';
  return undefined;
}

/** downwardAPI volume items (or a projected downwardAPI source). */
export function downwardApiPayload(items: unknown, pod: KubeObject, defaultMode: number): PayloadResult {
  const payload: Payload = new Map();
  for (const raw of asArray(items) ?? []) {
    const item = asObject(raw) ?? {};
    const path = asString(item.path) ?? '';
    const fieldRef = asObject(item.fieldRef);
    if (!fieldRef) return fail(`downwardAPI item "${path}": only fieldRef is supported (resourceFieldRef is not)`);
    const fieldPath = asString(fieldRef.fieldPath) ?? '';
    const value = podFieldValue(pod, fieldPath);
    if (value === undefined) return fail(`unsupported fieldPath: ${fieldPath}`);
    payload.set(path, { data: Buffer.from(value, 'utf8'), mode: modeOf(item.mode, defaultMode) });
  }
  return { ok: true, payload };
}

/** Reads the objects a volume names (in the pod's namespace); undefined when absent. */
export interface SourceLookup {
  configMap(name: string): KubeObject | undefined;
  secret(name: string): KubeObject | undefined;
}

/** The configMap and secret names a volume depends on, to know which volumes a change affects. */
export function volumeReferences(volume: JsonObject): { configMaps: string[]; secrets: string[] } {
  const configMaps: string[] = [];
  const secrets: string[] = [];
  const cm = asObject(volume.configMap);
  if (cm) configMaps.push(asString(cm.name) ?? '');
  const secret = asObject(volume.secret);
  if (secret) secrets.push(asString(secret.secretName) ?? '');
  for (const raw of asArray(asObject(volume.projected)?.sources) ?? []) {
    const src = asObject(raw) ?? {};
    const pcm = asObject(src.configMap);
    if (pcm) configMaps.push(asString(pcm.name) ?? '');
    const ps = asObject(src.secret);
    if (ps) secrets.push(asString(ps.name) ?? '');
  }
  return { configMaps, secrets };
}

function merge(into: Payload, from: PayloadResult): string | undefined {
  if (!from.ok) return from.error;
  for (const [p, f] of from.payload) into.set(p, f);
  return undefined;
}

/**
 * projected volume: its configMap, secret and downwardAPI sources merged. serviceAccountToken and
 * clusterTrustBundle sources contribute nothing (the engine issues no bound tokens).
 */
export function projectedPayload(projected: JsonObject, pod: KubeObject, lookup: SourceLookup): PayloadResult {
  const defaultMode = modeOf(projected.defaultMode, DEFAULT_FILE_MODE);
  const payload: Payload = new Map();
  for (const raw of asArray(projected.sources) ?? []) {
    const src = asObject(raw) ?? {};
    const cm = asObject(src.configMap);
    const secret = asObject(src.secret);
    const downward = asObject(src.downwardAPI);
    let error: string | undefined;
    if (cm) {
      const name = asString(cm.name) ?? '';
      error = merge(payload, configMapPayload({ name, items: cm.items, optional: asBoolean(cm.optional) }, lookup.configMap(name), defaultMode));
    } else if (secret) {
      const name = asString(secret.name) ?? '';
      error = merge(payload, secretPayload({ name, items: secret.items, optional: asBoolean(secret.optional) }, lookup.secret(name), defaultMode));
    } else if (downward) {
      error = merge(payload, downwardApiPayload(downward.items, pod, defaultMode));
    }
    if (error !== undefined) return fail(error);
  }
  return { ok: true, payload };
}

/**
 * The payload of any file-backed volume (configMap, secret, downwardAPI, projected), or undefined when the
 * volume is of another kind.
 */
export function filePayloadOf(volume: JsonObject, pod: KubeObject, lookup: SourceLookup): PayloadResult | undefined {
  const cm = asObject(volume.configMap);
  if (cm) {
    const name = asString(cm.name) ?? '';
    return configMapPayload({ name, items: cm.items, optional: asBoolean(cm.optional) }, lookup.configMap(name), modeOf(cm.defaultMode, DEFAULT_FILE_MODE));
  }
  const secret = asObject(volume.secret);
  if (secret) {
    const name = asString(secret.secretName) ?? '';
    return secretPayload({ name, items: secret.items, optional: asBoolean(secret.optional) }, lookup.secret(name), modeOf(secret.defaultMode, DEFAULT_FILE_MODE));
  }
  const downward = asObject(volume.downwardAPI);
  if (downward) return downwardApiPayload(downward.items, pod, modeOf(downward.defaultMode, DEFAULT_FILE_MODE));
  const projected = asObject(volume.projected);
  if (projected) return projectedPayload(projected, pod, lookup);
  return undefined;
}
