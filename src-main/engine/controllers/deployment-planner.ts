/**
 * The Deployment planner (pure): one sync of the deployment controller (deployment_controller.go
 * syncDeployment) as a list of writes. It works on private copies of the Deployment and its ReplicaSets,
 * so a later step sees what an earlier step decided, exactly as the real controller sees its own writes.
 */
import { labelSelectorFromObject, matchesLabels, NOTHING, type LabelSelector } from '../api/selectors/label-selector';
import type { KubeObject } from '../object';
import { deepCopy, jsonEqual } from '../object';
import { getNumber, getObject } from '../registry/json-access';
import { claimDecision, controllerRefOf, withControllerRef, withoutOwner } from './controller-ref';
import {
  maxRevision,
  replicasAnnotationsNeedUpdate,
  REVISION_ANNOTATION,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from './deployment-annotations';
import {
  activeReplicaSets,
  deploymentFacts,
  maxSurge,
  newRSNewReplicas,
  replicaSetFacts,
  type DeploymentFacts,
  type ReplicaSetFacts,
  type ScaleDecision,
} from './deployment-replicas';
import {
  calculateStatus,
  cloneStatus,
  deploymentComplete,
  getCondition,
  newCondition,
  parseDeploymentStatus,
  progressDeadlineOf,
  PROGRESSING,
  REASON_FOUND_NEW_RS,
  REASON_NEW_RS_CREATED,
  REASON_PAUSED,
  REASON_RESUMED,
  REASON_TIMED_OUT,
  renderDeploymentStatus,
  replicaFailureOf,
  rolloutStatus,
  setCondition,
  stuckRequeueDelay,
  type DeploymentCondition,
  type DeploymentStatus,
} from './deployment-status';
import { compareByRevision, findNewReplicaSet, isPaused, newReplicaSetBody, selectsEverything, strategyType, templateOf } from './deployment-util';
import { podTemplateHash } from './pod-template-hash';
import { proportionalScale } from './proportional-scale';
import { oldPodsRunning, recreateStep } from './recreate';
import { reconcileNewReplicaSet, reconcileOldReplicaSets } from './rolling-update';

const NO_HISTORY_LIMIT = 2147483647;

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type DeploymentAction =
  /** adopt or release a ReplicaSet: `object` is the whole ReplicaSet to write (its resourceVersion is the precondition) */
  | { type: 'claimReplicaSet'; object: KubeObject; adopt: boolean }
  | { type: 'createReplicaSet'; object: KubeObject; events: PlannedEvent[] }
  | { type: 'updateReplicaSet'; object: KubeObject; events: PlannedEvent[] }
  | { type: 'deleteReplicaSet'; name: string; uid: string }
  /** the Deployment's annotations as they should be (the revision annotation changed) */
  | { type: 'updateDeploymentAnnotations'; annotations: Record<string, string> }
  | { type: 'event'; event: PlannedEvent };

export interface DeploymentPlan {
  actions: DeploymentAction[];
  /** the status to write, when it differs from the stored one */
  status?: Record<string, unknown>;
  /** look again after this many ms (a progress deadline to check) */
  requeueAfterMs?: number;
  /** the sync stopped early (claims or a name collision): look again once the writes are seen */
  incomplete?: boolean;
}

export interface DeploymentPlanInput {
  deployment: KubeObject;
  /** every ReplicaSet of the Deployment's namespace */
  replicaSets: readonly KubeObject[];
  /** every pod of the namespace (Recreate waits for old pods to be gone) */
  pods: readonly KubeObject[];
  now: number;
}

interface WorkingReplicaSet {
  stored?: KubeObject;
  obj: KubeObject;
  touched: boolean;
  events: PlannedEvent[];
}

function deploymentSelector(d: KubeObject): LabelSelector {
  try {
    return labelSelectorFromObject(getObject(d, 'spec')?.selector);
  } catch {
    return NOTHING;
  }
}

/** One sync in progress: the Deployment copy, its ReplicaSets (by name) and what has been decided. */
class DeploymentSync {
  readonly d: KubeObject;
  readonly generation: number;
  readonly deadline: number | undefined;
  status: DeploymentStatus;
  readonly stored: DeploymentStatus;
  readonly owned = new Map<string, WorkingReplicaSet>();
  private readonly touchOrder: string[] = [];
  readonly claims: DeploymentAction[] = [];
  readonly deletes: DeploymentAction[] = [];
  readonly events: PlannedEvent[] = [];
  requeueAfterMs: number | undefined;
  incomplete = false;

  constructor(readonly input: DeploymentPlanInput) {
    this.d = deepCopy(input.deployment);
    this.generation = this.d.metadata.generation ?? 0;
    this.deadline = progressDeadlineOf(this.d);
    this.stored = parseDeploymentStatus(input.deployment);
    this.status = cloneStatus(this.stored);
  }

  get now(): number {
    return this.input.now;
  }

  facts(): DeploymentFacts {
    return deploymentFacts(this.d);
  }

  rsFacts(name: string): ReplicaSetFacts {
    const w = this.working(name);
    const f = replicaSetFacts(w.obj);
    // A ReplicaSet not created yet is the newest of all.
    if (!w.stored) f.created = this.now;
    return f;
  }

  working(name: string): WorkingReplicaSet {
    const w = this.owned.get(name);
    if (!w) throw new Error(`no ReplicaSet ${name} in this sync`);
    return w;
  }

  touch(name: string): void {
    const w = this.working(name);
    if (!w.touched) {
      w.touched = true;
      this.touchOrder.push(name);
    }
  }

  add(obj: KubeObject, stored: KubeObject | undefined): void {
    this.owned.set(obj.metadata.name ?? '', { stored, obj, touched: false, events: [] });
  }

  /**
   * scaleReplicaSetAndRecordEvent (and with `force`, scaleReplicaSet): set the size and the replicas
   * annotations; true when the size changed.
   */
  scale(name: string, replicas: number, force = false): boolean {
    const w = this.working(name);
    const spec = getObject(w.obj, 'spec') ?? {};
    const current = getNumber(w.obj, 'spec', 'replicas') ?? 1;
    const sizeChanged = current !== replicas;
    if (!sizeChanged && !force) return false;
    const facts = this.facts();
    const desired = facts.replicas;
    const max = facts.replicas + maxSurge(facts);
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(w.obj, desired, max)) return false;
    spec.replicas = replicas;
    w.obj.spec = spec;
    setReplicasAnnotations(w.obj, desired, max);
    this.touch(name);
    if (sizeChanged) {
      const direction = current < replicas ? 'up' : 'down';
      w.events.push({ type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled ${direction} replica set ${name} from ${current} to ${replicas}` });
    }
    return sizeChanged;
  }

  apply(decisions: readonly ScaleDecision[]): boolean {
    let scaled = false;
    for (const dec of decisions) if (this.scale(dec.name, dec.replicas, dec.force)) scaled = true;
    return scaled;
  }

  deleteReplicaSet(rs: KubeObject): void {
    this.deletes.push({ type: 'deleteReplicaSet', name: rs.metadata.name ?? '', uid: rs.metadata.uid ?? '' });
  }

  event(type: PlannedEvent['type'], reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }

  finish(): DeploymentPlan {
    const actions: DeploymentAction[] = [...this.claims];
    for (const name of this.touchOrder) {
      const w = this.working(name);
      if (!w.stored) actions.push({ type: 'createReplicaSet', object: w.obj, events: w.events });
      else if (!jsonEqual(w.obj, w.stored)) actions.push({ type: 'updateReplicaSet', object: w.obj, events: w.events });
    }
    actions.push(...this.deletes);
    for (const event of this.events) actions.push({ type: 'event', event });
    const annotations = this.d.metadata.annotations ?? {};
    if (!jsonEqual(annotations, this.input.deployment.metadata.annotations ?? {})) {
      actions.push({ type: 'updateDeploymentAnnotations', annotations });
    }
    const plan: DeploymentPlan = { actions };
    const status = renderDeploymentStatus(this.status);
    if (!jsonEqual(status, renderDeploymentStatus(this.stored))) plan.status = status;
    if (this.requeueAfterMs !== undefined) plan.requeueAfterMs = this.requeueAfterMs;
    if (this.incomplete) plan.incomplete = true;
    return plan;
  }
}

/** getReplicaSetsForDeployment: keep, adopt and release ReplicaSets by selector. False when claims are pending. */
function claimReplicaSets(s: DeploymentSync): boolean {
  const selector = deploymentSelector(s.d);
  for (const rs of s.input.replicaSets) {
    switch (claimDecision(s.input.deployment, rs, matchesLabels(selector, rs.metadata.labels))) {
      case 'owned':
        s.add(deepCopy(rs), rs);
        break;
      case 'adopt':
        s.claims.push({ type: 'claimReplicaSet', object: withControllerRef(rs, s.input.deployment), adopt: true });
        break;
      case 'release':
        s.claims.push({ type: 'claimReplicaSet', object: withoutOwner(rs, s.input.deployment.metadata.uid ?? ''), adopt: false });
        break;
      case 'ignore':
        break;
    }
  }
  return s.claims.length === 0;
}

interface NewAndOld {
  newRS: string | undefined;
  oldRSs: string[];
}

/**
 * getAllReplicaSetsAndSyncRevision: find the new ReplicaSet (creating it when asked), bring its revision and
 * annotations up to date, and copy its revision to the Deployment.
 */
function newAndOld(s: DeploymentSync, createIfMissing: boolean): NewAndOld {
  const all = [...s.owned.values()].map((w) => w.obj);
  const found = findNewReplicaSet(s.d, all);
  const oldRSs = all.filter((rs) => rs !== found).map((rs) => rs.metadata.name ?? '');
  const newRevision = maxRevision(all.filter((rs) => rs !== found)) + 1;
  const facts = s.facts();
  const max = facts.replicas + maxSurge(facts);
  if (found) {
    const name = found.metadata.name ?? '';
    let changed = setNewReplicaSetAnnotations(s.d, found, newRevision, true, facts.replicas, max);
    const spec = getObject(found, 'spec') ?? {};
    const minReady = getNumber(s.d, 'spec', 'minReadySeconds') ?? 0;
    if ((getNumber(found, 'spec', 'minReadySeconds') ?? 0) !== minReady) {
      if (minReady === 0) delete spec.minReadySeconds;
      else spec.minReadySeconds = minReady;
      changed = true;
    }
    if (changed) s.touch(name);
    setDeploymentRevision(s.d, found.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    if (s.deadline !== undefined && !getCondition(s.status, PROGRESSING)) {
      setCondition(s.status, newCondition(PROGRESSING, 'True', REASON_FOUND_NEW_RS, `Found new replica set "${name}"`, s.now));
    }
    return { newRS: name, oldRSs };
  }
  if (!createIfMissing) return { newRS: undefined, oldRSs };
  const hash = podTemplateHash(templateOf(s.d), s.status.collisionCount);
  const body = newReplicaSetBody(s.d, hash, 0);
  const name = body.metadata.name ?? '';
  if (s.input.replicaSets.some((rs) => rs.metadata.name === name)) {
    // The name is taken by another template (ours would have been found) or another owner: a hash
    // collision. Counting it changes the hash; the next sync tries the new name.
    s.status.collisionCount = (s.status.collisionCount ?? 0) + 1;
    s.incomplete = true;
    return { newRS: undefined, oldRSs };
  }
  s.add(body, undefined);
  const oldFacts = oldRSs.map((n) => s.rsFacts(n));
  const replicas = newRSNewReplicas(facts, [...oldFacts, s.rsFacts(name)], s.rsFacts(name));
  (getObject(body, 'spec') ?? {}).replicas = replicas;
  setNewReplicaSetAnnotations(s.d, body, newRevision, false, facts.replicas, max);
  s.touch(name);
  if (replicas > 0) {
    s.working(name).events.push({ type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set ${name} from 0 to ${replicas}` });
  }
  setDeploymentRevision(s.d, String(newRevision));
  if (s.deadline !== undefined) {
    setCondition(s.status, newCondition(PROGRESSING, 'True', REASON_NEW_RS_CREATED, `Created new replica set "${name}"`, s.now));
  }
  return { newRS: name, oldRSs };
}

function factsOf(s: DeploymentSync, names: NewAndOld): { newRS: ReplicaSetFacts | undefined; oldRSs: ReplicaSetFacts[]; all: ReplicaSetFacts[] } {
  const newRS = names.newRS === undefined ? undefined : s.rsFacts(names.newRS);
  const oldRSs = names.oldRSs.map((n) => s.rsFacts(n));
  return { newRS, oldRSs, all: newRS ? [...oldRSs, newRS] : oldRSs };
}

/** isScalingEvent: an active ReplicaSet was sized for a different spec.replicas. */
function isScalingEvent(s: DeploymentSync): boolean {
  const { all } = factsOf(s, newAndOld(s, false));
  const replicas = s.facts().replicas;
  return activeReplicaSets(all).some((rs) => rs.desiredReplicas !== undefined && rs.desiredReplicas !== replicas);
}

/** checkPausedConditions: Progressing Unknown while paused, and once more on resume. */
function checkPausedConditions(s: DeploymentSync): void {
  if (s.deadline === undefined) return;
  const cond = getCondition(s.status, PROGRESSING);
  if (cond?.reason === REASON_TIMED_OUT) return;
  const pausedCond = cond?.reason === REASON_PAUSED;
  if (isPaused(s.d) && !pausedCond) {
    setCondition(s.status, newCondition(PROGRESSING, 'Unknown', REASON_PAUSED, 'Deployment is paused', s.now));
  } else if (!isPaused(s.d) && pausedCond) {
    setCondition(s.status, newCondition(PROGRESSING, 'Unknown', REASON_RESUMED, 'Deployment is resumed', s.now));
  }
}

/** cleanupDeployment: delete the oldest old ReplicaSets beyond revisionHistoryLimit that have nothing left. */
function cleanup(s: DeploymentSync, oldNames: readonly string[]): void {
  const limit = getNumber(s.d, 'spec', 'revisionHistoryLimit');
  if (limit === undefined || limit === NO_HISTORY_LIMIT) return;
  // Decide on the ReplicaSets as stored: one scaled down in this very sync still has pods.
  const cleanable = oldNames.map((n) => s.working(n).stored).filter((rs): rs is KubeObject => !!rs && !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort(compareByRevision);
  for (const rs of cleanable.slice(0, diff)) {
    const busy =
      (getNumber(rs, 'status', 'replicas') ?? 0) !== 0 ||
      (getNumber(rs, 'spec', 'replicas') ?? 1) !== 0 ||
      (rs.metadata.generation ?? 0) > (getNumber(rs, 'status', 'observedGeneration') ?? 0);
    if (!busy) s.deleteReplicaSet(rs);
  }
}

/** syncDeploymentStatus: counts and Available only (scaling and paused syncs). */
function syncStatus(s: DeploymentSync, names: NewAndOld): void {
  const { newRS, all } = factsOf(s, names);
  s.status = calculateStatus(s.facts(), s.generation, s.status, all, newRS, s.now);
}

/** syncRolloutStatus, and when nothing changes, when to check the progress deadline again. */
function syncRollout(s: DeploymentSync, names: NewAndOld): void {
  const { newRS, all } = factsOf(s, names);
  let failure: DeploymentCondition | undefined;
  if (names.newRS !== undefined) failure = replicaFailureOf(s.working(names.newRS).obj);
  for (const n of names.oldRSs) failure ??= replicaFailureOf(s.working(n).obj);
  const before = s.status;
  const next = rolloutStatus({
    name: s.d.metadata.name ?? '',
    facts: s.facts(),
    generation: s.generation,
    deadlineSeconds: s.deadline,
    current: before,
    allRSs: all,
    newRS,
    replicaFailure: failure,
    now: s.now,
  });
  s.status = next;
  if (jsonEqual(renderDeploymentStatus(next), renderDeploymentStatus(s.stored))) {
    s.requeueAfterMs = stuckRequeueDelay(s.deadline, s.facts().replicas, s.generation, before, next, s.now);
  }
}

/** sync: scaling events and paused Deployments. */
function syncScaling(s: DeploymentSync): void {
  const names = newAndOld(s, false);
  const { newRS, oldRSs } = factsOf(s, names);
  s.apply(proportionalScale(s.facts(), newRS, oldRSs));
  if (isPaused(s.d)) cleanup(s, names.oldRSs);
  syncStatus(s, names);
}

function rolloutRolling(s: DeploymentSync): void {
  const names = newAndOld(s, true);
  if (names.newRS === undefined) {
    syncRollout(s, names);
    return;
  }
  const d = s.facts();
  let f = factsOf(s, names);
  const newRS = f.newRS as ReplicaSetFacts;
  if (s.scale(newRS.name, reconcileNewReplicaSet(d, f.all, newRS))) {
    syncRollout(s, names);
    return;
  }
  f = factsOf(s, names);
  const downs = reconcileOldReplicaSets(d, f.all, activeReplicaSets(f.oldRSs), f.newRS as ReplicaSetFacts);
  if (downs.length > 0) {
    s.apply(downs);
    syncRollout(s, names);
    return;
  }
  if (deploymentComplete(d.replicas, s.generation, s.status)) cleanup(s, names.oldRSs);
  syncRollout(s, names);
}

/** Pods matching the selector, grouped by the uid of their controlling ReplicaSet (terminating ones too). */
function podsByReplicaSet(s: DeploymentSync): Map<string, KubeObject[]> {
  const selector = deploymentSelector(s.d);
  const map = new Map<string, KubeObject[]>();
  for (const w of s.owned.values()) if (w.stored?.metadata.uid) map.set(w.stored.metadata.uid, []);
  for (const pod of s.input.pods) {
    if (!matchesLabels(selector, pod.metadata.labels)) continue;
    const ref = controllerRefOf(pod);
    if (ref) map.get(ref.uid)?.push(pod);
  }
  return map;
}

function rolloutRecreate(s: DeploymentSync): void {
  let names = newAndOld(s, false);
  const d = s.facts();
  const f = factsOf(s, names);
  const newUid = names.newRS === undefined ? undefined : s.working(names.newRS).stored?.metadata.uid;
  const step = recreateStep(d, f.oldRSs, oldPodsRunning(f.oldRSs, podsByReplicaSet(s), newUid));
  if (step.kind === 'scaleDownOld') {
    s.apply(step.decisions);
    syncRollout(s, names);
    return;
  }
  if (step.kind === 'waitForOldPods') {
    syncRollout(s, names);
    return;
  }
  if (names.newRS === undefined) names = newAndOld(s, true);
  if (names.newRS !== undefined) s.scale(names.newRS, step.replicas);
  if (deploymentComplete(d.replicas, s.generation, s.status)) cleanup(s, names.oldRSs);
  syncRollout(s, names);
}

/** Plan one sync of a Deployment. */
export function planDeployment(input: DeploymentPlanInput): DeploymentPlan {
  const s = new DeploymentSync(input);
  if (selectsEverything(s.d)) {
    s.event('Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if (s.status.observedGeneration < s.generation) s.status.observedGeneration = s.generation;
    return s.finish();
  }
  if (!claimReplicaSets(s)) {
    // Adoptions change the ReplicaSets' resourceVersions: finish them, then sync on what they became.
    s.incomplete = true;
    return { actions: s.claims, incomplete: true };
  }
  if (s.d.metadata.deletionTimestamp) {
    syncStatus(s, newAndOld(s, false));
    return s.finish();
  }
  checkPausedConditions(s);
  if (isPaused(s.d) || isScalingEvent(s)) syncScaling(s);
  else if (strategyType(s.d) === 'Recreate') rolloutRecreate(s);
  else rolloutRolling(s);
  return s.finish();
}
