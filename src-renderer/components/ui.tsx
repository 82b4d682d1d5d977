import type { ComponentProps, JSX, ReactNode } from 'react';

type Tone = 'default' | 'primary' | 'danger';

const TONES: Record<Tone, string> = {
  default:
    'border-slate-300 bg-white text-slate-800 hover:bg-slate-50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800',
  primary: 'border-sky-600 bg-sky-600 text-white hover:bg-sky-500',
  danger: 'border-rose-600 bg-rose-600 text-white hover:bg-rose-500',
};

export function Button({ tone = 'default', className = '', ...rest }: ComponentProps<'button'> & { tone?: Tone }): JSX.Element {
  return (
    <button
      type="button"
      className={`rounded border px-2.5 py-1 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-50 ${TONES[tone]} ${className}`}
      {...rest}
    />
  );
}

export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }): JSX.Element {
  return (
    <section className="border-b border-slate-200 px-4 py-3 dark:border-slate-800">
      <div className="mb-2 flex items-center justify-between">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{title}</h3>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function ErrorNote({ children, testId }: { children: ReactNode; testId?: string }): JSX.Element {
  return (
    <div role="alert" data-testid={testId} className="rounded border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950/50 dark:text-rose-200">
      {children}
    </div>
  );
}

export function KeyValues({ entries }: { entries: [string, ReactNode][] }): JSX.Element {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      {entries.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-slate-500 dark:text-slate-400">{k}</dt>
          <dd className="min-w-0 break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Tag({ children }: { children: ReactNode }): JSX.Element {
  return <span className="mr-1 mb-1 inline-block rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs dark:bg-slate-800">{children}</span>;
}

export function TextInput(props: React.InputHTMLAttributes<HTMLInputElement>): JSX.Element {
  const { className = '', ...rest } = props;
  return (
    <input
      className={`rounded border border-slate-300 bg-white px-2 py-1 text-sm outline-none focus:border-sky-500 dark:border-slate-700 dark:bg-slate-900 ${className}`}
      {...rest}
    />
  );
}
