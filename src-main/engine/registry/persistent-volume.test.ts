import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { persistentVolumeType } from './persistent-volume';

function pv(spec: Record<string, unknown>): KubeObject {
  const p: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1', creationTimestamp: '2024-05-01T12:00:00Z' }, spec };
  persistentVolumeType.applyDefaults(p);
  return p;
}

describe('persistentVolumeType', () => {
  it('defaults reclaim policy, volume mode and phase', () => {
    const p = pv({ capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } });
    expect(p.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(p.status).toEqual({ phase: 'Pending' });
    expect(persistentVolumeType.validate(p)).toEqual([]);
  });

  it('requires access modes, capacity and exactly one source', () => {
    expect(persistentVolumeType.validate(pv({})).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.accessModes: Required value',
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
      'spec: Required value: must specify a volume type',
    ]);
    const two = pv({ capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/a' }, nfs: { server: 'x', path: '/' } });
    expect(persistentVolumeType.validate(two).map((c) => c.field)).toEqual(['spec.nfs']);
  });

  it('prints the real columns, Reason included', () => {
    const p = pv({
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
      hostPath: { path: '/data' },
      claimRef: { namespace: 'default', name: 'data' },
      storageClassName: 'manual',
    });
    p.status = { phase: 'Bound' };
    expect(persistentVolumeType.tableRow(p, Date.parse('2024-05-01T14:00:00Z'))).toEqual([
      'pv-1',
      '5Gi',
      'RWO,ROX',
      'Retain',
      'Bound',
      'default/data',
      'manual',
      '<unset>',
      '',
      '120m',
      'Filesystem',
    ]);
    expect(persistentVolumeType.tableColumns.map((c) => c.name)).toEqual([
      'Name',
      'Capacity',
      'Access Modes',
      'Reclaim Policy',
      'Status',
      'Claim',
      'StorageClass',
      'VolumeAttributesClass',
      'Reason',
      'Age',
      'VolumeMode',
    ]);
  });
});
