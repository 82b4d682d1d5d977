import { useEffect, useState } from 'react';
import type { PodUsageSeries } from '../../src-main/contract/observability';
import { subscribe } from '../api';

export type PodMetricsState =
  | { status: 'loading' }
  | { status: 'ready'; intervalMs: number; byPod: Map<string, PodUsageSeries> }
  | { status: 'unavailable'; reason: string }
  | { status: 'error'; message: string };

/** The desk's PodMetrics ring for a namespace, keyed "namespace/name"; updated after every sample (~5 s). */
export function usePodMetrics(context: string | null, namespace: string | null): PodMetricsState {
  const [state, setState] = useState<PodMetricsState>({ status: 'loading' });
  useEffect(() => {
    setState({ status: 'loading' });
    if (context === null) return undefined;
    return subscribe(
      'onPodMetrics',
      namespace === null ? { context } : { context, namespace },
      (event) => {
        if (event.type === 'samples') setState({ status: 'ready', intervalMs: event.intervalMs, byPod: new Map(event.pods.map((p) => [`${p.namespace}/${p.name}`, p])) });
        else if (event.type === 'unavailable') setState({ status: 'unavailable', reason: event.reason });
        else setState({ status: 'error', message: event.error.message });
      },
      (error) => setState({ status: 'error', message: error.message }),
    );
  }, [context, namespace]);
  return state;
}
