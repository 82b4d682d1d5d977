import type { JSX } from 'react';
import { useState } from 'react';
import type { ContextInfo } from '../../src-main/contract/cluster';
import { call, errorMessage } from '../api';
import { Button } from './ui';

const TITLES: Record<string, string> = {
  unreachable: 'Cluster unreachable',
  unauthorized: 'Credentials rejected or expired',
  expired: 'Credentials expired',
  forbidden: 'Access forbidden',
  tls: 'Untrusted server certificate',
  timeout: 'The cluster did not answer in time',
  config: 'Unusable kubeconfig entry',
};

/** A context that cannot be used: why, in words, and a Retry. Other contexts stay usable from the sidebar. */
export function ContextError({ info }: { info: ContextInfo }): JSX.Element {
  const [busy, setBusy] = useState(false);
  const [retryProblem, setRetryProblem] = useState<string | null>(null);
  const error = info.status.error;
  const retry = async (): Promise<void> => {
    setBusy(true);
    setRetryProblem(null);
    try {
      await call('contexts.retry', { context: info.name });
    } catch (e) {
      setRetryProblem(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-1 items-start justify-center p-10">
      <div role="alert" data-testid="context-error" className="max-w-xl rounded-lg border border-rose-300 bg-rose-50 p-5 dark:border-rose-800 dark:bg-rose-950/40">
        <h2 className="mb-1 text-base font-semibold text-rose-800 dark:text-rose-200">{TITLES[error?.code ?? ''] ?? 'Cannot use this context'}</h2>
        <p className="mb-2 text-sm text-rose-800 dark:text-rose-200" data-testid="context-error-message">
          {error?.message ?? 'Unknown error.'}
        </p>
        <p className="mb-4 text-xs text-rose-700/80 dark:text-rose-300/80">
          Context <span className="font-mono">{info.name}</span>
          {info.server !== null && (
            <>
              {' '}
              · server <span className="font-mono">{info.server}</span>
            </>
          )}
          {info.status.checkedAt !== null && <> · checked {new Date(info.status.checkedAt).toLocaleTimeString()}</>}
        </p>
        {retryProblem !== null && <p className="mb-2 text-sm text-rose-700">{retryProblem}</p>}
        <Button tone="primary" data-testid="context-retry" disabled={busy} onClick={() => void retry()}>
          {busy ? 'Retrying…' : 'Retry'}
        </Button>
      </div>
    </div>
  );
}
