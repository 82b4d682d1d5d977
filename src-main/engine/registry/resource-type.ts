/** What the API server needs to know about one kind: identity, discovery, strategy, validation, tables. */
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';

export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0 = always shown; 1 = only with `-o wide` */
  priority: number;
}

export interface ScaleAccess {
  /** spec.replicas, defaulted (1 when unset) */
  specReplicas(obj: KubeObject): number;
  statusReplicas(obj: KubeObject): number;
  /** the label selector as a string (metav1.LabelSelectorAsSelector), '' when none */
  selector(obj: KubeObject): string;
  /** write spec.replicas into a copy the caller owns */
  setSpecReplicas(obj: KubeObject, replicas: number): void;
}

/**
 * How a served version that is not the stored one converts, like kube-apiserver's conversion through the
 * internal version (autoscaling/v1 HorizontalPodAutoscalers over the stored autoscaling/v2 ones).
 */
export interface VersionConversion {
  /** the stored version's type: its strategy (defaults, validation, tables) runs on converted objects */
  storage: ResourceType;
  /** a request object of the served version into the stored version; returns a new object. Throws StatusError. */
  toStorage(obj: KubeObject): KubeObject;
  /** a stored object into the served version; returns a new object */
  fromStorage(obj: KubeObject): KubeObject;
}

export interface ResourceType {
  /** '' for the core group */
  group: string;
  version: string;
  kind: string;
  /** lower-case plural, e.g. "deployments" */
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  /** verbs on the main resource, e.g. ["create","delete","deletecollection","get","list","patch","update","watch"] */
  verbs: string[];
  /** kinds with a status subresource: main-resource writes keep old status, /status writes keep old spec */
  hasStatusSubresource: boolean;
  /** Deployment/ReplicaSet: the autoscaling/v1 Scale subresource */
  scale?: ScaleAccess;
  /**
   * Fill in defaults the way the real API server does (on create and on update, for the new object).
   * Mutates `obj`, which the caller owns.
   */
  applyDefaults(obj: KubeObject): void;
  /**
   * Validate `obj` (already defaulted). `old` is given on update. Must not mutate. Returns the field causes;
   * metadata (name, labels, annotations, ...) is validated separately by the API and need not be repeated.
   */
  validate(obj: KubeObject, old?: KubeObject): FieldCause[];
  /**
   * On create: reset what clients may not set (e.g. status for Deployments). Mutates `obj`.
   */
  prepareForCreate?(obj: KubeObject): void;
  /**
   * Whether an update from `old` to `obj` bumps metadata.generation. Default: `spec` changed (deep-compare).
   * Only meaningful for kinds that have a generation (those with a spec).
   */
  generationChanged?(obj: KubeObject, old: KubeObject): boolean;
  /** whether this kind carries metadata.generation at all (kinds with spec) */
  hasGeneration: boolean;
  /** Table columns exactly as kube-apiserver prints them (pkg/printers/internalversion/printers.go) */
  tableColumns: TableColumn[];
  /** One row of cells, aligned with tableColumns. `now` is for Age columns. */
  tableRow(obj: KubeObject, now: number): unknown[];
  /**
   * Field selector values beyond metadata.name and metadata.namespace (which every kind supports),
   * e.g. { 'status.phase': o => ... } for pods.
   */
  fieldSelectors: Record<string, (obj: KubeObject) => string>;
  /** set on a served version that is not the stored one: the API converts at its boundary */
  conversion?: VersionConversion;
}

/** "apps/v1" or "v1" */
export function apiVersionOf(t: Pick<ResourceType, 'group' | 'version'>): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Store key of a resource type: "deployments.apps" or "pods". */
export function resourceKey(t: Pick<ResourceType, 'group' | 'plural'>): string {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}
