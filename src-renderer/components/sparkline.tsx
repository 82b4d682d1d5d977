import type { JSX } from 'react';
import { sparklinePoints } from '../lib/sparkline-path';

/** A tiny line chart of recent values (no axes): the trend at a glance, the latest value beside it. */
export function Sparkline({ values, label, latest, testId }: { values: readonly number[]; label: string; latest: string; testId?: string }): JSX.Element {
  const width = 120;
  const height = 22;
  return (
    <span className="inline-flex items-center gap-2" data-testid={testId}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${latest}`} className="text-sky-500">
        <polyline points={sparklinePoints(values, width, height)} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
      </svg>
      <span className="font-mono text-xs tabular-nums">{latest}</span>
    </span>
  );
}
