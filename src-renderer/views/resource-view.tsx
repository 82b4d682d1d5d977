import type { JSX } from 'react';
import { useCallback, useMemo, useState } from 'react';
import type { ResourceKind } from '../../src-main/contract/kinds';
import { isClusterScoped, KIND_NAMES } from '../../src-main/contract/kinds';
import type { AnyRow, RowOf } from '../../src-main/contract/rows';
import { DeploymentPanel } from '../components/deployment-panel';
import { HpaPanel } from '../components/hpa-panel';
import { columnsFor, KIND_LABELS, searchableText } from '../components/kind-columns';
import { ObjectYaml } from '../components/object-yaml';
import { PodDetailPanel, Tabs } from '../components/pod-detail-panel';
import { SecretValues } from '../components/secret-values';
import { ServicePanel } from '../components/service-panel';
import { ErrorNote, KeyValues, Section, Tag, TextInput } from '../components/ui';
import { VirtualTable } from '../components/virtual-table';
import { useConsole } from '../console-state';
import { useNow } from '../hooks/use-now';
import { useResourceFeed } from '../hooks/use-resource-feed';
import type { SortSpec } from '../lib/row-filter';
import { matchesLabels, matchesText, parseLabelFilter, sortRows } from '../lib/row-filter';

function rowKey(row: AnyRow): string {
  return row.uid;
}

function rowTestId(row: AnyRow): string {
  return `row-${row.name}`;
}

function DetailPanel({ context, kind, row, onClose }: { context: string; kind: ResourceKind; row: AnyRow; onClose: () => void }): JSX.Element {
  const [tab, setTab] = useState<'details' | 'yaml'>('details');
  const namespace = isClusterScoped(kind) ? undefined : row.namespace;
  let body: JSX.Element;
  if (kind === 'pods') body = <PodDetailPanel context={context} row={row as RowOf<'pods'>} />;
  else if (kind === 'deployments') body = <DeploymentPanel context={context} row={row as RowOf<'deployments'>} onDeleted={onClose} />;
  else {
    const target = { context, kind, name: row.name, ...(namespace !== undefined ? { namespace } : {}) };
    body = (
      <div className="flex min-h-0 flex-1 flex-col">
        <Tabs tab={tab} setTab={setTab} />
        {tab === 'yaml' ? (
          <ObjectYaml target={target} onDeleted={onClose} />
        ) : (
          <div className="min-h-0 flex-1 overflow-auto">
            <Section title={KIND_NAMES[kind]}>
              <KeyValues
                entries={[
                  ['Name', row.name],
                  ...(namespace !== undefined ? ([['Namespace', namespace]] as [string, string][]) : []),
                  ['Created', row.createdAt ?? '—'],
                  ['Labels', Object.entries(row.labels).map(([k, v]) => <Tag key={k}>{`${k}=${v}`}</Tag>)],
                ]}
              />
            </Section>
            {kind === 'secrets' && namespace !== undefined && (
              <Section title="Data">
                <SecretValues context={context} namespace={namespace} name={row.name} keys={(row as RowOf<'secrets'>).keys} />
              </Section>
            )}
            {kind === 'configmaps' && (
              <Section title="Keys">
                {(row as RowOf<'configmaps'>).keys.map((k) => (
                  <Tag key={k}>{k}</Tag>
                ))}
                <p className="mt-2 text-xs text-slate-500">Values are in the YAML tab.</p>
              </Section>
            )}
            {kind === 'services' && namespace !== undefined && <ServicePanel context={context} namespace={namespace} name={row.name} />}
            {kind === 'hpa' && <HpaPanel context={context} row={row as RowOf<'hpa'>} />}
            {kind === 'events' && (
              <Section title="Message">
                <p className="text-sm">{(row as RowOf<'events'>).message}</p>
              </Section>
            )}
          </div>
        )}
      </div>
    );
  }
  return (
    <aside className="flex min-h-0 w-[48%] min-w-[26rem] flex-col border-l border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-950" aria-label="Details">
      <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <span className="text-xs text-slate-500">{KIND_NAMES[kind]}</span>
        <h2 className="min-w-0 flex-1 truncate font-semibold" data-testid="detail-title">
          {row.name}
        </h2>
        <button type="button" aria-label="Close details" className="text-slate-500 hover:text-slate-900 dark:hover:text-white" onClick={onClose}>
          ✕
        </button>
      </div>
      {body}
    </aside>
  );
}

/** One kind as a filterable, sortable, virtualized table with a detail panel for the selected object. */
export function ResourceView({ kind }: { kind: ResourceKind }): JSX.Element {
  const { context, namespace, route, navigate } = useConsole();
  const now = useNow();
  const feed = useResourceFeed(context, kind, isClusterScoped(kind) ? null : namespace);
  const [text, setText] = useState('');
  const [labelText, setLabelText] = useState('');
  const [sort, setSort] = useState<SortSpec | null>(kind === 'events' ? { column: 'lastSeen', direction: 'asc' } : { column: 'name', direction: 'asc' });
  const allNamespaces = namespace === null && !isClusterScoped(kind);
  const columns = useMemo(() => columnsFor(kind, now, allNamespaces), [kind, now, allNamespaces]) as ReturnType<typeof columnsFor<ResourceKind>>;
  // Sort keys never depend on the clock: sorting thousands of rows must not be redone every second with the age column.
  const sortColumns = useMemo(() => columnsFor(kind, 0, true), [kind]) as ReturnType<typeof columnsFor<ResourceKind>>;
  const labelFilter = parseLabelFilter(labelText);

  const rows = useMemo(() => {
    const labels = parseLabelFilter(labelText);
    const filtering = text.trim() !== '' || (labels !== null && labels.length > 0);
    const filtered = filtering
      ? feed.rows.filter((r: AnyRow) => matchesText(searchableText(r), text) && (labels === null || matchesLabels(r.labels, labels)))
      : feed.rows;
    const column = sort === null ? undefined : sortColumns.find((c) => c.id === sort.column);
    return column?.sortValue !== undefined && sort !== null ? sortRows(filtered, column.sortValue, sort.direction) : filtered;
  }, [feed.rows, text, labelText, sort, sortColumns]);

  const selectedRef = route.view === 'kind' ? route.selected : undefined;
  const selected = selectedRef === undefined ? undefined : feed.rows.find((r: AnyRow) => r.name === selectedRef.name && (isClusterScoped(kind) || r.namespace === selectedRef.namespace));
  const onSelect = useCallback((row: AnyRow) => navigate({ view: 'kind', kind, selected: { name: row.name, namespace: row.namespace } }), [navigate, kind]);
  const close = useCallback(() => navigate({ view: 'kind', kind }), [navigate, kind]);

  return (
    <div className="flex min-h-0 flex-1">
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
        <div className="flex items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
          <h1 className="mr-2 text-lg font-semibold">{KIND_LABELS[kind]}</h1>
          <span className="text-xs text-slate-500" data-testid="row-count">
            {rows.length === feed.rows.length ? feed.rows.length : `${rows.length} of ${feed.rows.length}`}
          </span>
          <div className="flex-1" />
          <TextInput placeholder="Filter…" aria-label="Filter" data-testid="filter-text" value={text} onChange={(e) => setText(e.currentTarget.value)} className="w-48" />
          <TextInput
            placeholder="Labels: app=web,tier!=db"
            aria-label="Label filter"
            data-testid="filter-labels"
            value={labelText}
            aria-invalid={labelFilter === null}
            onChange={(e) => setLabelText(e.currentTarget.value)}
            className={`w-56 ${labelFilter === null ? 'border-rose-500' : ''}`}
          />
        </div>
        {feed.error !== null && (
          <div className="px-4 pt-2">
            <ErrorNote testId="feed-error">
              {feed.error.message}
              {feed.retryInMs !== null && <span className="text-xs"> — retrying in {Math.round(feed.retryInMs / 1000)} s</span>}
            </ErrorNote>
          </div>
        )}
        {!feed.ready && feed.error === null ? (
          <div className="p-6 text-sm text-slate-500">Loading {KIND_LABELS[kind].toLowerCase()}…</div>
        ) : (
          <VirtualTable
            rows={rows}
            columns={columns}
            rowKey={rowKey}
            rowTestId={rowTestId}
            selectedKey={selected?.uid ?? null}
            onSelect={onSelect}
            sort={sort}
            onSort={setSort}
            label={KIND_LABELS[kind]}
            empty={feed.rows.length === 0 ? `No ${KIND_LABELS[kind].toLowerCase()}${namespace !== null && !isClusterScoped(kind) ? ` in ${namespace}` : ''}.` : 'Nothing matches the filter.'}
          />
        )}
      </div>
      {selected !== undefined && context !== null && <DetailPanel key={selected.uid} context={context} kind={kind} row={selected} onClose={close} />}
    </div>
  );
}
