/**
 * The persistent volume planner (pure), after pkg/controller/volume/persistentvolume: what a claim needs
 * (a default class, a matching volume, a provisioned Docker volume, or to wait) and what a volume needs
 * (its phase, release and reclaim once its claim is gone).
 */
import { labelSelectorFromObject, matchesLabels } from '../api/selectors/label-selector';
import type { KubeObject } from '../object';
import { asArray, asObject, asString, getObject, getString } from '../registry/json-access';
import { parseQuantity } from '../registry/quantity';
import { isDefaultStorageClass } from '../registry/storage-class';
import { parseTime } from './object-source';

/** Our provisioner and the CSI driver name of the PersistentVolumes it makes (the kubelet mounts those). */
export const DOCKER_VOLUME_PROVISIONER = 'skiff.dev/docker-volume';
export const DEFAULT_STORAGE_CLASS = 'standard';

export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';

/** The StorageClass created at start when no class of that name exists. */
export function defaultStorageClassBody(): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: DOCKER_VOLUME_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

/** The default class: the most recently created one annotated as default (as the admission plugin picks). */
export function defaultClass(classes: readonly KubeObject[]): KubeObject | undefined {
  let best: KubeObject | undefined;
  for (const c of classes) {
    if (!isDefaultStorageClass(c)) continue;
    const t = parseTime(c.metadata.creationTimestamp) ?? 0;
    const bt = best ? (parseTime(best.metadata.creationTimestamp) ?? 0) : -1;
    if (!best || t > bt || (t === bt && (c.metadata.name ?? '') < (best.metadata.name ?? ''))) best = c;
  }
  return best;
}

/** storageClassName as written: undefined when unset (not the same as "", which means "no class"). */
export function writtenClassName(claim: KubeObject): string | undefined {
  return asString(getObject(claim, 'spec')?.storageClassName);
}

function requestedBytes(claim: KubeObject): number {
  return parseQuantity(getObject(claim, 'spec', 'resources', 'requests')?.storage) ?? 0;
}

function capacityBytes(pv: KubeObject): number {
  return parseQuantity(getObject(pv, 'spec', 'capacity')?.storage) ?? 0;
}

function stringList(v: unknown): string[] {
  return (asArray(v) ?? []).filter((x): x is string => typeof x === 'string');
}

function volumeMode(obj: KubeObject): string {
  return getString(obj, 'spec', 'volumeMode') || 'Filesystem';
}

/** The claimRef of a volume, if it names a claim. */
export function claimRefOf(pv: KubeObject): { namespace: string; name: string; uid: string } | undefined {
  const ref = getObject(pv, 'spec', 'claimRef');
  const name = asString(ref?.name);
  if (!ref || !name) return undefined;
  return { namespace: asString(ref.namespace) ?? '', name, uid: asString(ref.uid) ?? '' };
}

/** Whether the volume's claimRef names this claim (a claimRef without uid is a pre-binding by name). */
export function refersTo(pv: KubeObject, claim: KubeObject): boolean {
  const ref = claimRefOf(pv);
  if (!ref || ref.name !== claim.metadata.name || ref.namespace !== (claim.metadata.namespace ?? '')) return false;
  return ref.uid === '' || ref.uid === claim.metadata.uid;
}

/** Whether a volume can serve a claim: class, volume mode, access modes, size, selector. */
export function volumeFits(pv: KubeObject, claim: KubeObject, className: string): boolean {
  if ((getString(pv, 'spec', 'storageClassName') || '') !== className) return false;
  if (volumeMode(pv) !== volumeMode(claim)) return false;
  const offered = new Set(stringList(getObject(pv, 'spec')?.accessModes));
  if (!stringList(getObject(claim, 'spec')?.accessModes).every((m) => offered.has(m))) return false;
  if (capacityBytes(pv) < requestedBytes(claim)) return false;
  const selector = getObject(claim, 'spec')?.selector;
  if (selector !== undefined && selector !== null) {
    try {
      if (!matchesLabels(labelSelectorFromObject(selector), pv.metadata.labels)) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** An unclaimed volume a claim may take: no claimRef (or pre-bound to it), not released, not going away. */
function isAvailableFor(pv: KubeObject, claim: KubeObject): boolean {
  if (pv.metadata.deletionTimestamp) return false;
  const phase = getString(pv, 'status', 'phase');
  if (phase === 'Released' || phase === 'Failed') return false;
  const ref = claimRefOf(pv);
  return !ref || refersTo(pv, claim);
}

/** The smallest available volume that fits (findBestMatchForClaim); pre-bound volumes win. */
export function bestVolumeFor(claim: KubeObject, volumes: readonly KubeObject[], className: string): KubeObject | undefined {
  const candidates = volumes.filter((pv) => isAvailableFor(pv, claim) && volumeFits(pv, claim, className));
  const prebound = candidates.find((pv) => claimRefOf(pv) !== undefined);
  if (prebound) return prebound;
  return candidates.sort((a, b) => capacityBytes(a) - capacityBytes(b) || ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1))[0];
}

export interface PlannedClaimEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type ClaimAction =
  | { kind: 'none' }
  | { kind: 'assignDefaultClass'; className: string }
  | { kind: 'bind'; volume: KubeObject; storageClass?: KubeObject }
  | { kind: 'provision'; storageClass: KubeObject; volumeName: string }
  | { kind: 'lost' }
  | { kind: 'wait'; event?: PlannedClaimEvent };

export interface ClaimPlanInput {
  claim: KubeObject;
  volumes: readonly KubeObject[];
  classes: readonly KubeObject[];
  /** a pod uses the claim (WaitForFirstConsumer provisions only then) */
  hasConsumer: boolean;
  /** false when writing the default class into the claim was refused: use it without writing it */
  mayAssignClass: boolean;
}

/** The name of the PersistentVolume provisioned for a claim. */
export function provisionedVolumeName(claim: KubeObject): string {
  return `pvc-${claim.metadata.uid ?? ''}`;
}

function fullyBound(claim: KubeObject, pv: KubeObject): boolean {
  return (
    getString(claim, 'status', 'phase') === 'Bound' &&
    getString(claim, 'spec', 'volumeName') === pv.metadata.name &&
    claim.metadata.annotations?.[ANN_BIND_COMPLETED] === 'yes' &&
    getString(pv, 'status', 'phase') === 'Bound' &&
    claimRefOf(pv)?.uid === claim.metadata.uid
  );
}

export function planClaim(input: ClaimPlanInput): ClaimAction {
  const { claim, volumes, classes } = input;
  if (claim.metadata.deletionTimestamp) return { kind: 'none' };
  const written = writtenClassName(claim);
  const fallback = defaultClass(classes);
  const boundTo = getString(claim, 'spec', 'volumeName');
  if (written === undefined && fallback && input.mayAssignClass && !boundTo) {
    return { kind: 'assignDefaultClass', className: fallback.metadata.name ?? '' };
  }
  const className = written ?? fallback?.metadata.name ?? '';
  const storageClass = classes.find((c) => c.metadata.name === className);
  if (boundTo) {
    const pv = volumes.find((v) => v.metadata.name === boundTo);
    if (!pv) {
      if (getString(claim, 'status', 'phase') === 'Bound') return { kind: 'lost' };
      return { kind: 'wait' };
    }
    if (refersTo(pv, claim)) return fullyBound(claim, pv) ? { kind: 'none' } : { kind: 'bind', volume: pv, storageClass };
    if (!claimRefOf(pv) && isAvailableFor(pv, claim) && volumeFits(pv, claim, className)) return { kind: 'bind', volume: pv, storageClass };
    return { kind: 'wait', event: { type: 'Warning', reason: 'FailedBinding', message: `volume "${boundTo}" already bound to a different claim.` } };
  }
  const mine = volumes.find((pv) => claimRefOf(pv)?.uid === claim.metadata.uid && !pv.metadata.deletionTimestamp);
  if (mine) return { kind: 'bind', volume: mine, storageClass };
  const match = bestVolumeFor(claim, volumes, className);
  if (match) return { kind: 'bind', volume: match, storageClass };
  if (className === '') {
    return { kind: 'wait', event: { type: 'Normal', reason: 'FailedBinding', message: 'no persistent volumes available for this claim and no storage class is set' } };
  }
  if (!storageClass) {
    return { kind: 'wait', event: { type: 'Warning', reason: 'ProvisioningFailed', message: `storageclass.storage.k8s.io "${className}" not found` } };
  }
  const provisioner = asString(storageClass.provisioner) ?? '';
  if (provisioner !== DOCKER_VOLUME_PROVISIONER) {
    return {
      kind: 'wait',
      event: {
        type: 'Normal',
        reason: 'ExternalProvisioning',
        message: `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      },
    };
  }
  if (asString(storageClass.volumeBindingMode) === 'WaitForFirstConsumer' && !input.hasConsumer) {
    return { kind: 'wait', event: { type: 'Normal', reason: 'WaitForFirstConsumer', message: 'waiting for first consumer to be created before binding' } };
  }
  const selector = getObject(claim, 'spec')?.selector;
  if (selector !== undefined && selector !== null) {
    return { kind: 'wait', event: { type: 'Warning', reason: 'ProvisioningFailed', message: `Failed to provision volume with StorageClass "${className}": claim.Spec.Selector is not supported for dynamic provisioning` } };
  }
  return { kind: 'provision', storageClass, volumeName: provisionedVolumeName(claim) };
}

/** The PersistentVolume provisioned for a claim, backed by the Docker volume `dockerVolume`. */
export function provisionedVolumeBody(claim: KubeObject, storageClass: KubeObject, dockerVolume: string): KubeObject {
  const spec = getObject(claim, 'spec') ?? {};
  const storage = getObject(spec, 'resources', 'requests')?.storage;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: provisionedVolumeName(claim),
      annotations: { [ANN_PROVISIONED_BY]: DOCKER_VOLUME_PROVISIONER, [ANN_BOUND_BY_CONTROLLER]: 'yes' },
    },
    spec: {
      capacity: { storage },
      accessModes: stringList(spec.accessModes),
      persistentVolumeReclaimPolicy: asString(storageClass.reclaimPolicy) ?? 'Delete',
      storageClassName: storageClass.metadata.name,
      volumeMode: volumeMode(claim),
      claimRef: claimRefFor(claim),
      csi: { driver: DOCKER_VOLUME_PROVISIONER, volumeHandle: dockerVolume },
    },
  };
}

export function claimRefFor(claim: KubeObject): Record<string, unknown> {
  return {
    kind: 'PersistentVolumeClaim',
    namespace: claim.metadata.namespace,
    name: claim.metadata.name,
    uid: claim.metadata.uid,
    apiVersion: 'v1',
    resourceVersion: claim.metadata.resourceVersion,
  };
}

/** The Docker volume behind a volume we provisioned, or undefined for any other volume. */
export function dockerVolumeOf(pv: KubeObject): string | undefined {
  const csi = getObject(pv, 'spec', 'csi');
  if (!csi || asString(csi.driver) !== DOCKER_VOLUME_PROVISIONER) return undefined;
  if (pv.metadata.annotations?.[ANN_PROVISIONED_BY] !== DOCKER_VOLUME_PROVISIONER) return undefined;
  return asString(csi.volumeHandle) || undefined;
}

export type VolumeAction =
  | { kind: 'none' }
  | { kind: 'setPhase'; phase: 'Available' | 'Bound' | 'Released' | 'Failed'; message?: string }
  | { kind: 'unbind' }
  | { kind: 'delete'; dockerVolume: string };

/** What a volume needs, given the claim its claimRef names (undefined when that claim does not exist). */
export function planVolume(pv: KubeObject, claim: KubeObject | undefined): VolumeAction {
  if (pv.metadata.deletionTimestamp) return { kind: 'none' };
  const phase = getString(pv, 'status', 'phase');
  const setPhase = (want: 'Available' | 'Bound' | 'Released' | 'Failed', message?: string): VolumeAction =>
    phase === want ? { kind: 'none' } : message === undefined ? { kind: 'setPhase', phase: want } : { kind: 'setPhase', phase: want, message };
  const ref = claimRefOf(pv);
  if (!ref || ref.uid === '') return setPhase('Available');
  const claimGone = !claim || claim.metadata.uid !== ref.uid;
  const volumeName = claim ? getString(claim, 'spec', 'volumeName') : '';
  if (!claimGone && (volumeName === '' || volumeName === pv.metadata.name)) {
    // Bound, or a bind the claim's sync is completing.
    return volumeName === '' ? { kind: 'none' } : setPhase('Bound');
  }
  if (!claimGone && pv.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === 'yes' && !dockerVolumeOf(pv)) {
    // We bound it to a claim that went to another volume: give it back.
    return { kind: 'unbind' };
  }
  if (phase !== 'Released' && phase !== 'Failed') return { kind: 'setPhase', phase: 'Released' };
  if (phase === 'Failed') return { kind: 'none' };
  const policy = getString(pv, 'spec', 'persistentVolumeReclaimPolicy') || 'Retain';
  if (policy === 'Retain') return { kind: 'none' };
  if (policy === 'Delete') {
    const dockerVolume = dockerVolumeOf(pv);
    if (dockerVolume) return { kind: 'delete', dockerVolume };
    return setPhase('Failed', `error getting deleter volume plugin for volume "${pv.metadata.name ?? ''}": no deletable volume plugin matched`);
  }
  return setPhase('Failed', 'No recycler plugin found for the volume!');
}

/** The access modes and capacity a Bound claim reports. */
export function boundClaimStatus(pv: KubeObject): Record<string, unknown> {
  const spec = asObject(pv.spec) ?? {};
  return { phase: 'Bound', accessModes: stringList(spec.accessModes), capacity: { ...(asObject(spec.capacity) ?? {}) } };
}
