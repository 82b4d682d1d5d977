/**
 * The kubelet's image manager (EnsureImageExists): pull per imagePullPolicy with the kubelet's events
 * (Pulling, Pulled, Failed, BackOff, ErrImageNeverPull) and a per pod+image back-off after a failed pull, so
 * a bad image shows ErrImagePull and then ImagePullBackOff. Concurrent pulls of one image share one pull.
 */
import type Docker from 'dockerode';
import { isPlainObject } from '../object';
import { asString, type JsonObject } from '../registry/json-access';
import { imageTag } from '../registry/pod-spec-defaults';
import { goDuration } from './go-duration';
import { RestartBackoff } from './restart-backoff';

export type PullResult =
  | { ok: true; imageId: string; imageUser: string }
  | {
      ok: false;
      /** ErrImagePull | ImagePullBackOff | ErrImageNeverPull | InvalidImageName */
      reason: string;
      message: string;
      /** when a retry may succeed (ms from now); undefined: on the next sync */
      retryInMs?: number;
    };

/** Where the image manager's events go (container-scoped). */
export type PullEvent = (type: 'Normal' | 'Warning', reason: string, message: string) => void;

interface ImageInfo {
  id: string;
  user: string;
  size: number;
}

export interface ImagePullerOptions {
  docker: Docker;
  backoffBaseMs?: number;
  now?: () => number;
  /** pull progress, summed over the image's layers, at most once a second (and once when done) */
  onProgress?: (image: string, line: string) => void;
}

function statusCode(err: unknown): number | undefined {
  return isPlainObject(err) && typeof err.statusCode === 'number' ? err.statusCode : undefined;
}

function errorText(err: unknown): string {
  if (isPlainObject(err) && isPlainObject(err.json) && typeof err.json.message === 'string') return err.json.message;
  return err instanceof Error ? err.message : String(err);
}

/** imagePullPolicy, defaulted as the API server does when absent. */
export function pullPolicy(container: JsonObject): 'Always' | 'IfNotPresent' | 'Never' {
  const p = asString(container.imagePullPolicy);
  if (p === 'Always' || p === 'IfNotPresent' || p === 'Never') return p;
  const image = asString(container.image) ?? '';
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

export class ImagePuller {
  private readonly backoff: RestartBackoff;
  private readonly now: () => number;
  private readonly inflight = new Map<string, Promise<void>>();

  constructor(private readonly opts: ImagePullerOptions) {
    this.now = opts.now ?? Date.now;
    this.backoff = new RestartBackoff({ baseMs: opts.backoffBaseMs, now: this.now });
  }

  /** The image's id, user and size, or undefined when Docker does not have it. */
  async inspect(image: string): Promise<ImageInfo | undefined> {
    try {
      const info: unknown = await this.opts.docker.getImage(image).inspect();
      if (!isPlainObject(info)) return undefined;
      const config = isPlainObject(info.Config) ? info.Config : {};
      return {
        id: asString(info.Id) ?? '',
        user: asString(config.User) ?? '',
        size: typeof info.Size === 'number' ? info.Size : 0,
      };
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw err;
    }
  }

  /** Make the container's image present per its pull policy. `backoffKey` scopes the pull back-off (the pod uid). */
  async ensure(container: JsonObject, backoffKey: string, event: PullEvent): Promise<PullResult> {
    const image = asString(container.image) ?? '';
    if (!image) return { ok: false, reason: 'InvalidImageName', message: 'Failed to apply default image tag "": couldn\'t parse image name "": invalid reference format' };
    const policy = pullPolicy(container);
    const present = await this.inspect(image);
    if (present && policy !== 'Always') {
      event('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { ok: true, imageId: present.id, imageUser: present.user };
    }
    if (!present && policy === 'Never') {
      const message = `Container image "${image}" is not present with pull policy of Never`;
      event('Warning', 'ErrImageNeverPull', message);
      return { ok: false, reason: 'ErrImageNeverPull', message };
    }
    const key = `${backoffKey}/${image}`;
    const wait = this.backoff.remaining(key, this.lastFailure.get(key) ?? 0, 0);
    if (wait > 0) {
      const message = `Back-off pulling image "${image}"`;
      event('Normal', 'BackOff', message);
      return { ok: false, reason: 'ImagePullBackOff', message, retryInMs: wait };
    }
    event('Normal', 'Pulling', `Pulling image "${image}"`);
    const started = this.now();
    try {
      await this.pull(image);
    } catch (err) {
      this.backoff.next(key, 0);
      this.lastFailure.set(key, this.now());
      const message = errorText(err);
      event('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
      return { ok: false, reason: 'ErrImagePull', message, retryInMs: this.backoff.window(key) };
    }
    this.lastFailure.delete(key);
    this.backoff.forget(key);
    const pulled = await this.inspect(image);
    if (!pulled) return { ok: false, reason: 'ErrImagePull', message: `image "${image}" is not present after its pull`, retryInMs: 1000 };
    const took = goDuration(this.now() - started);
    event('Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${pulled.size} bytes.`);
    return { ok: true, imageId: pulled.id, imageUser: pulled.user };
  }

  private readonly lastFailure = new Map<string, number>();

  /** Forget the back-off of a pod that is gone. */
  forget(backoffKey: string): void {
    this.backoff.forget(`${backoffKey}/`);
    for (const k of this.lastFailure.keys()) if (k.startsWith(`${backoffKey}/`)) this.lastFailure.delete(k);
  }

  private pull(image: string): Promise<void> {
    const running = this.inflight.get(image);
    if (running) return running;
    const p = this.pullNow(image).finally(() => this.inflight.delete(image));
    this.inflight.set(image, p);
    return p;
  }

  private async pullNow(image: string): Promise<void> {
    const stream = await this.opts.docker.pull(image);
    const progress = new PullProgress(this.now);
    await new Promise<void>((resolve, reject) => {
      this.opts.docker.modem.followProgress(
        stream,
        (err: Error | null, output: unknown[]) => {
          if (err) return reject(err);
          const failed = (output ?? []).find((o) => isPlainObject(o) && typeof o.error === 'string');
          if (failed && isPlainObject(failed)) return reject(new Error(String(failed.error)));
          resolve();
        },
        (event: unknown) => {
          if (!isPlainObject(event) || !this.opts.onProgress) return;
          const line = progress.add(event);
          if (line) this.opts.onProgress(image, line);
        },
      );
    });
  }
}

/** Sums Docker's per-layer pull events into one line: "downloading 12.3 of 40.0 MB (2 of 3 layers done)". */
export class PullProgress {
  private readonly layers = new Map<string, { current: number; total: number; done: boolean }>();
  private lastAt = -Infinity;

  constructor(
    private readonly now: () => number,
    private readonly everyMs = 1000,
  ) {}

  /** Returns a line when one is due. */
  add(event: Record<string, unknown>): string | undefined {
    const id = typeof event.id === 'string' ? event.id : '';
    const status = typeof event.status === 'string' ? event.status : '';
    const detail = isPlainObject(event.progressDetail) ? event.progressDetail : {};
    if (id && /^[0-9a-f]{12}$/.test(id)) {
      const layer = this.layers.get(id) ?? { current: 0, total: 0, done: false };
      if (status === 'Downloading' && typeof detail.current === 'number') {
        layer.current = detail.current;
        if (typeof detail.total === 'number') layer.total = detail.total;
      }
      if (status === 'Download complete' || status === 'Pull complete' || status === 'Already exists') {
        layer.done = true;
        if (layer.total) layer.current = layer.total;
      }
      this.layers.set(id, layer);
    }
    const final = status.startsWith('Status: ') || status.startsWith('Digest: ');
    const t = this.now();
    if (!final && t - this.lastAt < this.everyMs) return undefined;
    this.lastAt = t;
    if (final) return status;
    let current = 0;
    let total = 0;
    let done = 0;
    for (const l of this.layers.values()) {
      current += l.current;
      total += l.total;
      if (l.done) done++;
    }
    const mb = (n: number): string => (n / 1e6).toFixed(1);
    return `downloading ${mb(current)} of ${mb(total)} MB (${done} of ${this.layers.size} layers done)`;
  }
}
