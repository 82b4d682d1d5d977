/** core/v1 ConfigMap: key and size validation, immutability, table. */
import { jsonEqual, type KubeObject } from '../object';
import type { FieldCause } from '../status';
import { decodeBase64Length } from './base64-data';
import { key } from './field-path';
import { forbidden, invalid, tooLong, typeInvalid } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asObject } from './json-access';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { configMapKeyErrors } from './validation';
import { fullVerbs } from './verbs';

/** core.MaxSecretSize, shared by ConfigMaps and Secrets. */
export const MAX_DATA_SIZE_BYTES = 1024 * 1024;
export const IMMUTABLE_WHEN_SET = 'field is immutable when `immutable` is set';

function validateConfigMap(obj: KubeObject, old?: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const data = asObject(obj.data) ?? {};
  const binaryData = asObject(obj.binaryData) ?? {};
  let total = 0;
  for (const [k, v] of Object.entries(data)) {
    for (const msg of configMapKeyErrors(k)) causes.push(invalid(key('data', k), k, msg));
    if (k in binaryData) causes.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    if (typeof v !== 'string') causes.push(typeInvalid(key('data', k), v, 'expected string'));
    else total += Buffer.byteLength(v, 'utf8');
  }
  for (const [k, v] of Object.entries(binaryData)) {
    for (const msg of configMapKeyErrors(k)) causes.push(invalid(key('binaryData', k), k, msg));
    if (k in data) causes.push(invalid(key('binaryData', k), k, 'duplicate of key present in data'));
    const decoded = typeof v === 'string' ? decodeBase64Length(v) : { ok: false as const, error: 'expected a base64 string' };
    if (decoded.ok) total += decoded.bytes;
    else causes.push(invalid(key('binaryData', k), '<binary data>', decoded.error));
  }
  // The real code reports the whole object on an empty path, which prints as "[]".
  if (total > MAX_DATA_SIZE_BYTES) causes.push(tooLong('[]', MAX_DATA_SIZE_BYTES));
  if (old && old.immutable === true) {
    if (obj.immutable !== true) causes.push(forbidden('immutable', IMMUTABLE_WHEN_SET));
    if (!jsonEqual(obj.data ?? {}, old.data ?? {})) causes.push(forbidden('data', IMMUTABLE_WHEN_SET));
    if (!jsonEqual(obj.binaryData ?? {}, old.binaryData ?? {})) causes.push(forbidden('binaryData', IMMUTABLE_WHEN_SET));
  }
  return causes;
}

/** The ConfigMap resource type. */
export const configMapType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  categories: [],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: false,
  hasGeneration: false,
  applyDefaults() {},
  validate: validateConfigMap,
  tableColumns: [
    nameColumn(),
    column('Data', 'string', 'Data contains the configuration data.'),
    ageColumn(),
  ],
  tableRow: (obj, now) => [
    obj.metadata.name ?? '',
    Object.keys(asObject(obj.data) ?? {}).length + Object.keys(asObject(obj.binaryData) ?? {}).length,
    translateTimestampSince(obj.metadata.creationTimestamp, now),
  ],
  fieldSelectors: {},
};
