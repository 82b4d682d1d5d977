/**
 * What the kubelet knows about one Docker container of a pod (the CRI's ContainerStatus), parsed from
 * `docker inspect` output, which arrives as `unknown`. Pure: no Docker calls here.
 */
import { asArray, asBoolean, asNumber, asObject, asString } from '../registry/json-access';
import { LABEL_CONTAINER_NAME, LABEL_POD_UID, LABEL_RESTART_COUNT, LABEL_ROLE, LABEL_SPEC_HASH, type ContainerRole } from './labels';

/** created: never started; exited includes containers whose start failed (`startError`). */
export type ObservedState = 'created' | 'running' | 'exited';

export interface ObservedContainer {
  id: string;
  podUid: string;
  role: ContainerRole;
  /** the pod's container name, or SANDBOX_CONTAINER_NAME */
  name: string;
  /** the restart count (for a sandbox: its attempt) */
  restartCount: number;
  state: ObservedState;
  exitCode: number;
  oomKilled: boolean;
  /** Docker's State.Error: why a start failed */
  startError: string;
  /** RFC 3339 (seconds), '' when unset */
  createdAt: string;
  startedAt: string;
  finishedAt: string;
  /** the same times in ms since the epoch (Docker's precision, for back-off arithmetic); 0 when unset */
  startedAtMs: number;
  finishedAtMs: number;
  /** the image as the container was created from it (the pod spec's image) */
  image: string;
  /** the image id (sha256:...) */
  imageId: string;
  specHash: string;
  /** the sandbox whose namespaces the container joined ('' for a sandbox) */
  sandboxId: string;
  /** the sandbox's IP on the pod network ('' for others) */
  ip: string;
  stopSignal: string;
  tty: boolean;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Docker's nanosecond timestamps as Kubernetes prints them (RFC 3339, whole seconds); '' when unset. */
export function kubeTime(docker: unknown): string {
  const s = asString(docker) ?? '';
  if (!s || s.startsWith('0001-01-01')) return '';
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? '' : toKubeTime(ms);
}

function millis(docker: unknown): number {
  const s = asString(docker) ?? '';
  if (!s || s.startsWith('0001-01-01')) return 0;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? 0 : ms;
}

/** A millisecond clock value as an RFC 3339 timestamp with whole seconds. */
export function toKubeTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function role(v: string | undefined): ContainerRole {
  return v === 'sandbox' || v === 'init' ? v : 'app';
}

/** Parse `docker inspect` of a container the kubelet made. `network` is the pod network's name. */
export function parseInspect(info: unknown, network: string): ObservedContainer | undefined {
  const o = asObject(info);
  const id = asString(o?.Id);
  if (!o || !id) return undefined;
  const config = asObject(o.Config) ?? {};
  const labels = asObject(config.Labels) ?? {};
  const state = asObject(o.State) ?? {};
  const host = asObject(o.HostConfig) ?? {};
  const status = asString(state.Status) ?? '';
  const startError = asString(state.Error) ?? '';
  let observed: ObservedState;
  if (status === 'running' || status === 'paused' || status === 'restarting') observed = 'running';
  else if (status === 'created' && !startError) observed = 'created';
  else observed = 'exited';
  const networkMode = asString(host.NetworkMode) ?? '';
  const networks = asObject(asObject(o.NetworkSettings)?.Networks) ?? {};
  const ip = asString(asObject(networks[network])?.IPAddress) ?? '';
  const restart = Number(asString(labels[LABEL_RESTART_COUNT]) ?? '0');
  return {
    id,
    podUid: asString(labels[LABEL_POD_UID]) ?? '',
    role: role(asString(labels[LABEL_ROLE])),
    name: asString(labels[LABEL_CONTAINER_NAME]) ?? '',
    restartCount: Number.isSafeInteger(restart) && restart >= 0 ? restart : 0,
    state: observed,
    exitCode: asNumber(state.ExitCode) ?? 0,
    oomKilled: asBoolean(state.OOMKilled) === true,
    startError,
    createdAt: kubeTime(o.Created),
    startedAt: status === 'created' ? '' : kubeTime(state.StartedAt),
    finishedAt: kubeTime(state.FinishedAt === ZERO_TIME ? '' : state.FinishedAt),
    startedAtMs: status === 'created' ? 0 : millis(state.StartedAt),
    finishedAtMs: millis(state.FinishedAt),
    image: asString(config.Image) ?? '',
    imageId: asString(o.Image) ?? '',
    specHash: asString(labels[LABEL_SPEC_HASH]) ?? '',
    sandboxId: networkMode.startsWith('container:') ? networkMode.slice('container:'.length) : '',
    ip,
    stopSignal: asString(config.StopSignal) ?? '',
    tty: asBoolean(config.Tty) === true,
  };
}

/** Newest first: by restart count, then creation time. */
export function byRecency(a: ObservedContainer, b: ObservedContainer): number {
  if (a.restartCount !== b.restartCount) return b.restartCount - a.restartCount;
  return b.createdAt.localeCompare(a.createdAt);
}

/** All instances of one pod container (init or app), newest first. */
export function instancesOf(observed: readonly ObservedContainer[], name: string, r: ContainerRole): ObservedContainer[] {
  return observed.filter((c) => c.role === r && c.name === name).sort(byRecency);
}

/** The sandboxes of a pod, newest first. */
export function sandboxesOf(observed: readonly ObservedContainer[]): ObservedContainer[] {
  return observed.filter((c) => c.role === 'sandbox').sort(byRecency);
}

/** The RepoDigests of an image inspect, parsed from `unknown`. */
export function repoDigests(info: unknown): string[] {
  return (asArray(asObject(info)?.RepoDigests) ?? []).flatMap((d) => (typeof d === 'string' ? [d] : []));
}
