/**
 * The persistent volume controller: a default StorageClass, claims bound to matching volumes or to Docker
 * volumes provisioned for them, and volumes released and reclaimed once their claims are gone. Keys are
 * "claim:<namespace>/<name>" and "volume:<name>"; persistent-volume-planner.ts decides.
 */
import { Controller } from './controller-base';
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { deepCopy } from '../object';
import { asObject, asString, getArray, getString } from '../registry/json-access';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import { isGoneOrConflict, requireType, type ControllerOptions } from './controller-options';
import {
  formatTime,
  objectKey,
  RESOURCE_CLAIMS,
  RESOURCE_PODS,
  RESOURCE_STORAGE_CLASSES,
  RESOURCE_VOLUMES,
  splitKey,
} from './object-source';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_STORAGE_PROVISIONER,
  boundClaimStatus,
  claimRefFor,
  claimRefOf,
  DEFAULT_STORAGE_CLASS,
  defaultStorageClassBody,
  DOCKER_VOLUME_PROVISIONER,
  planClaim,
  planVolume,
  provisionedVolumeBody,
  type ClaimAction,
  type VolumeAction,
} from './persistent-volume-planner';
import { provisionedDockerVolumeName, type VolumeBackend } from './volume-backend';

const COMPONENT = 'persistentvolume-controller';
const CLAIM = 'claim:';
const VOLUME = 'volume:';

export interface PersistentVolumeControllerOptions extends ControllerOptions {
  /** this engine's cluster id: part of Docker volume names and labels */
  clusterId: string;
}

function claimNamesOf(pod: KubeObject): string[] {
  return getArray(pod, 'spec', 'volumes').flatMap((v) => {
    const name = asString(asObject(asObject(v)?.persistentVolumeClaim)?.claimName);
    return name ? [name] : [];
  });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class PersistentVolumeController extends Controller {
  private readonly claimType: ResourceType;
  private readonly volumeType: ResourceType;
  private readonly classType: ResourceType;
  /** claims whose storageClassName the API refused to default (uids): the default class is used unwritten */
  private readonly classRefused = new Set<string>();

  constructor(
    service: ObjectService,
    private readonly backend: VolumeBackend,
    private readonly opts: PersistentVolumeControllerOptions,
  ) {
    super(service, opts);
    this.claimType = requireType(service, RESOURCE_CLAIMS);
    this.volumeType = requireType(service, RESOURCE_VOLUMES);
    this.classType = requireType(service, RESOURCE_STORAGE_CLASSES);
  }

  protected initialKeys(): string[] {
    return [...this.source.list(RESOURCE_CLAIMS).map((c) => CLAIM + objectKey(c)), ...this.source.list(RESOURCE_VOLUMES).map((v) => VOLUME + (v.metadata.name ?? ''))];
  }

  protected override beforeStart(): void {
    this.ensureDefaultStorageClass();
  }

  private ensureDefaultStorageClass(): void {
    if (this.service.tryGet(this.classType, '', DEFAULT_STORAGE_CLASS)) return;
    try {
      this.service.create(this.classType, '', defaultStorageClassBody());
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 409)) throw err;
    }
  }

  // ------------------------------------------------------------------ events -> keys

  private enqueueUnboundClaims(): void {
    for (const c of this.source.list(RESOURCE_CLAIMS)) {
      if (!getString(c, 'spec', 'volumeName')) this.queue.add(CLAIM + objectKey(c));
    }
  }

  protected onEvent(e: StoreEvent): void {
    switch (e.resource) {
      case RESOURCE_STORAGE_CLASSES:
        if (e.type !== 'DELETED') this.enqueueUnboundClaims();
        break;
      case RESOURCE_CLAIMS: {
        if (e.type === 'DELETED') {
          this.classRefused.delete(e.object.metadata.uid ?? '');
          for (const pv of this.source.list(RESOURCE_VOLUMES)) {
            const ref = claimRefOf(pv);
            if (ref && ref.namespace === e.namespace && ref.name === e.name) this.queue.add(VOLUME + (pv.metadata.name ?? ''));
          }
          return;
        }
        this.queue.add(`${CLAIM}${e.namespace}/${e.name}`);
        const volume = getString(e.object, 'spec', 'volumeName');
        if (volume) this.queue.add(VOLUME + volume);
        break;
      }
      case RESOURCE_VOLUMES: {
        const ref = claimRefOf(e.object);
        if (ref) this.queue.add(`${CLAIM}${ref.namespace}/${ref.name}`);
        if (e.type === 'DELETED') return;
        this.queue.add(VOLUME + e.name);
        if (!ref) this.enqueueUnboundClaims();
        break;
      }
      case RESOURCE_PODS:
        if (e.type === 'ADDED') for (const claim of claimNamesOf(e.object)) this.queue.add(`${CLAIM}${e.namespace}/${claim}`);
        break;
    }
  }

  // ------------------------------------------------------------------ reconcile

  protected async reconcile(key: string): Promise<void> {
    if (key.startsWith(CLAIM)) await this.syncClaim(key.slice(CLAIM.length));
    else if (key.startsWith(VOLUME)) await this.syncVolume(key.slice(VOLUME.length));
  }

  private hasConsumer(claim: KubeObject): boolean {
    const name = claim.metadata.name ?? '';
    return this.source.list(RESOURCE_PODS, claim.metadata.namespace ?? '').some((pod) => {
      const phase = getString(pod, 'status', 'phase');
      return phase !== 'Succeeded' && phase !== 'Failed' && claimNamesOf(pod).includes(name);
    });
  }

  private async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const claim = this.source.get(RESOURCE_CLAIMS, namespace, name);
    if (!claim) return;
    const action: ClaimAction = planClaim({
      claim,
      volumes: this.source.list(RESOURCE_VOLUMES),
      classes: this.source.list(RESOURCE_STORAGE_CLASSES),
      hasConsumer: this.hasConsumer(claim),
      mayAssignClass: !this.classRefused.has(claim.metadata.uid ?? ''),
    });
    switch (action.kind) {
      case 'none':
        return;
      case 'assignDefaultClass':
        this.assignDefaultClass(claim, action.className);
        return;
      case 'wait':
        if (action.event) this.events.record(claim, action.event.type, action.event.reason, action.event.message, COMPONENT);
        return;
      case 'lost':
        this.markLost(claim);
        return;
      case 'bind':
        this.bind(claim, action.volume.metadata.name ?? '', action.storageClass);
        return;
      case 'provision':
        await this.provision(claim, action.storageClass, action.volumeName);
        return;
    }
  }

  /** Retroactive default StorageClass: write it into a claim that names none. */
  private assignDefaultClass(claim: KubeObject, className: string): void {
    const next = deepCopy(claim);
    next.spec = { ...(asObject(next.spec) ?? {}), storageClassName: className };
    try {
      this.service.update(this.claimType, claim.metadata.namespace ?? '', claim.metadata.name ?? '', next);
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 422)) throw err;
      // This API keeps claim specs immutable: use the default class without writing it.
      this.classRefused.add(claim.metadata.uid ?? '');
      this.queue.add(CLAIM + objectKey(claim));
    }
  }

  private markLost(claim: KubeObject): void {
    if (getString(claim, 'status', 'phase') === 'Lost') return;
    this.writeStatus(this.claimType, claim, { ...(asObject(claim.status) ?? {}), phase: 'Lost' });
    this.events.record(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!', COMPONENT);
  }

  private writeStatus(type: ResourceType, obj: KubeObject, status: Record<string, unknown>): KubeObject {
    const fresh = this.service.get(type, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    if (fresh.metadata.uid !== obj.metadata.uid) throw new StatusError(409, 'Conflict', 'the object was replaced');
    return this.service.update(type, obj.metadata.namespace ?? '', obj.metadata.name ?? '', { ...fresh, status }, { subresource: 'status' });
  }

  /**
   * Bind claim and volume both ways (claimRef, volume Bound, volumeName, claim Bound), from the objects as
   * the API has them now, skipping the steps already done.
   */
  private bind(claimSeen: KubeObject, volumeName: string, storageClass: KubeObject | undefined): void {
    const namespace = claimSeen.metadata.namespace ?? '';
    const claimName = claimSeen.metadata.name ?? '';
    let claim = this.service.tryGet(this.claimType, namespace, claimName);
    let pv = this.service.tryGet(this.volumeType, '', volumeName);
    if (!claim || !pv || claim.metadata.uid !== claimSeen.metadata.uid) return;
    const ref = claimRefOf(pv);
    if (ref?.uid !== claim.metadata.uid) {
      if (ref && (ref.name !== claimName || ref.namespace !== namespace || ref.uid !== '')) return;
      const next = deepCopy(pv);
      next.spec = { ...(asObject(next.spec) ?? {}), claimRef: claimRefFor(claim) };
      // A claimRef the user wrote (pre-binding) is theirs; one we write is ours.
      if (!ref) next.metadata.annotations = { ...next.metadata.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      pv = this.service.update(this.volumeType, '', volumeName, next);
    }
    if (getString(pv, 'status', 'phase') !== 'Bound') {
      pv = this.writeStatus(this.volumeType, pv, { ...(asObject(pv.status) ?? {}), phase: 'Bound', lastPhaseTransitionTime: formatTime(this.clock.now()) });
    }
    const annotations: Record<string, string> = { ...claim.metadata.annotations, [ANN_BIND_COMPLETED]: 'yes' };
    if (!getString(claim, 'spec', 'volumeName')) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
    if (storageClass && asString(storageClass.provisioner) === DOCKER_VOLUME_PROVISIONER && pv.metadata.annotations?.['pv.kubernetes.io/provisioned-by']) {
      annotations[ANN_STORAGE_PROVISIONER] = DOCKER_VOLUME_PROVISIONER;
      annotations[ANN_BETA_STORAGE_PROVISIONER] = DOCKER_VOLUME_PROVISIONER;
    }
    const annotationsChanged = Object.entries(annotations).some(([k, v]) => claim?.metadata.annotations?.[k] !== v);
    if (getString(claim, 'spec', 'volumeName') !== volumeName || annotationsChanged) {
      const next = deepCopy(claim);
      next.spec = { ...(asObject(next.spec) ?? {}), volumeName };
      next.metadata.annotations = annotations;
      claim = this.service.update(this.claimType, namespace, claimName, next);
    }
    const want = boundClaimStatus(pv);
    const have = asObject(claim.status) ?? {};
    if (have.phase !== 'Bound' || JSON.stringify(have.capacity) !== JSON.stringify(want.capacity) || JSON.stringify(have.accessModes) !== JSON.stringify(want.accessModes)) {
      this.writeStatus(this.claimType, claim, { ...have, ...want });
    }
  }

  private async provision(claim: KubeObject, storageClass: KubeObject, volumeName: string): Promise<void> {
    const uid = claim.metadata.uid ?? '';
    const dockerVolume = provisionedDockerVolumeName(this.opts.clusterId, uid);
    const className = storageClass.metadata.name ?? '';
    try {
      await this.backend.create(dockerVolume, { 'dev.skiff.pv': volumeName, 'dev.skiff.pvc-uid': uid });
    } catch (err) {
      this.events.record(claim, 'Warning', 'ProvisioningFailed', `Failed to provision volume with StorageClass "${className}": ${errorMessage(err)}`, COMPONENT);
      throw err;
    }
    // The claim may have gone while Docker worked: then the volume goes too.
    const fresh = this.service.tryGet(this.claimType, claim.metadata.namespace ?? '', claim.metadata.name ?? '');
    if (!fresh || fresh.metadata.uid !== uid || fresh.metadata.deletionTimestamp) {
      await this.backend.remove(dockerVolume);
      return;
    }
    try {
      this.service.create(this.volumeType, '', provisionedVolumeBody(fresh, storageClass, dockerVolume));
    } catch (err) {
      if (!(err instanceof StatusError && err.code === 409)) throw err;
    }
    this.events.record(fresh, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volumeName} using ${DOCKER_VOLUME_PROVISIONER}`, COMPONENT);
    this.bind(fresh, volumeName, storageClass);
  }

  private async syncVolume(name: string): Promise<void> {
    const pv = this.source.get(RESOURCE_VOLUMES, '', name);
    if (!pv) return;
    const ref = claimRefOf(pv);
    // Releasing and deleting data is decided on the API's current claim, never on a lagging view.
    const claim = ref ? this.service.tryGet(this.claimType, ref.namespace, ref.name) : undefined;
    const action: VolumeAction = planVolume(pv, claim);
    switch (action.kind) {
      case 'none':
        return;
      case 'setPhase': {
        const status: Record<string, unknown> = { ...(asObject(pv.status) ?? {}), phase: action.phase, lastPhaseTransitionTime: formatTime(this.clock.now()) };
        if (action.message) status.message = action.message;
        else delete status.message;
        this.writeStatus(this.volumeType, pv, status);
        return;
      }
      case 'unbind': {
        const next = deepCopy(pv);
        const spec = { ...(asObject(next.spec) ?? {}) };
        delete spec.claimRef;
        next.spec = spec;
        const annotations = { ...next.metadata.annotations };
        delete annotations[ANN_BOUND_BY_CONTROLLER];
        next.metadata.annotations = annotations;
        this.service.update(this.volumeType, '', name, next);
        return;
      }
      case 'delete':
        await this.reclaim(pv, action.dockerVolume);
        return;
    }
  }

  /** reclaimPolicy Delete of a volume we provisioned: its Docker volume first, then the object. */
  private async reclaim(pv: KubeObject, dockerVolume: string): Promise<void> {
    try {
      await this.backend.remove(dockerVolume);
    } catch (err) {
      this.events.record(pv, 'Warning', 'VolumeFailedDelete', errorMessage(err), COMPONENT);
      throw err;
    }
    try {
      this.service.delete(this.volumeType, '', pv.metadata.name ?? '', { preconditions: { uid: pv.metadata.uid } });
    } catch (err) {
      if (!isGoneOrConflict(err)) throw err;
    }
  }
}
