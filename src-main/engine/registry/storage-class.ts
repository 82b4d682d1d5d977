/** storage.k8s.io/v1 StorageClass (cluster-scoped): defaults, validation, update rules, table. */
import type { KubeObject } from '../object';
import { jsonEqual } from '../object';
import type { FieldCause } from '../status';
import { forbidden, invalid, notSupported, required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asBoolean, asObject, asString, defaultPointer } from './json-access';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { FIELD_IMMUTABLE_ERROR_MSG, validateQualifiedName } from './validation';
import { fullVerbs } from './verbs';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

/** storageutil.IsDefaultAnnotation: the GA or beta "is-default-class" annotation set to "true". */
export function isDefaultStorageClass(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

function validateStorageClass(obj: KubeObject, old?: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const provisioner = asString(obj.provisioner) ?? '';
  if (!provisioner) causes.push(required('provisioner', provisioner));
  else causes.push(...validateQualifiedName(provisioner.toLowerCase(), 'provisioner'));
  for (const k of Object.keys(asObject(obj.parameters) ?? {}))
    if (k.length < 1) causes.push(invalid('parameters', k, 'field can not be empty.'));
  const policy = asString(obj.reclaimPolicy) ?? '';
  if (policy && !RECLAIM_POLICIES.includes(policy)) causes.push(notSupported('reclaimPolicy', policy, RECLAIM_POLICIES));
  const mode = asString(obj.volumeBindingMode);
  if (mode === undefined) causes.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(mode)) causes.push(notSupported('volumeBindingMode', mode, BINDING_MODES));
  if (old) {
    if (!jsonEqual(obj.parameters ?? {}, old.parameters ?? {})) causes.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (provisioner !== (asString(old.provisioner) ?? '')) causes.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (policy !== (asString(old.reclaimPolicy) ?? '')) causes.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    if (mode !== asString(old.volumeBindingMode)) causes.push(invalid('volumeBindingMode', mode ?? null, FIELD_IMMUTABLE_ERROR_MSG));
  }
  return causes;
}

/** The StorageClass resource type. */
export const storageClassType: ResourceType = {
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'StorageClass',
  plural: 'storageclasses',
  singular: 'storageclass',
  shortNames: ['sc'],
  categories: [],
  namespaced: false,
  verbs: fullVerbs(),
  hasStatusSubresource: false,
  hasGeneration: false,
  applyDefaults(obj) {
    defaultPointer(obj, 'reclaimPolicy', 'Delete');
    defaultPointer(obj, 'volumeBindingMode', 'Immediate');
  },
  validate: validateStorageClass,
  tableColumns: [
    nameColumn(),
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    ageColumn(),
  ],
  tableRow: (obj, now) => [
    isDefaultStorageClass(obj) ? `${obj.metadata.name ?? ''} (default)` : obj.metadata.name ?? '',
    asString(obj.provisioner) ?? '',
    asString(obj.reclaimPolicy) ?? 'Delete',
    asString(obj.volumeBindingMode) ?? 'Immediate',
    asBoolean(obj.allowVolumeExpansion) ?? false,
    translateTimestampSince(obj.metadata.creationTimestamp, now),
  ],
  fieldSelectors: {},
};
