import type { ResourceKind } from './kinds';
import { isClusterScoped, RESOURCE_KINDS } from './kinds';
import type { Validator } from './validate';
import { arrayOf, boolean, exactObject, integer, nonEmptyString, oneOf, optional, refine, taggedUnion } from './validate';

/** Context names are free-form in kubeconfig (EKS uses ARNs) but bounded. */
export const contextName = nonEmptyString(512);
/** DNS-1123 subdomain: names of most objects. */
export const objectName = nonEmptyString(253, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'a Kubernetes name (lowercase letters, digits, "-" and ".")');
/** DNS-1123 label: namespaces and containers. */
export const labelName = nonEmptyString(63, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label (lowercase letters, digits and "-", at most 63)');
export const resourceKind = oneOf(RESOURCE_KINDS);
export const secretKey = nonEmptyString(253, /^[-._a-zA-Z0-9]+$/, 'a Secret key (letters, digits, "-", "_" and ".")');
export const sessionId = nonEmptyString(64, /^[A-Za-z0-9-]+$/, 'a session id');
/** YAML the user submits: up to 1 MiB (the API server's own request limit is larger; the editor's use is not). */
export const yamlText = nonEmptyString(1024 * 1024);
export const labelSelector = nonEmptyString(1024);

export interface ContextInput {
  context: string;
}

/** Names one object; `namespace` is required for namespaced kinds and refused for cluster-scoped ones. */
export interface ObjectRef {
  context: string;
  kind: ResourceKind;
  namespace?: string;
  name: string;
}

export interface NamespacedName {
  context: string;
  namespace: string;
  name: string;
}

function scopeProblem(ref: { kind: ResourceKind; namespace?: string }): string | null {
  if (isClusterScoped(ref.kind)) return ref.namespace === undefined ? null : `namespace: ${ref.kind} are cluster-scoped, leave it out`;
  return ref.namespace === undefined ? `namespace: ${ref.kind} are namespaced, give a namespace` : null;
}

export const contextInput: Validator<ContextInput> = exactObject<ContextInput>({ context: contextName });

export const objectRef: Validator<ObjectRef> = refine(
  exactObject<ObjectRef>({ context: contextName, kind: resourceKind, namespace: optional(labelName), name: objectName }),
  scopeProblem,
);

export const namespacedName: Validator<NamespacedName> = exactObject<NamespacedName>({
  context: contextName,
  namespace: labelName,
  name: objectName,
});

export interface ReplaceInput extends ObjectRef {
  /** The edited object; its name, namespace and kind must still match the reference. */
  yaml: string;
}

export const replaceInput: Validator<ReplaceInput> = refine(
  exactObject<ReplaceInput>({
    context: contextName,
    kind: resourceKind,
    namespace: optional(labelName),
    name: objectName,
    yaml: yamlText,
  }),
  scopeProblem,
);

export interface ApplyInput {
  context: string;
  /** One or more YAML documents separated by `---`. */
  yaml: string;
  /** For documents without metadata.namespace (default: the context's namespace). */
  namespace?: string;
}

export const applyInput: Validator<ApplyInput> = exactObject<ApplyInput>({
  context: contextName,
  yaml: yamlText,
  namespace: optional(labelName),
});

export interface ScaleInput extends NamespacedName {
  replicas: number;
}

export const scaleInput: Validator<ScaleInput> = exactObject<ScaleInput>({
  context: contextName,
  namespace: labelName,
  name: objectName,
  replicas: integer(0, 10_000),
});

export interface PauseInput extends NamespacedName {
  paused: boolean;
}

export const pauseInput: Validator<PauseInput> = exactObject<PauseInput>({
  context: contextName,
  namespace: labelName,
  name: objectName,
  paused: boolean,
});

export interface RollbackInput extends NamespacedName {
  /** A revision from deployments.history (not the current one). */
  revision: number;
}

export const rollbackInput: Validator<RollbackInput> = exactObject<RollbackInput>({
  context: contextName,
  namespace: labelName,
  name: objectName,
  revision: integer(1, Number.MAX_SAFE_INTEGER),
});

export interface RevealInput extends NamespacedName {
  key: string;
}

export const revealInput: Validator<RevealInput> = exactObject<RevealInput>({
  context: contextName,
  namespace: labelName,
  name: objectName,
  key: secretKey,
});

export interface ResourcesInput {
  context: string;
  kind: ResourceKind;
  /** Absent: all namespaces (and always for cluster-scoped kinds). */
  namespace?: string;
  labelSelector?: string;
}

export const resourcesInput: Validator<ResourcesInput> = refine(
  exactObject<ResourcesInput>({
    context: contextName,
    kind: resourceKind,
    namespace: optional(labelName),
    labelSelector: optional(labelSelector),
  }),
  (input) => (isClusterScoped(input.kind) && input.namespace !== undefined ? `namespace: ${input.kind} are cluster-scoped, leave it out` : null),
);

/** Whose logs: one pod (one container, or all when `container` is absent) or every pod of a Deployment. */
export type LogTarget =
  | { kind: 'pod'; pod: string; container?: string }
  | { kind: 'deployment'; deployment: string; container?: string };

export interface LogsInput {
  context: string;
  namespace: string;
  target: LogTarget;
  follow: boolean;
  /** The previous (crashed) instance of the container(s). */
  previous: boolean;
  timestamps: boolean;
  /** Lines from the end to start with (absent: the whole log, bounded by the backend's buffer). */
  tailLines?: number;
  sinceSeconds?: number;
}

const logTarget: Validator<LogTarget> = taggedUnion<LogTarget>('kind', {
  pod: exactObject<{ kind: 'pod'; pod: string; container?: string }>({
    kind: oneOf(['pod']),
    pod: objectName,
    container: optional(labelName),
  }),
  deployment: exactObject<{ kind: 'deployment'; deployment: string; container?: string }>({
    kind: oneOf(['deployment']),
    deployment: objectName,
    container: optional(labelName),
  }),
});

export const logsInput: Validator<LogsInput> = exactObject<LogsInput>({
  context: contextName,
  namespace: labelName,
  target: logTarget,
  follow: boolean,
  previous: boolean,
  timestamps: boolean,
  tailLines: optional(integer(0, 100_000)),
  sinceSeconds: optional(integer(1, 60 * 60 * 24 * 366)),
});

export interface ExecInput {
  context: string;
  namespace: string;
  pod: string;
  /** Absent: the pod's first (or only) container. */
  container?: string;
  /** Absent: a shell (`sh -c` that prefers bash when it exists). */
  command?: string[];
  cols: number;
  rows: number;
}

export const execInput: Validator<ExecInput> = exactObject<ExecInput>({
  context: contextName,
  namespace: labelName,
  pod: objectName,
  container: optional(labelName),
  command: optional(arrayOf(nonEmptyString(4096), 64, 1)),
  cols: integer(1, 1000),
  rows: integer(1, 1000),
});

export interface ExecWriteInput {
  sessionId: string;
  /** Keystrokes or pasted text. */
  data: string;
}

export const execWriteInput: Validator<ExecWriteInput> = exactObject<ExecWriteInput>({
  sessionId,
  data: nonEmptyString(64 * 1024),
});

export interface ExecResizeInput {
  sessionId: string;
  cols: number;
  rows: number;
}

export const execResizeInput: Validator<ExecResizeInput> = exactObject<ExecResizeInput>({
  sessionId,
  cols: integer(1, 1000),
  rows: integer(1, 1000),
});

export interface PodMetricsInput {
  context: string;
  /** Absent: every namespace. */
  namespace?: string;
}

export const podMetricsInput: Validator<PodMetricsInput> = exactObject<PodMetricsInput>({
  context: contextName,
  namespace: optional(labelName),
});

export interface PortForwardInput {
  context: string;
  namespace: string;
  service: string;
  /** The Service port (spec.ports[].port), not the pod's. */
  port: number;
}

export const portForwardInput: Validator<PortForwardInput> = exactObject<PortForwardInput>({
  context: contextName,
  namespace: labelName,
  service: objectName,
  port: integer(1, 65_535),
});

/** The only URLs the app opens outside itself: a port-forward on this machine. */
export const LOCAL_FORWARD_URL = /^http:\/\/127\.0\.0\.1:([1-9][0-9]{0,4})\/$/;

export interface OpenExternalInput {
  url: string;
}

export const openExternalInput: Validator<OpenExternalInput> = refine(
  exactObject<OpenExternalInput>({ url: nonEmptyString(32, LOCAL_FORWARD_URL, 'a port-forward URL, http://127.0.0.1:<port>/') }),
  ({ url }) => (Number(LOCAL_FORWARD_URL.exec(url)?.[1]) <= 65_535 ? null : 'url: the port must be at most 65535'),
);
