/**
 * Container lifecycle hooks (postStart, preStop): exec, httpGet, tcpSocket and sleep handlers run through the
 * probe runners, with the kubelet's failure messages (pkg/kubelet/lifecycle/handlers.go).
 */
import { asNumber, asObject, type JsonObject } from '../registry/json-access';
import { probeAction } from './probe-action';
import type { ProbeOutcome } from './probe-state';
import type { ProbeRunner, ProbeTarget } from './probe-worker';

export type HookKind = 'postStart' | 'preStop';

/** The container's hook handler, if it has one. */
export function hookOf(container: JsonObject, kind: HookKind): JsonObject | undefined {
  return asObject(asObject(container.lifecycle)?.[kind]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, Math.max(0, ms));
    t.unref?.();
  });
}

/**
 * Run a hook for at most `timeoutMs`. Returns undefined on success, else the failure message of the
 * FailedPostStartHook / FailedPreStopHook event.
 */
export async function runHook(
  handler: JsonObject,
  container: JsonObject,
  target: ProbeTarget,
  runner: ProbeRunner,
  timeoutMs: number,
  podRef: string,
): Promise<string | undefined> {
  const name = typeof container.name === 'string' ? container.name : '';
  const sleepAction = asObject(handler.sleep);
  if (sleepAction) {
    await sleep(Math.min(timeoutMs, (asNumber(sleepAction.seconds) ?? 0) * 1000));
    return undefined;
  }
  const action = probeAction(handler, container);
  if (action.type === 'invalid') return `Lifecycle hook for Container "${name}" in Pod "${podRef}" failed - error: ${action.error}`;
  let outcome: ProbeOutcome;
  try {
    outcome = await Promise.race([
      runner(action, target, timeoutMs),
      sleep(timeoutMs).then((): ProbeOutcome => ({ result: 'unknown', output: `timeout after ${Math.round(timeoutMs / 1000)}s` })),
    ]);
  } catch (err) {
    outcome = { result: 'unknown', output: err instanceof Error ? err.message : String(err) };
  }
  if (outcome.result === 'success') return undefined;
  const output = outcome.output.trimEnd();
  if (action.type === 'exec') return `Exec lifecycle hook ([${action.command.join(' ')}]) for Container "${name}" in Pod "${podRef}" failed - error: ${output}`;
  if (action.type === 'http') return `HTTP lifecycle hook (${action.path}) for Container "${name}" in Pod "${podRef}" failed - error: ${output}`;
  return `Lifecycle hook for Container "${name}" in Pod "${podRef}" failed - error: ${output}`;
}
