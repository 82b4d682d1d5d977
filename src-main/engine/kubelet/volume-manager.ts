/**
 * Pod volumes on Docker, with Kubernetes semantics. `prepare(pod)` sets up every volume of a pod (creating
 * Docker volumes, checking host paths, writing configMap/secret/downwardAPI/projected files); `mountsFor`
 * turns a container's volumeMounts into Docker mounts; `cleanup` removes what belonged to the pod only
 * (never PersistentVolume data). While started, file volumes follow the objects they project: a changed
 * ConfigMap or Secret (or pod labels, for the downward API) is rewritten through the atomic writer, so
 * containers see the new files within moments, except through subPath mounts, as in Kubernetes.
 *
 * Order for the kubelet: prepare(pod) -> create the sandbox with sandboxMounts(pod) -> containers with
 * mountsFor(pod, container). The sandbox holding the emptyDir volumes keeps a `medium: Memory` volume mounted
 * (Docker unmounts a tmpfs volume, losing its data, when no container uses it) across container restarts.
 */
import { realpathSync } from 'node:fs';
import { lstat, mkdir, readdir, rm, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type Docker from 'dockerode';
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { jsonEqual } from '../object';
import { asArray, asObject, asString, objectItems, type JsonObject } from '../registry/json-access';
import { parseQuantity } from '../registry/quantity';
import type { ResourceType } from '../registry/resource-type';
import type { StoreEvent } from '../store/sqlite-store';
import { LABEL_CLUSTER, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from './labels';
import { writeAtomically } from './volume-atomic-writer';
import { resolveClaim } from './volume-claim';
import { ensureVolume, ensureVolumeSubdir, inspectVolume, listVolumes, openVolumeRoot, removeVolume } from './volume-docker';
import { VolumeError, setUpFailed } from './volume-error';
import { checkHostPathType } from './volume-host-path';
import { containerMounts, mountRequests, podContainers, subPathHostPath, type DockerMount, type PreparedVolume } from './volume-mounts';
import { LABEL_VOLUME_KIND, LABEL_VOLUME_NAME, emptyDirVolumeName, fileVolumeDir, podVolumesDir, podsDir } from './volume-names';
import { filePayloadOf, volumeReferences, type SourceLookup } from './volume-payload';

export { VolumeError } from './volume-error';
export type { DockerMount } from './volume-mounts';

/** Where the sandbox mounts the pod's emptyDir volumes to hold them (see the file comment). */
export const SANDBOX_VOLUME_ROOT = '/.skiff/volumes';

const FILE_VOLUME_KINDS: Array<[string, string]> = [
  ['configMap', 'configmap'],
  ['secret', 'secret'],
  ['downwardAPI', 'downward-api'],
  ['projected', 'projected'],
];

/** A file-backed volume of a tracked pod. */
interface FileVolume {
  volume: JsonObject;
  dir: string;
  /** rewritten when the pod's metadata changes */
  usesDownwardApi: boolean;
}

interface TrackedPod {
  pod: KubeObject;
  prepared: Map<string, PreparedVolume>;
  files: Map<string, FileVolume>;
}

export interface VolumeManagerOptions {
  service: ObjectService;
  docker: Docker;
  stateDir: string;
  clusterId: string;
  /** a background refresh of a file volume failed (it is retried on the next change) */
  onRefreshError?: (podUid: string, volume: string, error: unknown) => void;
}

function fileVolumeKind(volume: JsonObject): string | undefined {
  for (const [key, kind] of FILE_VOLUME_KINDS) if (asObject(volume[key])) return kind;
  return undefined;
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** Pod volumes on Docker: see the file comment. */
export class VolumeManager {
  private readonly pods = new Map<string, TrackedPod>();
  /** per-pod chain: prepare, refreshes and cleanup of one pod never overlap */
  private readonly chains = new Map<string, Promise<void>>();
  /** "uid/volume" refreshes queued and not started yet (a burst of changes writes once) */
  private readonly queued = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private readonly configMaps: ResourceType;
  private readonly secrets: ResourceType;
  private readonly claims: ResourceType;
  private readonly volumes: ResourceType;

  constructor(private readonly opts: VolumeManagerOptions) {
    const type = (plural: string): ResourceType => {
      const t = opts.service.typeOf(plural);
      if (!t) throw new Error(`the registry has no ${plural}`);
      return t;
    };
    this.configMaps = type('configmaps');
    this.secrets = type('secrets');
    this.claims = type('persistentvolumeclaims');
    this.volumes = type('persistentvolumes');
  }

  start(): void {
    this.unsubscribe ??= this.opts.service.store.subscribe((e) => this.onStoreEvent(e));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Resolves when every queued write has finished (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all([...this.chains.values()]);
  }

  /** Set up every volume of the pod; idempotent. Throws VolumeError (FailedMount, FailedAttachVolume). */
  prepare(pod: KubeObject): Promise<void> {
    const uid = pod.metadata.uid ?? '';
    if (!uid) return Promise.reject(new VolumeError('FailedMount', `pod "${podKey(pod)}" has no uid`));
    // Tracked before anything is read, so a change that lands while this runs is written after it.
    const tracked = this.track(pod);
    return this.serialize(uid, () => this.prepareNow(tracked));
  }

  /** Docker mounts for one container of a prepared pod. */
  mountsFor(pod: KubeObject, container: Record<string, unknown>): DockerMount[] {
    const tracked = this.pods.get(pod.metadata.uid ?? '');
    if (!tracked) throw new VolumeError('FailedMount', `volumes of pod "${podKey(pod)}" are not prepared`);
    return containerMounts(pod, container, tracked.prepared, (p) => realpathSync(p));
  }

  /** Mounts for the sandbox container: every emptyDir of the prepared pod, under SANDBOX_VOLUME_ROOT. */
  sandboxMounts(pod: KubeObject): DockerMount[] {
    const tracked = this.pods.get(pod.metadata.uid ?? '');
    if (!tracked) throw new VolumeError('FailedMount', `volumes of pod "${podKey(pod)}" are not prepared`);
    const out: DockerMount[] = [];
    for (const [v] of objectItems(asObject(pod.spec)?.volumes)) {
      const name = asString(v.name) ?? '';
      const prepared = tracked.prepared.get(name);
      if (asObject(v.emptyDir) && prepared?.kind === 'docker') {
        out.push({ Type: 'volume', Source: prepared.volume, Target: `${SANDBOX_VOLUME_ROOT}/${name}`, ReadOnly: false, VolumeOptions: { NoCopy: true } });
      }
    }
    return out;
  }

  /** Remove the pod's emptyDir volumes and files (never PVC data). Containers must be gone first. */
  cleanup(podUid: string): Promise<void> {
    this.pods.delete(podUid);
    return this.serialize(podUid, () => this.cleanupNow(podUid));
  }

  /**
   * After an engine restart: remove emptyDir volumes and file dirs of pods not in `liveUids` (volumes still in
   * use by a container are left for a later call).
   */
  async pruneOrphans(liveUids: ReadonlySet<string>): Promise<void> {
    const volumes = await listVolumes(this.opts.docker, { [LABEL_CLUSTER]: this.opts.clusterId, [LABEL_VOLUME_KIND]: 'emptyDir' });
    const dead = new Set(volumes.map((v) => v.labels[LABEL_POD_UID] ?? '').filter((uid) => uid && !liveUids.has(uid)));
    let podDirs: string[] = [];
    try {
      podDirs = await readdir(podsDir(this.opts.stateDir));
    } catch {
      // no pods dir yet
    }
    for (const uid of podDirs) if (!liveUids.has(uid)) dead.add(uid);
    for (const uid of dead) await this.cleanup(uid).catch(() => undefined);
  }

  // ---------------------------------------------------------------- internals

  private track(pod: KubeObject): TrackedPod {
    const uid = pod.metadata.uid ?? '';
    const files = new Map<string, FileVolume>();
    for (const [v] of objectItems(asObject(pod.spec)?.volumes)) {
      const kind = fileVolumeKind(v);
      const name = asString(v.name) ?? '';
      if (!kind) continue;
      const sources = asArray(asObject(v.projected)?.sources) ?? [];
      const usesDownwardApi = kind === 'downward-api' || sources.some((src) => asObject(asObject(src)?.downwardAPI) !== undefined);
      files.set(name, { volume: v, dir: fileVolumeDir(this.opts.stateDir, uid, kind, name), usesDownwardApi });
    }
    const existing = this.pods.get(uid);
    const tracked: TrackedPod = { pod, prepared: existing?.prepared ?? new Map(), files };
    this.pods.set(uid, tracked);
    return tracked;
  }

  private serialize(uid: string, task: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(uid) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(uid, settled);
    void settled.then(() => {
      if (this.chains.get(uid) === settled) this.chains.delete(uid);
    });
    return run;
  }

  private lookup(namespace: string): SourceLookup {
    return {
      configMap: (name) => this.opts.service.tryGet(this.configMaps, namespace, name),
      secret: (name) => this.opts.service.tryGet(this.secrets, namespace, name),
    };
  }

  private async prepareNow(tracked: TrackedPod): Promise<void> {
    const pod = tracked.pod;
    const uid = pod.metadata.uid ?? '';
    const namespace = pod.metadata.namespace ?? '';
    const prepared = new Map<string, PreparedVolume>();
    for (const [v] of objectItems(asObject(pod.spec)?.volumes)) {
      const name = asString(v.name) ?? '';
      prepared.set(name, await this.prepareVolume(pod, namespace, name, v, tracked.files.get(name)));
    }
    await this.prepareSubPaths(pod, prepared);
    // A cleanup queued meanwhile wins: the pod is gone.
    if (this.pods.get(uid) === tracked) tracked.prepared = prepared;
  }

  private async prepareVolume(pod: KubeObject, namespace: string, name: string, v: JsonObject, file: FileVolume | undefined): Promise<PreparedVolume> {
    const emptyDir = asObject(v.emptyDir);
    if (emptyDir) return this.prepareEmptyDir(pod, name, emptyDir);
    const hostPath = asObject(v.hostPath);
    if (hostPath) {
      const path = asString(hostPath.path) ?? '';
      const error = await checkHostPathType(path, asString(hostPath.type) ?? '').catch((err: unknown) => String(err));
      if (error) throw setUpFailed(name, error);
      return { kind: 'bind', path, readOnly: false, atomic: false };
    }
    if (file) {
      const result = filePayloadOf(v, pod, this.lookup(namespace));
      if (result && !result.ok) throw setUpFailed(name, result.error);
      if (result) await writeAtomically(file.dir, result.payload);
      return { kind: 'bind', path: file.dir, readOnly: true, atomic: true };
    }
    const claimSource = asObject(v.persistentVolumeClaim);
    if (claimSource) return this.prepareClaim(namespace, claimSource);
    const kind = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
    throw setUpFailed(name, `volume type ${kind} is not supported by this engine`);
  }

  private async prepareEmptyDir(pod: KubeObject, name: string, emptyDir: JsonObject): Promise<PreparedVolume> {
    const uid = pod.metadata.uid ?? '';
    const volume = emptyDirVolumeName(this.opts.clusterId, uid, name);
    let driverOpts: Record<string, string> | undefined;
    if (asString(emptyDir.medium) === 'Memory') {
      driverOpts = { type: 'tmpfs', device: 'tmpfs' };
      const size = parseQuantity(emptyDir.sizeLimit);
      if (size !== undefined && size > 0) driverOpts.o = `size=${Math.ceil(size)}`;
    }
    const labels = {
      [LABEL_CLUSTER]: this.opts.clusterId,
      [LABEL_POD_UID]: uid,
      [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? '',
      [LABEL_POD_NAME]: pod.metadata.name ?? '',
      [LABEL_VOLUME_NAME]: name,
      [LABEL_VOLUME_KIND]: 'emptyDir',
    };
    const { mountpoint, created } = await ensureVolume(this.opts.docker, { name: volume, labels, driverOpts });
    // a tmpfs gets its 1777 root when mounted; a disk volume is opened up once, when new
    if (created && !driverOpts) await openVolumeRoot(this.opts.docker, volume, mountpoint, this.opts.clusterId);
    return { kind: 'docker', volume, mountpoint, readOnly: false };
  }

  private async prepareClaim(namespace: string, source: JsonObject): Promise<PreparedVolume> {
    const claimName = asString(source.claimName) ?? '';
    const backing = resolveClaim(namespace, source, this.opts.service.tryGet(this.claims, namespace, claimName), (pv) =>
      this.opts.service.tryGet(this.volumes, '', pv),
    );
    if (!backing.ok) throw new VolumeError(backing.reason, backing.message);
    if (backing.kind === 'docker-volume') {
      const mountpoint = await inspectVolume(this.opts.docker, backing.volume);
      if (mountpoint === undefined) throw setUpFailed(backing.pvName, `docker volume "${backing.volume}" not found`);
      return { kind: 'docker', volume: backing.volume, mountpoint, readOnly: backing.readOnly };
    }
    const error = await checkHostPathType(backing.path, backing.type).catch((err: unknown) => String(err));
    if (error) throw setUpFailed(backing.pvName, error);
    return { kind: 'bind', path: backing.path, readOnly: backing.readOnly, atomic: false };
  }

  /** Kubernetes creates a missing subPath directory inside the volume before the container starts. */
  private async prepareSubPaths(pod: KubeObject, prepared: Map<string, PreparedVolume>): Promise<void> {
    for (const container of podContainers(pod)) {
      for (const req of mountRequests(pod, container)) {
        const volume = prepared.get(req.name);
        if (!req.subPath || !volume) continue;
        const path = subPathHostPath(volume, req.subPath);
        try {
          if (volume.kind === 'docker') {
            await ensureVolumeSubdir(this.opts.docker, volume.volume, volume.mountpoint, req.subPath, this.opts.clusterId);
          } else if (!(await lstat(path).then(() => true, () => false))) {
            await mkdir(path, { recursive: true, mode: 0o755 });
          }
        } catch (err) {
          throw new VolumeError('FailedMount', `failed to prepare subPath for volumeMount "${req.name}" of container "${asString(container.name) ?? ''}": ${String(err)}`);
        }
      }
    }
  }

  private async cleanupNow(podUid: string): Promise<void> {
    const failures: string[] = [];
    const volumes = await listVolumes(this.opts.docker, { [LABEL_CLUSTER]: this.opts.clusterId, [LABEL_POD_UID]: podUid, [LABEL_VOLUME_KIND]: 'emptyDir' });
    for (const v of volumes) {
      await removeVolume(this.opts.docker, v.name).catch((err: unknown) => failures.push(`${v.name}: ${String(err)}`));
    }
    const dir = podVolumesDir(this.opts.stateDir, podUid);
    await rm(dir, { recursive: true, force: true });
    await rmdir(dirname(dir)).catch(() => undefined); // only when nothing else of the pod's is there
    if (failures.length > 0) throw new Error(`removing volumes of pod ${podUid}: ${failures.join('; ')}`);
  }

  private onStoreEvent(e: StoreEvent): void {
    if (e.resource === 'configmaps' || e.resource === 'secrets') {
      for (const [uid, tracked] of this.pods) {
        if ((tracked.pod.metadata.namespace ?? '') !== e.namespace) continue;
        for (const [name, file] of tracked.files) {
          const refs = volumeReferences(file.volume);
          if ((e.resource === 'configmaps' ? refs.configMaps : refs.secrets).includes(e.name)) this.queueRefresh(uid, name);
        }
      }
    } else if (e.resource === 'pods' && e.type === 'MODIFIED') {
      const uid = e.object.metadata.uid ?? '';
      const tracked = this.pods.get(uid);
      if (!tracked) return;
      const before = tracked.pod.metadata;
      tracked.pod = e.object;
      const after = e.object.metadata;
      if (jsonEqual(before.labels, after.labels) && jsonEqual(before.annotations, after.annotations)) return;
      for (const [name, file] of tracked.files) if (file.usesDownwardApi) this.queueRefresh(uid, name);
    }
  }

  private queueRefresh(uid: string, volume: string): void {
    const key = `${uid}/${volume}`;
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.serialize(uid, async () => {
      this.queued.delete(key);
      await this.refresh(uid, volume);
    }).catch((err: unknown) => this.opts.onRefreshError?.(uid, volume, err));
  }

  /** Rewrite one file volume. A source that became unreadable keeps the last content, as the kubelet does. */
  private async refresh(uid: string, volume: string): Promise<void> {
    const tracked = this.pods.get(uid);
    const file = tracked?.files.get(volume);
    if (!tracked || !file || !tracked.prepared.has(volume)) return;
    const result = filePayloadOf(file.volume, tracked.pod, this.lookup(tracked.pod.metadata.namespace ?? ''));
    if (!result || !result.ok) return;
    await writeAtomically(file.dir, result.payload);
  }
}
