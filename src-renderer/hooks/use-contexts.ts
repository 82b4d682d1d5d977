import { useEffect, useState } from 'react';
import type { ContextList, EngineStatus } from '../../src-main/contract/cluster';
import { subscribe } from '../api';

/** The kubeconfig contexts with their live status (pushed by the backend). */
export function useContexts(): { list: ContextList | null; error: string | null } {
  const [list, setList] = useState<ContextList | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(
    () =>
      subscribe(
        'onContexts',
        undefined,
        (next) => {
          setList(next);
          setError(null);
        },
        (e) => setError(e.message),
      ),
    [],
  );
  return { list, error };
}

export function useEngineStatus(): EngineStatus | null {
  const [status, setStatus] = useState<EngineStatus | null>(null);
  useEffect(() => subscribe('onEngineStatus', undefined, setStatus), []);
  return status;
}
