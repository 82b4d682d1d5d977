import type { ClusterError } from './cluster';
import type { EventRow, OwnerRef } from './rows';

/** Any JSON value (a Kubernetes object as it arrived from the server). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A full Kubernetes object: plain JSON with the usual top-level fields. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * What a Secret's values (and its last-applied-configuration annotation, which can hold them in clear) read as
 * in `resources.get`. Left unchanged in YAML sent to `resources.replace`, a masked value keeps what is stored.
 */
export const SECRET_VALUE_MASK = '(hidden: reveal per key)';

/** One object with its YAML (managedFields removed; a Secret's values masked with SECRET_VALUE_MASK). */
export interface ObjectWithYaml {
  object: KubeObject;
  yaml: string;
}

/** What happened to one document of an applied YAML stream. */
export interface ApplyDocumentResult {
  /** 0-based position in the stream (empty documents are counted too). */
  index: number;
  /** The line in the submitted text where the document starts (1-based), for inline errors. */
  line: number;
  kind: string | null;
  name: string | null;
  namespace: string | null;
  outcome: 'created' | 'configured' | 'unchanged' | 'failed' | 'skipped';
  /** Set when outcome is 'failed': a YAML parse error or the server's message and causes. */
  error: ClusterError | null;
}

export interface ApplyResult {
  documents: ApplyDocumentResult[];
  /** True when every non-empty document succeeded. */
  ok: boolean;
}

export type ContainerState =
  | { state: 'waiting'; reason: string | null; message: string | null }
  | { state: 'running'; startedAt: string | null }
  | {
      state: 'terminated';
      exitCode: number;
      signal: number | null;
      reason: string | null;
      message: string | null;
      startedAt: string | null;
      finishedAt: string | null;
    }
  | { state: 'unknown' };

/** An environment variable as the UI may show it: secret-sourced values are never included. */
export type EnvVarView =
  | { name: string; source: 'value'; value: string }
  | { name: string; source: 'secret'; secretName: string; key: string; optional: boolean }
  | { name: string; source: 'configMap'; configMapName: string; key: string; value: string | null }
  | { name: string; source: 'field'; fieldPath: string }
  | { name: string; source: 'resource'; resource: string; containerName: string | null }
  /** envFrom: every key of a Secret or ConfigMap, with an optional prefix. */
  | { name: null; source: 'secretRef' | 'configMapRef'; from: string; prefix: string | null };

export interface ContainerDetail {
  name: string;
  image: string;
  imageID: string | null;
  init: boolean;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState | null;
  command: string[];
  args: string[];
  ports: { name: string | null; containerPort: number; protocol: string }[];
  env: EnvVarView[];
  volumeMounts: { name: string; mountPath: string; readOnly: boolean; subPath: string | null }[];
  requests: Record<string, string>;
  limits: Record<string, string>;
}

export interface PodCondition {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
  lastTransitionTime: string | null;
}

export interface VolumeView {
  name: string;
  /** The volume source's field name: configMap, secret, emptyDir, persistentVolumeClaim, hostPath, projected, ... */
  type: string;
  /** What it points at (a ConfigMap/Secret/claim name, a host path), when it points at something. */
  source: string | null;
}

/** Everything the pod detail panel shows. */
export interface PodDetail {
  uid: string;
  name: string;
  namespace: string;
  createdAt: string | null;
  phase: string;
  status: string;
  podIP: string | null;
  hostIP: string | null;
  nodeName: string | null;
  qosClass: string | null;
  serviceAccount: string | null;
  owner: OwnerRef | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  conditions: PodCondition[];
  initContainers: ContainerDetail[];
  containers: ContainerDetail[];
  volumes: VolumeView[];
  /** Events about this pod, newest last. */
  events: EventRow[];
}

/** One revision of a Deployment: a ReplicaSet it owns, with that ReplicaSet's pod template. */
export interface DeploymentRevision {
  revision: number;
  replicaSet: string;
  createdAt: string | null;
  /** kubernetes.io/change-cause, when set. */
  changeCause: string | null;
  images: string[];
  replicas: number;
  readyReplicas: number;
  /** The revision the Deployment runs now. */
  current: boolean;
  /** The pod template (pod-template-hash label removed), and the same as YAML for diffs. */
  template: KubeObject;
  templateYaml: string;
}

export interface DeploymentHistory {
  name: string;
  namespace: string;
  revisions: DeploymentRevision[];
}

/** A revealed Secret value: text when it is valid UTF-8, else base64. */
export interface RevealedSecret {
  key: string;
  value: string;
  encoding: 'utf8' | 'base64';
}
