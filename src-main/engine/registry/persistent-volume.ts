/** core/v1 PersistentVolume (cluster-scoped): defaults, spec validation, Pending status, table. */
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { SUPPORTED_ACCESS_MODES, accessModesString } from './access-modes';
import { child, key } from './field-path';
import { forbidden, notSupported, required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asArray, asObject, asString, childObject, defaultPointer, defaultString, getObject, getString, isUnset } from './json-access';
import { VOLUME_MODES, validateStorageQuantity } from './persistent-volume-claim';
import { canonicalizeResourceList, quantityString } from './quantity';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { validateDns1123Subdomain } from './validation';
import { fullVerbs } from './verbs';

const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'quobyte', 'cinder', 'cephfs',
  'fc', 'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'azureDisk', 'photonPersistentDisk', 'portworxVolume',
  'scaleIO', 'local', 'storageos', 'csi', 'iscsi',
];

function validatePersistentVolume(obj: KubeObject): FieldCause[] {
  const spec = asObject(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  const modes = asArray(spec.accessModes) ?? [];
  if (modes.length === 0) causes.push(required('spec.accessModes'));
  for (const mode of modes)
    if (typeof mode !== 'string' || !SUPPORTED_ACCESS_MODES.includes(mode))
      causes.push(notSupported('spec.accessModes', mode, SUPPORTED_ACCESS_MODES));
  const capacity = asObject(spec.capacity) ?? {};
  const resources = Object.keys(capacity);
  if (resources.length === 0) causes.push(required('spec.capacity'));
  if (!('storage' in capacity) || resources.length > 1) causes.push(notSupported('spec.capacity', capacity, ['storage']));
  for (const r of resources) causes.push(...validateStorageQuantity(capacity[r], key('spec.capacity', r)));
  const className = asString(spec.storageClassName);
  if (className) causes.push(...validateDns1123Subdomain(className, 'spec.storageClassName'));
  const volumeMode = spec.volumeMode;
  if (!isUnset(volumeMode) && (typeof volumeMode !== 'string' || !VOLUME_MODES.includes(volumeMode)))
    causes.push(notSupported('spec.volumeMode', volumeMode, VOLUME_MODES));
  const policy = asString(spec.persistentVolumeReclaimPolicy) ?? '';
  if (policy && !RECLAIM_POLICIES.includes(policy))
    causes.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, RECLAIM_POLICIES));
  let sources = 0;
  for (const source of PV_SOURCES) {
    if (isUnset(spec[source])) continue;
    if (sources > 0) causes.push(forbidden(child('spec', source), 'may not specify more than 1 volume type'));
    sources++;
    const src = asObject(spec[source]) ?? {};
    if ((source === 'hostPath' || source === 'local') && !asString(src.path)) causes.push(required(child('spec', source, 'path')));
  }
  if (sources === 0) causes.push(required('spec', 'must specify a volume type'));
  return causes;
}

function volumeRow(obj: KubeObject, now: number): unknown[] {
  const claimRef = getObject(obj, 'spec', 'claimRef');
  const claim = claimRef ? `${asString(claimRef.namespace) ?? ''}/${asString(claimRef.name) ?? ''}` : '';
  const phase = obj.metadata.deletionTimestamp ? 'Terminating' : getString(obj, 'status', 'phase');
  const annotationClass = obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'];
  const spec = getObject(obj, 'spec') ?? {};
  return [
    obj.metadata.name ?? '',
    quantityString(getObject(spec, 'capacity')?.storage),
    accessModesString(spec.accessModes),
    asString(spec.persistentVolumeReclaimPolicy) ?? '',
    phase,
    claim,
    annotationClass ?? (asString(spec.storageClassName) ?? ''),
    asString(spec.volumeAttributesClassName) ?? '<unset>',
    getString(obj, 'status', 'reason'),
    translateTimestampSince(obj.metadata.creationTimestamp, now),
    asString(spec.volumeMode) ?? '<unset>',
  ];
}

/** The PersistentVolume resource type. */
export const persistentVolumeType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  categories: [],
  namespaced: false,
  verbs: fullVerbs(),
  hasStatusSubresource: true,
  hasGeneration: false,
  applyDefaults(obj) {
    const spec = childObject(obj, 'spec');
    if (spec) {
      defaultString(spec, 'persistentVolumeReclaimPolicy', 'Retain');
      defaultPointer(spec, 'volumeMode', 'Filesystem');
      canonicalizeResourceList(spec.capacity);
    }
    const status = childObject(obj, 'status');
    if (status) defaultString(status, 'phase', 'Pending');
  },
  validate: validatePersistentVolume,
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', lastPhaseTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
  },
  tableColumns: [
    nameColumn(),
    column('Capacity', 'string', "capacity is the description of the persistent volume's resources and capacity."),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    ageColumn(),
    column('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', 1),
  ],
  tableRow: volumeRow,
  fieldSelectors: {},
};
