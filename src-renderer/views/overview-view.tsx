import type { JSX } from 'react';
import { useMemo } from 'react';
import { StatusBadge } from '../components/status-badge';
import { ErrorNote, Section } from '../components/ui';
import { useConsole } from '../console-state';
import { useNow } from '../hooks/use-now';
import { useResourceFeed } from '../hooks/use-resource-feed';
import { formatAge, podStatusHealth } from '../lib/format';

interface NamespaceHealth {
  namespace: string;
  pods: number;
  running: number;
  failing: number;
  pending: number;
  deployments: number;
  deploymentsReady: number;
}

/** Per-namespace counts and health, and the latest warnings. */
export function OverviewView(): JSX.Element {
  const { context, namespace, navigate } = useConsole();
  const now = useNow();
  const pods = useResourceFeed(context, 'pods', namespace);
  const deployments = useResourceFeed(context, 'deployments', namespace);
  const events = useResourceFeed(context, 'events', namespace);

  const health = useMemo(() => {
    const byNs = new Map<string, NamespaceHealth>();
    const get = (ns: string): NamespaceHealth => {
      let h = byNs.get(ns);
      if (h === undefined) {
        h = { namespace: ns, pods: 0, running: 0, failing: 0, pending: 0, deployments: 0, deploymentsReady: 0 };
        byNs.set(ns, h);
      }
      return h;
    };
    for (const p of pods.rows) {
      const h = get(p.namespace ?? '');
      h.pods++;
      const tone = podStatusHealth(p.status);
      if (tone === 'ok') h.running++;
      else if (tone === 'error' || tone === 'warning') h.failing++;
      else if (tone === 'progress') h.pending++;
    }
    for (const d of deployments.rows) {
      const h = get(d.namespace ?? '');
      h.deployments++;
      if (d.readyReplicas >= d.replicas) h.deploymentsReady++;
    }
    return [...byNs.values()].sort((a, b) => a.namespace.localeCompare(b.namespace));
  }, [pods.rows, deployments.rows]);

  const warnings = useMemo(
    () =>
      events.rows
        .filter((e) => e.type === 'Warning')
        .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''))
        .slice(0, 30),
    [events.rows],
  );

  const error = pods.error ?? deployments.error ?? events.error;
  return (
    <div className="min-h-0 flex-1 overflow-auto" data-testid="overview">
      <div className="border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <h1 className="text-lg font-semibold">Overview</h1>
      </div>
      {error !== null && (
        <div className="px-4 pt-2">
          <ErrorNote testId="feed-error">{error.message}</ErrorNote>
        </div>
      )}
      <Section title="Namespaces">
        <div className="grid grid-cols-[repeat(auto-fill,minmax(15rem,1fr))] gap-3">
          {health.length === 0 && <p className="text-sm text-slate-500">{pods.ready ? 'No workloads.' : 'Loading…'}</p>}
          {health.map((h) => (
            <div key={h.namespace} className="rounded-lg border border-slate-200 p-3 dark:border-slate-800" data-testid={`ns-card-${h.namespace}`}>
              <div className="mb-1 flex items-center justify-between">
                <span className="font-medium">{h.namespace}</span>
                <StatusBadge health={h.failing > 0 ? 'error' : h.pending > 0 ? 'progress' : 'ok'} text={h.failing > 0 ? 'failing' : h.pending > 0 ? 'starting' : 'healthy'} />
              </div>
              <button type="button" className="block text-left text-sm hover:underline" onClick={() => navigate({ view: 'kind', kind: 'pods' })}>
                {h.pods} pods: {h.running} running{h.pending > 0 ? `, ${h.pending} pending` : ''}
                {h.failing > 0 ? `, ${h.failing} failing` : ''}
              </button>
              <button type="button" className="block text-left text-sm hover:underline" onClick={() => navigate({ view: 'kind', kind: 'deployments' })}>
                {h.deploymentsReady}/{h.deployments} deployments ready
              </button>
            </div>
          ))}
        </div>
      </Section>
      <Section title="Recent warnings">
        {warnings.length === 0 ? (
          <p className="text-sm text-slate-500">No warnings.</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="warnings">
            {warnings.map((e) => (
              <li key={e.uid} className="flex gap-2">
                <span className="w-12 shrink-0 text-right text-xs text-slate-500">{formatAge(e.lastSeen, now)}</span>
                <StatusBadge health="warning" text={e.reason} />
                <span className="font-mono text-xs leading-5">
                  {e.involved.namespace !== null ? `${e.involved.namespace}/` : ''}
                  {e.involved.kind}/{e.involved.name}
                </span>
                <span className="min-w-0 truncate text-slate-600 dark:text-slate-300" title={e.message}>
                  {e.message}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}
