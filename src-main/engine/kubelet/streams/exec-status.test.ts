import { describe, expect, it } from 'vitest';
import { goStringSlice, internalErrorStatus, nonZeroExitStatus, startFailureExitCode, successStatus } from './exec-status';

describe('exec status on the error channel', () => {
  it('serializes success exactly as the kubelet does', () => {
    expect(JSON.stringify(successStatus())).toBe('{"metadata":{},"status":"Success"}');
  });

  it('reports a non-zero exit with the ExitCode cause client-go reads', () => {
    expect(JSON.stringify(nonZeroExitStatus(['sh', '-c', 'exit 3'], 3))).toBe(
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    );
    expect(nonZeroExitStatus(['x'], 127, 'OCI runtime exec failed').message).toBe('command terminated with non-zero exit code: OCI runtime exec failed');
    expect(nonZeroExitStatus(['x'], 300).details?.causes[0].message).toBe('44');
  });

  it('reports internal errors as apierrors.NewInternalError', () => {
    expect(internalErrorStatus('boom')).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'Internal error occurred: boom',
      reason: 'InternalError',
      details: { causes: [{ message: 'boom' }] },
      code: 500,
    });
  });

  it('maps start failures to shell exit codes', () => {
    expect(startFailureExitCode('exec: "nope": executable file not found in $PATH: unknown')).toBe(127);
    expect(startFailureExitCode('exec: "/etc/passwd": permission denied: unknown')).toBe(126);
    expect(goStringSlice(['a', 'b c'])).toBe('[a b c]');
  });
});
