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

/**
 * A failure the backend already classified (a cluster error: unreachable, unauthorized, conflict, ...)
 * keeps its code across the bridge; it is an expected outcome, not a bug to report.
 */
function classifiedError(error: unknown): { code: string; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const classified = (error as { clusterError?: unknown }).clusterError;
  if (typeof classified !== 'object' || classified === null) return null;
  const { code, message } = classified as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? { code, message } : null;
}

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
      const classified = classifiedError(error);
      if (classified !== null) return fail(classified.code, classified.message);
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
