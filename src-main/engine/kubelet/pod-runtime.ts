/**
 * The Docker side of pods (the kubelet's container runtime): the per-engine network, observing a pod's
 * containers, creating, starting, stopping and removing them. Every object carries the engine's cluster label,
 * and every listing filters on it, so engines sharing one Docker never see each other's containers.
 */
import type Docker from 'dockerode';
import { isPlainObject } from '../object';
import { asObject, asString } from '../registry/json-access';
import { podNetworkName } from './container-config';
import { LABEL_CLUSTER, LABEL_POD_UID } from './labels';
import { parseInspect, repoDigests, type ObservedContainer } from './observed-container';

export function statusCode(err: unknown): number | undefined {
  return isPlainObject(err) && typeof err.statusCode === 'number' ? err.statusCode : undefined;
}

/** Docker's message for a failed API call (the JSON body's `message` when there is one). */
export function dockerMessage(err: unknown): string {
  if (isPlainObject(err) && isPlainObject(err.json) && typeof err.json.message === 'string') return err.json.message;
  const text = err instanceof Error ? err.message : String(err);
  // docker-modem prefixes "(HTTP code 409) unexpected - "
  return text.replace(/^\(HTTP code \d+\) [a-z ]+- /, '').trim();
}

/** One container of ours as `docker ps` lists it. */
export interface OwnedContainer {
  id: string;
  podUid: string;
  running: boolean;
}

export class PodRuntime {
  readonly network: string;
  private networkReady = false;
  /** inspect results of exited containers, which no longer change */
  private readonly finished = new Map<string, ObservedContainer>();
  private readonly imageRefs = new Map<string, string>();
  /** containers Docker reported an `oom` event for: its OOMKilled flag can land after the exit we saw */
  private readonly oomSeen = new Set<string>();

  constructor(
    readonly docker: Docker,
    readonly clusterId: string,
  ) {
    this.network = podNetworkName(clusterId);
  }

  private labelFilter(extra: string[] = []): string {
    return JSON.stringify({ label: [`${LABEL_CLUSTER}=${this.clusterId}`, ...extra] });
  }

  /** The engine's bridge network, created (labelled) when missing. */
  async ensureNetwork(): Promise<void> {
    if (this.networkReady) return;
    const existing = await this.docker.listNetworks({ filters: JSON.stringify({ name: [this.network] }) });
    if (!existing.some((n) => n.Name === this.network)) {
      try {
        await this.docker.createNetwork({ Name: this.network, Driver: 'bridge', CheckDuplicate: true, Labels: { [LABEL_CLUSTER]: this.clusterId } });
      } catch (err) {
        if (statusCode(err) !== 409) throw err;
      }
    }
    this.networkReady = true;
  }

  /** Forget what is cached about Docker (after Docker restarted). */
  invalidate(): void {
    this.networkReady = false;
    this.finished.clear();
  }

  /** A container is gone (Docker's `destroy`): drop what is remembered about it. */
  forget(containerId: string): void {
    this.finished.delete(containerId);
    this.oomSeen.delete(containerId);
  }

  /**
   * Docker's `oom` event for a container. Docker handles the OOM and the exit of a task separately, so under
   * load an exit can be inspected (and cached as final) before State.OOMKilled is set: the event wins.
   */
  noteOom(containerId: string): void {
    if (containerId === '') return;
    this.oomSeen.add(containerId);
    this.finished.delete(containerId);
  }

  /** Every container of ours. */
  async listOwned(): Promise<OwnedContainer[]> {
    const list = await this.docker.listContainers({ all: true, filters: this.labelFilter() });
    return list.map((c) => ({ id: c.Id, podUid: c.Labels?.[LABEL_POD_UID] ?? '', running: c.State === 'running' }));
  }

  /** Every container of one pod, inspected. */
  async observe(podUid: string): Promise<ObservedContainer[]> {
    const list = await this.docker.listContainers({ all: true, filters: this.labelFilter([`${LABEL_POD_UID}=${podUid}`]) });
    const out: ObservedContainer[] = [];
    const listed = new Set<string>();
    for (const c of list) {
      listed.add(c.Id);
      const cached = this.finished.get(c.Id);
      if (cached && c.State !== 'running') {
        out.push(cached);
        continue;
      }
      const inspected = await this.inspect(c.Id);
      if (!inspected) continue;
      const seen = this.oomSeen.has(inspected.id) ? { ...inspected, oomKilled: true } : inspected;
      if (seen.state === 'exited') this.finished.set(seen.id, seen);
      out.push(seen);
    }
    return out;
  }

  async inspect(id: string): Promise<ObservedContainer | undefined> {
    try {
      const info: unknown = await this.docker.getContainer(id).inspect();
      return parseInspect(info, this.network);
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw err;
    }
  }

  /** Resolve (and cache) image references for the status' imageID. */
  async resolveImageRefs(observed: readonly ObservedContainer[]): Promise<void> {
    for (const c of observed) {
      if (!c.imageId || this.imageRefs.has(c.imageId)) continue;
      let ref = `docker://${c.imageId}`;
      try {
        const digests = repoDigests(await this.docker.getImage(c.imageId).inspect());
        if (digests.length > 0) ref = `docker-pullable://${digests[0]}`;
      } catch {
        // an image removed meanwhile keeps its id form
      }
      this.imageRefs.set(c.imageId, ref);
    }
  }

  imageRef(imageId: string): string {
    return this.imageRefs.get(imageId) ?? (imageId ? `docker://${imageId}` : '');
  }

  /**
   * Create a container; when one of that name exists already (the same pod, container and attempt), its id is
   * returned instead: a container is never created twice.
   */
  async create(options: Docker.ContainerCreateOptions): Promise<{ id: string; existed: boolean }> {
    try {
      const c = await this.docker.createContainer(options);
      return { id: c.id, existed: false };
    } catch (err) {
      if (statusCode(err) === 409 && options.name) {
        const info: unknown = await this.docker.getContainer(options.name).inspect();
        const id = asString(asObject(info)?.Id);
        if (id) return { id, existed: true };
      }
      if (statusCode(err) === 404 && /network .* not found/i.test(dockerMessage(err))) this.networkReady = false;
      throw err;
    }
  }

  async start(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (err) {
      // 304: already started
      if (statusCode(err) !== 304) throw err;
    }
  }

  /** Send a signal; a container that is not running (or gone) is fine. */
  async signal(id: string, signal: string): Promise<void> {
    try {
      await this.docker.getContainer(id).kill({ signal });
    } catch (err) {
      const code = statusCode(err);
      if (code !== 404 && code !== 409 && code !== 500) throw err;
    }
  }

  /** Resolves when the container is not running (or gone). */
  async waitExit(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).wait();
    } catch (err) {
      if (statusCode(err) !== 404) throw err;
    }
  }

  /**
   * Stop containers gracefully: their stop signal now, SIGKILL once `deadline()` (ms since epoch, re-read so a
   * shortened grace period applies) has passed.
   */
  async stop(targets: ReadonlyArray<{ id: string; stopSignal: string }>, deadline: () => number, now: () => number = Date.now): Promise<void> {
    if (targets.length === 0) return;
    let pending = targets.length;
    let wake: (() => void) | undefined;
    const exited = new Set<string>();
    for (const t of targets) {
      void this.waitExit(t.id)
        .catch(() => undefined)
        .then(() => {
          exited.add(t.id);
          pending--;
          wake?.();
        });
    }
    await Promise.all(targets.map((t) => this.signal(t.id, t.stopSignal || 'SIGTERM')));
    while (pending > 0) {
      const left = deadline() - now();
      if (left <= 0) {
        await Promise.all(targets.filter((t) => !exited.has(t.id)).map((t) => this.signal(t.id, 'SIGKILL')));
        break;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        const timer = setTimeout(resolve, Math.min(left, 250));
        timer.unref?.();
      });
      wake = undefined;
    }
    // after SIGKILL, Docker reports the exit promptly
    while (pending > 0) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        const timer = setTimeout(resolve, 100);
        timer.unref?.();
      });
      wake = undefined;
      if (pending > 0 && deadline() - now() < -10_000) break;
    }
  }

  /** Remove a container (forcefully); one already gone is fine. */
  async remove(id: string): Promise<void> {
    this.finished.delete(id);
    try {
      await this.docker.getContainer(id).remove({ force: true });
    } catch (err) {
      const code = statusCode(err);
      // 409: removal already in progress
      if (code !== 404 && code !== 409) throw err;
    }
  }
}
