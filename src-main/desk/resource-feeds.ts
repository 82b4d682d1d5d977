import type { ResourceKind } from '../contract/kinds';
import type { ResourceEventOf } from '../contract/streams';
import type { ContextRegistry } from './context-registry';
import { toClusterError } from './cluster-error';
import type { FeedKey, FeedOptions } from './resource-feed';
import { ResourceFeed } from './resource-feed';

function keyOf(key: FeedKey): string {
  return JSON.stringify([key.context, key.kind, key.namespace ?? null, key.labelSelector ?? null]);
}

export interface FeedsOptions extends FeedOptions {
  /**
   * How long an informer outlives its last subscriber (default 60 s): going back to a view within that time
   * answers from the cache instead of listing thousands of objects again. 0 stops it at once.
   */
  lingerMs?: number;
}

/** Idle informers kept at most (the least recently left are stopped first). */
const MAX_LINGERING = 16;

/**
 * The informers in use: one per (context, kind, namespace, selector), started by the first subscriber and
 * stopped a while after the last. Their failures and recoveries feed the context's status.
 */
export class ResourceFeeds {
  private readonly feeds = new Map<string, ResourceFeed<ResourceKind>>();
  /** Feeds without subscribers, in the order they were left, with the timer that stops them. */
  private readonly lingering = new Map<string, NodeJS.Timeout>();
  private readonly unlisten: () => void;

  constructor(
    private readonly contexts: ContextRegistry,
    private readonly options: FeedsOptions = {},
  ) {
    this.unlisten = contexts.onConfigChange((changed) => {
      for (const feed of this.feeds.values()) {
        if (!changed.includes(feed.key.context)) continue;
        try {
          feed.reconnect(contexts.client(feed.key.context));
        } catch (error) {
          // The context is gone or broken now: its subscribers see the error and keep retrying.
          contexts.report(feed.key.context, { error: toClusterError(error, null) });
        }
      }
    });
  }

  subscribe<K extends ResourceKind>(key: FeedKey & { kind: K }, emit: (event: ResourceEventOf<K>) => void): () => void {
    const id = keyOf(key);
    const idleTimer = this.lingering.get(id);
    if (idleTimer !== undefined) {
      clearTimeout(idleTimer);
      this.lingering.delete(id);
    }
    let feed = this.feeds.get(id) as ResourceFeed<K> | undefined;
    if (feed === undefined) {
      const client = this.contexts.client(key.context);
      const created: ResourceFeed<K> = new ResourceFeed<K>(
        client,
        key,
        {
          onError: (error) => this.contexts.report(key.context, { error }),
          onConnected: () => this.contexts.report(key.context, { connected: true }),
        },
        this.options,
      );
      feed = created;
      this.feeds.set(id, feed as unknown as ResourceFeed<ResourceKind>);
      feed.start();
    }
    const active = feed;
    const unsubscribe = active.subscribe(emit);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      unsubscribe();
      if (active.subscriberCount === 0 && this.feeds.get(id) === (active as unknown as ResourceFeed<ResourceKind>)) this.linger(id);
    };
  }

  private linger(id: string): void {
    const lingerMs = this.options.lingerMs ?? 60_000;
    const stopNow = (): void => {
      const feed = this.feeds.get(id);
      this.lingering.delete(id);
      if (feed === undefined || feed.subscriberCount > 0) return;
      this.feeds.delete(id);
      void feed.stop();
    };
    if (lingerMs <= 0) {
      stopNow();
      return;
    }
    const timer = setTimeout(stopNow, lingerMs);
    timer.unref?.();
    this.lingering.set(id, timer);
    while (this.lingering.size > MAX_LINGERING) {
      const oldest = this.lingering.keys().next().value as string;
      clearTimeout(this.lingering.get(oldest));
      const feed = this.feeds.get(oldest);
      this.lingering.delete(oldest);
      if (feed !== undefined && feed.subscriberCount === 0) {
        this.feeds.delete(oldest);
        void feed.stop();
      }
    }
  }

  /** Skips the backoff of every failed feed of a context. */
  retry(context: string): void {
    for (const feed of this.feeds.values()) if (feed.key.context === context) feed.retryNow();
  }

  /** Informers with subscribers (idle ones waiting out their linger are not counted). */
  get size(): number {
    let n = 0;
    for (const feed of this.feeds.values()) if (feed.subscriberCount > 0) n++;
    return n;
  }

  /** Informers running, idle ones included. */
  get running(): number {
    return this.feeds.size;
  }

  async stop(): Promise<void> {
    this.unlisten();
    for (const timer of this.lingering.values()) clearTimeout(timer);
    this.lingering.clear();
    const all = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(all.map((feed) => feed.stop()));
  }
}
