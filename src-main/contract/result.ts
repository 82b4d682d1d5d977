/** An error that survives the trip across a bridge: a stable code for programs and a message for people. */
export interface CallError {
  code: string;
  message: string;
}

/** The outcome of every contract call; failures are values because only plain data crosses IPC or WebSocket. */
export type Result<T> = { ok: true; result: T } | { ok: false; error: CallError };

/**
 * The error codes the transports themselves produce. Calls against a cluster also fail with the codes of
 * `ClusterErrorCode` (cluster.ts): unreachable, unauthorized, expired, forbidden, tls, timeout, not-found, conflict,
 * invalid, config, error.
 */
export const ErrorCode = {
  invalidInput: 'invalid-input',
  unknownCall: 'unknown-call',
  forbidden: 'forbidden',
  internal: 'internal',
} as const;

export function ok<T>(result: T): Result<T> {
  return { ok: true, result };
}

export function fail(code: string, message: string): { ok: false; error: CallError } {
  return { ok: false, error: { code, message } };
}
