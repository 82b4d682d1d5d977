/**
 * From a container's volumeMounts and the pod's prepared volumes to Docker mounts (pure). A prepared volume is
 * a Docker volume (emptyDir, PVC on a Docker volume) or a host directory (hostPath, PVC on a hostPath PV, and
 * the files of configMap/secret/downwardAPI/projected volumes).
 */
import { join, posix } from 'node:path';
import type { KubeObject } from '../object';
import { asArray, asBoolean, asObject, asString, type JsonObject } from '../registry/json-access';
import { VolumeError } from './volume-error';
import { podFieldValue } from './volume-payload';

/** One entry of Docker's HostConfig.Mounts. */
export interface DockerMount {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source?: string;
  Target: string;
  ReadOnly?: boolean;
  VolumeOptions?: unknown;
  TmpfsOptions?: unknown;
  BindOptions?: unknown;
}

export type PreparedVolume =
  | { kind: 'docker'; volume: string; mountpoint: string; readOnly: boolean }
  /** `atomic`: a directory kept by the atomic writer, whose subPaths resolve through its symlinks */
  | { kind: 'bind'; path: string; readOnly: boolean; atomic: boolean };

/** What a container's volumeMount asks for, with subPathExpr expanded. */
export interface MountRequest {
  name: string;
  mountPath: string;
  subPath: string;
  readOnly: boolean;
  propagation: string;
}

const PROPAGATION: Record<string, string> = { None: 'rprivate', HostToContainer: 'rslave', Bidirectional: 'rshared' };

/** The container's environment for $(VAR) expansion: plain values and the downward-API fields. */
function envMap(pod: KubeObject, container: JsonObject): Map<string, string> {
  const env = new Map<string, string>();
  for (const raw of asArray(container.env) ?? []) {
    const e = asObject(raw) ?? {};
    const name = asString(e.name);
    if (!name) continue;
    const value = asString(e.value);
    if (value !== undefined) {
      env.set(name, expand(value, env));
      continue;
    }
    const fieldPath = asString(asObject(asObject(e.valueFrom)?.fieldRef)?.fieldPath);
    const field = fieldPath ? podFieldValue(pod, fieldPath) : undefined;
    if (field !== undefined) env.set(name, field);
  }
  return env;
}

/** Kubernetes' $(VAR) expansion: `$$` is a literal `$`, unknown references stay as written. */
export function expand(input: string, env: ReadonlyMap<string, string>): string {
  return input.replace(/\$\$|\$\(([^)]*)\)/g, (whole: string, name: string | undefined) => {
    if (whole === '$$') return '$';
    const v = name === undefined ? undefined : env.get(name);
    return v ?? whole;
  });
}

/** A subPath must stay inside its volume. */
export function subPathError(subPath: string): string | undefined {
  if (posix.isAbsolute(subPath)) return `subPath "${subPath}" must be a relative path`;
  if (subPath.split('/').includes('..')) return `subPath "${subPath}" must not contain '..'`;
  return undefined;
}

/** The container's volumeMounts, parsed and with subPathExpr expanded. Throws VolumeError for a bad subPath. */
export function mountRequests(pod: KubeObject, container: JsonObject): MountRequest[] {
  const containerName = asString(container.name) ?? '';
  let env: Map<string, string> | undefined;
  return (asArray(container.volumeMounts) ?? []).map((raw) => {
    const m = asObject(raw) ?? {};
    const name = asString(m.name) ?? '';
    let subPath = asString(m.subPath) ?? '';
    const expr = asString(m.subPathExpr) ?? '';
    if (expr) {
      env ??= envMap(pod, container);
      subPath = expand(expr, env);
    }
    subPath = subPath.replace(/\/+$/, '');
    const error = subPath ? subPathError(subPath) : undefined;
    if (error) throw new VolumeError('FailedMount', `failed to prepare subPath for volumeMount "${name}" of container "${containerName}": ${error}`);
    return {
      name,
      mountPath: asString(m.mountPath) ?? '',
      subPath,
      readOnly: asBoolean(m.readOnly) === true,
      propagation: PROPAGATION[asString(m.mountPropagation) ?? 'None'] ?? 'rprivate',
    };
  });
}

/** Every container of the pod (init, regular, ephemeral). */
export function podContainers(pod: KubeObject): JsonObject[] {
  const spec = asObject(pod.spec) ?? {};
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) =>
    (asArray(spec[k]) ?? []).flatMap((c): JsonObject[] => {
      const o = asObject(c);
      return o ? [o] : [];
    }),
  );
}

/** The host path a subPath of a prepared volume lives at (before symlink resolution). */
export function subPathHostPath(volume: PreparedVolume, subPath: string): string {
  return join(volume.kind === 'docker' ? volume.mountpoint : volume.path, subPath);
}

/**
 * Docker mounts for one container. `realpath` resolves a subPath inside an atomic-writer directory to the
 * current version's file, so the container keeps that version (Kubernetes does not update subPath mounts).
 */
export function containerMounts(
  pod: KubeObject,
  container: JsonObject,
  volumes: ReadonlyMap<string, PreparedVolume>,
  realpath: (path: string) => string = (p) => p,
): DockerMount[] {
  return mountRequests(pod, container).map((req): DockerMount => {
    const volume = volumes.get(req.name);
    if (!volume) {
      throw new VolumeError('FailedMount', `container "${asString(container.name) ?? ''}" mounts volume "${req.name}", which the pod does not prepare`);
    }
    const readOnly = req.readOnly || volume.readOnly;
    if (!req.subPath && volume.kind === 'docker') {
      return { Type: 'volume', Source: volume.volume, Target: req.mountPath, ReadOnly: readOnly, VolumeOptions: { NoCopy: true } };
    }
    let source = req.subPath ? subPathHostPath(volume, req.subPath) : volume.kind === 'bind' ? volume.path : volume.mountpoint;
    if (req.subPath && volume.kind === 'bind' && volume.atomic) source = realpath(source);
    // Docker refuses private propagation for a bind source inside its data root (a Docker volume's subPath)
    const propagation = volume.kind === 'docker' && req.propagation === 'rprivate' ? 'rslave' : req.propagation;
    return { Type: 'bind', Source: source, Target: req.mountPath, ReadOnly: readOnly, BindOptions: { Propagation: propagation } };
  });
}
