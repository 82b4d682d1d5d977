import type { ResourceKind } from './kinds';

/** Fields every table row has. Rows are slim projections of Kubernetes objects, built for tables. */
export interface RowBase {
  uid: string;
  name: string;
  /** Absent for cluster-scoped kinds (namespaces, nodes). */
  namespace?: string;
  /** metadata.creationTimestamp (RFC 3339), for the age column. */
  createdAt: string | null;
  labels: Record<string, string>;
  resourceVersion: string;
  /** metadata.deletionTimestamp is set: the object is going away. */
  deleting: boolean;
}

/** The controller that owns an object (ownerReferences with controller: true). */
export interface OwnerRef {
  kind: string;
  name: string;
}

export interface PodRow extends RowBase {
  phase: string;
  /** What kubectl shows in STATUS: CrashLoopBackOff, Completed, Terminating, Init:0/1, ... */
  status: string;
  readyContainers: number;
  totalContainers: number;
  restarts: number;
  podIP: string | null;
  nodeName: string | null;
  owner: OwnerRef | null;
  containers: string[];
  initContainers: string[];
}

export interface DeploymentRow extends RowBase {
  replicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  paused: boolean;
  strategy: string;
  images: string[];
  selector: Record<string, string>;
  /** deployment.kubernetes.io/revision, 0 when unset. */
  revision: number;
  /** The Progressing condition's reason/message, when there is one. */
  progress: { reason: string; message: string } | null;
  /** metadata.generation has been observed by the controller. */
  observed: boolean;
}

export interface ReplicaSetRow extends RowBase {
  desired: number;
  current: number;
  ready: number;
  owner: OwnerRef | null;
  revision: number;
  images: string[];
}

export interface ServicePort {
  name: string | null;
  port: number;
  targetPort: string | null;
  protocol: string;
  nodePort: number | null;
}

export interface ServiceRow extends RowBase {
  type: string;
  clusterIP: string | null;
  externalIPs: string[];
  ports: ServicePort[];
  selector: Record<string, string>;
}

export interface EndpointAddress {
  ip: string;
  ready: boolean;
  podName: string | null;
  nodeName: string | null;
}

export interface EndpointsRow extends RowBase {
  addresses: EndpointAddress[];
  ports: { name: string | null; port: number; protocol: string }[];
}

export interface ConfigMapRow extends RowBase {
  keys: string[];
}

/** Never carries values: reveal them one key at a time with `secrets.reveal`. */
export interface SecretRow extends RowBase {
  type: string;
  keys: string[];
}

export interface EventRow extends RowBase {
  type: string;
  reason: string;
  message: string;
  involved: { kind: string; name: string; namespace: string | null; uid: string | null };
  count: number;
  /** lastTimestamp, eventTime or creationTimestamp, whichever is set first. */
  lastSeen: string | null;
  source: string | null;
}

export interface HpaRow extends RowBase {
  target: { kind: string; name: string };
  minReplicas: number;
  maxReplicas: number;
  currentReplicas: number;
  desiredReplicas: number;
  /** One line per metric: "cpu 40%/50%", "requests 12/10". */
  metrics: string[];
}

export interface NamespaceRow extends RowBase {
  phase: string;
}

export interface NodeRow extends RowBase {
  ready: boolean;
  roles: string[];
  kubeletVersion: string;
  internalIP: string | null;
  cpu: string | null;
  memory: string | null;
  os: string | null;
}

export interface PvcRow extends RowBase {
  phase: string;
  storageClass: string | null;
  capacity: string | null;
  requested: string | null;
  accessModes: string[];
  volumeName: string | null;
}

/** The row type of each kind. */
export interface RowByKind {
  pods: PodRow;
  deployments: DeploymentRow;
  replicasets: ReplicaSetRow;
  services: ServiceRow;
  endpoints: EndpointsRow;
  configmaps: ConfigMapRow;
  secrets: SecretRow;
  events: EventRow;
  hpa: HpaRow;
  namespaces: NamespaceRow;
  nodes: NodeRow;
  pvcs: PvcRow;
}

export type RowOf<K extends ResourceKind> = RowByKind[K];
export type AnyRow = RowByKind[ResourceKind];

/** Identifies a deleted row. */
export interface RowKey {
  uid: string;
  name: string;
  namespace?: string;
}
