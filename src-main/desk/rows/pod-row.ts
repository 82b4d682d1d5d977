import type { PodRow } from '../../contract/rows';
import { count, list, record, text } from '../json-fields';
import { controllerOf, rowBase } from './row-base';

/** kubectl's STATUS column: the most telling reason among the pod's and its containers' states. */
export function podDisplayStatus(pod: unknown): string {
  const meta = record(record(pod).metadata);
  const status = record(record(pod).status);
  let reason = text(status.reason) ?? text(status.phase) ?? 'Unknown';
  const initStatuses = list(status.initContainerStatuses).map(record);
  const initTotal = list(record(record(pod).spec).initContainers).length;
  let initializing = false;
  for (const [i, cs] of initStatuses.entries()) {
    const state = record(cs.state);
    const terminated = record(state.terminated);
    const waiting = record(state.waiting);
    if (state.terminated !== undefined && count(terminated.exitCode) === 0) continue;
    if (state.terminated !== undefined) {
      reason = text(terminated.reason) ? `Init:${text(terminated.reason)}` : `Init:ExitCode:${count(terminated.exitCode)}`;
    } else if (state.waiting !== undefined && text(waiting.reason) && text(waiting.reason) !== 'PodInitializing') {
      reason = `Init:${text(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initTotal}`;
    }
    initializing = true;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    for (const cs of list(status.containerStatuses).map(record).reverse()) {
      const state = record(cs.state);
      const waiting = record(state.waiting);
      const terminated = record(state.terminated);
      if (state.waiting !== undefined && text(waiting.reason)) reason = text(waiting.reason) ?? reason;
      else if (state.terminated !== undefined) {
        reason = text(terminated.reason) ?? (terminated.signal ? `Signal:${count(terminated.signal)}` : `ExitCode:${count(terminated.exitCode)}`);
      } else if (state.running !== undefined && cs.ready === true) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null) {
    reason = text(status.reason) === 'NodeLost' ? 'Unknown' : 'Terminating';
  }
  return reason;
}

export function toPodRow(pod: unknown): PodRow {
  const spec = record(record(pod).spec);
  const status = record(record(pod).status);
  const statuses = list(status.containerStatuses).map(record);
  const containers = list(spec.containers).map((c) => text(record(c).name) ?? '');
  return Object.assign(rowBase(pod), {
    phase: text(status.phase) ?? 'Unknown',
    status: podDisplayStatus(pod),
    readyContainers: statuses.filter((cs) => cs.ready === true).length,
    totalContainers: containers.length,
    restarts: statuses.reduce((sum, cs) => sum + count(cs.restartCount), 0),
    podIP: text(status.podIP),
    nodeName: text(spec.nodeName),
    owner: controllerOf(pod),
    containers,
    initContainers: list(spec.initContainers).map((c) => text(record(c).name) ?? ''),
  });
}
