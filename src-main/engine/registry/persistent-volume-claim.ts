/** core/v1 PersistentVolumeClaim: defaults, spec validation and immutability, Pending status, table. */
import { deepCopy, jsonEqual, type KubeObject } from '../object';
import type { FieldCause } from '../status';
import { SUPPORTED_ACCESS_MODES, accessModesString } from './access-modes';
import { key } from './field-path';
import { forbidden, invalid, notSupported, required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asArray, asObject, asString, childObject, defaultPointer, getObject, getString, isUnset } from './json-access';
import { QUANTITY_PARSE_ERROR, canonicalizeResourceList, parseQuantity, quantityString } from './quantity';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { validateDns1123Subdomain } from './validation';
import { fullVerbs } from './verbs';

export const VOLUME_MODES = ['Block', 'Filesystem'];
const STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** A positive storage quantity at `path`, as ValidatePositiveQuantityValue words it. */
export function validateStorageQuantity(q: unknown, path: string): FieldCause[] {
  const value = parseQuantity(q);
  if (value === undefined) return [invalid(path, q, QUANTITY_PARSE_ERROR)];
  return value > 0 ? [] : [invalid(path, quantityString(q), 'must be greater than zero')];
}

function validateClaimSpec(specValue: unknown): FieldCause[] {
  const spec = asObject(specValue) ?? {};
  const causes: FieldCause[] = [];
  const modes = asArray(spec.accessModes) ?? [];
  if (modes.length === 0) causes.push(required('spec.accessModes', 'at least 1 access mode is required'));
  for (const mode of modes)
    if (typeof mode !== 'string' || !SUPPORTED_ACCESS_MODES.includes(mode))
      causes.push(notSupported('spec.accessModes', mode, SUPPORTED_ACCESS_MODES));
  const requests = getObject(spec, 'resources', 'requests') ?? {};
  if (!('storage' in requests)) causes.push(required(key('spec.resources', 'storage')));
  else causes.push(...validateStorageQuantity(requests.storage, key('spec.resources', 'storage')));
  const className = asString(spec.storageClassName);
  if (className) causes.push(...validateDns1123Subdomain(className, 'spec.storageClassName'));
  const mode = spec.volumeMode;
  if (!isUnset(mode) && (typeof mode !== 'string' || !VOLUME_MODES.includes(mode)))
    causes.push(notSupported('spec.volumeMode', mode, VOLUME_MODES));
  return causes;
}

// Only resources.requests, volumeAttributesClassName, a first volumeName and a first storageClassName may change after creation.
function validateClaimUpdate(obj: KubeObject, old: KubeObject): FieldCause[] {
  const next = asObject(deepCopy(obj.spec)) ?? {};
  const prev = asObject(deepCopy(old.spec)) ?? {};
  for (const s of [next, prev]) {
    const resources = asObject(s.resources);
    if (resources) delete resources.requests;
    delete s.volumeAttributesClassName;
  }
  if (!asString(prev.volumeName)) {
    delete next.volumeName;
    delete prev.volumeName;
  }
  // Retroactive default StorageClass (Kubernetes 1.28+): a class may be set once on a claim that had none (nil).
  if (prev.storageClassName === undefined || prev.storageClassName === null) {
    delete next.storageClassName;
    delete prev.storageClassName;
  }
  const causes: FieldCause[] = [];
  if (!jsonEqual(next, prev))
    causes.push(
      forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'),
    );
  const oldSize = parseQuantity(getObject(old, 'spec', 'resources', 'requests')?.storage);
  const newSize = parseQuantity(getObject(obj, 'spec', 'resources', 'requests')?.storage);
  if (oldSize !== undefined && newSize !== undefined && newSize < oldSize && getString(old, 'status', 'phase') === 'Bound')
    causes.push(
      forbidden(key('spec.resources.requests', 'storage'), 'field can not be less than status.capacity'),
    );
  return causes;
}

function claimRow(obj: KubeObject, now: number): unknown[] {
  const phase = obj.metadata.deletionTimestamp ? 'Terminating' : getString(obj, 'status', 'phase');
  const volumeName = getString(obj, 'spec', 'volumeName');
  let capacity = '';
  let accessModes = '';
  if (volumeName) {
    accessModes = accessModesString(getObject(obj, 'status')?.accessModes);
    capacity = quantityString(getObject(obj, 'status', 'capacity')?.storage);
  }
  const annotationClass = obj.metadata.annotations?.[STORAGE_CLASS_ANNOTATION];
  const storageClass = annotationClass ?? getString(obj, 'spec', 'storageClassName');
  const vac = asString(getObject(obj, 'spec')?.volumeAttributesClassName) ?? '<unset>';
  const volumeMode = asString(getObject(obj, 'spec')?.volumeMode) ?? '<unset>';
  return [
    obj.metadata.name ?? '',
    phase,
    volumeName,
    capacity,
    accessModes,
    storageClass,
    vac,
    translateTimestampSince(obj.metadata.creationTimestamp, now),
    volumeMode,
  ];
}

/** The PersistentVolumeClaim resource type. */
export const persistentVolumeClaimType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  categories: [],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: true,
  hasGeneration: false,
  applyDefaults(obj) {
    const spec = childObject(obj, 'spec');
    if (spec) defaultPointer(spec, 'volumeMode', 'Filesystem');
    const resources = asObject(spec?.resources);
    canonicalizeResourceList(resources?.requests);
    canonicalizeResourceList(resources?.limits);
    const status = childObject(obj, 'status');
    if (status && !asString(status.phase)) status.phase = 'Pending';
    canonicalizeResourceList(status?.capacity);
  },
  validate(obj, old) {
    const causes = validateClaimSpec(obj.spec);
    if (old) causes.push(...validateClaimUpdate(obj, old));
    return causes;
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  tableColumns: [
    nameColumn(),
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn(),
    column('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', 1),
  ],
  tableRow: claimRow,
  fieldSelectors: {},
};
