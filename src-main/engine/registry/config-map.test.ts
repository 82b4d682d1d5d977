import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { configMapType } from './config-map';

function cm(extra: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' }, ...extra };
}

describe('configMapType', () => {
  it('accepts valid keys', () => {
    expect(configMapType.validate(cm({ data: { 'app.properties': 'a=b', KEY_1: 'x' }, binaryData: { 'logo.png': 'aGk=' } }))).toEqual([]);
  });

  it('rejects bad keys, duplicates across data and binaryData, and oversize data', () => {
    const causes = configMapType.validate(cm({ data: { 'bad key': 'x', dup: 'y' }, binaryData: { dup: 'aGk=' } }));
    expect(causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      'data[dup]: Invalid value: "dup": duplicate of key present in binaryData',
      'binaryData[dup]: Invalid value: "dup": duplicate of key present in data',
    ]);
    expect(configMapType.validate(cm({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }))).toEqual([
      { type: 'FieldValueTooLong', field: '[]', message: 'Too long: must have at most 1048576 bytes' },
    ]);
    expect(configMapType.validate(cm({ data: { '..x': 'y' } }))[0].message).toMatch(/must not start with '\.\.'$/);
  });

  it('freezes data of an immutable ConfigMap', () => {
    const old = cm({ data: { a: '1' }, immutable: true });
    const next = deepCopy(old);
    next.data = { a: '2' };
    expect(configMapType.validate(next, old).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
  });

  it('counts data and binaryData keys in the table', () => {
    expect(configMapType.tableRow(cm({ data: { a: '1', b: '2' }, binaryData: { c: 'aGk=' } }), Date.parse('2024-05-02T12:00:00Z'))).toEqual([
      'cfg',
      3,
      '24h',
    ]);
    expect(configMapType.tableColumns.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
  });
});
