/** The kinds the console lists and watches, by their short plural name. */
export const RESOURCE_KINDS = [
  'pods',
  'deployments',
  'replicasets',
  'services',
  'endpoints',
  'configmaps',
  'secrets',
  'events',
  'hpa',
  'namespaces',
  'nodes',
  'pvcs',
] as const;

export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Kinds that live outside namespaces: their references never carry one. */
export const CLUSTER_SCOPED_KINDS: readonly ResourceKind[] = ['namespaces', 'nodes'];

export function isClusterScoped(kind: ResourceKind): boolean {
  return CLUSTER_SCOPED_KINDS.includes(kind);
}

/** The Kubernetes `kind` (as in YAML) of each resource kind. */
export const KIND_NAMES: { readonly [K in ResourceKind]: string } = {
  pods: 'Pod',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  services: 'Service',
  endpoints: 'Endpoints',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  events: 'Event',
  hpa: 'HorizontalPodAutoscaler',
  namespaces: 'Namespace',
  nodes: 'Node',
  pvcs: 'PersistentVolumeClaim',
};
