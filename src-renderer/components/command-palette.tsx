import type { JSX } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ContextList } from '../../src-main/contract/cluster';
import type { ResourceKind } from '../../src-main/contract/kinds';
import { useConsole } from '../console-state';
import { useResourceFeed } from '../hooks/use-resource-feed';
import { matchesText } from '../lib/row-filter';
import { useTheme } from '../theme';
import { KIND_LABELS, NAV_KINDS } from './kind-columns';

interface PaletteItem {
  id: string;
  label: string;
  hint: string;
  run: () => void;
}

const OBJECT_KINDS: ResourceKind[] = ['pods', 'deployments', 'services', 'configmaps', 'secrets'];

function useObjectItems(open: boolean): PaletteItem[] {
  const { context, namespace, navigate } = useConsole();
  const pods = useResourceFeed(context, 'pods', namespace, open);
  const deployments = useResourceFeed(context, 'deployments', namespace, open);
  const services = useResourceFeed(context, 'services', namespace, open);
  const configmaps = useResourceFeed(context, 'configmaps', namespace, open);
  const secrets = useResourceFeed(context, 'secrets', namespace, open);
  return useMemo(() => {
    const feeds = { pods, deployments, services, configmaps, secrets };
    const items: PaletteItem[] = [];
    for (const kind of OBJECT_KINDS) {
      for (const row of feeds[kind as keyof typeof feeds].rows) {
        items.push({
          id: `${kind}/${row.namespace ?? ''}/${row.name}`,
          label: row.name,
          hint: `${KIND_LABELS[kind]}${row.namespace !== undefined ? ` · ${row.namespace}` : ''}`,
          run: () => navigate({ view: 'kind', kind, selected: { name: row.name, namespace: row.namespace } }),
        });
        if (kind === 'pods' && row.namespace !== undefined) {
          const ns = row.namespace;
          items.push({ id: `logs/${ns}/${row.name}`, label: `Logs: ${row.name}`, hint: 'Pod logs', run: () => navigate({ view: 'logs', namespace: ns, target: { kind: 'pod', pod: row.name } }) });
          items.push({ id: `shell/${ns}/${row.name}`, label: `Shell: ${row.name}`, hint: 'Pod shell', run: () => navigate({ view: 'shell', namespace: ns, pod: row.name }) });
        }
        if (kind === 'deployments' && row.namespace !== undefined) {
          const ns = row.namespace;
          items.push({ id: `dlogs/${ns}/${row.name}`, label: `Logs: deployment ${row.name}`, hint: 'All pods, merged', run: () => navigate({ view: 'logs', namespace: ns, target: { kind: 'deployment', deployment: row.name } }) });
        }
      }
    }
    return items;
  }, [pods, deployments, services, configmaps, secrets, navigate]);
}

/** Ctrl/Cmd+K: jump to any view, context, namespace or object, or run an action. */
export function CommandPalette({ contexts }: { contexts: ContextList | null }): JSX.Element | null {
  const { paletteOpen: open, setPaletteOpen, navigate, setContext, setNamespace } = useConsole();
  const { toggle } = useTheme();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const objects = useObjectItems(open);
  const namespaces = useResourceFeed(useConsole().context, 'namespaces', null, open);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setPaletteOpen(!open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, setPaletteOpen]);

  useEffect(() => {
    if (open) {
      setQuery('');
      setActive(0);
      input.current?.focus();
    }
  }, [open]);

  const items = useMemo<PaletteItem[]>(() => {
    const base: PaletteItem[] = [
      { id: 'view/overview', label: 'Overview', hint: 'Go to', run: () => navigate({ view: 'overview' }) },
      ...NAV_KINDS.map((kind) => ({ id: `view/${kind}`, label: KIND_LABELS[kind], hint: 'Go to', run: () => navigate({ view: 'kind', kind }) })),
      { id: 'action/apply', label: 'Apply YAML', hint: 'Action', run: () => navigate({ view: 'apply' }) },
      { id: 'action/theme', label: 'Toggle light/dark theme', hint: 'Action', run: toggle },
      ...(contexts?.contexts ?? []).map((c) => ({ id: `context/${c.name}`, label: `Context: ${c.name}`, hint: c.status.state, run: () => setContext(c.name, true) })),
      { id: 'ns/*', label: 'Namespace: all namespaces', hint: 'Namespace', run: () => setNamespace(null) },
      ...namespaces.rows.map((n) => ({ id: `ns/${n.name}`, label: `Namespace: ${n.name}`, hint: 'Namespace', run: () => setNamespace(n.name) })),
    ];
    const all = [...base, ...objects];
    return all.filter((item) => matchesText([item.label, item.hint], query)).slice(0, 100);
  }, [contexts, namespaces.rows, objects, query, navigate, setContext, setNamespace, toggle]);

  if (!open) return null;
  const close = (): void => setPaletteOpen(false);
  const run = (item: PaletteItem | undefined): void => {
    if (item === undefined) return;
    close();
    item.run();
  };
  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-black/30 pt-24" onClick={close}>
      <div role="dialog" aria-label="Command palette" data-testid="command-palette" className="w-[36rem] overflow-hidden rounded-lg bg-white shadow-2xl dark:bg-slate-900" onClick={(e) => e.stopPropagation()}>
        <input
          ref={input}
          data-testid="palette-input"
          aria-label="Search objects and actions"
          placeholder="Jump to an object, view, context, namespace or action…"
          className="w-full border-b border-slate-200 bg-transparent px-4 py-3 text-base outline-none dark:border-slate-800"
          value={query}
          onChange={(e) => {
            setQuery(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((a) => Math.min(items.length - 1, a + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((a) => Math.max(0, a - 1));
            } else if (e.key === 'Enter') {
              e.preventDefault();
              run(items[active]);
            } else if (e.key === 'Escape') close();
          }}
        />
        <ul role="listbox" className="max-h-96 overflow-auto py-1">
          {items.length === 0 && <li className="px-4 py-2 text-sm text-slate-500">No matches.</li>}
          {items.map((item, i) => (
            <li
              key={item.id}
              role="option"
              aria-selected={i === active}
              className={`flex cursor-pointer justify-between px-4 py-1.5 text-sm ${i === active ? 'bg-sky-100 dark:bg-sky-900/50' : ''}`}
              onMouseEnter={() => setActive(i)}
              onClick={() => run(item)}
            >
              <span className="truncate">{item.label}</span>
              <span className="ml-3 shrink-0 text-xs text-slate-500">{item.hint}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
