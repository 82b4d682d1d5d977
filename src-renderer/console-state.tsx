import type { JSX, ReactNode } from 'react';
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import type { ResourceKind } from '../src-main/contract/kinds';
import type { LogTarget } from '../src-main/contract/inputs';

/** What the main area shows. */
export type Route =
  | { view: 'overview' }
  | { view: 'kind'; kind: ResourceKind; selected?: { name: string; namespace?: string } }
  | { view: 'logs'; namespace: string; target: LogTarget }
  | { view: 'shell'; namespace: string; pod: string; container?: string }
  | { view: 'apply' };

export interface ConsoleState {
  context: string | null;
  /** null: all namespaces. */
  namespace: string | null;
  route: Route;
  /** `byUser` marks a deliberate choice: the app stops picking a default context after one. */
  setContext(context: string, byUser?: boolean): void;
  contextChosen: boolean;
  setNamespace(namespace: string | null): void;
  navigate(route: Route): void;
  paletteOpen: boolean;
  setPaletteOpen(open: boolean): void;
}

const ConsoleStateContext = createContext<ConsoleState | null>(null);

export function ConsoleStateProvider({ children }: { children: ReactNode }): JSX.Element {
  const [context, setContextState] = useState<string | null>(null);
  const [namespace, setNamespace] = useState<string | null>(null);
  const [route, setRoute] = useState<Route>({ view: 'overview' });
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [contextChosen, setContextChosen] = useState(false);
  const setContext = useCallback((next: string, byUser = false) => {
    if (byUser) setContextChosen(true);
    setContextState((prev) => {
      if (prev !== next) setRoute((r) => (r.view === 'kind' ? { view: 'kind', kind: r.kind } : r.view === 'apply' ? r : { view: 'overview' }));
      return next;
    });
  }, []);
  const value = useMemo<ConsoleState>(
    () => ({ context, namespace, route, setContext, contextChosen, setNamespace, navigate: setRoute, paletteOpen, setPaletteOpen }),
    [context, namespace, route, setContext, contextChosen, paletteOpen],
  );
  return <ConsoleStateContext.Provider value={value}>{children}</ConsoleStateContext.Provider>;
}

export function useConsole(): ConsoleState {
  const state = useContext(ConsoleStateContext);
  if (state === null) throw new Error('useConsole outside ConsoleStateProvider');
  return state;
}
