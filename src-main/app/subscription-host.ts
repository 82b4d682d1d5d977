import type { Disposer } from '../contract/bridge';
import type { SubscriptionEvent, SubscriptionInput, SubscriptionName } from '../contract/contract';
import { isSubscriptionName, subscriptions } from '../contract/contract';
import type { CallError } from '../contract/result';
import { ErrorCode } from '../contract/result';
import type { SubscriptionMessage } from '../contract/subscription-message';
import { SUBSCRIPTION_ID } from '../contract/subscription-message';

/** The backend's implementation of every subscription: validated input in, events out, a disposer back. */
export type SubscriptionHandlers = {
  readonly [S in SubscriptionName]: (input: SubscriptionInput<S>, emit: (event: SubscriptionEvent<S>) => void) => Disposer;
};

/** One client's subscriptions (one window, or one WebSocket connection). */
export interface SubscriptionHost {
  subscribe(id: unknown, name: unknown, input: unknown): void;
  unsubscribe(id: unknown): void;
  /** Ends every subscription of the client (window reloaded or closed, socket gone). */
  disposeAll(): void;
  readonly size: number;
}

/** A client may hold this many subscriptions at once; more is a bug (or abuse) on its side. */
export const MAX_SUBSCRIPTIONS_PER_CLIENT = 512;

/**
 * Validates and starts subscriptions for one client, sending their events through `send`. An invalid
 * subscription gets an error message (and nothing else); unsubscribing an unknown id is harmless.
 */
export function createSubscriptionHost(
  handlers: SubscriptionHandlers,
  send: (message: SubscriptionMessage) => void,
  onHandlerError: (name: SubscriptionName, error: unknown) => void = () => {},
): SubscriptionHost {
  const active = new Map<string, Disposer>();

  function refuse(id: string, code: string, message: string): void {
    const error: CallError = { code, message };
    send({ id, error });
  }

  function start<S extends SubscriptionName>(id: string, name: S, input: unknown): void {
    const parsed = subscriptions[name].input(input);
    if (!parsed.ok) {
      refuse(id, parsed.error.code, parsed.error.message);
      return;
    }
    let open = true;
    // Placeholder so events emitted synchronously during start are delivered and a re-used id is refused.
    active.set(id, () => {});
    try {
      const dispose = handlers[name](parsed.result, (event) => {
        if (open) send({ id, event });
      });
      const stop = (): void => {
        if (!open) return;
        open = false;
        dispose();
      };
      if (active.has(id)) active.set(id, stop);
      else stop();
    } catch (error) {
      open = false;
      active.delete(id);
      onHandlerError(name, error);
      refuse(id, ErrorCode.internal, error instanceof Error ? error.message : String(error));
    }
  }

  return {
    subscribe(id, name, input) {
      if (typeof id !== 'string' || !SUBSCRIPTION_ID.test(id)) return;
      if (active.has(id)) {
        refuse(id, ErrorCode.invalidInput, `subscription id ${id} is already in use`);
        return;
      }
      if (!isSubscriptionName(name)) {
        const label = typeof name === 'string' ? JSON.stringify(name.slice(0, 100)) : `of type ${typeof name}`;
        refuse(id, ErrorCode.unknownCall, `unknown subscription ${label}`);
        return;
      }
      if (active.size >= MAX_SUBSCRIPTIONS_PER_CLIENT) {
        refuse(id, ErrorCode.forbidden, `too many subscriptions (at most ${MAX_SUBSCRIPTIONS_PER_CLIENT})`);
        return;
      }
      start(id, name, input);
    },
    unsubscribe(id) {
      if (typeof id !== 'string') return;
      const dispose = active.get(id);
      active.delete(id);
      dispose?.();
    },
    disposeAll() {
      const all = [...active.values()];
      active.clear();
      for (const dispose of all) dispose();
    },
    get size() {
      return active.size;
    },
  };
}
