import type { CallInputArgs, Disposer } from '../src-main/contract/bridge';
import type { CallName, CallOutput, SubscriptionEvent, SubscriptionInput, SubscriptionName } from '../src-main/contract/contract';
import type { CallError, Result } from '../src-main/contract/result';
import { getBridge } from './bridge';

/** A failed call as an Error, keeping the contract's code (unreachable, conflict, invalid, ...). */
export class CallFailure extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

const noBridge: CallError = { code: 'no-bridge', message: 'Skiff backend not available (no preload and not in web mode)' };

/** A contract call that resolves with the result value or rejects with a CallFailure. */
export async function call<C extends CallName>(name: C, ...input: CallInputArgs<C>): Promise<CallOutput<C>> {
  const bridge = getBridge();
  if (bridge === undefined) throw new CallFailure(noBridge.code, noBridge.message);
  const result: Result<CallOutput<C>> = await bridge.invoke(name, ...input);
  if (!result.ok) throw new CallFailure(result.error.code, result.error.message);
  return result.result;
}

export function subscribe<S extends SubscriptionName>(
  name: S,
  input: SubscriptionInput<S>,
  onEvent: (event: SubscriptionEvent<S>) => void,
  onError?: (error: CallError) => void,
): Disposer {
  const bridge = getBridge();
  if (bridge === undefined) {
    onError?.(noBridge);
    return () => undefined;
  }
  return bridge.subscribe(name, input, onEvent, onError);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
