import type { JSX } from 'react';
import { useEffect, useState } from 'react';
import { call } from './api';
import type { AppVersionState } from './app-version';
import { loadAppVersion } from './app-version';
import { getBridge, getWebBridge } from './bridge';
import { CommandPalette } from './components/command-palette';
import { ContextError } from './components/context-error';
import { EngineBanner } from './components/engine-banner';
import { Sidebar } from './components/sidebar';
import { ConsoleStateProvider, useConsole } from './console-state';
import { useContexts, useEngineStatus } from './hooks/use-contexts';
import { useTheme } from './theme';
import { ApplyView } from './views/apply-view';
import { LogsView } from './views/logs-view';
import { OverviewView } from './views/overview-view';
import { ResourceView } from './views/resource-view';
import { ShellView } from './views/shell-view';
import type { TransportState } from './ws-bridge';

function versionLabel(state: AppVersionState): string {
  switch (state.status) {
    case 'loading':
      return '…';
    case 'ready':
      return `v${state.version}`;
    case 'unavailable':
      return 'version unavailable';
  }
}

function useVersion(): AppVersionState {
  const [version, setVersion] = useState<AppVersionState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    void loadAppVersion(getBridge()).then((state) => {
      if (current) setVersion(state);
    });
    return () => {
      current = false;
    };
  }, []);
  return version;
}

function useTransportState(): TransportState {
  const [state, setState] = useState<TransportState>('open');
  useEffect(() => getWebBridge()?.onTransportState(setState), []);
  return state;
}

function MainArea(): JSX.Element {
  const { route } = useConsole();
  switch (route.view) {
    case 'overview':
      return <OverviewView />;
    case 'kind':
      return <ResourceView key={route.kind} kind={route.kind} />;
    case 'logs':
      return <LogsView namespace={route.namespace} target={route.target} />;
    case 'shell':
      return <ShellView namespace={route.namespace} pod={route.pod} container={route.container} />;
    case 'apply':
      return <ApplyView />;
  }
}

function Shell(): JSX.Element {
  useTheme();
  const version = useVersion();
  const transport = useTransportState();
  const { list, error: contextsError } = useContexts();
  const engine = useEngineStatus();
  const { context, setContext, contextChosen } = useConsole();

  // Until the user picks one, follow the best default as the list changes: the local engine (which may come
  // up a moment after the window), else the kubeconfig's current context, else the first.
  useEffect(() => {
    if (list === null || list.contexts.length === 0) return;
    if (context !== null && contextChosen) return;
    const best = list.contexts.find((c) => c.isLocal) ?? list.contexts.find((c) => c.name === list.current) ?? list.contexts[0];
    if (best.name !== context) setContext(best.name);
  }, [list, context, setContext, contextChosen]);

  useEffect(() => {
    if (context === null) return;
    // Connect on selection, so an unreachable cluster reports itself at once.
    void call('contexts.get', { context }).catch(() => undefined);
  }, [context]);

  const info = list?.contexts.find((c) => c.name === context) ?? null;

  return (
    <div className="flex h-screen bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      <Sidebar
        contexts={list}
        engine={engine}
        version={
          <span data-testid="app-version" title={version.status === 'unavailable' ? version.reason : undefined}>
            {versionLabel(version)}
          </span>
        }
      />
      <main className="flex min-w-0 flex-1 flex-col">
        <EngineBanner engine={engine} />
        {transport !== 'open' && (
          <div role="status" className="bg-amber-100 px-4 py-1 text-sm text-amber-900 dark:bg-amber-900/40 dark:text-amber-100" data-testid="transport-state">
            {transport === 'connecting' ? 'Reconnecting to Skiff…' : 'Disconnected from Skiff.'}
          </div>
        )}
        {getBridge() === undefined ? (
          <div className="p-10 text-sm text-slate-500">The Skiff backend is not available in this page.</div>
        ) : contextsError !== null ? (
          <div className="p-10 text-sm text-rose-600">{contextsError}</div>
        ) : list !== null && list.contexts.length === 0 ? (
          <div className="p-10 text-sm text-slate-500" data-testid="no-contexts">
            No kubeconfig contexts yet{engine !== null && engine.state !== 'disabled' ? ` (local engine: ${engine.state})` : ''}. Sources: {list.sources.join(', ') || 'none'}
            {list.problems.map((p) => (
              <div key={p} className="text-rose-600">
                {p}
              </div>
            ))}
          </div>
        ) : info !== null && info.status.state === 'error' ? (
          <ContextError info={info} />
        ) : (
          <MainArea />
        )}
      </main>
      <CommandPalette contexts={list} />
    </div>
  );
}

export function App(): JSX.Element {
  return (
    <ConsoleStateProvider>
      <Shell />
    </ConsoleStateProvider>
  );
}
