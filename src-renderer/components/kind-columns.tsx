import type { ResourceKind } from '../../src-main/contract/kinds';
import type { RowByKind, RowOf } from '../../src-main/contract/rows';
import { formatAge, podStatusHealth } from '../lib/format';
import { StatusBadge } from './status-badge';
import type { Column } from './virtual-table';

type Columns = { [K in ResourceKind]: (now: number) => Column<RowByKind[K]>[] };

function nameColumn<R extends { name: string; deleting: boolean }>(): Column<R> {
  return {
    id: 'name',
    header: 'Name',
    width: 'minmax(12rem,3fr)',
    sortValue: (r) => r.name,
    render: (r) => <span className={`font-medium ${r.deleting ? 'line-through opacity-60' : ''}`}>{r.name}</span>,
  };
}

function namespaceColumn<R extends { namespace?: string }>(): Column<R> {
  return { id: 'namespace', header: 'Namespace', width: 'minmax(6rem,1fr)', sortValue: (r) => r.namespace ?? null, render: (r) => r.namespace ?? '' };
}

function ageColumn<R extends { createdAt: string | null }>(now: number): Column<R> {
  return {
    id: 'age',
    header: 'Age',
    width: '4.5rem',
    align: 'right',
    sortValue: (r) => (r.createdAt === null ? null : -Date.parse(r.createdAt)),
    render: (r) => formatAge(r.createdAt, now),
  };
}

const COLUMNS: Columns = {
  pods: (now) => [
    nameColumn(),
    namespaceColumn(),
    { id: 'ready', header: 'Ready', width: '4rem', sortValue: (r) => r.readyContainers / Math.max(1, r.totalContainers), render: (r) => `${r.readyContainers}/${r.totalContainers}` },
    { id: 'status', header: 'Status', width: 'minmax(8rem,1.2fr)', sortValue: (r) => r.status, render: (r) => <StatusBadge health={podStatusHealth(r.status)} text={r.status} /> },
    { id: 'restarts', header: 'Restarts', width: '4.5rem', align: 'right', sortValue: (r) => r.restarts, render: (r) => r.restarts },
    ageColumn(now),
    { id: 'ip', header: 'IP', width: '7.5rem', sortValue: (r) => r.podIP, render: (r) => r.podIP ?? '' },
    { id: 'node', header: 'Node', width: 'minmax(5rem,1fr)', sortValue: (r) => r.nodeName, render: (r) => r.nodeName ?? '' },
    { id: 'owner', header: 'Owner', width: 'minmax(8rem,1.5fr)', sortValue: (r) => (r.owner === null ? null : `${r.owner.kind}/${r.owner.name}`), render: (r) => (r.owner === null ? '' : `${r.owner.kind}/${r.owner.name}`) },
  ],
  deployments: (now) => [
    nameColumn(),
    namespaceColumn(),
    {
      id: 'ready',
      header: 'Ready',
      width: '5rem',
      sortValue: (r) => r.readyReplicas,
      render: (r) => <StatusBadge health={r.readyReplicas === r.replicas ? 'ok' : 'progress'} text={`${r.readyReplicas}/${r.replicas}`} />,
    },
    { id: 'uptodate', header: 'Up-to-date', width: '6rem', align: 'right', sortValue: (r) => r.updatedReplicas, render: (r) => r.updatedReplicas },
    { id: 'available', header: 'Available', width: '5.5rem', align: 'right', sortValue: (r) => r.availableReplicas, render: (r) => r.availableReplicas },
    { id: 'revision', header: 'Rev', width: '3.5rem', align: 'right', sortValue: (r) => r.revision, render: (r) => r.revision },
    { id: 'images', header: 'Images', width: 'minmax(8rem,2fr)', sortValue: (r) => r.images.join(','), render: (r) => r.images.join(', ') },
    { id: 'paused', header: 'State', width: '5rem', render: (r) => (r.paused ? <StatusBadge health="warning" text="Paused" /> : '') },
    ageColumn(now),
  ],
  replicasets: (now) => [
    nameColumn(),
    namespaceColumn(),
    { id: 'desired', header: 'Desired', width: '5rem', align: 'right', sortValue: (r) => r.desired, render: (r) => r.desired },
    { id: 'current', header: 'Current', width: '5rem', align: 'right', sortValue: (r) => r.current, render: (r) => r.current },
    { id: 'ready', header: 'Ready', width: '5rem', align: 'right', sortValue: (r) => r.ready, render: (r) => r.ready },
    { id: 'revision', header: 'Rev', width: '3.5rem', align: 'right', sortValue: (r) => r.revision, render: (r) => r.revision },
    { id: 'owner', header: 'Owner', width: 'minmax(8rem,1.5fr)', sortValue: (r) => r.owner?.name ?? null, render: (r) => (r.owner === null ? '' : `${r.owner.kind}/${r.owner.name}`) },
    ageColumn(now),
  ],
  services: (now) => [
    nameColumn(),
    namespaceColumn(),
    { id: 'type', header: 'Type', width: '7rem', sortValue: (r) => r.type, render: (r) => r.type },
    { id: 'clusterIP', header: 'Cluster IP', width: '8rem', sortValue: (r) => r.clusterIP, render: (r) => r.clusterIP ?? '' },
    {
      id: 'ports',
      header: 'Ports',
      width: 'minmax(8rem,2fr)',
      render: (r) => r.ports.map((p) => `${p.port}${p.nodePort !== null ? `:${p.nodePort}` : ''}/${p.protocol}`).join(', '),
    },
    ageColumn(now),
  ],
  endpoints: (now) => [
    nameColumn(),
    namespaceColumn(),
    { id: 'addresses', header: 'Endpoints', width: 'minmax(10rem,3fr)', render: (r) => r.addresses.map((a) => `${a.ip}${a.ready ? '' : ' (not ready)'}`).join(', ') },
    ageColumn(now),
  ],
  configmaps: (now) => [
    nameColumn(),
    namespaceColumn(),
    { id: 'keys', header: 'Keys', width: 'minmax(8rem,3fr)', sortValue: (r) => r.keys.length, render: (r) => r.keys.join(', ') },
    ageColumn(now),
  ],
  secrets: (now) => [
    nameColumn(),
    namespaceColumn(),
    { id: 'type', header: 'Type', width: 'minmax(8rem,2fr)', sortValue: (r) => r.type, render: (r) => r.type },
    { id: 'keys', header: 'Keys', width: '4rem', align: 'right', sortValue: (r) => r.keys.length, render: (r) => r.keys.length },
    ageColumn(now),
  ],
  events: (now) => [
    {
      id: 'type',
      header: 'Type',
      width: '6rem',
      sortValue: (r) => r.type,
      render: (r) => <StatusBadge health={r.type === 'Warning' ? 'warning' : 'muted'} text={r.type} />,
    },
    { id: 'reason', header: 'Reason', width: 'minmax(7rem,1fr)', sortValue: (r) => r.reason, render: (r) => r.reason },
    { id: 'object', header: 'Object', width: 'minmax(9rem,1.5fr)', sortValue: (r) => r.involved.name, render: (r) => `${r.involved.kind}/${r.involved.name}` },
    { id: 'message', header: 'Message', width: 'minmax(12rem,4fr)', render: (r) => <span title={r.message}>{r.message}</span> },
    { id: 'count', header: 'Count', width: '4rem', align: 'right', sortValue: (r) => r.count, render: (r) => r.count },
    {
      id: 'lastSeen',
      header: 'Last seen',
      width: '5rem',
      align: 'right',
      sortValue: (r) => (r.lastSeen === null ? null : -Date.parse(r.lastSeen)),
      render: (r) => formatAge(r.lastSeen, now),
    },
  ],
  hpa: (now) => [
    nameColumn(),
    namespaceColumn(),
    { id: 'target', header: 'Target', width: 'minmax(8rem,1.5fr)', render: (r) => `${r.target.kind}/${r.target.name}` },
    { id: 'metrics', header: 'Metrics', width: 'minmax(8rem,2fr)', render: (r) => r.metrics.join('; ') },
    { id: 'range', header: 'Min/Max', width: '5.5rem', render: (r) => `${r.minReplicas}/${r.maxReplicas}` },
    { id: 'replicas', header: 'Replicas', width: '5rem', align: 'right', sortValue: (r) => r.currentReplicas, render: (r) => r.currentReplicas },
    ageColumn(now),
  ],
  namespaces: (now) => [
    nameColumn(),
    { id: 'phase', header: 'Status', width: '8rem', sortValue: (r) => r.phase, render: (r) => <StatusBadge health={r.phase === 'Active' ? 'ok' : 'muted'} text={r.phase} /> },
    ageColumn(now),
  ],
  nodes: (now) => [
    nameColumn(),
    { id: 'ready', header: 'Status', width: '6rem', sortValue: (r) => Number(r.ready), render: (r) => <StatusBadge health={r.ready ? 'ok' : 'error'} text={r.ready ? 'Ready' : 'NotReady'} /> },
    { id: 'roles', header: 'Roles', width: '8rem', render: (r) => r.roles.join(', ') },
    { id: 'version', header: 'Version', width: '8rem', sortValue: (r) => r.kubeletVersion, render: (r) => r.kubeletVersion },
    { id: 'ip', header: 'Internal IP', width: '8rem', render: (r) => r.internalIP ?? '' },
    { id: 'capacity', header: 'CPU / Memory', width: '9rem', render: (r) => `${r.cpu ?? '?'} / ${r.memory ?? '?'}` },
    ageColumn(now),
  ],
  pvcs: (now) => [
    nameColumn(),
    namespaceColumn(),
    { id: 'phase', header: 'Status', width: '6rem', sortValue: (r) => r.phase, render: (r) => <StatusBadge health={r.phase === 'Bound' ? 'ok' : 'progress'} text={r.phase} /> },
    { id: 'volume', header: 'Volume', width: 'minmax(8rem,1.5fr)', render: (r) => r.volumeName ?? '' },
    { id: 'capacity', header: 'Capacity', width: '6rem', render: (r) => r.capacity ?? r.requested ?? '' },
    { id: 'modes', header: 'Access', width: '7rem', render: (r) => r.accessModes.join(', ') },
    { id: 'class', header: 'Class', width: '7rem', render: (r) => r.storageClass ?? '' },
    ageColumn(now),
  ],
};

/** The table columns of a kind; the namespace column only when listing all namespaces. */
export function columnsFor<K extends ResourceKind>(kind: K, now: number, allNamespaces: boolean): Column<RowOf<K>>[] {
  const columns = (COLUMNS[kind] as (now: number) => Column<RowOf<K>>[])(now);
  return allNamespaces ? columns : columns.filter((c) => c.id !== 'namespace');
}

/** Texts the filter box searches, per row. */
export function searchableText(row: RowOf<ResourceKind>): string[] {
  const texts = [row.name, row.namespace ?? ''];
  if ('status' in row && typeof row.status === 'string') texts.push(row.status);
  if ('nodeName' in row && typeof row.nodeName === 'string') texts.push(row.nodeName);
  if ('podIP' in row && typeof row.podIP === 'string') texts.push(row.podIP);
  if ('images' in row) texts.push(...row.images);
  if ('message' in row) texts.push(row.message, row.reason, row.involved.name);
  return texts;
}

export const KIND_LABELS: { readonly [K in ResourceKind]: string } = {
  pods: 'Pods',
  deployments: 'Deployments',
  replicasets: 'ReplicaSets',
  services: 'Services',
  endpoints: 'Endpoints',
  configmaps: 'ConfigMaps',
  secrets: 'Secrets',
  events: 'Events',
  hpa: 'HPAs',
  namespaces: 'Namespaces',
  nodes: 'Nodes',
  pvcs: 'PVCs',
};

/** The order of the sidebar. */
export const NAV_KINDS: readonly ResourceKind[] = [
  'pods',
  'deployments',
  'replicasets',
  'services',
  'configmaps',
  'secrets',
  'events',
  'hpa',
  'pvcs',
  'namespaces',
  'nodes',
];
