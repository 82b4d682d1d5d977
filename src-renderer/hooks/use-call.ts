import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api';

export type CallState<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string };

/** Runs `load` when its dependencies change (and on `reload()`); stale answers are ignored. */
export function useCall<T>(load: (() => Promise<T>) | null, deps: readonly unknown[]): { state: CallState<T>; reload: () => void } {
  const [state, setState] = useState<CallState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (load === null) return undefined;
    let current = true;
    setState((prev) => (prev.status === 'ready' ? prev : { status: 'loading' }));
    load().then(
      (value) => current && setState({ status: 'ready', value }),
      (error: unknown) => current && setState({ status: 'error', message: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { state, reload };
}
