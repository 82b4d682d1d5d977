import type { JSX } from 'react';
import type { ContainerState } from '../../src-main/contract/objects';
import { StatusBadge } from './status-badge';

export function ContainerStateView({ state }: { state: ContainerState }): JSX.Element {
  switch (state.state) {
    case 'running':
      return <StatusBadge health="ok" text={`Running${state.startedAt !== null ? ` since ${state.startedAt}` : ''}`} />;
    case 'waiting':
      return (
        <span>
          <StatusBadge health={state.reason !== null && /BackOff|Err/.test(state.reason) ? 'error' : 'progress'} text={`Waiting: ${state.reason ?? '—'}`} />
          {state.message !== null && <span className="ml-2 text-xs text-slate-500">{state.message}</span>}
        </span>
      );
    case 'terminated':
      return (
        <span>
          <StatusBadge
            health={state.exitCode === 0 ? 'muted' : 'error'}
            text={`Terminated: ${state.reason ?? '—'}, exit code ${state.exitCode}${state.signal !== null ? `, signal ${state.signal}` : ''}`}
          />
          {state.finishedAt !== null && <span className="ml-2 text-xs text-slate-500">at {state.finishedAt}</span>}
          {state.message !== null && <span className="ml-2 text-xs text-slate-500">{state.message}</span>}
        </span>
      );
    case 'unknown':
      return <StatusBadge health="muted" text="Unknown" />;
  }
}
