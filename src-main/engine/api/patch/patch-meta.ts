/**
 * Strategic-merge-patch metadata for the built-in kinds: the `patchStrategy` / `patchMergeKey` struct tags of
 * k8s.io/api (core/v1, apps/v1, batch/v1), written out as a tree. Fields absent from the tree are plain:
 * maps merge recursively, lists are replaced.
 */

/** How one field merges. For a list of maps `fields` describes each element; for a map, its members. */
export interface PatchMeta {
  /** 'merge': a list merged by `mergeKey` (maps) or as a set (primitives); 'replace': an atomic map. */
  readonly strategy?: 'merge' | 'replace';
  /** Identifies the elements of a merge list of maps; absent for a primitive merge list. */
  readonly mergeKey?: string;
  /** The field is tagged retainKeys. Informational: `$retainKeys` is honoured wherever it appears. */
  readonly retainKeys?: boolean;
  readonly fields?: Readonly<Record<string, PatchMeta>>;
}

const EMPTY: PatchMeta = {};

/** The metadata of member `key` of a map (or of the elements of a list) described by `meta`. */
export function fieldMeta(meta: PatchMeta | undefined, key: string): PatchMeta {
  const fields = meta?.fields;
  if (!fields || !Object.prototype.hasOwnProperty.call(fields, key)) return EMPTY;
  return fields[key];
}

/** Whether `meta` describes a list merged element by element rather than replaced. */
export function isMergeList(meta: PatchMeta): boolean {
  return meta.strategy === 'merge';
}

function mergeList(mergeKey: string, fields?: Readonly<Record<string, PatchMeta>>, retainKeys = false): PatchMeta {
  return { strategy: 'merge', mergeKey, ...(retainKeys ? { retainKeys } : {}), ...(fields ? { fields } : {}) };
}

const PRIMITIVE_SET: PatchMeta = { strategy: 'merge' };
const CONDITIONS: PatchMeta = mergeList('type');

const OBJECT_META: PatchMeta = {
  fields: {
    ownerReferences: mergeList('uid'),
    finalizers: PRIMITIVE_SET,
  },
};

const CONTAINER: PatchMeta = {
  fields: {
    env: mergeList('name'),
    ports: mergeList('containerPort'),
    volumeMounts: mergeList('mountPath'),
    volumeDevices: mergeList('devicePath'),
    resizePolicy: mergeList('resourceName'),
  },
};

const POD_SPEC: PatchMeta = {
  fields: {
    containers: mergeList('name', CONTAINER.fields),
    initContainers: mergeList('name', CONTAINER.fields),
    ephemeralContainers: mergeList('name', CONTAINER.fields),
    volumes: mergeList('name', undefined, true),
    imagePullSecrets: mergeList('name'),
    hostAliases: mergeList('ip'),
    topologySpreadConstraints: mergeList('topologyKey'),
    schedulingGates: mergeList('name'),
    resourceClaims: mergeList('name'),
  },
};

const POD_TEMPLATE_SPEC: PatchMeta = { fields: { metadata: OBJECT_META, spec: POD_SPEC } };

const POD_STATUS: PatchMeta = {
  fields: {
    conditions: CONDITIONS,
    podIPs: mergeList('ip'),
    hostIPs: mergeList('ip'),
  },
};

const RETAIN_KEYS: PatchMeta = { retainKeys: true };
const CONDITIONS_STATUS: PatchMeta = { fields: { conditions: CONDITIONS } };

/** Builds a kind's root: ObjectMeta plus the given spec and status. */
function kindRoot(spec?: PatchMeta, status?: PatchMeta): PatchMeta {
  const fields: Record<string, PatchMeta> = { metadata: OBJECT_META };
  if (spec) fields.spec = spec;
  if (status) fields.status = status;
  return { fields };
}

const WORKLOAD_SPEC = (extra: Record<string, PatchMeta> = {}): PatchMeta => ({
  fields: { template: POD_TEMPLATE_SPEC, ...extra },
});

const JOB_SPEC: PatchMeta = WORKLOAD_SPEC();

const KINDS: Readonly<Record<string, PatchMeta>> = {
  Pod: kindRoot(POD_SPEC, POD_STATUS),
  PodTemplate: { fields: { metadata: OBJECT_META, template: POD_TEMPLATE_SPEC } },
  ReplicationController: kindRoot(WORKLOAD_SPEC(), CONDITIONS_STATUS),
  Deployment: kindRoot(WORKLOAD_SPEC({ strategy: RETAIN_KEYS }), CONDITIONS_STATUS),
  ReplicaSet: kindRoot(WORKLOAD_SPEC(), CONDITIONS_STATUS),
  StatefulSet: kindRoot(WORKLOAD_SPEC({ updateStrategy: RETAIN_KEYS }), CONDITIONS_STATUS),
  DaemonSet: kindRoot(WORKLOAD_SPEC({ updateStrategy: RETAIN_KEYS }), CONDITIONS_STATUS),
  Job: kindRoot(JOB_SPEC, CONDITIONS_STATUS),
  CronJob: kindRoot({ fields: { jobTemplate: { fields: { metadata: OBJECT_META, spec: JOB_SPEC } } } }),
  Service: kindRoot({ fields: { ports: mergeList('port') } }, CONDITIONS_STATUS),
  Node: kindRoot(
    { fields: { podCIDRs: PRIMITIVE_SET } },
    { fields: { conditions: CONDITIONS, addresses: mergeList('type') } },
  ),
  Namespace: kindRoot(undefined, CONDITIONS_STATUS),
  PersistentVolumeClaim: kindRoot(undefined, CONDITIONS_STATUS),
};

/** Built-in kinds whose only tagged fields are ObjectMeta's (Endpoints subsets are atomic, for instance). */
const METADATA_ONLY_KINDS = [
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Endpoints',
  'EndpointSlice',
  'Event',
  'LimitRange',
  'ResourceQuota',
  'PersistentVolume',
  'Ingress',
  'IngressClass',
  'NetworkPolicy',
  'Role',
  'RoleBinding',
  'ClusterRole',
  'ClusterRoleBinding',
  'Lease',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'StorageClass',
  'PriorityClass',
  'ControllerRevision',
];

const METADATA_ONLY = kindRoot();

/** Whether strategic merge patch has built-in metadata for `kind` (kube-apiserver refuses it for custom resources). */
export function hasPatchMeta(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(KINDS, kind) || METADATA_ONLY_KINDS.includes(kind);
}

/**
 * The strategic-merge-patch metadata of an object of `kind`, from the root of the object.
 * Unknown kinds get empty metadata, which makes a strategic merge patch behave like a JSON merge patch.
 */
export function patchMetaFor(kind: string): PatchMeta {
  if (Object.prototype.hasOwnProperty.call(KINDS, kind)) return KINDS[kind];
  return METADATA_ONLY_KINDS.includes(kind) ? METADATA_ONLY : EMPTY;
}

/** The metadata at a field path (map keys; list elements are stepped through implicitly), for reuse by the API. */
export function patchMetaAt(kind: string, path: readonly string[]): PatchMeta {
  let meta = patchMetaFor(kind);
  for (const key of path) meta = fieldMeta(meta, key);
  return meta;
}
