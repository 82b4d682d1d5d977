/** core/v1 Secret: stringData folding, type default, per-type validation, immutability, table. */
import { jsonEqual, type KubeObject } from '../object';
import type { FieldCause } from '../status';
import { decodeBase64Length, encodeBase64 } from './base64-data';
import { MAX_DATA_SIZE_BYTES, IMMUTABLE_WHEN_SET } from './config-map';
import { key } from './field-path';
import { forbidden, invalid, required, tooLong } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asObject, asString, childObject, defaultString, getString } from './json-access';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { FIELD_IMMUTABLE_ERROR_MSG, configMapKeyErrors } from './validation';
import { fullVerbs } from './verbs';

const REDACTED = '<secret contents redacted>';

function applySecretDefaults(obj: KubeObject): void {
  // v1 conversion: stringData entries overwrite data entries and are never stored.
  const stringData = asObject(obj.stringData);
  if (stringData) {
    const data = childObject(obj, 'data');
    if (data) for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = encodeBase64(v);
    delete obj.stringData;
  }
  defaultString(obj, 'type', 'Opaque');
}

function requireKeys(data: Record<string, unknown>, keys: string[]): FieldCause[] {
  return keys.filter((k) => !(k in data)).map((k) => required(key('data', k)));
}

function validateDockerConfig(data: Record<string, unknown>, k: string): FieldCause[] {
  const value = asString(data[k]);
  if (value === undefined) return [required(key('data', k))];
  try {
    JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    return [];
  } catch (e) {
    return [invalid(key('data', k), REDACTED, e instanceof Error ? e.message : 'invalid JSON')];
  }
}

function validateSecret(obj: KubeObject, old?: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const data = asObject(obj.data) ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of configMapKeyErrors(k)) causes.push(invalid(key('data', k), k, msg));
    // The real server fails undecodable values while decoding the body (400); reported here as a cause.
    const decoded = typeof v === 'string' ? decodeBase64Length(v) : { ok: false as const, error: 'expected a base64 string' };
    if (decoded.ok) total += decoded.bytes;
    else causes.push(invalid(key('data', k), REDACTED, decoded.error));
  }
  if (total > MAX_DATA_SIZE_BYTES) causes.push(tooLong('data', MAX_DATA_SIZE_BYTES));

  switch (asString(obj.type) ?? '') {
    case 'kubernetes.io/service-account-token':
      if (!getString(obj, 'metadata', 'annotations', 'kubernetes.io/service-account.name'))
        causes.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name')));
      break;
    case 'kubernetes.io/dockercfg':
      causes.push(...validateDockerConfig(data, '.dockercfg'));
      break;
    case 'kubernetes.io/dockerconfigjson':
      causes.push(...validateDockerConfig(data, '.dockerconfigjson'));
      break;
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) causes.push(...requireKeys(data, ['username', 'password']));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!asString(data['ssh-privatekey'])) causes.push(required(key('data', 'ssh-privatekey')));
      break;
    case 'kubernetes.io/tls':
      causes.push(...requireKeys(data, ['tls.crt', 'tls.key']));
      break;
  }

  if (old) {
    const type = asString(obj.type) ?? '';
    if (type !== (asString(old.type) ?? '')) causes.push(invalid('type', type, FIELD_IMMUTABLE_ERROR_MSG));
    if (old.immutable === true) {
      if (obj.immutable !== true) causes.push(forbidden('immutable', IMMUTABLE_WHEN_SET));
      if (!jsonEqual(obj.data ?? {}, old.data ?? {})) causes.push(forbidden('data', IMMUTABLE_WHEN_SET));
    }
  }
  return causes;
}

/** The Secret resource type. */
export const secretType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: false,
  hasGeneration: false,
  applyDefaults: applySecretDefaults,
  validate: validateSecret,
  tableColumns: [
    nameColumn(),
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    ageColumn(),
  ],
  tableRow: (obj, now) => [
    obj.metadata.name ?? '',
    asString(obj.type) ?? '',
    Object.keys(asObject(obj.data) ?? {}).length,
    translateTimestampSince(obj.metadata.creationTimestamp, now),
  ],
  fieldSelectors: {
    type: (o) => asString(o.type) ?? '',
  },
};
