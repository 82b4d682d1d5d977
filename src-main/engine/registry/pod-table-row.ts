/** The pod row of `kubectl get pods`, computed like printPod in pkg/printers/internalversion/printers.go. */
import type { KubeObject } from '../object';
import { translateTimestampSince, parseTimestamp } from './human-duration';
import { asArray, asNumber, asObject, asString, getArray, getObject, getString, type JsonObject } from './json-access';

function objects(v: unknown): JsonObject[] {
  return (asArray(v) ?? []).flatMap((x) => {
    const o = asObject(x);
    return o ? [o] : [];
  });
}

function terminatedFinishedAt(status: JsonObject): number | undefined {
  return parseTimestamp(getString(status, 'lastState', 'terminated', 'finishedAt'));
}

function conditionTrue(pod: KubeObject, type: string): boolean {
  return objects(getArray(pod, 'status', 'conditions')).some((c) => c.type === type && c.status === 'True');
}

/** The "Status" column: phase, refined by container states ("CrashLoopBackOff", "Init:0/1", "Terminating"...). */
function podRowState(pod: KubeObject): { reason: string; ready: number; total: number; restarts: number; lastRestart?: number } {
  const spec = getObject(pod, 'spec') ?? {};
  const status = getObject(pod, 'status') ?? {};
  const initSpecs = objects(spec.initContainers);
  const restartableInit = new Set(initSpecs.filter((c) => c.restartPolicy === 'Always').map((c) => asString(c.name) ?? ''));
  const total = objects(spec.containers).length + restartableInit.size;
  let ready = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  const later = (a: number | undefined, b: number | undefined): number | undefined =>
    b === undefined ? a : a === undefined || a < b ? b : a;

  const phase = asString(status.phase) ?? '';
  let reason = asString(status.reason) || phase;
  for (const c of objects(status.conditions))
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = objects(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const count = asNumber(cs.restartCount) ?? 0;
    restarts += count;
    lastRestart = later(lastRestart, terminatedFinishedAt(cs));
    const isSidecar = restartableInit.has(asString(cs.name) ?? '');
    if (isSidecar) {
      sidecarRestarts += count;
      lastSidecarRestart = later(lastSidecarRestart, terminatedFinishedAt(cs));
    }
    const terminated = asObject(asObject(cs.state)?.terminated);
    const waiting = asObject(asObject(cs.state)?.waiting);
    if (terminated && (asNumber(terminated.exitCode) ?? 0) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      const tReason = asString(terminated.reason) ?? '';
      const signal = asNumber(terminated.signal) ?? 0;
      if (tReason) reason = `Init:${tReason}`;
      else if (signal !== 0) reason = `Init:Signal:${signal}`;
      else reason = `Init:ExitCode:${asNumber(terminated.exitCode) ?? 0}`;
    } else if (waiting && asString(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${asString(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objects(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += asNumber(cs.restartCount) ?? 0;
      lastRestart = later(lastRestart, terminatedFinishedAt(cs));
      const state = asObject(cs.state) ?? {};
      const waiting = asObject(state.waiting);
      const terminated = asObject(state.terminated);
      if (waiting && asString(waiting.reason)) {
        reason = asString(waiting.reason) ?? reason;
      } else if (terminated && asString(terminated.reason)) {
        reason = asString(terminated.reason) ?? reason;
      } else if (terminated) {
        const signal = asNumber(terminated.signal) ?? 0;
        reason = signal !== 0 ? `Signal:${signal}` : `ExitCode:${asNumber(terminated.exitCode) ?? 0}`;
      } else if (cs.ready === true && asObject(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = !!getString(pod, 'metadata', 'deletionTimestamp');
  if (deleting && asString(status.reason) === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  return { reason, ready, total, restarts, lastRestart };
}

/** Cells: Name, Ready, Status, Restarts, Age, IP, Node, Nominated Node, Readiness Gates. */
export function podTableRow(pod: KubeObject, now: number): unknown[] {
  const { reason, ready, total, restarts, lastRestart } = podRowState(pod);
  let restartsText = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined)
    restartsText = `${restarts} (${translateTimestampSince(new Date(lastRestart).toISOString(), now)} ago)`;

  const podIPs = objects(getArray(pod, 'status', 'podIPs'));
  // Real kubelets always fill podIPs; fall back to podIP for writers that only set the singular field.
  const ip = asString(podIPs[0]?.ip) || getString(pod, 'status', 'podIP') || '<none>';
  const node = getString(pod, 'spec', 'nodeName') || '<none>';
  const nominated = getString(pod, 'status', 'nominatedNodeName') || '<none>';
  const gates = objects(getArray(pod, 'spec', 'readinessGates'));
  let readinessGates = '<none>';
  if (gates.length > 0) {
    const conditions = objects(getArray(pod, 'status', 'conditions'));
    let trueCount = 0;
    for (const gate of gates) {
      const cond = conditions.find((c) => c.type === gate.conditionType);
      if (cond?.status === 'True') trueCount++;
    }
    readinessGates = `${trueCount}/${gates.length}`;
  }
  return [
    pod.metadata.name ?? '',
    `${ready}/${total}`,
    reason,
    restartsText,
    translateTimestampSince(pod.metadata.creationTimestamp, now),
    ip,
    node,
    nominated,
    readinessGates,
  ];
}
