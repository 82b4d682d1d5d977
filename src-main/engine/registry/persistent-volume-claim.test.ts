import { describe, expect, it } from 'vitest';
import { deepCopy, type KubeObject } from '../object';
import { persistentVolumeClaimType } from './persistent-volume-claim';

function pvc(spec: Record<string, unknown>): KubeObject {
  const p: KubeObject = {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec,
  };
  persistentVolumeClaimType.applyDefaults(p);
  return p;
}

const good = { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } };

describe('persistentVolumeClaimType', () => {
  it('defaults volumeMode and a Pending phase', () => {
    const p = pvc(good);
    expect(p.spec).toMatchObject({ volumeMode: 'Filesystem' });
    expect(p.status).toEqual({ phase: 'Pending' });
    expect(persistentVolumeClaimType.validate(p)).toEqual([]);
  });

  it('requires access modes and a storage request', () => {
    expect(persistentVolumeClaimType.validate(pvc({})).map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Required value',
    ]);
    expect(
      persistentVolumeClaimType.validate(pvc({ accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '0' } } })).map((c) => c.message),
    ).toEqual([
      'Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'Invalid value: "0": must be greater than zero',
    ]);
  });

  it('allows resizing but not other spec changes', () => {
    const old = pvc(good);
    const bigger = deepCopy(old);
    (bigger.spec as { resources: { requests: Record<string, string> } }).resources.requests.storage = '2Gi';
    expect(persistentVolumeClaimType.validate(bigger, old)).toEqual([]);
    const changed = deepCopy(old);
    (changed.spec as Record<string, unknown>).accessModes = ['ReadWriteMany'];
    expect(persistentVolumeClaimType.validate(changed, old).map((c) => c.field)).toEqual(['spec']);
  });

  it('lets a class be set once on a claim that had none, and never changed after', () => {
    const old = pvc(good);
    const classed = deepCopy(old);
    (classed.spec as Record<string, unknown>).storageClassName = 'standard';
    expect(persistentVolumeClaimType.validate(classed, old)).toEqual([]);
    const reclassed = deepCopy(classed);
    (reclassed.spec as Record<string, unknown>).storageClassName = 'fast';
    expect(persistentVolumeClaimType.validate(reclassed, classed).map((c) => c.field)).toEqual(['spec']);
    const emptied = pvc({ ...good, storageClassName: '' });
    expect(persistentVolumeClaimType.validate(classed, emptied).map((c) => c.field)).toEqual(['spec']);
  });

  it('prints bound and pending claims', () => {
    const now = Date.parse('2024-05-01T12:01:00Z');
    const pending = pvc({ ...good, storageClassName: 'standard' });
    expect(persistentVolumeClaimType.tableRow(pending, now)).toEqual(['data', 'Pending', '', '', '', 'standard', '<unset>', '60s', 'Filesystem']);
    const bound = pvc({ ...good, volumeName: 'pv-1' });
    bound.status = { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } };
    expect(persistentVolumeClaimType.tableRow(bound, now).slice(1, 6)).toEqual(['Bound', 'pv-1', '1Gi', 'RWO', '']);
    bound.metadata.deletionTimestamp = '2024-05-01T12:01:00Z';
    expect(persistentVolumeClaimType.tableRow(bound, now)[1]).toBe('Terminating');
  });
});
