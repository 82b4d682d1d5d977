import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { DOCKER_VOLUME_CSI_DRIVER, resolveClaim } from './volume-claim';

const claim = (over: Partial<KubeObject> = {}, phase = 'Bound', volumeName = 'pv-1'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'ns', uid: 'claim-uid' },
  spec: { volumeName },
  status: { phase },
  ...over,
});

const pv = (source: Record<string, unknown>, claimRef: Record<string, unknown> = { name: 'data', namespace: 'ns', uid: 'claim-uid' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name: 'pv-1' },
  spec: { claimRef, ...source },
});

const csi = pv({ csi: { driver: DOCKER_VOLUME_CSI_DRIVER, volumeHandle: 'skiff-c-pv-1' } });

describe('resolveClaim', () => {
  it('resolves a bound claim on a Docker-volume PV', () => {
    expect(resolveClaim('ns', { claimName: 'data' }, claim(), () => csi)).toEqual({ ok: true, kind: 'docker-volume', pvName: 'pv-1', volume: 'skiff-c-pv-1', readOnly: false });
    expect(resolveClaim('ns', { claimName: 'data', readOnly: true }, claim(), () => csi)).toMatchObject({ readOnly: true });
  });

  it('resolves hostPath and local PVs to host directories', () => {
    expect(resolveClaim('ns', { claimName: 'data' }, claim(), () => pv({ hostPath: { path: '/tmp/pv', type: 'DirectoryOrCreate' } }))).toMatchObject({
      kind: 'host-path',
      path: '/tmp/pv',
      type: 'DirectoryOrCreate',
    });
    expect(resolveClaim('ns', { claimName: 'data' }, claim(), () => pv({ local: { path: '/mnt/disk' } }))).toMatchObject({ kind: 'host-path', type: 'Directory' });
  });

  it('reports a missing, deleting or unbound claim', () => {
    expect(resolveClaim('ns', { claimName: 'data' }, undefined, () => csi)).toEqual({ ok: false, reason: 'FailedMount', message: 'persistentvolumeclaim "data" not found' });
    expect(resolveClaim('ns', { claimName: 'data' }, claim({ metadata: { name: 'data', deletionTimestamp: 'x' } }), () => csi)).toMatchObject({ message: 'persistentvolumeclaim "data" is being deleted' });
    const unbound = resolveClaim('ns', { claimName: 'data' }, claim({}, 'Pending', ''), () => csi);
    expect(unbound.ok).toBe(false);
    if (!unbound.ok) expect(unbound.message).toMatch(/unbound immediate PersistentVolumeClaims$/);
  });

  it('reports a missing PV, a PV bound elsewhere, and unsupported sources', () => {
    expect(resolveClaim('ns', { claimName: 'data' }, claim(), () => undefined)).toMatchObject({ message: 'persistentvolume "pv-1" not found' });
    expect(resolveClaim('ns', { claimName: 'data' }, claim(), () => pv({ hostPath: { path: '/x' } }, { name: 'data', namespace: 'ns', uid: 'other' })).ok).toBe(false);
    expect(resolveClaim('ns', { claimName: 'data' }, claim(), () => pv({ hostPath: { path: '/x' } }, { name: 'data' })).ok).toBe(true);
    expect(resolveClaim('ns', { claimName: 'data' }, claim(), () => pv({ nfs: { server: 's', path: '/' } }))).toMatchObject({ ok: false, reason: 'FailedAttachVolume' });
    expect(resolveClaim('ns', { claimName: 'data' }, claim(), () => pv({ csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'h' } }))).toMatchObject({
      reason: 'FailedAttachVolume',
      message: expect.stringContaining('CSI driver ebs.csi.aws.com is not supported'),
    });
  });
});
