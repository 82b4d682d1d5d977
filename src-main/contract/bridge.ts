import type { CallInput, CallName, CallOutput } from './contract';
import type { Result } from './result';

/** A call's input as rest arguments: optional when the call takes none. */
export type CallInputArgs<C extends CallName> = undefined extends CallInput<C>
  ? [input?: CallInput<C>]
  : [input: CallInput<C>];

/** What the preload exposes as `window.skiff` (and web mode will implement over WebSocket). */
export interface SkiffBridge {
  invoke<C extends CallName>(call: C, ...input: CallInputArgs<C>): Promise<Result<CallOutput<C>>>;
}
