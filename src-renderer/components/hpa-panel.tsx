import type { JSX } from 'react';
import type { HpaRow } from '../../src-main/contract/rows';
import { call } from '../api';
import { useCall } from '../hooks/use-call';
import { useNow } from '../hooks/use-now';
import { formatAge } from '../lib/format';
import { StatusBadge } from './status-badge';
import { ErrorNote, KeyValues, Section } from './ui';

/** An HPA: what it scales, between which bounds, each metric's target against its current value, and its decisions. */
export function HpaPanel({ context, row }: { context: string; row: HpaRow }): JSX.Element {
  const namespace = row.namespace ?? 'default';
  const now = useNow();
  const { state } = useCall(() => call('hpa.detail', { context, namespace, name: row.name }), [context, namespace, row.name, row.resourceVersion]);
  if (state.status === 'error') return <ErrorNote>{state.message}</ErrorNote>;
  if (state.status === 'loading') return <p className="p-4 text-sm text-slate-500">Loading…</p>;
  const hpa = state.value;
  return (
    <div data-testid="hpa-panel">
      <Section title="Scaling">
        <KeyValues
          entries={[
            ['Target', `${hpa.target.kind}/${hpa.target.name}`],
            ['Replicas', <span data-testid="hpa-replicas">{`${hpa.currentReplicas} current, ${hpa.desiredReplicas} desired (min ${hpa.minReplicas}, max ${hpa.maxReplicas})`}</span>],
            ['Last scaled', hpa.lastScaleTime === null ? 'never' : `${formatAge(hpa.lastScaleTime, now)} ago`],
          ]}
        />
      </Section>
      <Section title="Metrics">
        {hpa.metrics.length === 0 ? (
          <p className="text-xs text-slate-500">No metrics (the default is 80% CPU).</p>
        ) : (
          <table className="w-full text-xs" data-testid="hpa-metrics">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="font-normal">Metric</th>
                <th className="text-right font-normal">Current</th>
                <th className="text-right font-normal">Target</th>
              </tr>
            </thead>
            <tbody>
              {hpa.metrics.map((m) => (
                <tr key={`${m.type}/${m.name}`}>
                  <td>
                    {m.name} <span className="text-slate-400">({m.type})</span>
                  </td>
                  <td className="text-right font-mono tabular-nums">{m.current ?? '<unknown>'}</td>
                  <td className="text-right font-mono tabular-nums">{m.target}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title="Conditions">
        <ul className="space-y-1 text-xs">
          {hpa.conditions.map((c) => (
            <li key={c.type}>
              <StatusBadge health={c.status === 'True' ? 'ok' : c.status === 'False' ? 'warning' : 'muted'} text={`${c.type}: ${c.status}`} />{' '}
              <span className="text-slate-500">{c.reason}</span> {c.message}
            </li>
          ))}
          {hpa.conditions.length === 0 && <li className="text-slate-500">None reported yet.</li>}
        </ul>
      </Section>
      <Section title="Scaling decisions">
        {hpa.scalingDecisions.length === 0 ? (
          <p className="text-xs text-slate-500">No rescale events (events expire after an hour).</p>
        ) : (
          <ul className="space-y-1 text-xs" data-testid="hpa-decisions">
            {hpa.scalingDecisions.map((d, i) => (
              <li key={i}>
                <span className="text-slate-400">{d.time === null ? '' : `${formatAge(d.time, now)} ago`}</span> {d.message}
                {d.count > 1 ? <span className="text-slate-400"> ×{d.count}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
