import type { ConfigMapRow, SecretRow } from '../../contract/rows';
import { record, text } from '../json-fields';
import { rowBase } from './row-base';

export function toConfigMapRow(configMap: unknown): ConfigMapRow {
  const c = record(configMap);
  return Object.assign(rowBase(configMap), { keys: [...Object.keys(record(c.data)), ...Object.keys(record(c.binaryData))].sort() });
}

/** Keys only: a Secret's values never leave the main process in a row. */
export function toSecretRow(secret: unknown): SecretRow {
  const s = record(secret);
  return Object.assign(rowBase(secret), {
    type: text(s.type) ?? 'Opaque',
    keys: [...new Set([...Object.keys(record(s.data)), ...Object.keys(record(s.stringData))])].sort(),
  });
}
