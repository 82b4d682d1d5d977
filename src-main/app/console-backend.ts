import { resolve } from 'node:path';
import type { AppInfo } from '../contract/contract';
import { Desk } from '../desk/desk';
import { kubeconfigPaths } from '../desk/kubeconfig-loader';
import { readRuntime } from '../engine/runtime-file';
import type { CallDispatcher } from './call-dispatcher';
import { createCallDispatcher } from './call-dispatcher';
import type { EngineStatusSource, ExternalOpener } from './contract-handlers';
import { createCallHandlers, createSubscriptionHandlers, disabledEngine } from './contract-handlers';
import { EngineSupervisor } from './engine-supervisor';
import type { ShellService } from './service-lifecycle';
import type { SubscriptionHandlers } from './subscription-host';

export interface ConsoleBackendOptions {
  info: AppInfo;
  stateDir: string;
  /** How to run `skiff engine start`; null runs without a local engine (--no-engine). */
  engineCommand: { command: string; args: string[]; env?: NodeJS.ProcessEnv } | null;
  onEngineOutput?: (line: string) => void;
  onHandlerError?: (name: string, error: unknown) => void;
  /** The desktop app's shell.openExternal (for validated port-forward URLs); web mode has none. */
  openExternal?: ExternalOpener;
}

/** Everything behind the contract, ready to bind to a transport (IPC or WebSocket). */
export interface ConsoleBackend {
  desk: Desk;
  engine: EngineStatusSource;
  supervisor: EngineSupervisor | null;
  dispatch: CallDispatcher;
  subscriptions: SubscriptionHandlers;
  /** Start order: engine, then desk; stopped in reverse. The engine never blocks the window. */
  services: ShellService[];
}

/**
 * Composes the desk, the engine supervisor and the contract handlers, the same way for the desktop app and
 * for web mode: the local engine's kubeconfig is read besides $KUBECONFIG, and re-read whenever it comes up.
 */
export function createConsoleBackend(options: ConsoleBackendOptions): ConsoleBackend {
  const stateDir = resolve(options.stateDir);
  const supervisor =
    options.engineCommand === null
      ? null
      : new EngineSupervisor({
          stateDir,
          command: options.engineCommand.command,
          args: [...options.engineCommand.args, 'engine', 'start', '--state-dir', stateDir],
          env: options.engineCommand.env,
          onOutput: options.onEngineOutput,
        });
  const engine: EngineStatusSource = supervisor ?? disabledEngine();
  const paths = (): string[] => {
    const files = kubeconfigPaths();
    const engineFile = supervisor === null ? undefined : readRuntime(stateDir)?.kubeconfig;
    if (engineFile !== undefined && !files.includes(resolve(engineFile))) files.push(resolve(engineFile));
    return files;
  };
  const desk = new Desk({
    kubeconfigPaths: paths,
    localContext: () => (supervisor === null ? null : (supervisor.status().context ?? 'skiff')),
  });
  // Each (re)start may move the engine to another port: re-read its kubeconfig entry once it is up.
  engine.onChange((status) => {
    if (status.state === 'running') desk.reloadContexts();
  });
  const services: ShellService[] = [];
  if (supervisor !== null) {
    services.push({
      name: 'engine',
      // A failed first start is not the app's failure: the status carries the reason and the supervisor
      // keeps retrying, and counting the service as started means quitting still stops its child.
      start: async () => {
        await supervisor.start().catch((error: unknown) => {
          options.onEngineOutput?.(`did not start: ${error instanceof Error ? error.message : String(error)}`);
        });
      },
      stop: () => supervisor.stop(),
    });
  }
  services.push({ name: 'desk', start: () => Promise.resolve(), stop: () => desk.stop() });
  return {
    desk,
    engine,
    supervisor,
    dispatch: createCallDispatcher(createCallHandlers(desk, engine, options.info, options.openExternal), options.onHandlerError),
    subscriptions: createSubscriptionHandlers(desk, engine),
    services,
  };
}
