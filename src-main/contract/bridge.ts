import type {
  CallInput,
  CallName,
  CallOutput,
  SubscriptionEvent,
  SubscriptionInput,
  SubscriptionName,
} from './contract';
import type { CallError, Result } from './result';

/** A call's input as rest arguments: optional when the call takes none. */
export type CallInputArgs<C extends CallName> = undefined extends CallInput<C>
  ? [input?: CallInput<C>]
  : [input: CallInput<C>];

/** Stops a subscription; calling it again does nothing. */
export type Disposer = () => void;

/** What the preload exposes as `window.skiff`, and what web mode implements over WebSocket. */
export interface SkiffBridge {
  invoke<C extends CallName>(call: C, ...input: CallInputArgs<C>): Promise<Result<CallOutput<C>>>;
  /**
   * Starts a subscription. `onError` is called at most once, when the subscription cannot start (invalid
   * input, unknown name) or the transport lost it for good; no events follow it.
   */
  subscribe<S extends SubscriptionName>(
    name: S,
    input: SubscriptionInput<S>,
    onEvent: (event: SubscriptionEvent<S>) => void,
    onError?: (error: CallError) => void,
  ): Disposer;
}
