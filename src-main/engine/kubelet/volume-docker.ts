/** The Docker side of volumes: pod-scoped volumes (create, inspect, remove) and subdirectories for subPath. */
import { chmod, mkdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { isPlainObject } from '../object';
import { LABEL_CLUSTER, LABEL_ROLE } from './labels';
import { buildTar } from './tar-writer';

function statusCode(err: unknown): number | undefined {
  return isPlainObject(err) && typeof err.statusCode === 'number' ? err.statusCode : undefined;
}

/** The volume's Mountpoint, or undefined when Docker has no volume of that name. */
export async function inspectVolume(docker: Docker, name: string): Promise<string | undefined> {
  try {
    const info: unknown = await docker.getVolume(name).inspect();
    return isPlainObject(info) && typeof info.Mountpoint === 'string' ? info.Mountpoint : '';
  } catch (err) {
    if (statusCode(err) === 404) return undefined;
    throw err;
  }
}

export interface VolumeSpec {
  name: string;
  labels: Record<string, string>;
  /** local driver options (tmpfs) */
  driverOpts?: Record<string, string>;
}

/** Create the volume unless it exists; returns its Mountpoint and whether this call created it. */
export async function ensureVolume(docker: Docker, spec: VolumeSpec): Promise<{ mountpoint: string; created: boolean }> {
  const existing = await inspectVolume(docker, spec.name);
  if (existing !== undefined) return { mountpoint: existing, created: false };
  // Docker answers a create of an existing name with that volume, so a concurrent create is harmless.
  await docker.createVolume({ Name: spec.name, Driver: 'local', DriverOpts: spec.driverOpts ?? {}, Labels: spec.labels });
  return { mountpoint: (await inspectVolume(docker, spec.name)) ?? '', created: true };
}

/** Names of the volumes carrying all of `labels`. */
export async function listVolumes(docker: Docker, labels: Record<string, string>): Promise<Array<{ name: string; labels: Record<string, string> }>> {
  const res: unknown = await docker.listVolumes({ filters: JSON.stringify({ label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) }) });
  const volumes = isPlainObject(res) && Array.isArray(res.Volumes) ? res.Volumes : [];
  return volumes.flatMap((v: unknown) => {
    if (!isPlainObject(v) || typeof v.Name !== 'string') return [];
    const l: Record<string, string> = {};
    if (isPlainObject(v.Labels)) for (const [k, val] of Object.entries(v.Labels)) if (typeof val === 'string') l[k] = val;
    return [{ name: v.Name, labels: l }];
  });
}

/** Remove a volume; a volume already gone is fine. */
export async function removeVolume(docker: Docker, name: string): Promise<void> {
  try {
    await docker.getVolume(name).remove();
  } catch (err) {
    if (statusCode(err) !== 404) throw err;
  }
}

/**
 * A tiny image holding one directory, /empty-dir, mode 0777, and no program: containers made from it are
 * created and never started. Creating one with a fresh volume at /empty-dir makes Docker copy that directory's
 * mode onto the volume's root (its copy-up of image content into empty volumes), which gives an emptyDir the
 * 0777 root Kubernetes gives it without the engine needing access to Docker's data root.
 */
export const VOLUME_INIT_IMAGE = 'skiff.local/volume-init:1';
const INIT_TARGET = '/empty-dir';

/** Make sure the volume-init image exists, importing it from memory if not. */
export async function ensureVolumeInitImage(docker: Docker): Promise<string> {
  try {
    await docker.getImage(VOLUME_INIT_IMAGE).inspect();
    return VOLUME_INIT_IMAGE;
  } catch {
    // import it below
  }
  const [repo, tag] = VOLUME_INIT_IMAGE.split(':');
  const tar = buildTar([{ path: INIT_TARGET.slice(1), type: 'dir', mode: 0o777 }]);
  const stream = await docker.importImage(Readable.from([tar]) as unknown as NodeJS.ReadableStream, { repo, tag, changes: ['CMD ["/none"]'] } as unknown as object);
  await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
  return VOLUME_INIT_IMAGE;
}

/** Run `use` with a created (never started) container that mounts `volume` at `target`; then remove it. */
async function withHelper(docker: Docker, volume: string, target: string, noCopy: boolean, clusterId: string, use: (c: Docker.Container) => Promise<void>): Promise<void> {
  const image = await ensureVolumeInitImage(docker);
  const options = {
    Image: image,
    Labels: { [LABEL_CLUSTER]: clusterId, [LABEL_ROLE]: 'volume-helper' },
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: target, VolumeOptions: { NoCopy: noCopy } }] },
  };
  // the typings demand VolumeOptions fields the API treats as optional
  const helper = await docker.createContainer(options as unknown as Docker.ContainerCreateOptions);
  try {
    await use(helper);
  } finally {
    await helper.remove({ force: true, v: false });
  }
}

/**
 * Give a new, empty volume a 0777 root, as Kubernetes does for emptyDir (so non-root containers can write).
 * A chmod where the engine can reach the mountpoint (Linux as root), else the copy-up of VOLUME_INIT_IMAGE.
 */
export async function openVolumeRoot(docker: Docker, volume: string, mountpoint: string, clusterId: string): Promise<void> {
  if (mountpoint) {
    try {
      await chmod(mountpoint, 0o777);
      return;
    } catch {
      // fall through to the helper container
    }
  }
  await openVolumeRootThroughContainer(docker, volume, clusterId);
}

/** The helper-container path of openVolumeRoot (exported for its test). */
export function openVolumeRootThroughContainer(docker: Docker, volume: string, clusterId: string): Promise<void> {
  return withHelper(docker, volume, INIT_TARGET, false, clusterId, () => Promise.resolve());
}

/**
 * Make `subPath` exist inside a Docker volume. Where the engine can write the volume's mountpoint (Linux, as
 * root) it is a mkdir; otherwise (rootless, or Docker in a VM) the directory is unpacked into the volume
 * through a helper container.
 */
export async function ensureVolumeSubdir(docker: Docker, volume: string, mountpoint: string, subPath: string, clusterId: string): Promise<void> {
  if (mountpoint) {
    try {
      await mkdir(`${mountpoint}/${subPath}`, { recursive: true, mode: 0o755 });
      return;
    } catch {
      // fall through to the helper container
    }
  }
  await makeSubdirThroughContainer(docker, volume, subPath, clusterId);
}

/** The helper-container path of ensureVolumeSubdir (exported for its test). */
export function makeSubdirThroughContainer(docker: Docker, volume: string, subPath: string, clusterId: string): Promise<void> {
  const parts = subPath.split('/').filter((p) => p && p !== '.');
  const entries = parts.map((_, i) => ({ path: parts.slice(0, i + 1).join('/'), type: 'dir' as const, mode: 0o755 }));
  return withHelper(docker, volume, '/volume', true, clusterId, async (helper) => {
    await helper.putArchive(buildTar(entries), { path: '/volume' });
  });
}
