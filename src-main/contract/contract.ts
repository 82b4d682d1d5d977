import type { ContextInfo, ContextList, ContextStatus, EngineStatus } from './cluster';
import type {
  ApplyInput,
  ContextInput,
  ExecInput,
  ExecResizeInput,
  ExecWriteInput,
  LogsInput,
  NamespacedName,
  ObjectRef,
  OpenExternalInput,
  PauseInput,
  PodMetricsInput,
  PortForwardInput,
  ReplaceInput,
  ResourcesInput,
  RevealInput,
  RollbackInput,
  ScaleInput,
} from './inputs';
import {
  applyInput,
  contextInput,
  execInput,
  execResizeInput,
  execWriteInput,
  logsInput,
  namespacedName,
  objectRef,
  openExternalInput,
  pauseInput,
  podMetricsInput,
  portForwardInput,
  replaceInput,
  resourcesInput,
  revealInput,
  rollbackInput,
  scaleInput,
} from './inputs';
import type { ApplyResult, DeploymentHistory, ObjectWithYaml, PodDetail, RevealedSecret } from './objects';
import type { HpaDetail, PodMetricsEvent, PortForwardEvent, ServiceDetail } from './observability';
import type { ExecEvent, LogEvent, ResourceEvent } from './streams';
import type { Validator } from './validate';
import { noInput } from './validate';

/** One call of the contract: the validator its input must pass, and its output type (type level only). */
export interface CallSpec<I, O> {
  readonly input: Validator<I>;
  /** Never set at runtime: it only carries the output type for `CallOutput`. */
  readonly output?: O;
}

function defineCall<I, O>(input: Validator<I>): CallSpec<I, O> {
  return { input };
}

/** What `app.version` returns. */
export interface AppVersion {
  version: string;
}

/** What the backend runs as: the desktop app (IPC) or web mode (WebSocket). */
export interface AppInfo {
  version: string;
  transport: 'ipc' | 'websocket';
  platform: string;
}

/** Outcome of deployments.scale / restart / pause / rollback: the generation the controller will act on. */
export interface DeploymentChange {
  name: string;
  namespace: string;
  generation: number;
}

export interface RollbackResult extends DeploymentChange {
  /** The revision whose template was copied back. */
  toRevision: number;
}

export interface DeleteResult {
  /** 'deleting' when finalizers or graceful termination keep the object around for a while. */
  status: 'deleted' | 'deleting';
}

const callSpecs = {
  'app.version': defineCall<undefined, AppVersion>(noInput),
  'app.info': defineCall<undefined, AppInfo>(noInput),
  /**
   * Opens a port-forward URL (http://127.0.0.1:<port>/ only) in the user's browser: the desktop app's
   * shell.openExternal. Web mode answers `forbidden`: the page opens a tab itself.
   */
  'app.openExternal': defineCall<OpenExternalInput, null>(openExternalInput),

  'engine.status': defineCall<undefined, EngineStatus>(noInput),
  /** Restarts a managed engine (no-op for attached or disabled ones: the status says why). */
  'engine.restart': defineCall<undefined, EngineStatus>(noInput),

  /** Every kubeconfig context, the local engine's first, each with its last known status. */
  'contexts.list': defineCall<undefined, ContextList>(noInput),
  /** Re-reads the kubeconfig files (contexts added or removed outside the app). */
  'contexts.reload': defineCall<undefined, ContextList>(noInput),
  /** Checks the context now (GET /version) and restarts its failed watches; resolves with the new status. */
  'contexts.retry': defineCall<ContextInput, ContextStatus>(contextInput),
  /** One context with its current status (connects if it never did). */
  'contexts.get': defineCall<ContextInput, ContextInfo>(contextInput),

  /** Namespace names of a context, sorted. */
  'namespaces.list': defineCall<ContextInput, string[]>(contextInput),

  /** One full object and its YAML. */
  'resources.get': defineCall<ObjectRef, ObjectWithYaml>(objectRef),
  /** Edit in place: replaces the object with the given YAML (PUT; a stale resourceVersion is a conflict). */
  'resources.replace': defineCall<ReplaceInput, ObjectWithYaml>(replaceInput),
  'resources.delete': defineCall<ObjectRef, DeleteResult>(objectRef),
  /** Applies every document of a YAML stream (create or server-side apply), each with its own outcome. */
  'resources.apply': defineCall<ApplyInput, ApplyResult>(applyInput),

  'pods.detail': defineCall<NamespacedName, PodDetail>(namespacedName),

  /** One decoded value of a Secret. */
  'secrets.reveal': defineCall<RevealInput, RevealedSecret>(revealInput),

  /** Sets replicas through the scale subresource. */
  'deployments.scale': defineCall<ScaleInput, DeploymentChange>(scaleInput),
  /** Rolling restart, as `kubectl rollout restart` (a restartedAt annotation on the pod template). */
  'deployments.restart': defineCall<NamespacedName, DeploymentChange>(namespacedName),
  'deployments.setPaused': defineCall<PauseInput, DeploymentChange>(pauseInput),
  /** Revisions (owned ReplicaSets) with their pod templates, newest first. */
  'deployments.history': defineCall<NamespacedName, DeploymentHistory>(namespacedName),
  /** As `kubectl rollout undo --to-revision`: copies that ReplicaSet's template into the Deployment. */
  'deployments.rollback': defineCall<RollbackInput, RollbackResult>(rollbackInput),

  /** An HPA: targets against current values per metric, replicas, conditions and recent scaling decisions. */
  'hpa.detail': defineCall<NamespacedName, HpaDetail>(namespacedName),
  /** A Service: ports, endpoints, and requests per second per endpoint when the cluster reports them. */
  'services.detail': defineCall<NamespacedName, ServiceDetail>(namespacedName),

  /** Sends input to an exec session opened by `onExec`. */
  'exec.write': defineCall<ExecWriteInput, null>(execWriteInput),
  'exec.resize': defineCall<ExecResizeInput, null>(execResizeInput),
} as const;

export type CallName = keyof typeof callSpecs;
export type CallInput<C extends CallName> = (typeof callSpecs)[C] extends CallSpec<infer I, unknown> ? I : never;
export type CallOutput<C extends CallName> = Exclude<(typeof callSpecs)[C]['output'], undefined>;

/**
 * Every call the backend answers, keyed `domain.method`. Typed as a mapped type so that
 * `calls[c]` with a generic `c` keeps its input and output tied to that call.
 */
export const calls: { readonly [C in CallName]: CallSpec<CallInput<C>, CallOutput<C>> } = callSpecs;

export function isCallName(value: unknown): value is CallName {
  return typeof value === 'string' && Object.hasOwn(calls, value);
}

/** One subscription: the validator of its input, and the type of the events it pushes (type level only). */
export interface SubscriptionSpec<I, E> {
  readonly input: Validator<I>;
  readonly event?: E;
}

function defineSubscription<I, E>(input: Validator<I>): SubscriptionSpec<I, E> {
  return { input };
}

const subscriptionSpecs = {
  /** The engine's status now, then on every change. */
  onEngineStatus: defineSubscription<undefined, EngineStatus>(noInput),
  /** The context list now, then whenever a status changes or the kubeconfig is reloaded. */
  onContexts: defineSubscription<undefined, ContextList>(noInput),
  /** A snapshot of one kind (in one namespace or all), then batched changes; errors are retried by the backend. */
  onResources: defineSubscription<ResourcesInput, ResourceEvent>(resourcesInput),
  /** Log lines, batched; merged across containers or the pods of a Deployment. */
  onLogs: defineSubscription<LogsInput, LogEvent>(logsInput),
  /** A terminal session: `started` gives the id for exec.write/resize; disposing it closes the session. */
  onExec: defineSubscription<ExecInput, ExecEvent>(execInput),
  /** CPU and memory of pods (metrics.k8s.io), sampled every ~10 s into a ring of a few minutes. */
  onPodMetrics: defineSubscription<PodMetricsInput, PodMetricsEvent>(podMetricsInput),
  /** A port-forward from 127.0.0.1 to a ready pod behind a Service port; disposing it stops the forward. */
  onPortForward: defineSubscription<PortForwardInput, PortForwardEvent>(portForwardInput),
} as const;

export type SubscriptionName = keyof typeof subscriptionSpecs;
export type SubscriptionInput<S extends SubscriptionName> =
  (typeof subscriptionSpecs)[S] extends SubscriptionSpec<infer I, unknown> ? I : never;
export type SubscriptionEvent<S extends SubscriptionName> = Exclude<(typeof subscriptionSpecs)[S]['event'], undefined>;

/** Every subscription the backend offers, keyed `onX`. */
export const subscriptions: {
  readonly [S in SubscriptionName]: SubscriptionSpec<SubscriptionInput<S>, SubscriptionEvent<S>>;
} = subscriptionSpecs;

export function isSubscriptionName(value: unknown): value is SubscriptionName {
  return typeof value === 'string' && Object.hasOwn(subscriptions, value);
}
