import type { JSX } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { DeploymentRevision } from '../../src-main/contract/objects';
import type { DeploymentRow, PodRow, ReplicaSetRow } from '../../src-main/contract/rows';
import { call, errorMessage } from '../api';
import { useConsole } from '../console-state';
import { useCall } from '../hooks/use-call';
import { useNow } from '../hooks/use-now';
import { useResourceFeed } from '../hooks/use-resource-feed';
import { formatAge, podStatusHealth } from '../lib/format';
import { matchesLabels } from '../lib/row-filter';
import { ConfirmDialog } from './confirm-dialog';
import { ObjectYaml } from './object-yaml';
import { Tabs } from './pod-detail-panel';
import { RevisionDiff } from './revision-diff';
import { StatusBadge } from './status-badge';
import { Button, ErrorNote, Section, Tag } from './ui';

/** Scales as the slider moves (debounced), so pods come and go while the user drags. */
function ReplicasSlider({ row, context }: { row: DeploymentRow; context: string }): JSX.Element {
  const namespace = row.namespace ?? 'default';
  const [target, setTarget] = useState(row.replicas);
  const [problem, setProblem] = useState<string | null>(null);
  const dragging = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!dragging.current && timer.current === null) setTarget(row.replicas);
  }, [row.replicas]);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);
  const max = Math.max(10, row.replicas * 2, target);
  const scale = (replicas: number): void => {
    setTarget(replicas);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      call('deployments.scale', { context, namespace, name: row.name, replicas }).then(
        () => setProblem(null),
        (error: unknown) => setProblem(errorMessage(error)),
      );
    }, 150);
  };
  return (
    <div>
      <div className="flex items-center gap-3">
        <input
          type="range"
          aria-label="Replicas"
          data-testid="replicas-slider"
          min={0}
          max={max}
          step={1}
          value={target}
          className="flex-1 accent-sky-600"
          onPointerDown={() => (dragging.current = true)}
          onPointerUp={() => (dragging.current = false)}
          onChange={(e) => scale(Number(e.currentTarget.value))}
        />
        <span className="w-24 text-right text-sm tabular-nums" data-testid="replicas-value">
          {target} {target === 1 ? 'replica' : 'replicas'}
        </span>
      </div>
      <div className="mt-1 text-xs text-slate-500" data-testid="replicas-status">
        ready {row.readyReplicas} · up-to-date {row.updatedReplicas} · available {row.availableReplicas} of {row.replicas}
      </div>
      {problem !== null && <ErrorNote>{problem}</ErrorNote>}
    </div>
  );
}

function Bar({ value, max, tone }: { value: number; max: number; tone: string }): JSX.Element {
  const pct = max === 0 ? 0 : Math.min(100, (value / max) * 100);
  return (
    <div className="h-1.5 w-full rounded bg-slate-200 dark:bg-slate-800">
      <div className={`h-1.5 rounded ${tone}`} style={{ width: `${pct}%` }} />
    </div>
  );
}

/** Old ReplicaSets draining and the new one filling, as the controller moves pods between them. */
function RolloutProgress({ row, replicaSets }: { row: DeploymentRow; replicaSets: ReplicaSetRow[] }): JSX.Element {
  const active = replicaSets.filter((rs) => rs.desired > 0 || rs.current > 0).sort((a, b) => a.revision - b.revision);
  const done = row.observed && row.updatedReplicas === row.replicas && row.readyReplicas === row.replicas && active.length <= 1;
  return (
    <div data-testid="rollout-progress">
      <div className="mb-2 text-sm">
        {row.paused ? (
          <StatusBadge health="warning" text="Paused" />
        ) : done ? (
          <StatusBadge health="ok" text={`Rolled out: revision ${row.revision}`} />
        ) : (
          <StatusBadge health="progress" text={`Rolling out revision ${row.revision}${row.progress !== null ? ` — ${row.progress.reason}` : ''}`} />
        )}
      </div>
      {active.map((rs) => {
        const isNew = rs.revision === row.revision;
        return (
          <div key={rs.uid} className="mb-2 text-xs" data-testid={`rs-${rs.revision}`}>
            <div className="flex justify-between">
              <span>
                <span className="font-medium">{isNew ? 'new' : 'old'}</span> rev {rs.revision} <span className="font-mono text-slate-500">{rs.images.join(', ')}</span>
              </span>
              <span className="tabular-nums">
                {rs.ready}/{rs.desired} ready ({rs.current} pods)
              </span>
            </div>
            <Bar value={rs.ready} max={Math.max(rs.desired, rs.current, 1)} tone={isNew ? 'bg-sky-500' : 'bg-slate-400'} />
          </div>
        );
      })}
    </div>
  );
}

function PodsOfDeployment({ pods, now }: { pods: PodRow[]; now: number }): JSX.Element {
  const { navigate } = useConsole();
  const sorted = [...pods].sort((a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.name.localeCompare(b.name));
  return (
    <ul className="space-y-0.5 text-sm" data-testid="deployment-pods">
      {sorted.length === 0 && <li className="text-slate-500">No pods.</li>}
      {sorted.map((p) => (
        <li key={p.uid} className="flex items-center gap-3" data-testid="deployment-pod" data-status={p.status}>
          <button
            type="button"
            className="min-w-0 flex-1 truncate text-left font-mono text-xs hover:underline"
            onClick={() => navigate({ view: 'kind', kind: 'pods', selected: { name: p.name, namespace: p.namespace } })}
          >
            {p.name}
          </button>
          <span className="w-10 text-xs tabular-nums">
            {p.readyContainers}/{p.totalContainers}
          </span>
          <span className="w-36 text-xs">
            <StatusBadge health={p.deleting ? 'muted' : podStatusHealth(p.status)} text={p.status} />
          </span>
          <span className="w-10 text-right text-xs text-slate-500">{formatAge(p.createdAt, now)}</span>
        </li>
      ))}
    </ul>
  );
}

function History({ row, context, refreshKey }: { row: DeploymentRow; context: string; refreshKey: string }): JSX.Element {
  const namespace = row.namespace ?? 'default';
  const { state, reload } = useCall(() => call('deployments.history', { context, namespace, name: row.name }), [context, namespace, row.name, refreshKey]);
  const [compare, setCompare] = useState<{ a: number | null; b: number | null }>({ a: null, b: null });
  const [confirm, setConfirm] = useState<DeploymentRevision | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [rolling, setRolling] = useState<number | null>(null);

  const revisions = state.status === 'ready' ? state.value.revisions : [];
  const current = revisions.find((r) => r.current) ?? null;
  const a = revisions.find((r) => r.revision === compare.a) ?? revisions.find((r) => !r.current) ?? null;
  const b = revisions.find((r) => r.revision === compare.b) ?? current;

  const rollback = async (revision: DeploymentRevision): Promise<void> => {
    setConfirm(null);
    setProblem(null);
    setRolling(revision.revision);
    try {
      await call('deployments.rollback', { context, namespace, name: row.name, revision: revision.revision });
      reload();
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setRolling(null);
    }
  };

  if (state.status === 'error') return <ErrorNote>{state.message}</ErrorNote>;
  if (state.status === 'loading') return <p className="text-sm text-slate-500">Loading…</p>;
  return (
    <div>
      {problem !== null && <ErrorNote testId="rollback-error">{problem}</ErrorNote>}
      <table className="w-full text-xs" data-testid="revision-history">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1">Rev</th>
            <th>Images</th>
            <th>Change cause</th>
            <th>Pods</th>
            <th title="compare from">A</th>
            <th title="compare to">B</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {revisions.map((r) => (
            <tr key={r.revision} data-testid={`revision-${r.revision}`} className={r.current ? 'font-medium' : ''}>
              <td className="py-1">
                {r.revision}
                {r.current && <Tag>current</Tag>}
              </td>
              <td className="font-mono">{r.images.join(', ')}</td>
              <td className="text-slate-500">{r.changeCause ?? '—'}</td>
              <td className="tabular-nums">
                {r.readyReplicas}/{r.replicas}
              </td>
              <td>
                <input type="radio" name={`diff-a-${row.uid}`} aria-label={`compare from revision ${r.revision}`} checked={a?.revision === r.revision} onChange={() => setCompare((c) => ({ ...c, a: r.revision }))} />
              </td>
              <td>
                <input type="radio" name={`diff-b-${row.uid}`} aria-label={`compare to revision ${r.revision}`} checked={b?.revision === r.revision} onChange={() => setCompare((c) => ({ ...c, b: r.revision }))} />
              </td>
              <td className="text-right">
                {!r.current && (
                  <Button data-testid={`rollback-${r.revision}`} disabled={rolling !== null} onClick={() => setConfirm(r)}>
                    {rolling === r.revision ? 'Rolling back…' : 'Roll back'}
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {a !== null && b !== null && a.revision !== b.revision && (
        <div className="mt-3">
          <RevisionDiff oldText={a.templateYaml} newText={b.templateYaml} oldLabel={`revision ${a.revision}`} newLabel={`revision ${b.revision}`} />
        </div>
      )}
      {confirm !== null && (
        <ConfirmDialog
          title={`Roll back ${row.name} to revision ${confirm.revision}?`}
          confirmLabel="Roll back"
          onCancel={() => setConfirm(null)}
          onConfirm={() => void rollback(confirm)}
        >
          The pod template of revision {confirm.revision} ({confirm.images.join(', ')}) becomes the Deployment&apos;s template and a rolling
          update replaces the current pods{current !== null ? ` (revision ${current.revision}: ${current.images.join(', ')})` : ''}.
        </ConfirmDialog>
      )}
    </div>
  );
}

/** Everything about one Deployment: scale, rollout, history with diff and rollback, restart, pause. */
export function DeploymentPanel({ context, row, onDeleted }: { context: string; row: DeploymentRow; onDeleted: () => void }): JSX.Element {
  const namespace = row.namespace ?? 'default';
  const { navigate } = useConsole();
  const now = useNow();
  const [tab, setTab] = useState<'details' | 'yaml'>('details');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirmRestart, setConfirmRestart] = useState(false);
  const pods = useResourceFeed(context, 'pods', namespace);
  const replicaSets = useResourceFeed(context, 'replicasets', namespace);
  const ownPods = useMemo(
    () => pods.rows.filter((p) => Object.keys(row.selector).length > 0 && matchesLabels(p.labels, Object.entries(row.selector).map(([key, value]) => ({ key, op: '=' as const, value })))),
    [pods.rows, row.selector],
  );
  const ownReplicaSets = useMemo(() => replicaSets.rows.filter((rs) => rs.owner?.kind === 'Deployment' && rs.owner.name === row.name), [replicaSets.rows, row.name]);
  const historyKey = `${row.revision}:${ownReplicaSets.map((rs) => `${rs.name}@${rs.revision}`).sort().join(',')}`;

  const act = (promise: Promise<unknown>): void => {
    setProblem(null);
    promise.catch((error: unknown) => setProblem(errorMessage(error)));
  };

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="deployment-panel">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
        <Button onClick={() => navigate({ view: 'logs', namespace, target: { kind: 'deployment', deployment: row.name } })} data-testid="deployment-logs">
          Logs
        </Button>
        <Button data-testid="restart" onClick={() => setConfirmRestart(true)}>
          Restart
        </Button>
        <Button data-testid="pause-toggle" onClick={() => act(call('deployments.setPaused', { context, namespace, name: row.name, paused: !row.paused }))}>
          {row.paused ? 'Resume' : 'Pause'}
        </Button>
      </div>
      {problem !== null && (
        <div className="px-4 pt-2">
          <ErrorNote>{problem}</ErrorNote>
        </div>
      )}
      <Tabs tab={tab} setTab={setTab} />
      {tab === 'yaml' ? (
        <ObjectYaml target={{ context, kind: 'deployments', namespace, name: row.name }} onDeleted={onDeleted} />
      ) : (
        <div className="min-h-0 flex-1 overflow-auto">
          <Section title="Replicas">
            <ReplicasSlider key={row.uid} row={row} context={context} />
          </Section>
          <Section title="Rollout">
            <RolloutProgress row={row} replicaSets={ownReplicaSets} />
          </Section>
          <Section title={`Pods (${ownPods.length})`}>
            <PodsOfDeployment pods={ownPods} now={now} />
          </Section>
          <Section title="Revision history">
            <History row={row} context={context} refreshKey={historyKey} />
          </Section>
        </div>
      )}
      {confirmRestart && (
        <ConfirmDialog
          title={`Restart ${row.name}?`}
          confirmLabel="Restart"
          onCancel={() => setConfirmRestart(false)}
          onConfirm={() => {
            setConfirmRestart(false);
            act(call('deployments.restart', { context, namespace, name: row.name }));
          }}
        >
          Every pod is replaced by a rolling update, as with kubectl rollout restart.
        </ConfirmDialog>
      )}
    </div>
  );
}
