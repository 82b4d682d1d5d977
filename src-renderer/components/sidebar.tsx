import type { JSX, ReactNode } from 'react';
import type { ContextInfo, ContextList, EngineStatus } from '../../src-main/contract/cluster';
import type { ResourceKind } from '../../src-main/contract/kinds';
import { useConsole } from '../console-state';
import { useResourceFeed } from '../hooks/use-resource-feed';
import { useTheme } from '../theme';
import { KIND_LABELS, NAV_KINDS } from './kind-columns';

const STATE_DOT: Record<ContextInfo['status']['state'], string> = {
  connected: 'bg-emerald-500',
  connecting: 'bg-sky-500 animate-pulse',
  unknown: 'bg-slate-400',
  error: 'bg-rose-500',
};

function NavButton({ active, onClick, children, testId }: { active: boolean; onClick: () => void; children: React.ReactNode; testId: string }): JSX.Element {
  return (
    <button
      type="button"
      data-testid={testId}
      aria-current={active ? 'page' : undefined}
      onClick={onClick}
      className={`block w-full rounded px-2 py-1 text-left text-sm ${active ? 'bg-sky-100 font-medium text-sky-900 dark:bg-sky-900/40 dark:text-sky-100' : 'text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800'}`}
    >
      {children}
    </button>
  );
}

function NamespaceSelect(): JSX.Element {
  const { context, namespace, setNamespace } = useConsole();
  const namespaces = useResourceFeed(context, 'namespaces', null);
  const names = namespaces.rows.map((n) => n.name).sort();
  if (namespace !== null && !names.includes(namespace)) names.unshift(namespace);
  return (
    <select
      aria-label="Namespace"
      data-testid="namespace-select"
      className="w-full rounded border border-slate-300 bg-white px-1.5 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      value={namespace ?? ''}
      onChange={(e) => setNamespace(e.currentTarget.value === '' ? null : e.currentTarget.value)}
    >
      <option value="">All namespaces</option>
      {names.map((n) => (
        <option key={n} value={n}>
          {n}
        </option>
      ))}
    </select>
  );
}

export function Sidebar({ contexts, engine, version }: { contexts: ContextList | null; engine: EngineStatus | null; version: ReactNode }): JSX.Element {
  const { context, setContext, route, navigate, setPaletteOpen } = useConsole();
  const { dark, toggle } = useTheme();
  const isKind = (kind: ResourceKind): boolean => route.view === 'kind' && route.kind === kind;
  return (
    <nav className="flex w-60 shrink-0 flex-col border-r border-slate-200 bg-slate-50 dark:border-slate-800 dark:bg-slate-900/60" aria-label="Main">
      <div className="flex items-center justify-between px-3 pt-3 pb-2">
        <div className="flex items-baseline gap-2">
          <h1 className="text-lg font-semibold tracking-tight">Skiff</h1>
          <span className="font-mono text-[10px] text-slate-500">{version}</span>
        </div>
        <button type="button" className="rounded px-2 py-0.5 text-xs text-slate-500 hover:bg-slate-200 dark:hover:bg-slate-800" onClick={() => setPaletteOpen(true)} title="Command palette">
          ⌘K
        </button>
      </div>
      <div className="px-3">
        <div className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Contexts</div>
        <ul data-testid="context-list" className="mb-3 max-h-48 space-y-0.5 overflow-auto">
          {contexts === null && <li className="text-xs text-slate-500">Loading…</li>}
          {contexts?.contexts.map((c) => (
            <li key={c.name}>
              <button
                type="button"
                data-testid={`context-${c.name}`}
                aria-current={c.name === context ? 'true' : undefined}
                title={c.status.error?.message ?? c.server ?? undefined}
                onClick={() => setContext(c.name, true)}
                className={`flex w-full items-center gap-2 rounded px-2 py-1 text-left text-sm ${c.name === context ? 'bg-white shadow-sm dark:bg-slate-800' : 'hover:bg-slate-100 dark:hover:bg-slate-800'}`}
              >
                <span className={`h-2 w-2 shrink-0 rounded-full ${STATE_DOT[c.status.state]}`} aria-label={c.status.state} />
                <span className="min-w-0 flex-1 truncate">{c.name}</span>
                {c.isLocal && <span className="text-[10px] text-slate-500 uppercase">local</span>}
              </button>
            </li>
          ))}
        </ul>
        <div className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Namespace</div>
        <NamespaceSelect />
      </div>
      <div className="mt-3 min-h-0 flex-1 space-y-0.5 overflow-auto px-3">
        <NavButton testId="nav-overview" active={route.view === 'overview'} onClick={() => navigate({ view: 'overview' })}>
          Overview
        </NavButton>
        {NAV_KINDS.map((kind) => (
          <NavButton key={kind} testId={`nav-${kind}`} active={isKind(kind)} onClick={() => navigate({ view: 'kind', kind })}>
            {KIND_LABELS[kind]}
          </NavButton>
        ))}
        <div className="pt-2">
          <NavButton testId="nav-apply" active={route.view === 'apply'} onClick={() => navigate({ view: 'apply' })}>
            Apply YAML
          </NavButton>
        </div>
      </div>
      <div className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-xs text-slate-500 dark:border-slate-800">
        <span data-testid="engine-status" title={engine?.message ?? undefined} className={engine?.crash != null ? 'font-medium text-rose-600 dark:text-rose-400' : undefined}>
          engine: {engine?.state ?? '…'}
          {engine !== null && engine.restarts > 0 ? ` (${engine.restarts} restarts)` : ''}
        </span>
        <button type="button" data-testid="theme-toggle" className="rounded px-2 py-0.5 hover:bg-slate-200 dark:hover:bg-slate-800" onClick={toggle}>
          {dark ? 'Light' : 'Dark'}
        </button>
      </div>
    </nav>
  );
}
