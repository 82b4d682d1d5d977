import type { ResourceKind } from '../contract/kinds';
import { isClusterScoped, KIND_NAMES } from '../contract/kinds';
import type { RowOf } from '../contract/rows';
import { toEventRow, toNamespaceRow, toNodeRow, toPvcRow } from './rows/cluster-rows';
import { toConfigMapRow, toSecretRow } from './rows/config-rows';
import { toEndpointsRow, toServiceRow } from './rows/network-rows';
import { toPodRow } from './rows/pod-row';
import { toDeploymentRow, toHpaRow, toReplicaSetRow } from './rows/workload-rows';

/** Where a kind lives in the API, and how one of its objects becomes a table row. */
export interface KindInfo<K extends ResourceKind> {
  kind: K;
  /** The `kind` field (Pod, Deployment, ...). */
  kindName: string;
  apiVersion: string;
  plural: string;
  namespaced: boolean;
  toRow: (object: unknown) => RowOf<K>;
}

const catalog: { readonly [K in ResourceKind]: Omit<KindInfo<K>, 'kind' | 'kindName' | 'namespaced'> } = {
  pods: { apiVersion: 'v1', plural: 'pods', toRow: toPodRow },
  deployments: { apiVersion: 'apps/v1', plural: 'deployments', toRow: toDeploymentRow },
  replicasets: { apiVersion: 'apps/v1', plural: 'replicasets', toRow: toReplicaSetRow },
  services: { apiVersion: 'v1', plural: 'services', toRow: toServiceRow },
  endpoints: { apiVersion: 'v1', plural: 'endpoints', toRow: toEndpointsRow },
  configmaps: { apiVersion: 'v1', plural: 'configmaps', toRow: toConfigMapRow },
  secrets: { apiVersion: 'v1', plural: 'secrets', toRow: toSecretRow },
  events: { apiVersion: 'v1', plural: 'events', toRow: toEventRow },
  hpa: { apiVersion: 'autoscaling/v2', plural: 'horizontalpodautoscalers', toRow: toHpaRow },
  namespaces: { apiVersion: 'v1', plural: 'namespaces', toRow: toNamespaceRow },
  nodes: { apiVersion: 'v1', plural: 'nodes', toRow: toNodeRow },
  pvcs: { apiVersion: 'v1', plural: 'persistentvolumeclaims', toRow: toPvcRow },
};

export function kindInfo<K extends ResourceKind>(kind: K): KindInfo<K> {
  return { ...catalog[kind], kind, kindName: KIND_NAMES[kind], namespaced: !isClusterScoped(kind) } as KindInfo<K>;
}

/** /api/v1 or /apis/<group>/<version>. */
export function apiRoot(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection path of a kind, in one namespace or across all (and always for cluster-scoped kinds). */
export function collectionPath(kind: ResourceKind, namespace?: string): string {
  const info = kindInfo(kind);
  const ns = info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${apiRoot(info.apiVersion)}${ns}/${info.plural}`;
}

export function objectPath(kind: ResourceKind, namespace: string | undefined, name: string): string {
  return `${collectionPath(kind, namespace)}/${encodeURIComponent(name)}`;
}
