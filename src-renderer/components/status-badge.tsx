import type { JSX } from 'react';
import type { Health } from '../lib/format';

const TONE: Record<Health, string> = {
  ok: 'text-emerald-600 dark:text-emerald-400',
  progress: 'text-sky-600 dark:text-sky-400',
  warning: 'text-amber-600 dark:text-amber-400',
  error: 'text-rose-600 dark:text-rose-400',
  muted: 'text-slate-500 dark:text-slate-400',
};

const DOT: Record<Health, string> = {
  ok: 'bg-emerald-500',
  progress: 'bg-sky-500',
  warning: 'bg-amber-500',
  error: 'bg-rose-500',
  muted: 'bg-slate-400',
};

export function StatusBadge({ health, text }: { health: Health; text: string }): JSX.Element {
  return (
    <span className={`inline-flex items-center gap-1.5 ${TONE[health]}`} data-health={health}>
      <span className={`inline-block h-2 w-2 shrink-0 rounded-full ${DOT[health]}`} aria-hidden />
      {text}
    </span>
  );
}
