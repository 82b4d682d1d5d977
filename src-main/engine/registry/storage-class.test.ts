import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { storageClassType } from './storage-class';

function sc(extra: Record<string, unknown>, annotations?: Record<string, string>): KubeObject {
  const s: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', annotations }, ...extra };
  storageClassType.applyDefaults(s);
  return s;
}

describe('storageClassType', () => {
  it('defaults reclaim policy and binding mode and validates', () => {
    const s = sc({ provisioner: 'skiff.dev/hostpath' });
    expect(s).toMatchObject({ reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
    expect(storageClassType.validate(s)).toEqual([]);
    expect(storageClassType.validate(sc({ volumeBindingMode: 'Later' })).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'provisioner: Required value',
      'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
    ]);
  });

  it('forbids changing parameters, provisioner and reclaim policy', () => {
    const old = sc({ provisioner: 'a.b/c', parameters: { x: '1' } });
    const next = deepCopy(old);
    next.parameters = { x: '2' };
    next.reclaimPolicy = 'Retain';
    expect(storageClassType.validate(next, old).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'parameters: Forbidden: updates to parameters are forbidden.',
      'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
    ]);
  });

  it('marks the default class in the Name cell', () => {
    const s = sc({ provisioner: 'skiff.dev/hostpath', allowVolumeExpansion: true }, { 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(storageClassType.tableRow(s, Date.now()).slice(0, 5)).toEqual(['standard (default)', 'skiff.dev/hostpath', 'Delete', 'Immediate', true]);
    expect(storageClassType.shortNames).toEqual(['sc']);
  });
});
