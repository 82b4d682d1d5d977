import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { makeInformer } from '@kubernetes/client-node';
import type { ClusterError } from '../contract/cluster';
import type { ResourceKind } from '../contract/kinds';
import type { RowKey, RowOf } from '../contract/rows';
import type { ResourceEventOf } from '../contract/streams';
import { toClusterError } from './cluster-error';
import type { ContextClient } from './context-registry';
import { collectionPath, kindInfo } from './kind-catalog';
import { kubeRequest } from './kube-http';
import { record, text } from './json-fields';

export interface FeedKey {
  context: string;
  kind: ResourceKind;
  namespace?: string;
  labelSelector?: string;
}

export interface FeedHooks {
  /** The watch failed; the feed retries by itself after `retryInMs`. */
  onError(error: ClusterError): void;
  /** The list succeeded (first time, or after an error). */
  onConnected(): void;
}

export interface FeedOptions {
  batchMs?: number;
  /** Backoff after failures: doubles from min to max. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/** How long one watch request lasts before the informer re-watches (client-go uses 5–10 minutes). */
export const WATCH_TIMEOUT_SECONDS = 300;

type Emit<K extends ResourceKind> = (event: ResourceEventOf<K>) => void;

type FeedInformer = ReturnType<typeof makeInformer<KubernetesObject>>;

function uidOf(object: unknown): string {
  const meta = record(record(object).metadata);
  return text(meta.uid) ?? `${text(meta.namespace) ?? ''}/${text(meta.name) ?? ''}`;
}

/**
 * One list+watch (client-node informer) of one kind, shared by every subscriber with the same key.
 * Subscribers get the rows as of the last flush, then changes batched every `batchMs`; after a failure
 * the informer restarts with backoff and, once it lists again, everyone gets a fresh snapshot.
 */
export class ResourceFeed<K extends ResourceKind> {
  private readonly info;
  private readonly current = new Map<string, RowOf<K>>();
  private published = new Map<string, RowOf<K>>();
  private readonly dirty = new Set<string>();
  private readonly subscribers = new Set<Emit<K>>();
  private informer: FeedInformer | null = null;
  private ready = false;
  private stopped = false;
  private lastError: { error: ClusterError; retryInMs: number } | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryDelay: number;
  private generation = 0;

  constructor(
    private client: ContextClient,
    readonly key: FeedKey & { kind: K },
    private readonly hooks: FeedHooks,
    private readonly options: FeedOptions = {},
  ) {
    this.info = kindInfo(key.kind);
    this.retryDelay = options.retryMinMs ?? 1000;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /** The rows as currently known (for callers that need a one-off read of the cache). */
  rows(): RowOf<K>[] {
    return [...this.current.values()];
  }

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  subscribe(emit: Emit<K>): () => void {
    this.subscribers.add(emit);
    if (this.ready) emit({ type: 'snapshot', kind: this.key.kind, rows: [...this.published.values()] });
    else if (this.lastError !== null) emit({ type: 'error', kind: this.key.kind, ...this.lastError });
    return () => {
      this.subscribers.delete(emit);
    };
  }

  /** Retry now (the user pressed retry), skipping the backoff. */
  retryNow(): void {
    if (this.stopped || this.lastError === null) return;
    this.retryDelay = this.options.retryMinMs ?? 1000;
    void this.connect();
  }

  /** Reconnect with another client (the context's kubeconfig entry changed). */
  reconnect(client: ContextClient): void {
    this.client = client;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.flushTimer = null;
    this.retryTimer = null;
    this.subscribers.clear();
    const informer = this.informer;
    this.informer = null;
    await informer?.stop();
  }

  private async connect(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const generation = ++this.generation;
    const previous = this.informer;
    this.informer = null;
    await previous?.stop();
    if (this.stopped || generation !== this.generation) return;

    const { namespace, labelSelector } = this.key;
    const path = collectionPath(this.key.kind, namespace);
    const config = this.client.config;
    const listFn = async (): Promise<KubernetesListObject<KubernetesObject>> =>
      (await kubeRequest(config, { method: 'GET', path, query: { labelSelector } })) as KubernetesListObject<KubernetesObject>;
    // The server ends each watch after a while and the informer resumes from its resourceVersion: a connection
    // that died silently (sleep, VPN) is noticed within minutes instead of leaving a stale table forever.
    const informer = makeInformer<KubernetesObject>(config, `${path}?timeoutSeconds=${WATCH_TIMEOUT_SECONDS}`, listFn, labelSelector);
    this.informer = informer;
    let failed = false;
    const upsert = (object: KubernetesObject): void => {
      if (generation !== this.generation) return;
      const uid = uidOf(object);
      this.current.set(uid, this.info.toRow(object));
      this.markDirty(uid);
    };
    informer.on('add', upsert);
    informer.on('update', upsert);
    informer.on('delete', (object) => {
      if (generation !== this.generation) return;
      const uid = uidOf(object);
      this.current.delete(uid);
      this.markDirty(uid);
    });
    informer.on('error', (error: unknown) => {
      if (generation !== this.generation || this.stopped) return;
      failed = true;
      this.fail(toClusterError(error, this.client.server));
    });
    // A relist rebuilds the cache from scratch (the informer's own map starts empty); subscribers get a snapshot.
    this.ready = false;
    this.current.clear();
    this.dirty.clear();
    try {
      await informer.start();
    } catch (error) {
      if (generation === this.generation && !this.stopped) this.fail(toClusterError(error, this.client.server));
      return;
    }
    if (failed || generation !== this.generation || this.stopped) return;
    this.recovered();
  }

  private recovered(): void {
    this.ready = true;
    this.lastError = null;
    this.retryDelay = this.options.retryMinMs ?? 1000;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.dirty.clear();
    this.published = new Map(this.current);
    const rows = [...this.published.values()];
    for (const emit of this.subscribers) emit({ type: 'snapshot', kind: this.key.kind, rows });
    this.hooks.onConnected();
  }

  private fail(error: ClusterError): void {
    this.ready = false;
    const retryInMs = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, this.options.retryMaxMs ?? 30_000);
    this.lastError = { error, retryInMs };
    for (const emit of this.subscribers) emit({ type: 'error', kind: this.key.kind, error, retryInMs });
    this.hooks.onError(error);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const generation = this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped && generation === this.generation) void this.connect();
    }, retryInMs);
    this.retryTimer.unref?.();
  }

  private markDirty(uid: string): void {
    if (!this.ready) return;
    this.dirty.add(uid);
    if (this.flushTimer === null) {
      this.flushTimer = setTimeout(() => this.flush(), this.options.batchMs ?? 50);
    }
  }

  private flush(): void {
    this.flushTimer = null;
    if (!this.ready || this.dirty.size === 0) return;
    const added: RowOf<K>[] = [];
    const modified: RowOf<K>[] = [];
    const deleted: RowKey[] = [];
    for (const uid of this.dirty) {
      const now = this.current.get(uid);
      const before = this.published.get(uid);
      if (now !== undefined && before === undefined) {
        added.push(now);
        this.published.set(uid, now);
      } else if (now !== undefined && before !== undefined) {
        if (now.resourceVersion === before.resourceVersion) continue;
        modified.push(now);
        this.published.set(uid, now);
      } else if (now === undefined && before !== undefined) {
        const key: RowKey = { uid, name: before.name };
        if (before.namespace !== undefined) key.namespace = before.namespace;
        deleted.push(key);
        this.published.delete(uid);
      }
    }
    this.dirty.clear();
    if (added.length + modified.length + deleted.length === 0) return;
    const event = { type: 'changes', kind: this.key.kind, added, modified, deleted } as const;
    for (const emit of this.subscribers) emit(event);
  }
}
