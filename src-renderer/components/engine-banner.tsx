import type { JSX } from 'react';
import { useState } from 'react';
import type { EngineStatus } from '../../src-main/contract/cluster';
import { call, errorMessage } from '../api';
import { useNow } from '../hooks/use-now';
import { describeOutage } from '../lib/engine-outage';
import { Button } from './ui';

function OutageBanner({ engine }: { engine: EngineStatus }): JSX.Element | null {
  // A clock for the countdown, only while the banner shows.
  const now = useNow(1000);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const outage = describeOutage(engine, now);
  if (outage === null) return null;
  const restartNow = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      await call('engine.restart');
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div role="alert" data-testid="engine-banner" className="flex items-start gap-3 border-b border-rose-300 bg-rose-50 px-4 py-2 text-sm text-rose-900 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-100">
      <span className="mt-1.5 h-2 w-2 shrink-0 animate-pulse rounded-full bg-rose-500" aria-hidden="true" />
      <div className="min-w-0 flex-1">
        <div className="font-semibold">
          {outage.title} <span className="font-normal text-rose-700 dark:text-rose-300">({outage.down})</span>
        </div>
        <div data-testid="engine-banner-reason" className="break-words">
          {outage.reason}
        </div>
        <div data-testid="engine-banner-attempt" className="text-xs text-rose-800/80 dark:text-rose-200/80">
          {outage.attempt}. Pods keep running in Docker; the engine adopts them when it is back.
        </div>
        {problem !== null && <div className="text-xs text-rose-700">{problem}</div>}
      </div>
      {outage.canRestartNow && (
        <Button tone="danger" data-testid="engine-restart-now" disabled={busy} onClick={() => void restartNow()}>
          {busy ? 'Restarting…' : 'Restart now'}
        </Button>
      )}
    </div>
  );
}

/** A crash of the supervised engine, in plain sight: the reason, the restart attempt and its backoff, Restart now. */
export function EngineBanner({ engine }: { engine: EngineStatus | null }): JSX.Element | null {
  if (engine === null || engine.crash === null) return null;
  return <OutageBanner engine={engine} />;
}
