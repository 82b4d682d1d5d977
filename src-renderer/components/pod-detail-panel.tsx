import type { JSX } from 'react';
import { useState } from 'react';
import type { ContainerDetail, EnvVarView, PodDetail } from '../../src-main/contract/objects';
import type { PodRow } from '../../src-main/contract/rows';
import { call } from '../api';
import { useConsole } from '../console-state';
import { useCall } from '../hooks/use-call';
import { useNow } from '../hooks/use-now';
import { formatAge, podStatusHealth } from '../lib/format';
import { ContainerStateView } from './container-state';
import { PodUsage } from './pod-usage';
import { ObjectYaml } from './object-yaml';
import { StatusBadge } from './status-badge';
import { Button, ErrorNote, KeyValues, Section, Tag } from './ui';

function envValue(env: EnvVarView): string {
  switch (env.source) {
    case 'value':
      return env.value;
    case 'secret':
      return `•••••• (secret ${env.secretName}/${env.key})`;
    case 'configMap':
      return env.value ?? `(configMap ${env.configMapName}/${env.key})`;
    case 'field':
      return `(field ${env.fieldPath})`;
    case 'resource':
      return `(resource ${env.resource})`;
    case 'secretRef':
      return `all keys of secret ${env.from}${env.prefix !== null ? ` with prefix ${env.prefix}` : ''} (masked)`;
    case 'configMapRef':
      return `all keys of configMap ${env.from}${env.prefix !== null ? ` with prefix ${env.prefix}` : ''}`;
  }
}

function ContainerCard({ container, onLogs, onShell }: { container: ContainerDetail; onLogs: () => void; onShell: () => void }): JSX.Element {
  return (
    <div className="mb-3 rounded border border-slate-200 p-3 dark:border-slate-800" data-testid={`container-${container.name}`}>
      <div className="mb-2 flex items-center gap-2">
        <span className="font-medium">{container.name}</span>
        {container.init && <Tag>init</Tag>}
        <span className="text-xs text-slate-500">{container.ready ? 'ready' : 'not ready'}</span>
        <div className="flex-1" />
        <Button onClick={onLogs}>Logs</Button>
        {!container.init && <Button onClick={onShell}>Shell</Button>}
      </div>
      <KeyValues
        entries={[
          ['Image', <span className="font-mono text-xs" data-testid="container-image">{container.image}</span>],
          ['State', <ContainerStateView state={container.state} />],
          ['Last state', container.lastState === null ? '—' : <ContainerStateView state={container.lastState} />],
          ['Restarts', container.restartCount],
          ...(container.command.length + container.args.length > 0
            ? ([['Command', <span className="font-mono text-xs">{[...container.command, ...container.args].join(' ')}</span>]] as [string, JSX.Element][])
            : []),
          ...(container.ports.length > 0 ? ([['Ports', container.ports.map((p) => `${p.containerPort}/${p.protocol}`).join(', ')]] as [string, string][]) : []),
          ...(Object.keys(container.requests).length + Object.keys(container.limits).length > 0
            ? ([
                [
                  'Resources',
                  `requests ${Object.entries(container.requests).map(([k, v]) => `${k}=${v}`).join(' ') || '—'}; limits ${Object.entries(container.limits).map(([k, v]) => `${k}=${v}`).join(' ') || '—'}`,
                ],
              ] as [string, string][])
            : []),
          ...(container.volumeMounts.length > 0
            ? ([['Mounts', container.volumeMounts.map((m) => `${m.name} → ${m.mountPath}${m.readOnly ? ' (ro)' : ''}`).join(', ')]] as [string, string][])
            : []),
        ]}
      />
      {container.env.length > 0 && (
        <div className="mt-2">
          <div className="text-xs text-slate-500">Environment</div>
          <table className="mt-1 w-full text-xs" data-testid="container-env">
            <tbody>
              {container.env.map((e, i) => (
                <tr key={i}>
                  <td className="pr-3 align-top font-mono">{e.name ?? '(envFrom)'}</td>
                  <td className="font-mono break-all text-slate-600 dark:text-slate-300">{envValue(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function PodDetails({ detail, context }: { detail: PodDetail; context: string }): JSX.Element {
  const { navigate } = useConsole();
  const now = useNow();
  const logs = (container?: string): void =>
    navigate({ view: 'logs', namespace: detail.namespace, target: { kind: 'pod', pod: detail.name, ...(container !== undefined ? { container } : {}) } });
  const shell = (container: string): void => navigate({ view: 'shell', namespace: detail.namespace, pod: detail.name, container });
  return (
    <div className="min-h-0 flex-1 overflow-auto">
      <Section title="Pod" actions={<Button onClick={() => logs()}>All logs</Button>}>
        <KeyValues
          entries={[
            ['Status', <StatusBadge health={podStatusHealth(detail.status)} text={detail.status} />],
            ['Age', formatAge(detail.createdAt, now)],
            ['Pod IP', detail.podIP ?? '—'],
            ['Node', `${detail.nodeName ?? '—'}${detail.hostIP !== null ? ` (${detail.hostIP})` : ''}`],
            ['Owner', detail.owner === null ? '—' : `${detail.owner.kind}/${detail.owner.name}`],
            ['QoS', detail.qosClass ?? '—'],
            ['Service account', detail.serviceAccount ?? '—'],
            ['Labels', Object.entries(detail.labels).map(([k, v]) => <Tag key={k}>{`${k}=${v}`}</Tag>)],
          ]}
        />
      </Section>
      <PodUsage context={context} namespace={detail.namespace} name={detail.name} />
      <Section title="Containers">
        {[...detail.initContainers, ...detail.containers].map((c) => (
          <ContainerCard key={`${c.init}-${c.name}`} container={c} onLogs={() => logs(c.name)} onShell={() => shell(c.name)} />
        ))}
      </Section>
      <Section title="Conditions">
        <table className="w-full text-xs">
          <tbody>
            {detail.conditions.map((c) => (
              <tr key={c.type}>
                <td className="py-0.5 pr-3 font-medium">{c.type}</td>
                <td className={`pr-3 ${c.status === 'True' ? 'text-emerald-600' : 'text-amber-600'}`}>{c.status}</td>
                <td className="text-slate-500">{[c.reason, c.message].filter((x) => x !== null).join(': ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Section title="Volumes">
        {detail.volumes.length === 0 ? (
          <p className="text-sm text-slate-500">None.</p>
        ) : (
          <ul className="text-sm">
            {detail.volumes.map((v) => (
              <li key={v.name}>
                <span className="font-medium">{v.name}</span> <span className="text-slate-500">{v.type}</span>
                {v.source !== null && <span className="font-mono text-xs"> {v.source}</span>}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Events">
        {detail.events.length === 0 ? (
          <p className="text-sm text-slate-500">No events.</p>
        ) : (
          <ul className="space-y-1 text-xs" data-testid="pod-events">
            {detail.events.map((e) => (
              <li key={e.uid}>
                <StatusBadge health={e.type === 'Warning' ? 'warning' : 'muted'} text={e.reason} />{' '}
                <span className="text-slate-600 dark:text-slate-300">{e.message}</span>{' '}
                <span className="text-slate-400">
                  {e.count > 1 ? `×${e.count} ` : ''}
                  {formatAge(e.lastSeen, now)} ago
                </span>
              </li>
            ))}
          </ul>
        )}
      </Section>
    </div>
  );
}

/** The pod detail panel: refreshed whenever the pod's row changes in the feed (no polling). */
export function PodDetailPanel({ context, row }: { context: string; row: PodRow }): JSX.Element {
  const [tab, setTab] = useState<'details' | 'yaml'>('details');
  const namespace = row.namespace ?? 'default';
  const { state } = useCall(() => call('pods.detail', { context, namespace, name: row.name }), [context, namespace, row.name, row.resourceVersion]);
  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="pod-detail">
      <Tabs tab={tab} setTab={setTab} />
      {tab === 'yaml' ? (
        <ObjectYaml target={{ context, kind: 'pods', namespace, name: row.name }} />
      ) : state.status === 'ready' ? (
        <PodDetails detail={state.value} context={context} />
      ) : state.status === 'error' ? (
        <div className="p-4">
          <ErrorNote>{state.message}</ErrorNote>
        </div>
      ) : (
        <div className="p-4 text-sm text-slate-500">Loading…</div>
      )}
    </div>
  );
}

export function Tabs<T extends string>({ tab, setTab, tabs }: { tab: T; setTab: (t: T) => void; tabs?: [T, string][] }): JSX.Element {
  const list = tabs ?? ([['details', 'Details'], ['yaml', 'YAML']] as [T, string][]);
  return (
    <div role="tablist" className="flex gap-1 border-b border-slate-200 px-3 dark:border-slate-800">
      {list.map(([id, label]) => (
        <button
          key={id}
          type="button"
          role="tab"
          aria-selected={tab === id}
          className={`border-b-2 px-3 py-1.5 text-sm ${tab === id ? 'border-sky-500 font-medium' : 'border-transparent text-slate-500 hover:text-slate-800 dark:hover:text-slate-200'}`}
          onClick={() => setTab(id)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
