import type { EngineStatus } from '../contract/cluster';
import type { AppInfo } from '../contract/contract';
import { ClusterCallError, DeskError, toClusterError } from '../desk/cluster-error';
import type { Desk } from '../desk/desk';
import type { CallHandlers } from './call-dispatcher';
import type { SubscriptionHandlers } from './subscription-host';

/** What the shell (Electron or web mode) knows about the local engine it supervises. */
export interface EngineStatusSource {
  status(): EngineStatus;
  onChange(listener: (status: EngineStatus) => void): () => void;
  restart(): Promise<EngineStatus>;
}

/** An engine source for `--no-engine` and for hosts without one. */
export function disabledEngine(): EngineStatusSource {
  const status: EngineStatus = {
    mode: 'disabled',
    state: 'disabled',
    url: null,
    context: null,
    stateDir: null,
    pid: null,
    restarts: 0,
    message: 'the local engine is disabled',
    crash: null,
  };
  return { status: () => status, onChange: () => () => {}, restart: () => Promise.resolve(status) };
}

/**
 * Opens a URL the contract already validated (http://127.0.0.1:<port>/) outside the app: Electron's
 * shell.openExternal. Web mode has none: its page opens a tab.
 */
export type ExternalOpener = (url: string) => Promise<void>;

/** Binds every call of the contract to the desk and the engine supervisor (shared by IPC and WebSocket). */
export function createCallHandlers(desk: Desk, engine: EngineStatusSource, info: AppInfo, openExternal?: ExternalOpener): CallHandlers {
  return {
    'app.version': () => ({ version: info.version }),
    'app.info': () => info,
    'app.openExternal': async ({ url }) => {
      if (openExternal === undefined) throw new ClusterCallError(toClusterError(new DeskError('forbidden', 'this console opens URLs in the page (web mode): no external browser here'), null));
      await openExternal(url);
      return null;
    },
    'engine.status': () => engine.status(),
    'engine.restart': () => engine.restart(),
    'contexts.list': () => desk.listContexts(),
    'contexts.reload': () => desk.reloadContexts(),
    'contexts.retry': ({ context }) => desk.retryContext(context),
    'contexts.get': ({ context }) => desk.contextInfo(context),
    'namespaces.list': ({ context }) => desk.namespaces(context),
    'resources.get': (input) => desk.getObject(input),
    'resources.replace': (input) => desk.replaceObject(input),
    'resources.delete': (input) => desk.deleteObject(input),
    'resources.apply': (input) => desk.apply(input),
    'pods.detail': (input) => desk.podDetail(input),
    'secrets.reveal': (input) => desk.revealSecret(input),
    'deployments.scale': (input) => desk.scale(input),
    'deployments.restart': (input) => desk.restart(input),
    'deployments.setPaused': (input) => desk.setPaused(input),
    'deployments.history': (input) => desk.history(input),
    'deployments.rollback': (input) => desk.rollback(input),
    'hpa.detail': (input) => desk.hpaDetail(input),
    'services.detail': (input) => desk.serviceDetail(input),
    'exec.write': (input) => desk.execWrite(input),
    'exec.resize': (input) => desk.execResize(input),
  };
}

export function createSubscriptionHandlers(desk: Desk, engine: EngineStatusSource): SubscriptionHandlers {
  return {
    onEngineStatus: (_input, emit) => {
      emit(engine.status());
      return engine.onChange(emit);
    },
    onContexts: (_input, emit) => desk.watchContexts(emit),
    onResources: (input, emit) => desk.watchResources(input, emit),
    onLogs: (input, emit) => desk.streamLogs(input, emit),
    onExec: (input, emit) => desk.openExec(input, emit),
    onPodMetrics: (input, emit) => desk.watchPodMetrics(input, emit),
    onPortForward: (input, emit) => desk.openPortForward(input, emit),
  };
}
