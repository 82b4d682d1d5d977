/**
 * What one sync of a pod must do (the kubelet's computePodActions), from the pod spec and what runs in
 * Docker: (re)create the sandbox, which init container runs next, which app containers to start, which
 * containers to kill and why. Pure; the pod worker executes the plan.
 */
import type { KubeObject } from '../object';
import { asNumber, asObject, asString, getString, objectItems, type JsonObject } from '../registry/json-access';
import { containerSpecHash } from './container-config';
import { instancesOf, sandboxesOf, type ObservedContainer } from './observed-container';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

export function restartPolicyOf(pod: KubeObject): RestartPolicy {
  const p = getString(pod, 'spec', 'restartPolicy');
  return p === 'OnFailure' || p === 'Never' ? p : 'Always';
}

export function initContainersOf(pod: KubeObject): JsonObject[] {
  return objectItems(asObject(pod.spec)?.initContainers).map(([c]) => c);
}

export function appContainersOf(pod: KubeObject): JsonObject[] {
  return objectItems(asObject(pod.spec)?.containers).map(([c]) => c);
}

export function nameOf(container: JsonObject): string {
  return asString(container.name) ?? '';
}

export interface ContainerKill {
  id: string;
  name: string;
  /** the Killing event message */
  message: string;
  /**
   * the failed probe's terminationGracePeriodSeconds, which overrides the pod's for this kill (the kubelet's
   * setTerminationGracePeriod); unset: the pod's
   */
  gracePeriodSeconds?: number;
}

export interface PodActions {
  /** stop every container and the sandbox (the pod is done, or its sandbox is being replaced) */
  killPod: boolean;
  createSandbox: boolean;
  /** attempt number of the sandbox to create (or of the current one) */
  sandboxAttempt: number;
  /** the running sandbox to keep using ('' when one is to be created) */
  sandboxId: string;
  /** the init container to start now */
  nextInit?: JsonObject;
  /** app containers to (re)start, in spec order */
  startApps: JsonObject[];
  kills: ContainerKill[];
  /** containers created but never started (a kubelet that stopped in between): start them as they are */
  startCreated: string[];
}

export interface PlanInput {
  pod: KubeObject;
  observed: readonly ObservedContainer[];
  /** container ids whose liveness probe failed */
  livenessFailed: ReadonlySet<string>;
  /** container ids whose startup probe failed */
  startupFailed: ReadonlySet<string>;
}

/** Whether the pod's (already terminal) phase says nothing may run any more. */
export function isTerminalPhase(pod: KubeObject): boolean {
  const phase = getString(pod, 'status', 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The latest instance of a container, or undefined. */
function latest(observed: readonly ObservedContainer[], container: JsonObject, role: 'init' | 'app'): ObservedContainer | undefined {
  return instancesOf(observed, nameOf(container), role)[0];
}

/** ShouldContainerBeRestarted: a missing, created or dead container is (re)started per restartPolicy. */
export function shouldRestart(pod: KubeObject, status: ObservedContainer | undefined): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  if (!status) return true;
  if (status.state === 'running') return false;
  if (status.state === 'created') return true;
  const policy = restartPolicyOf(pod);
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return status.exitCode !== 0;
  return true;
}

/** A sandbox is replaced when none runs, several run, or the latest is not running or has no IP. */
export function sandboxChanged(pod: KubeObject, observed: readonly ObservedContainer[]): { changed: boolean; attempt: number; id: string } {
  const sandboxes = sandboxesOf(observed);
  if (sandboxes.length === 0) return { changed: true, attempt: 0, id: '' };
  const newest = sandboxes[0];
  const running = sandboxes.filter((s) => s.state === 'running').length;
  const hostNetwork = asObject(pod.spec)?.hostNetwork === true;
  if (running > 1 || newest.state !== 'running' || (!hostNetwork && newest.ip === '')) {
    return { changed: true, attempt: newest.restartCount + 1, id: newest.id };
  }
  return { changed: false, attempt: newest.restartCount, id: newest.id };
}

function initFailed(c: ObservedContainer): boolean {
  return c.state === 'exited' && c.exitCode !== 0;
}

/**
 * findNextInitContainerToRun, over the instances that ran in sandbox `sandboxId` (a new sandbox runs the init
 * containers again; undefined: any sandbox). `done` when all succeeded or an app container already runs.
 */
export function nextInitContainer(
  pod: KubeObject,
  observed: readonly ObservedContainer[],
  sandboxId: string | undefined,
): { done: boolean; next?: JsonObject; failed?: ObservedContainer } {
  const inits = initContainersOf(pod);
  if (inits.length === 0) return { done: true };
  for (const c of appContainersOf(pod)) if (latest(observed, c, 'app')?.state === 'running') return { done: true };
  const current = (c: JsonObject): ObservedContainer | undefined => {
    const s = latest(observed, c, 'init');
    return s && (sandboxId === undefined || s.sandboxId === sandboxId) ? s : undefined;
  };
  for (let i = inits.length - 1; i >= 0; i--) {
    const s = current(inits[i]);
    if (s && initFailed(s)) return { done: false, next: inits[i], failed: s };
  }
  for (let i = inits.length - 1; i >= 0; i--) {
    const s = current(inits[i]);
    if (!s) continue;
    if (s.state === 'running') return { done: false };
    if (s.state === 'created') return { done: false, next: inits[i] };
    if (i === inits.length - 1) return { done: true };
    return { done: false, next: inits[i + 1] };
  }
  return { done: false, next: inits[0] };
}

/** computePodActions. */
export function planPodSync(input: PlanInput): PodActions {
  const { pod, observed } = input;
  const policy = restartPolicyOf(pod);
  const sandbox = sandboxChanged(pod, observed);
  const actions: PodActions = {
    killPod: sandbox.changed,
    createSandbox: sandbox.changed,
    sandboxAttempt: sandbox.attempt,
    sandboxId: sandbox.changed ? '' : sandbox.id,
    startApps: [],
    kills: [],
    startCreated: [],
  };
  const apps = appContainersOf(pod);
  if (isTerminalPhase(pod)) {
    return { ...actions, killPod: true, createSandbox: false };
  }
  if (sandbox.changed) {
    const anyContainerSeen = observed.some((c) => c.role !== 'sandbox');
    if (policy === 'Never' && sandbox.attempt !== 0 && anyContainerSeen) {
      return { ...actions, createSandbox: false };
    }
    const toStart = apps.filter((c) => !(policy === 'OnFailure' && succeeded(latest(observed, c, 'app'))));
    if (toStart.length === 0 && nextInitContainer(pod, observed, undefined).done && anyContainerSeen) {
      return { ...actions, createSandbox: false };
    }
    const inits = initContainersOf(pod);
    if (inits.length > 0) return { ...actions, nextInit: inits[0] };
    return { ...actions, startApps: toStart };
  }

  const init = nextInitContainer(pod, observed, sandbox.id);
  if (!init.done) {
    if (init.next) {
      if (init.failed && policy === 'Never') return { ...actions, killPod: true };
      const s = latest(observed, init.next, 'init');
      if (s && s.state === 'created' && s.sandboxId === sandbox.id) actions.startCreated.push(s.id);
      else actions.nextInit = init.next;
    }
    return actions;
  }

  let keep = 0;
  for (const c of apps) {
    const name = nameOf(c);
    const s = latest(observed, c, 'app');
    if (!s || s.state !== 'running') {
      if (s && s.state === 'created' && s.sandboxId === sandbox.id && !pod.metadata.deletionTimestamp) {
        actions.startCreated.push(s.id);
        keep++;
      } else if (shouldRestart(pod, s)) {
        actions.startApps.push(c);
      }
      continue;
    }
    let message: string;
    let restart = policy !== 'Never';
    let gracePeriodSeconds: number | undefined;
    if (s.specHash && s.specHash !== containerSpecHash(c)) {
      message = `Container ${name} definition changed`;
      restart = true;
    } else if (input.livenessFailed.has(s.id)) {
      message = `Container ${name} failed liveness probe`;
      gracePeriodSeconds = probeGracePeriod(c, 'livenessProbe');
    } else if (input.startupFailed.has(s.id)) {
      message = `Container ${name} failed startup probe`;
      gracePeriodSeconds = probeGracePeriod(c, 'startupProbe');
    } else {
      keep++;
      continue;
    }
    if (restart) {
      message += ', will be restarted';
      actions.startApps.push(c);
    }
    actions.kills.push(gracePeriodSeconds === undefined ? { id: s.id, name, message } : { id: s.id, name, message, gracePeriodSeconds });
  }
  if (keep === 0 && actions.startApps.length === 0) actions.killPod = true;
  return actions;
}

/** A probe's own terminationGracePeriodSeconds (validation keeps it positive), or undefined. */
function probeGracePeriod(container: JsonObject, probe: 'livenessProbe' | 'startupProbe'): number | undefined {
  const g = asNumber(asObject(container[probe])?.terminationGracePeriodSeconds);
  return g !== undefined && Number.isInteger(g) && g > 0 ? g : undefined;
}

function succeeded(s: ObservedContainer | undefined): boolean {
  return !!s && s.state === 'exited' && s.exitCode === 0;
}
