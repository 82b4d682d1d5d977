/**
 * The metav1.Status written on the error channel when an exec or attach ends, as the kubelet's streaming
 * server writes it (no kind/apiVersion; client-go's v4 decoder reads status, reason and the ExitCode cause).
 */

export interface ChannelStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: Array<{ reason?: string; message: string }> };
  code?: number;
}

export function successStatus(): ChannelStatus {
  return { metadata: {}, status: 'Success' };
}

/** Go's %v of a []string: `[sh -c exit 3]`. */
export function goStringSlice(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/** Exit codes travel as uint8: kubectl refuses anything else. */
function exitCodeByte(code: number): number {
  return code >= 0 && code <= 255 ? code : code & 0xff;
}

/**
 * A process that ran and exited non-zero. `detail` replaces the runtime's `error executing command …` text
 * (used when Docker could not start the command at all).
 */
export function nonZeroExitStatus(command: readonly string[], exitCode: number, detail?: string): ChannelStatus {
  const code = exitCodeByte(exitCode);
  const why = detail ?? `error executing command ${goStringSlice(command)}, exit code ${code}`;
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: ${why}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** apierrors.NewInternalError: anything that kept the command from running or being watched. */
export function internalErrorStatus(message: string): ChannelStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    details: { causes: [{ message }] },
    code: 500,
  };
}

/**
 * The exit code a shell would give for a command Docker could not start: 127 when the file does not exist,
 * 126 when it exists but cannot be executed (Docker reports 126 for both).
 */
export function startFailureExitCode(dockerMessage: string): number {
  return /executable file not found|no such file or directory/i.test(dockerMessage) ? 127 : 126;
}
