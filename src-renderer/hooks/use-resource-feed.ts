import { useEffect, useState } from 'react';
import type { ClusterError } from '../../src-main/contract/cluster';
import type { ResourceKind } from '../../src-main/contract/kinds';
import type { RowOf } from '../../src-main/contract/rows';
import type { ResourceEventOf } from '../../src-main/contract/streams';
import { subscribe } from '../api';
import { RowStore } from '../lib/row-store';

export interface FeedState<K extends ResourceKind> {
  rows: RowOf<K>[];
  /** The first snapshot arrived. */
  ready: boolean;
  error: ClusterError | null;
  retryInMs: number | null;
}

/**
 * Subscribes to one kind (one namespace or all). Events are applied to a RowStore as they come and the
 * component re-renders at most once per animation frame, however many batches arrived in between.
 */
export function useResourceFeed<K extends ResourceKind>(context: string | null, kind: K, namespace: string | null, enabled = true, labelSelector?: string): FeedState<K> {
  const [state, setState] = useState<FeedState<K>>({ rows: [], ready: false, error: null, retryInMs: null });

  useEffect(() => {
    setState({ rows: [], ready: false, error: null, retryInMs: null });
    if (context === null || !enabled) return undefined;
    const store = new RowStore<K>();
    let ready = false;
    let error: ClusterError | null = null;
    let retryInMs: number | null = null;
    let frame: number | null = null;
    let disposed = false;
    const flush = (): void => {
      frame = null;
      if (!disposed) setState({ rows: store.rows(), ready, error, retryInMs });
    };
    const schedule = (): void => {
      if (frame === null) frame = requestAnimationFrame(flush);
    };
    const scoped = namespace === null || kind === 'namespaces' || kind === 'nodes' ? { context, kind } : { context, kind, namespace };
    const input = labelSelector === undefined ? scoped : { ...scoped, labelSelector };
    const dispose = subscribe(
      'onResources',
      input,
      (event) => {
        const typed = event as ResourceEventOf<K>;
        if (typed.type === 'error') {
          error = typed.error;
          retryInMs = typed.retryInMs;
          schedule();
          return;
        }
        if (typed.type === 'snapshot') {
          ready = true;
          error = null;
          retryInMs = null;
        }
        if (store.apply(typed) || typed.type === 'snapshot') schedule();
      },
      (callError) => {
        error = { code: 'error', message: callError.message, server: null, status: null, causes: [] };
        schedule();
      },
    );
    return () => {
      disposed = true;
      if (frame !== null) cancelAnimationFrame(frame);
      dispose();
    };
  }, [context, kind, namespace, enabled, labelSelector]);

  return state;
}
