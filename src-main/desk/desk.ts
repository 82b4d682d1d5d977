import type { ClusterErrorCode, ContextList, ContextStatus, ContextInfo } from '../contract/cluster';
import type { DeleteResult, DeploymentChange, RollbackResult } from '../contract/contract';
import type {
  ApplyInput,
  ExecInput,
  ExecResizeInput,
  ExecWriteInput,
  LogsInput,
  NamespacedName,
  ObjectRef,
  PauseInput,
  PodMetricsInput,
  PortForwardInput,
  ReplaceInput,
  ResourcesInput,
  RevealInput,
  RollbackInput,
  ScaleInput,
} from '../contract/inputs';
import type { ResourceKind } from '../contract/kinds';
import type { ApplyResult, DeploymentHistory, ObjectWithYaml, PodDetail, RevealedSecret } from '../contract/objects';
import type { HpaDetail, PodMetricsEvent, PortForwardEvent, ServiceDetail } from '../contract/observability';
import type { ExecEvent, LogEvent, ResourceEvent, ResourceEventOf } from '../contract/streams';
import { ClusterCallError, DeskError, toClusterError } from './cluster-error';
import type { ContextClient } from './context-registry';
import { ContextRegistry } from './context-registry';
import { deploymentHistory, restartDeployment, rollbackDeployment, scaleDeployment, setDeploymentPaused } from './deployment-actions';
import { ExecSession } from './exec-session';
import { collectionPath } from './kind-catalog';
import { kubeRequest } from './kube-http';
import { list, record, text } from './json-fields';
import { hpaDetail } from './hpa-detail';
import { LogSession } from './log-session';
import type { SamplerOptions } from './metrics/pod-metrics-sampler';
import { PodMetricsSampler } from './metrics/pod-metrics-sampler';
import { PortForwardSession } from './port-forward-session';
import { serviceDetail } from './service-detail';
import { applyYaml, deleteObject, getObject, replaceObject } from './object-actions';
import { podDetail, revealSecret } from './pod-detail';
import { ResourceFeeds } from './resource-feeds';

export interface DeskOptions {
  /** The kubeconfig files to read, in precedence order (read again on reload). */
  kubeconfigPaths: () => string[];
  /** The local engine's context, listed first. */
  localContext?: () => string | null;
  batchMs?: number;
  retryMinMs?: number;
  retryMaxMs?: number;
  /** How long an informer outlives its last subscriber (default 60 s). */
  feedLingerMs?: number;
  /** Pod metrics sampling (interval 5 s, a ring of 60 points). */
  podMetrics?: SamplerOptions;
}

/** Open port-forwards are bounded: each holds a listening port and API connections. */
const MAX_PORT_FORWARDS = 32;

/** Open terminals are bounded: each holds a WebSocket to a cluster. */
const MAX_EXEC_SESSIONS = 64;

/** Failures of a call that are about the context itself (not the object): they become the context's status. */
const CONTEXT_PROBLEMS = new Set<ClusterErrorCode>(['unreachable', 'unauthorized', 'expired', 'tls', 'timeout', 'config']);

/**
 * The console's backend: every connection to every cluster lives here (the renderer never holds
 * credentials). It speaks only the Kubernetes API through client-node, so the local engine and EKS
 * look the same to it.
 */
export class Desk {
  readonly contexts: ContextRegistry;
  private readonly feeds: ResourceFeeds;
  private readonly logSessions = new Set<LogSession>();
  private readonly execSessions = new Map<string, ExecSession>();
  private readonly samplers = new Map<string, PodMetricsSampler>();
  private readonly forwards = new Set<PortForwardSession>();
  private readonly podMetricsOptions: SamplerOptions | undefined;

  constructor(options: DeskOptions) {
    this.contexts = new ContextRegistry({ paths: options.kubeconfigPaths, localContext: options.localContext });
    this.feeds = new ResourceFeeds(this.contexts, {
      batchMs: options.batchMs,
      retryMinMs: options.retryMinMs,
      retryMaxMs: options.retryMaxMs,
      lingerMs: options.feedLingerMs,
    });
    this.podMetricsOptions = options.podMetrics;
  }

  /** Runs `action` against a context; a failure becomes a classified error and updates the context's status. */
  private async withContext<T>(context: string, action: (client: ContextClient) => Promise<T>): Promise<T> {
    let client: ContextClient;
    try {
      client = this.contexts.client(context);
    } catch (error) {
      throw new ClusterCallError(toClusterError(error, null));
    }
    try {
      const result = await action(client);
      this.contexts.report(context, { connected: true });
      return result;
    } catch (error) {
      const clusterError = toClusterError(error, client.server);
      if (CONTEXT_PROBLEMS.has(clusterError.code)) {
        this.contexts.report(context, { error: clusterError });
      }
      throw new ClusterCallError(clusterError);
    }
  }

  listContexts(): ContextList {
    return this.contexts.list();
  }

  reloadContexts(): ContextList {
    return this.contexts.reload();
  }

  /** The context's info, or a classified 'config' error for a name no kubeconfig defines. */
  private known(context: string): ContextInfo {
    try {
      return this.contexts.info(context);
    } catch (error) {
      throw new ClusterCallError(toClusterError(error, null));
    }
  }

  async contextInfo(context: string): Promise<ContextInfo> {
    this.known(context);
    if (this.contexts.status(context).state === 'unknown') await this.contexts.check(context);
    return this.contexts.info(context);
  }

  /** Re-reads the kubeconfig (the user may have renewed credentials), checks the context, and retries its watches. */
  async retryContext(context: string): Promise<ContextStatus> {
    this.contexts.reload();
    this.known(context);
    const status = await this.contexts.check(context);
    this.feeds.retry(context);
    return status;
  }

  /** The list now and on every change; the local and current contexts are checked right away if never checked. */
  watchContexts(emit: (list: ContextList) => void): () => void {
    const list = this.contexts.list();
    emit(list);
    const stop = this.contexts.onChange(emit);
    for (const context of list.contexts) {
      if ((context.isLocal || context.name === list.current) && context.status.state === 'unknown') void this.contexts.check(context.name);
    }
    return stop;
  }

  namespaces(context: string): Promise<string[]> {
    return this.withContext(context, async (client) => {
      const listed = record(await kubeRequest(client.config, { method: 'GET', path: collectionPath('namespaces') }));
      return list(listed.items)
        .map((n) => text(record(record(n).metadata).name))
        .filter((n): n is string => n !== null)
        .sort();
    });
  }

  getObject(ref: ObjectRef): Promise<ObjectWithYaml> {
    return this.withContext(ref.context, (client) => getObject(client, ref.kind, ref.namespace, ref.name));
  }

  replaceObject(input: ReplaceInput): Promise<ObjectWithYaml> {
    return this.withContext(input.context, (client) => replaceObject(client, input, input.yaml));
  }

  deleteObject(ref: ObjectRef): Promise<DeleteResult> {
    return this.withContext(ref.context, (client) => deleteObject(client, ref.kind, ref.namespace, ref.name));
  }

  apply(input: ApplyInput): Promise<ApplyResult> {
    return this.withContext(input.context, (client) => applyYaml(client, input.yaml, input.namespace ?? client.namespace));
  }

  podDetail(input: NamespacedName): Promise<PodDetail> {
    return this.withContext(input.context, (client) => podDetail(client, input.namespace, input.name));
  }

  revealSecret(input: RevealInput): Promise<RevealedSecret> {
    return this.withContext(input.context, (client) => revealSecret(client, input.namespace, input.name, input.key));
  }

  scale(input: ScaleInput): Promise<DeploymentChange> {
    return this.withContext(input.context, (client) => scaleDeployment(client, input.namespace, input.name, input.replicas));
  }

  restart(input: NamespacedName): Promise<DeploymentChange> {
    return this.withContext(input.context, (client) => restartDeployment(client, input.namespace, input.name));
  }

  setPaused(input: PauseInput): Promise<DeploymentChange> {
    return this.withContext(input.context, (client) => setDeploymentPaused(client, input.namespace, input.name, input.paused));
  }

  history(input: NamespacedName): Promise<DeploymentHistory> {
    return this.withContext(input.context, (client) => deploymentHistory(client, input.namespace, input.name));
  }

  rollback(input: RollbackInput): Promise<RollbackResult> {
    return this.withContext(input.context, (client) => rollbackDeployment(client, input.namespace, input.name, input.revision));
  }

  hpaDetail(input: NamespacedName): Promise<HpaDetail> {
    return this.withContext(input.context, (client) => hpaDetail(client, input.namespace, input.name));
  }

  serviceDetail(input: NamespacedName): Promise<ServiceDetail> {
    return this.withContext(input.context, (client) => serviceDetail(client, input.namespace, input.name));
  }

  /** PodMetrics of a namespace (or all), one sampler per (context, namespace) shared by every subscriber. */
  watchPodMetrics(input: PodMetricsInput, emit: (event: PodMetricsEvent) => void): () => void {
    const key = JSON.stringify([input.context, input.namespace ?? null]);
    let sampler = this.samplers.get(key);
    if (sampler === undefined) {
      let client: ContextClient;
      try {
        client = this.contexts.client(input.context);
      } catch (error) {
        emit({ type: 'error', error: toClusterError(error, null) });
        return () => {};
      }
      sampler = new PodMetricsSampler(client, input.namespace, this.podMetricsOptions);
      this.samplers.set(key, sampler);
    }
    const active = sampler;
    const unsubscribe = active.subscribe(emit);
    return () => {
      unsubscribe();
      if (active.subscriberCount === 0 && this.samplers.get(key) === active) {
        this.samplers.delete(key);
        active.stop();
      }
    };
  }

  /** A port-forward to a ready pod behind a Service port, on 127.0.0.1; disposing stops it. */
  openPortForward(input: PortForwardInput, emit: (event: PortForwardEvent) => void): () => void {
    let client: ContextClient;
    try {
      client = this.contexts.client(input.context);
      if (this.forwards.size >= MAX_PORT_FORWARDS) throw new DeskError('forbidden', `too many port-forwards (at most ${MAX_PORT_FORWARDS})`);
    } catch (error) {
      emit({ type: 'error', error: toClusterError(error, null) });
      return () => {};
    }
    const session = new PortForwardSession(client, input, emit);
    this.forwards.add(session);
    void session.start();
    return () => {
      if (this.forwards.delete(session)) session.stop();
    };
  }

  /** A snapshot then batched changes; a context that cannot be used gets an error event (and no feed). */
  watchResources(input: ResourcesInput, emit: (event: ResourceEvent) => void): () => void {
    try {
      return this.feeds.subscribe({ ...input, kind: input.kind }, emit as (event: ResourceEventOf<ResourceKind>) => void);
    } catch (error) {
      emit({ type: 'error', kind: input.kind, error: toClusterError(error, null), retryInMs: null } as ResourceEvent);
      return () => {};
    }
  }

  streamLogs(input: LogsInput, emit: (event: LogEvent) => void): () => void {
    let client: ContextClient;
    try {
      client = this.contexts.client(input.context);
    } catch (error) {
      emit({ type: 'error', error: toClusterError(error, null) });
      emit({ type: 'end' });
      return () => {};
    }
    const session = new LogSession(client, input, emit);
    this.logSessions.add(session);
    void session.start();
    return () => {
      if (this.logSessions.delete(session)) void session.stop();
    };
  }

  openExec(input: ExecInput, emit: (event: ExecEvent) => void): () => void {
    let client: ContextClient;
    try {
      client = this.contexts.client(input.context);
      if (this.execSessions.size >= MAX_EXEC_SESSIONS) throw new DeskError('forbidden', `too many open terminals (at most ${MAX_EXEC_SESSIONS})`);
    } catch (error) {
      emit({ type: 'error', error: toClusterError(error, null) });
      return () => {};
    }
    const session: ExecSession = new ExecSession(client, input, emit, () => this.execSessions.delete(session.id));
    this.execSessions.set(session.id, session);
    void session.start();
    return () => session.close();
  }

  private session(id: string): ExecSession {
    const session = this.execSessions.get(id);
    if (session === undefined) throw new ClusterCallError(toClusterError(new DeskError('not-found', `no open terminal session ${id}`), null));
    return session;
  }

  execWrite(input: ExecWriteInput): null {
    this.session(input.sessionId).write(input.data);
    return null;
  }

  execResize(input: ExecResizeInput): null {
    this.session(input.sessionId).resize(input.cols, input.rows);
    return null;
  }

  /** Counts of what is open, for leak checks in tests. */
  openHandles(): { feeds: number; logs: number; execs: number; samplers: number; forwards: number } {
    return { feeds: this.feeds.size, logs: this.logSessions.size, execs: this.execSessions.size, samplers: this.samplers.size, forwards: this.forwards.size };
  }

  async stop(): Promise<void> {
    for (const session of this.execSessions.values()) session.close();
    this.execSessions.clear();
    for (const sampler of this.samplers.values()) sampler.stop();
    this.samplers.clear();
    for (const forward of this.forwards) forward.stop('the console is stopping');
    this.forwards.clear();
    const logs = [...this.logSessions];
    this.logSessions.clear();
    await Promise.all([...logs.map((s) => s.stop()), this.feeds.stop()]);
  }
}
