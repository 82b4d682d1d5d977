import type { ResourceKind } from '../contract/kinds';
import type { ResourceEventOf } from '../contract/streams';
import type { ContextRegistry } from './context-registry';
import { toClusterError } from './cluster-error';
import type { FeedKey, FeedOptions } from './resource-feed';
import { ResourceFeed } from './resource-feed';

function keyOf(key: FeedKey): string {
  return JSON.stringify([key.context, key.kind, key.namespace ?? null, key.labelSelector ?? null]);
}

/**
 * The informers in use: one per (context, kind, namespace, selector), started by the first subscriber and
 * stopped with the last. Their failures and recoveries feed the context's status.
 */
export class ResourceFeeds {
  private readonly feeds = new Map<string, ResourceFeed<ResourceKind>>();
  private readonly unlisten: () => void;

  constructor(
    private readonly contexts: ContextRegistry,
    private readonly options: FeedOptions = {},
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
      if (active.subscriberCount === 0 && this.feeds.get(id) === (active as unknown as ResourceFeed<ResourceKind>)) {
        this.feeds.delete(id);
        void active.stop();
      }
    };
  }

  /** Skips the backoff of every failed feed of a context. */
  retry(context: string): void {
    for (const feed of this.feeds.values()) if (feed.key.context === context) feed.retryNow();
  }

  get size(): number {
    return this.feeds.size;
  }

  async stop(): Promise<void> {
    this.unlisten();
    const all = [...this.feeds.values()];
    this.feeds.clear();
    await Promise.all(all.map((feed) => feed.stop()));
  }
}
