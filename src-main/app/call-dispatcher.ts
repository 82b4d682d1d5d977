import type { CallInput, CallName, CallOutput } from '../contract/contract';
import { calls, isCallName } from '../contract/contract';
import type { Result } from '../contract/result';
import { ErrorCode, fail, ok } from '../contract/result';

/** The backend's implementation of every call; handlers only ever see validated input. */
export type CallHandlers = {
  readonly [C in CallName]: (input: CallInput<C>) => CallOutput<C> | Promise<CallOutput<C>>;
};

/** Answers a raw call from any transport: unknown calls and invalid input never reach a handler. */
export type CallDispatcher = (call: unknown, input: unknown) => Promise<Result<unknown>>;

export function createCallDispatcher(
  handlers: CallHandlers,
  onHandlerError: (call: CallName, error: unknown) => void = () => {},
): CallDispatcher {
  async function dispatch<C extends CallName>(call: C, input: unknown): Promise<Result<CallOutput<C>>> {
    const parsed = calls[call].input(input);
    if (!parsed.ok) return parsed;
    try {
      return ok(await handlers[call](parsed.result));
    } catch (error) {
      onHandlerError(call, error);
      return fail(ErrorCode.internal, error instanceof Error ? error.message : String(error));
    }
  }

  return async (call, input) => {
    if (!isCallName(call)) {
      const name = typeof call === 'string' ? JSON.stringify(call.slice(0, 100)) : `of type ${typeof call}`;
      return fail(ErrorCode.unknownCall, `unknown call ${name}`);
    }
    return dispatch(call, input);
  };
}
