/**
 * From the metrics' recommendation to the replica count the HPA sets, pure: the stabilization window
 * (the highest recommendation of the window on the way down, the lowest on the way up), the rate policies
 * (Pods/Percent per period, selectPolicy Max/Min/Disabled) and min/max. It follows kubernetes
 * pkg/controller/podautoscaler/horizontal.go (normalizeDesiredReplicas, normalizeDesiredReplicasWithBehaviors,
 * stabilizeRecommendationWithBehaviors, convertDesiredReplicasWithBehaviorRate, calculateScale*Limit*).
 */

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: ScalingPolicy[];
}

export interface ScaleEvent {
  replicaChange: number;
  timestampMs: number;
}

/** What the controller remembers per HPA between syncs (kube-controller-manager keeps it in memory too). */
export interface HpaMemory {
  recommendations: Array<{ replicas: number; timestampMs: number }>;
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

export function emptyMemory(): HpaMemory {
  return { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
}

/**
 * recordInitialRecommendation: an HPA seen for the first time (new, or after the engine restarted and lost
 * its memory) starts with the target's current count as a recommendation, so the stabilization window has
 * to pass before it scales down from there.
 */
export function initialMemory(currentReplicas: number, now: number): HpaMemory {
  return { recommendations: [{ replicas: currentReplicas, timestampMs: now }], scaleUpEvents: [], scaleDownEvents: [] };
}

export interface ConditionView {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  /** the AbleToScale condition the normalization sets */
  ableToScale: ConditionView;
  scalingLimited: ConditionView;
}

const READY_FOR_NEW_SCALE: ConditionView = { status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };

/** Record this sync's recommendation, replacing one older than `cutoff` if there is one. */
function recordRecommendation(memory: HpaMemory, replicas: number, now: number, oldIndex: number | undefined): void {
  if (oldIndex !== undefined) memory.recommendations[oldIndex] = { replicas, timestampMs: now };
  else memory.recommendations.push({ replicas, timestampMs: now });
}

/** Without spec.behavior: the highest recommendation of the downscale window, then at most max(2×current, 4). */
export function normalizeWithoutBehavior(
  memory: HpaMemory,
  a: { current: number; desired: number; min: number; max: number; downscaleWindowMs: number },
  now: number,
): Normalized {
  let stabilized = a.desired;
  let oldIndex: number | undefined;
  const cutoff = now - a.downscaleWindowMs;
  memory.recommendations.forEach((rec, i) => {
    if (rec.timestampMs < cutoff) oldIndex = i;
    else if (rec.replicas > stabilized) stabilized = rec.replicas;
  });
  recordRecommendation(memory, a.desired, now, oldIndex);
  const ableToScale: ConditionView =
    stabilized !== a.desired ? { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' } : READY_FOR_NEW_SCALE;
  const scaleUpLimit = Math.max(2 * a.current, 4);
  let maxAllowed: number;
  let limitReason: { reason: string; message: string };
  if (a.max > scaleUpLimit) {
    maxAllowed = scaleUpLimit;
    limitReason = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
  } else {
    maxAllowed = a.max;
    limitReason = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
  }
  let replicas = stabilized;
  let why = WITHIN_RANGE;
  if (stabilized < a.min) {
    replicas = a.min;
    why = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
  } else if (stabilized > maxAllowed) {
    replicas = maxAllowed;
    why = limitReason;
  }
  return { replicas, ableToScale, scalingLimited: { status: replicas === stabilized ? 'False' : 'True', ...why } };
}

/** Replicas added (or removed) by the events within the last `periodSeconds`. */
export function replicasChangedWithin(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let n = 0;
  for (const e of events) if (e.timestampMs > cutoff) n += e.replicaChange;
  return n;
}

/** calculateScaleUpLimitWithScalingRules: the most replicas the scale-up policies allow now. */
export function scaleUpLimit(current: number, memory: HpaMemory, rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies) {
    const periodStart = current - replicasChangedWithin(p.periodSeconds, memory.scaleUpEvents, now) + replicasChangedWithin(p.periodSeconds, memory.scaleDownEvents, now);
    const proposed = p.type === 'Pods' ? periodStart + p.value : Math.ceil(periodStart * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the fewest replicas the scale-down policies allow now. */
export function scaleDownLimit(current: number, memory: HpaMemory, rules: ScalingRules, now: number): number {
  if (rules.selectPolicy === 'Disabled') return current;
  // Max picks the biggest change (lowest count), Min the smallest.
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies) {
    const periodStart = current - replicasChangedWithin(p.periodSeconds, memory.scaleUpEvents, now) + replicasChangedWithin(p.periodSeconds, memory.scaleDownEvents, now);
    const proposed = p.type === 'Pods' ? periodStart - p.value : Math.trunc(periodStart * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** With spec.behavior: stabilize within both windows, then apply the rate policies and min/max. */
export function normalizeWithBehavior(
  memory: HpaMemory,
  a: { current: number; desired: number; min: number; max: number; scaleUp: ScalingRules; scaleDown: ScalingRules },
  now: number,
): Normalized {
  const upCutoff = now - a.scaleUp.stabilizationWindowSeconds * 1000;
  const downCutoff = now - a.scaleDown.stabilizationWindowSeconds * 1000;
  let up = a.desired;
  let down = a.desired;
  let oldIndex: number | undefined;
  memory.recommendations.forEach((rec, i) => {
    if (rec.timestampMs > upCutoff) up = Math.min(rec.replicas, up);
    if (rec.timestampMs > downCutoff) down = Math.max(rec.replicas, down);
    if (rec.timestampMs < upCutoff && rec.timestampMs < downCutoff) oldIndex = i;
  });
  let stabilized = a.current;
  if (stabilized < up) stabilized = up;
  if (stabilized > down) stabilized = down;
  recordRecommendation(memory, a.desired, now, oldIndex);
  let ableToScale = READY_FOR_NEW_SCALE;
  if (stabilized !== a.desired) {
    ableToScale =
      a.desired >= a.current
        ? { status: 'True', reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' }
        : { status: 'True', reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
  }
  let replicas = stabilized;
  let why = WITHIN_RANGE;
  if (stabilized > a.current) {
    const limit = Math.max(scaleUpLimit(a.current, memory, a.scaleUp, now), a.current);
    const maxAllowed = Math.min(a.max, limit);
    const limiting =
      a.max > limit
        ? { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' }
        : { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    if (stabilized > maxAllowed) {
      replicas = maxAllowed;
      why = limiting;
    }
  } else if (stabilized < a.current) {
    const limit = Math.min(scaleDownLimit(a.current, memory, a.scaleDown, now), a.current);
    const minAllowed = Math.max(a.min, limit);
    const limiting =
      a.min < limit
        ? { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' }
        : { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    if (stabilized < minAllowed) {
      replicas = minAllowed;
      why = limiting;
    }
  }
  return { replicas, ableToScale, scalingLimited: { status: replicas === stabilized ? 'False' : 'True', ...why } };
}

/** storeScaleEvent: remember a rescale for the rate policies, forgetting events older than the longest period. */
export function recordScaleEvent(memory: HpaMemory, rules: { scaleUp: ScalingRules; scaleDown: ScalingRules } | undefined, prev: number, next: number, now: number): void {
  if (!rules || prev === next) return;
  const up = next > prev;
  const policies = up ? rules.scaleUp.policies : rules.scaleDown.policies;
  const longest = Math.max(0, ...policies.map((p) => p.periodSeconds)) * 1000;
  const list = (up ? memory.scaleUpEvents : memory.scaleDownEvents).filter((e) => e.timestampMs > now - longest);
  list.push({ replicaChange: Math.abs(next - prev), timestampMs: now });
  if (up) memory.scaleUpEvents = list;
  else memory.scaleDownEvents = list;
}
