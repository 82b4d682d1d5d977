/**
 * The pod status the kubelet reports (generateAPIPodStatus): phase, conditions, IPs and container statuses,
 * as a pure function of the pod (spec and previous status), what Docker shows, the reasons of failed starts,
 * the probe results and the clock. Condition transition times stay put while a condition does not change.
 */
import type { KubeObject } from '../object';
import { asArray, asNumber, asObject, asString, getString, type JsonObject } from '../registry/json-access';
import { instancesOf, sandboxesOf, toKubeTime, type ObservedContainer } from './observed-container';
import { appContainersOf, initContainersOf, isTerminalPhase, nameOf, restartPolicyOf, shouldRestart } from './pod-sync-plan';

/** A failed start remembered per container name (the kubelet's reasonCache). */
export interface WaitingReason {
  reason: string;
  message: string;
}

/** Probe results for one container instance; a field is undefined when the container has no such probe. */
export interface ProbeView {
  ready?: boolean;
  started?: boolean;
}

export interface StatusInput {
  pod: KubeObject;
  observed: readonly ObservedContainer[];
  reasons: ReadonlyMap<string, WaitingReason>;
  probes: (containerId: string) => ProbeView | undefined;
  /** `docker-pullable://repo@sha256:...` or `docker://sha256:...` for an image id */
  imageRef: (imageId: string) => string;
  hostIP: string;
  now: number;
  /** the pod is being deleted and nothing of it runs any more: its phase becomes terminal */
  terminated?: boolean;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const EPOCH = '1970-01-01T00:00:00Z';

function goList(names: string[]): string {
  return `[${names.join(' ')}]`;
}

function terminatedState(c: ObservedContainer): JsonObject {
  let reason = c.exitCode === 0 ? 'Completed' : 'Error';
  if (c.oomKilled) reason = 'OOMKilled';
  if (c.startError) reason = 'StartError';
  const t: JsonObject = {
    exitCode: c.exitCode,
    reason,
    startedAt: c.startedAt || EPOCH,
    finishedAt: c.finishedAt || c.startedAt || EPOCH,
    containerID: `docker://${c.id}`,
  };
  if (c.startError) t.message = c.startError;
  return t;
}

function previousStatus(pod: KubeObject, key: 'containerStatuses' | 'initContainerStatuses', name: string): JsonObject | undefined {
  for (const s of asArray(asObject(pod.status)?.[key]) ?? []) {
    const o = asObject(s);
    if (o && o.name === name) return o;
  }
  return undefined;
}

function containerStatus(input: StatusInput, spec: JsonObject, role: 'init' | 'app', defaultReason: string): JsonObject {
  const { pod } = input;
  const name = nameOf(spec);
  const instances = instancesOf(input.observed, name, role);
  const [latest, prev] = instances;
  const stored = previousStatus(pod, role === 'init' ? 'initContainerStatuses' : 'containerStatuses', name);
  let state: JsonObject = { waiting: { reason: defaultReason } };
  let lastState: JsonObject = {};
  let ready = false;
  let started = false;
  const status: JsonObject = { name, state, lastState, ready, restartCount: asNumber(stored?.restartCount) ?? 0, image: asString(spec.image) ?? '' };
  status.imageID = '';
  if (latest) {
    status.restartCount = latest.restartCount;
    status.image = latest.image || status.image;
    status.imageID = input.imageRef(latest.imageId);
    status.containerID = `docker://${latest.id}`;
    const probe = input.probes(latest.id);
    if (latest.state === 'running') {
      state = { running: { startedAt: latest.startedAt || EPOCH } };
      started = role === 'app' && (asObject(spec.startupProbe) ? probe?.started === true : true);
      ready = role === 'app' && started && (asObject(spec.readinessProbe) ? probe?.ready === true : true);
    } else if (latest.state === 'exited') {
      state = { terminated: terminatedState(latest) };
      ready = role === 'init' && latest.exitCode === 0 && !latest.startError;
    }
    if (prev && prev.state === 'exited') lastState = { terminated: terminatedState(prev) };
  }
  const reason = input.reasons.get(name);
  if (reason && shouldRestartForStatus(input, role, latest)) {
    if (state.terminated) lastState = state;
    state = { waiting: reason.message ? { reason: reason.reason, message: reason.message } : { reason: reason.reason } };
  }
  status.state = state;
  status.lastState = lastState;
  status.ready = ready;
  status.started = started;
  return status;
}

function shouldRestartForStatus(input: StatusInput, role: 'init' | 'app', latest: ObservedContainer | undefined): boolean {
  if (role === 'init' && latest && latest.state === 'exited' && latest.exitCode === 0 && !latest.startError) return false;
  if (role === 'init' && restartPolicyOf(input.pod) === 'Never' && latest && latest.state === 'exited') return false;
  return shouldRestart(input.pod, latest);
}

function stateOf(s: JsonObject): { waiting?: JsonObject; running?: JsonObject; terminated?: JsonObject } {
  const st = asObject(s.state) ?? {};
  return { waiting: asObject(st.waiting), running: asObject(st.running), terminated: asObject(st.terminated) };
}

function exitCode(t: JsonObject | undefined): number {
  return asNumber(t?.exitCode) ?? 0;
}

/** getPhase. */
export function podPhase(pod: KubeObject, init: JsonObject[], apps: JsonObject[], terminal: boolean): string {
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of init) {
    const { waiting, running, terminated } = stateOf(s);
    const last = asObject(asObject(s.lastState)?.terminated);
    if (running) pendingInit++;
    else if (terminated) {
      if (exitCode(terminated) !== 0) failedInit++;
    } else if (waiting) {
      if (last) {
        if (exitCode(last) !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let running = 0;
  let waitingN = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of apps) {
    const st = stateOf(s);
    const last = asObject(asObject(s.lastState)?.terminated);
    if (st.running) running++;
    else if (st.terminated) {
      stopped++;
      if (exitCode(st.terminated) === 0) succeeded++;
    } else if (st.waiting) {
      if (last) stopped++;
      else waitingN++;
    }
  }
  const policy = restartPolicyOf(pod);
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const anyAppStarted = apps.some((s) => {
    const st = stateOf(s);
    return !!st.running || !!st.terminated || !!asObject(asObject(s.lastState)?.terminated);
  });
  if ((pendingInit > 0 && !anyAppStarted) || waitingN > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function initializedCondition(init: JsonObject[], apps: JsonObject[], phase: string): Condition {
  if (init.length === 0) return { type: 'Initialized', status: 'True' };
  if (phase === 'Succeeded') return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  if (apps.some((s) => !!stateOf(s).running || !!stateOf(s).terminated)) return { type: 'Initialized', status: 'True' };
  const incomplete = init.filter((s) => {
    const t = stateOf(s).terminated;
    return !t || exitCode(t) !== 0;
  });
  if (incomplete.length === 0) return { type: 'Initialized', status: 'True' };
  return {
    type: 'Initialized',
    status: 'False',
    reason: 'ContainersNotInitialized',
    message: `containers with incomplete status: ${goList(incomplete.map((s) => asString(s.name) ?? ''))}`,
  };
}

function readyConditions(apps: JsonObject[], phase: string): Condition[] {
  const make = (type: string, c: Omit<Condition, 'type'>): Condition => ({ ...c, type });
  let base: Omit<Condition, 'type'>;
  if (phase === 'Succeeded' || phase === 'Failed') {
    base = { status: 'False', reason: phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed' };
  } else {
    const unready = apps.filter((s) => s.ready !== true).map((s) => asString(s.name) ?? '');
    base = unready.length === 0 ? { status: 'True' } : { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: ${goList(unready)}` };
  }
  return [make('Ready', base), make('ContainersReady', base)];
}

const KUBELET_CONDITIONS = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];

/** Conditions with lastTransitionTime kept from the previous status while the status is unchanged. */
function withTimes(pod: KubeObject, conditions: Condition[], now: string): JsonObject[] {
  const old = new Map<string, JsonObject>();
  for (const c of asArray(asObject(pod.status)?.conditions) ?? []) {
    const o = asObject(c);
    const type = asString(o?.type);
    if (o && type) old.set(type, o);
  }
  const out: JsonObject[] = conditions.map((c) => {
    const prev = old.get(c.type);
    const lastTransitionTime = prev && prev.status === c.status ? (asString(prev.lastTransitionTime) ?? now) : now;
    return { type: c.type, status: c.status, lastProbeTime: null, lastTransitionTime, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) };
  });
  const scheduled = old.get('PodScheduled');
  out.push(scheduled ? { ...scheduled } : { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
  for (const [type, c] of old) if (!KUBELET_CONDITIONS.includes(type)) out.push({ ...c });
  return out;
}

/** The new pod status (a complete `status` object). */
export function computePodStatus(input: StatusInput): JsonObject {
  const { pod } = input;
  const old = asObject(pod.status) ?? {};
  const now = toKubeTime(input.now);
  const initSpecs = initContainersOf(pod);
  const hasInit = initSpecs.length > 0;
  const init = initSpecs.map((c) => containerStatus(input, c, 'init', 'PodInitializing'));
  const apps = appContainersOf(pod)
    .map((c) => containerStatus(input, c, 'app', hasInit ? 'PodInitializing' : 'ContainerCreating'))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  let phase = podPhase(pod, init, apps, input.terminated === true);
  if (isTerminalPhase(pod)) phase = getString(pod, 'status', 'phase');
  if (phase === 'Succeeded' || phase === 'Failed') {
    for (const s of apps) s.ready = false;
  }
  const hostNetwork = asObject(pod.spec)?.hostNetwork === true;
  const sandbox = sandboxesOf(input.observed).find((s) => s.state === 'running');
  const sandboxReady = !!sandbox && (hostNetwork || sandbox.ip !== '');
  const conditions: Condition[] = [
    { type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' },
    initializedCondition(init, apps, phase),
    ...readyConditions(apps, phase),
  ];
  let podIP = hostNetwork ? input.hostIP : (sandbox?.ip ?? '');
  if (!podIP) podIP = asString(old.podIP) ?? '';
  const status: JsonObject = { phase, conditions: withTimes(pod, conditions, now) };
  if (input.hostIP) {
    status.hostIP = input.hostIP;
    status.hostIPs = [{ ip: input.hostIP }];
  }
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  status.startTime = asString(old.startTime) ?? now;
  if (hasInit) status.initContainerStatuses = init;
  status.containerStatuses = apps;
  for (const key of ['qosClass', 'nominatedNodeName', 'reason', 'message']) if (old[key] !== undefined) status[key] = old[key];
  return status;
}
