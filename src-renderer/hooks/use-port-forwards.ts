import { useSyncExternalStore } from 'react';
import type { PortForwardInput } from '../../src-main/contract/inputs';
import { subscribe } from '../api';

/** One port-forward the console holds open: it lives until stopped (or the backend goes), across views. */
export interface ForwardEntry {
  key: string;
  input: PortForwardInput;
  state: 'starting' | 'ready' | 'failed' | 'closed';
  url: string | null;
  pod: string | null;
  podPort: number | null;
  message: string | null;
}

type Listener = () => void;

const entries = new Map<string, ForwardEntry>();
const disposers = new Map<string, () => void>();
const waiters = new Map<string, { resolve: (url: string) => void; reject: (error: Error) => void }[]>();
const listeners = new Set<Listener>();
let snapshot: ForwardEntry[] = [];

function changed(): void {
  snapshot = [...entries.values()];
  for (const listener of listeners) listener();
}

export function forwardKey(input: PortForwardInput): string {
  return JSON.stringify([input.context, input.namespace, input.service, input.port]);
}

function update(key: string, patch: Partial<ForwardEntry>): void {
  const entry = entries.get(key);
  if (entry === undefined) return;
  entries.set(key, { ...entry, ...patch });
  changed();
}

function settle(key: string, outcome: { url: string } | { error: string }): void {
  for (const waiter of waiters.get(key) ?? []) {
    if ('url' in outcome) waiter.resolve(outcome.url);
    else waiter.reject(new Error(outcome.error));
  }
  waiters.delete(key);
}

/** Starts a forward (or reuses the one already open for that Service port); resolves with its URL. */
export function startForward(input: PortForwardInput): Promise<string> {
  const key = forwardKey(input);
  const existing = entries.get(key);
  if (existing?.state === 'ready' && existing.url !== null) return Promise.resolve(existing.url);
  if (existing?.state !== 'starting') stopForward(key, false);
  const waiting = new Promise<string>((resolve, reject) => waiters.set(key, [...(waiters.get(key) ?? []), { resolve, reject }]));
  if (existing?.state === 'starting') return waiting;
  entries.set(key, { key, input, state: 'starting', url: null, pod: null, podPort: null, message: null });
  changed();
  const dispose = subscribe(
    'onPortForward',
    input,
    (event) => {
      if (event.type === 'ready') {
        update(key, { state: 'ready', url: event.url, pod: event.pod, podPort: event.podPort, message: null });
        settle(key, { url: event.url });
      } else if (event.type === 'error') {
        // After `ready`, an error is one connection's: the forward still listens.
        const entry = entries.get(key);
        if (entry?.state === 'ready') update(key, { message: event.error.message });
        else {
          update(key, { state: 'failed', message: event.error.message });
          settle(key, { error: event.error.message });
        }
      } else {
        update(key, { state: entries.get(key)?.state === 'failed' ? 'failed' : 'closed', message: entries.get(key)?.message ?? event.reason });
        settle(key, { error: event.reason });
      }
    },
    (error) => {
      update(key, { state: 'failed', message: error.message });
      settle(key, { error: error.message });
    },
  );
  disposers.set(key, dispose);
  return waiting;
}

/** Stops a forward (the backend closes its listener and connections); `forget` also drops it from the list. */
export function stopForward(key: string, forget = true): void {
  disposers.get(key)?.();
  disposers.delete(key);
  if (forget && entries.delete(key)) changed();
  settle(key, { error: 'stopped' });
}

export function usePortForwards(): ForwardEntry[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => snapshot,
  );
}
