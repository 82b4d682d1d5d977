import type { JSX } from 'react';
import { useMemo } from 'react';
import { diffLines, diffStats } from '../lib/line-diff';

/** The pod templates of two revisions, line by line. */
export function RevisionDiff({ oldText, newText, oldLabel, newLabel }: { oldText: string; newText: string; oldLabel: string; newLabel: string }): JSX.Element {
  const lines = useMemo(() => diffLines(oldText, newText), [oldText, newText]);
  const stats = diffStats(lines);
  return (
    <div data-testid="revision-diff" className="rounded border border-slate-200 dark:border-slate-800">
      <div className="border-b border-slate-200 px-3 py-1 text-xs text-slate-500 dark:border-slate-800">
        {oldLabel} → {newLabel}: <span className="text-emerald-600">+{stats.added}</span> <span className="text-rose-600">−{stats.removed}</span>
        {stats.added + stats.removed === 0 && ' (identical templates)'}
      </div>
      <pre className="max-h-80 overflow-auto py-1 font-mono text-xs leading-5">
        {lines.map((l, i) => (
          <div
            key={i}
            data-op={l.op}
            className={
              l.op === 'add'
                ? 'bg-emerald-50 text-emerald-800 dark:bg-emerald-950/50 dark:text-emerald-200'
                : l.op === 'remove'
                  ? 'bg-rose-50 text-rose-800 dark:bg-rose-950/50 dark:text-rose-200'
                  : 'text-slate-600 dark:text-slate-400'
            }
          >
            <span className="inline-block w-4 select-none pl-1">{l.op === 'add' ? '+' : l.op === 'remove' ? '−' : ' '}</span>
            {l.text}
          </div>
        ))}
      </pre>
    </div>
  );
}
