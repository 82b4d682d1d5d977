import type { Disposer, SkiffBridge } from '../src-main/contract/bridge';
import type { CallName, CallOutput } from '../src-main/contract/contract';
import type { CallError, Result } from '../src-main/contract/result';
import type { ClientFrame, ServerFrame } from '../src-main/contract/ws-protocol';

/** The error calls get while the connection is down (they are not retried: the caller decides). */
export const DISCONNECTED = 'disconnected';

/** The subset of the browser WebSocket this client uses (so tests can pass Node's `ws`). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type TransportState = 'connecting' | 'open' | 'closed';

export interface WebSocketBridge extends SkiffBridge {
  /** The connection's state now and on every change; the page can show "reconnecting…". */
  onTransportState(listener: (state: TransportState) => void): Disposer;
  /** Closes for good (no reconnect). */
  close(): void;
}

interface Subscription {
  name: string;
  input: unknown;
  onEvent: (event: unknown) => void;
  onError?: (error: CallError) => void;
}

const OPEN = 1;

/**
 * Subscriptions that start over cleanly on a new connection (each begins with the full current state).
 * Logs and terminals would repeat lines or open a new shell, so they end with a `disconnected` error instead.
 */
const RESUMABLE = new Set(['onResources', 'onContexts', 'onEngineStatus', 'onPodMetrics']);

/**
 * The contract over WebSocket (web mode), indistinguishable from the preload's bridge to the page:
 * calls resolve with Result values, subscriptions return disposers. After a dropped connection it
 * reconnects with backoff and re-subscribes resource, context and engine subscriptions (they answer with a
 * fresh snapshot); log and terminal subscriptions end with a `disconnected` error for the page to reopen.
 */
export function createWebSocketBridge(
  url: string,
  makeSocket: (url: string) => WebSocketLike,
  options: { retryMinMs?: number; retryMaxMs?: number } = {},
): WebSocketBridge {
  let socket: WebSocketLike | null = null;
  let state: TransportState = 'connecting';
  let closedForGood = false;
  let retryMs = options.retryMinMs ?? 250;
  let nextCall = 0;
  let nextSubscription = 0;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const subscriptions = new Map<string, Subscription>();
  const stateListeners = new Set<(state: TransportState) => void>();
  const outbox: ClientFrame[] = [];

  function setState(next: TransportState): void {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function send(frame: ClientFrame): void {
    if (socket !== null && socket.readyState === OPEN) socket.send(JSON.stringify(frame));
    else if (frame.type !== 'unsubscribe') outbox.push(frame);
  }

  function onFrame(raw: unknown): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(raw)) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'result') {
      const resolve = pending.get(frame.id);
      pending.delete(frame.id);
      resolve?.(frame.result);
    } else if (frame.type === 'subscription') {
      const subscription = subscriptions.get(frame.id);
      if (subscription === undefined) return;
      if ('error' in frame) {
        subscriptions.delete(frame.id);
        subscription.onError?.(frame.error);
      } else {
        subscription.onEvent(frame.event);
      }
    }
  }

  function connect(): void {
    setState('connecting');
    const ws = makeSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = options.retryMinMs ?? 250;
      setState('open');
      // Everything still subscribed starts again on the new connection; queued frames follow.
      const queued = outbox.splice(0);
      const queuedSubscriptions = new Set(queued.filter((f) => f.type === 'subscribe').map((f) => f.id));
      for (const [id, s] of subscriptions) {
        if (!queuedSubscriptions.has(id)) ws.send(JSON.stringify({ type: 'subscribe', id, name: s.name, input: s.input }));
      }
      for (const frame of queued) {
        if (frame.type === 'subscribe' && !subscriptions.has(frame.id)) continue;
        ws.send(JSON.stringify(frame));
      }
    };
    ws.onmessage = (event) => onFrame(event.data);
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const resolve of pending.values()) resolve({ ok: false, error: { code: DISCONNECTED, message: 'the connection to Skiff was lost' } });
      pending.clear();
      for (const [id, subscription] of subscriptions) {
        if (RESUMABLE.has(subscription.name)) continue;
        subscriptions.delete(id);
        subscription.onError?.({ code: DISCONNECTED, message: 'the connection to Skiff was lost' });
      }
      outbox.splice(0, outbox.length, ...outbox.filter((f) => f.type === 'subscribe' && subscriptions.has(f.id)));
      if (closedForGood) {
        setState('closed');
        return;
      }
      setState('connecting');
      const delay = retryMs;
      retryMs = Math.min(retryMs * 2, options.retryMaxMs ?? 5000);
      setTimeout(() => {
        if (!closedForGood) connect();
      }, delay);
    };
  }

  connect();

  return {
    invoke<C extends CallName>(call: C, ...input: [unknown?]): Promise<Result<CallOutput<C>>> {
      if (closedForGood) return Promise.resolve({ ok: false, error: { code: DISCONNECTED, message: 'the bridge is closed' } });
      const id = nextCall++;
      return new Promise((resolve) => {
        if (socket === null || socket.readyState !== OPEN) {
          // Calls made while connecting wait for the connection; a drop answers them with an error.
          if (state !== 'connecting') {
            resolve({ ok: false, error: { code: DISCONNECTED, message: 'not connected to Skiff' } });
            return;
          }
        }
        pending.set(id, resolve as (result: Result<unknown>) => void);
        send({ type: 'call', id, call, input: input[0] });
      });
    },
    subscribe(name, input, onEvent, onError) {
      const id = `w${++nextSubscription}`;
      subscriptions.set(id, { name, input, onEvent: onEvent as (event: unknown) => void, onError });
      send({ type: 'subscribe', id, name, input });
      return () => {
        if (subscriptions.delete(id)) send({ type: 'unsubscribe', id });
      };
    },
    onTransportState(listener) {
      stateListeners.add(listener);
      listener(state);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedForGood = true;
      subscriptions.clear();
      socket?.close(1000, 'closed');
      if (socket === null) setState('closed');
    },
  };
}
