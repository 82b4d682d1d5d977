import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { bestVolumeFor, defaultClass, defaultStorageClassBody, planClaim, planVolume, provisionedVolumeBody, type ClaimPlanInput } from './persistent-volume-planner';

const sc = (name: string, o: { isDefault?: boolean; provisioner?: string; mode?: string; created?: string; reclaim?: string } = {}): KubeObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: {
    name,
    creationTimestamp: o.created ?? '2025-01-01T00:00:00Z',
    annotations: o.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined,
  },
  provisioner: o.provisioner ?? 'skiff.dev/docker-volume',
  reclaimPolicy: o.reclaim ?? 'Delete',
  volumeBindingMode: o.mode ?? 'Immediate',
});

const claim = (spec: Record<string, unknown> = {}, extra: Partial<KubeObject['metadata']> = {}, status: Record<string, unknown> = { phase: 'Pending' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'ns', uid: 'c-uid', resourceVersion: '9', ...extra },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem', ...spec },
  status,
});

const pv = (name: string, size: string, o: { cls?: string; modes?: string[]; claimRef?: Record<string, unknown>; phase?: string; labels?: Record<string, string>; annotations?: Record<string, string>; reclaim?: string; csi?: boolean } = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, labels: o.labels, annotations: o.annotations },
  spec: {
    capacity: { storage: size },
    accessModes: o.modes ?? ['ReadWriteOnce'],
    storageClassName: o.cls ?? 'manual',
    persistentVolumeReclaimPolicy: o.reclaim ?? 'Retain',
    claimRef: o.claimRef,
    ...(o.csi ? { csi: { driver: 'skiff.dev/docker-volume', volumeHandle: 'vol' } } : { hostPath: { path: '/x' } }),
  },
  status: { phase: o.phase ?? 'Available' },
});

const input = (c: KubeObject, more: Partial<ClaimPlanInput> = {}): ClaimPlanInput => ({
  claim: c,
  volumes: [],
  classes: [sc('standard', { isDefault: true })],
  hasConsumer: false,
  mayAssignClass: true,
  ...more,
});

describe('persistent volume planning', () => {
  it('picks the newest default class', () => {
    const older = sc('a', { isDefault: true, created: '2024-01-01T00:00:00Z' });
    const newer = sc('b', { isDefault: true, created: '2025-06-01T00:00:00Z' });
    expect(defaultClass([older, newer, sc('c')])?.metadata.name).toBe('b');
    expect(defaultClass([sc('c')])).toBeUndefined();
    expect(defaultStorageClassBody()).toMatchObject({ provisioner: 'skiff.dev/docker-volume', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
  });

  it('assigns the default class to a claim without one, or uses it unwritten', () => {
    expect(planClaim(input(claim()))).toEqual({ kind: 'assignDefaultClass', className: 'standard' });
    expect(planClaim(input(claim(), { mayAssignClass: false }))).toMatchObject({ kind: 'provision', volumeName: 'pvc-c-uid' });
    // "" means no class: no default, no provisioning
    expect(planClaim(input(claim({ storageClassName: '' })))).toMatchObject({ kind: 'wait', event: { reason: 'FailedBinding' } });
  });

  it('binds the smallest fitting volume, honouring class, modes, size and selector', () => {
    const volumes = [
      pv('big', '10Gi'),
      pv('small', '2Gi'),
      pv('too-small', '500Mi'),
      pv('wrong-class', '1Gi', { cls: 'other' }),
      pv('wrong-mode', '1Gi', { modes: ['ReadOnlyMany'] }),
      pv('taken', '1Gi', { claimRef: { namespace: 'ns', name: 'other', uid: 'x' }, phase: 'Bound' }),
      pv('released', '1Gi', { phase: 'Released' }),
    ];
    const c = claim({ storageClassName: 'manual' });
    expect(bestVolumeFor(c, volumes, 'manual')?.metadata.name).toBe('small');
    const selective = claim({ storageClassName: 'manual', selector: { matchLabels: { disk: 'ssd' } } });
    expect(bestVolumeFor(selective, [...volumes, pv('ssd', '5Gi', { labels: { disk: 'ssd' } })], 'manual')?.metadata.name).toBe('ssd');
    // a volume pre-bound to the claim by name wins
    const prebound = pv('mine', '50Gi', { claimRef: { namespace: 'ns', name: 'data' } });
    expect(planClaim(input(c, { volumes: [...volumes, prebound] }))).toMatchObject({ kind: 'bind', volume: { metadata: { name: 'mine' } } });
  });

  it('provisions for our provisioner, waits for others, for consumers, and without a class', () => {
    const c = claim({ storageClassName: 'standard' });
    expect(planClaim(input(c))).toMatchObject({ kind: 'provision', volumeName: 'pvc-c-uid' });
    const external = claim({ storageClassName: 'ext' });
    expect(planClaim(input(external, { classes: [sc('ext', { provisioner: 'ebs.csi.aws.com' })] }))).toMatchObject({ kind: 'wait', event: { reason: 'ExternalProvisioning' } });
    const lazy = claim({ storageClassName: 'lazy' });
    const classes = [sc('lazy', { mode: 'WaitForFirstConsumer' })];
    expect(planClaim(input(lazy, { classes }))).toMatchObject({ kind: 'wait', event: { reason: 'WaitForFirstConsumer' } });
    expect(planClaim(input(lazy, { classes, hasConsumer: true }))).toMatchObject({ kind: 'provision' });
    expect(planClaim(input(claim({ storageClassName: 'nope' })))).toMatchObject({ kind: 'wait', event: { reason: 'ProvisioningFailed' } });
  });

  it('finishes a half-done bind, does nothing for a complete one, and notices a lost volume', () => {
    const provisioned = pv('pvc-c-uid', '1Gi', { cls: 'standard', claimRef: { namespace: 'ns', name: 'data', uid: 'c-uid' }, phase: 'Bound', csi: true });
    const c = claim({ storageClassName: 'standard' });
    expect(planClaim(input(c, { volumes: [provisioned] }))).toMatchObject({ kind: 'bind' });
    const bound = claim({ storageClassName: 'standard', volumeName: 'pvc-c-uid' }, { annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } }, { phase: 'Bound' });
    expect(planClaim(input(bound, { volumes: [provisioned] }))).toEqual({ kind: 'none' });
    expect(planClaim(input(bound, { volumes: [] }))).toEqual({ kind: 'lost' });
  });

  it('builds the provisioned volume', () => {
    const body = provisionedVolumeBody(claim({ storageClassName: 'standard' }), sc('standard', { reclaim: 'Retain' }), 'skiff-c1-pvc-c-uid');
    expect(body.spec).toEqual({
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
      claimRef: { kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data', uid: 'c-uid', apiVersion: 'v1', resourceVersion: '9' },
      csi: { driver: 'skiff.dev/docker-volume', volumeHandle: 'skiff-c1-pvc-c-uid' },
    });
  });

  it('moves volumes through Available, Bound, Released and reclaim', () => {
    const ref = { namespace: 'ns', name: 'data', uid: 'c-uid' };
    const ours = { 'pv.kubernetes.io/provisioned-by': 'skiff.dev/docker-volume', 'pv.kubernetes.io/bound-by-controller': 'yes' };
    const boundClaim = claim({ volumeName: 'v' });
    expect(planVolume(pv('v', '1Gi', { phase: 'Pending' }), undefined)).toEqual({ kind: 'setPhase', phase: 'Available' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, phase: 'Available' }), boundClaim)).toEqual({ kind: 'setPhase', phase: 'Bound' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, phase: 'Bound' }), boundClaim)).toEqual({ kind: 'none' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, phase: 'Bound' }), undefined)).toEqual({ kind: 'setPhase', phase: 'Released' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, phase: 'Released', reclaim: 'Delete', csi: true, annotations: ours }), undefined)).toEqual({ kind: 'delete', dockerVolume: 'vol' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, phase: 'Released', reclaim: 'Retain', csi: true, annotations: ours }), undefined)).toEqual({ kind: 'none' });
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, phase: 'Released', reclaim: 'Delete' }), undefined)).toMatchObject({ kind: 'setPhase', phase: 'Failed' });
    // a new claim of the same name is not the claim the volume was bound to
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, phase: 'Bound' }), claim({}, { uid: 'new-uid' }))).toEqual({ kind: 'setPhase', phase: 'Released' });
    // bound by us to a claim that went to another volume: given back
    expect(planVolume(pv('v', '1Gi', { claimRef: ref, phase: 'Bound', annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } }), claim({ volumeName: 'other' }))).toEqual({ kind: 'unbind' });
  });
});
