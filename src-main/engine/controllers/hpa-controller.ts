/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2): every sync period, per HPA, read the target's
 * scale, compute a replica count per metric (Resource cpu/memory from the stats collector, Pods metric
 * `requests_per_second` from PodTraffic), take the highest, stabilize and rate-limit it, write the target's
 * scale, and report status, conditions and events as kube-controller-manager does
 * (pkg/controller/podautoscaler/horizontal.go reconcileAutoscaler). The arithmetic lives in
 * hpa-replica-calculator.ts and hpa-normalize.ts.
 */
import type { ObjectService } from '../api/object-service';
import { matchesLabels, parseLabelSelector } from '../api/selectors';
import type { PodTraffic } from '../metrics/pod-traffic';
import type { PodMetricsSource } from '../metrics/stats-collector';
import { deepCopy, jsonEqual, type KubeObject } from '../object';
import { asArray, asNumber, asObject, asString, getObject, objectItems, type JsonObject } from '../registry/json-access';
import { parseQuantity } from '../registry/quantity';
import type { ResourceType } from '../registry/resource-type';
import type { StoreEvent } from '../store/sqlite-store';
import { Controller } from './controller-base';
import { isGoneOrConflict, requireType, type ControllerOptions } from './controller-options';
import { averageValueReplicas, DEFAULT_CALCULATOR_CONFIG, resourceUtilizationReplicas, type CalculatorConfig, type HpaPod, type HpaPodMetric } from './hpa-replica-calculator';
import { initialMemory, normalizeWithBehavior, normalizeWithoutBehavior, recordScaleEvent, type ConditionView, type HpaMemory, type ScalingRules } from './hpa-normalize';
import { formatTime, objectKey, parseTime, RESOURCE_PODS, splitKey } from './object-source';

const COMPONENT = 'horizontal-pod-autoscaler';
export const RESOURCE_HPAS = 'horizontalpodautoscalers.autoscaling';
const REQUESTS_PER_SECOND = 'requests_per_second';
const TRAFFIC_WINDOW_MS = 30_000;

export interface HpaControllerOptions extends ControllerOptions {
  /** per-pod CPU/memory (the stats collector); undefined: resource metrics are unavailable */
  metrics?: PodMetricsSource;
  traffic: PodTraffic;
  /** how often each HPA is looked at (default 15 s, --horizontal-pod-autoscaler-sync-period) */
  syncMs?: number;
  /** scale-down window when spec.behavior does not give one (default 5 min) */
  downscaleStabilizationMs?: number;
  calculator?: Partial<Omit<CalculatorConfig, 'now'>>;
}

type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

interface MetricOutcome {
  replicas: number;
  name: string;
  status: JsonObject;
  timestampMs: number;
}

interface MetricFailure {
  error: string;
  reason: string;
}

function setCondition(status: JsonObject, type: ConditionType, c: ConditionView, now: string): void {
  const list = (asArray(status.conditions) ?? []).filter((x): x is JsonObject => asObject(x) !== undefined).map((x) => ({ ...x }));
  const existing = list.find((x) => x.type === type);
  const next: JsonObject = { type, status: c.status, lastTransitionTime: existing && existing.status === c.status ? existing.lastTransitionTime : now, reason: c.reason, message: c.message };
  if (existing) list[list.indexOf(existing)] = next;
  else list.push(next);
  status.conditions = list;
}

function rules(v: unknown, fallbackWindowSeconds: number): ScalingRules {
  const o = asObject(v) ?? {};
  const select = asString(o.selectPolicy);
  return {
    stabilizationWindowSeconds: asNumber(o.stabilizationWindowSeconds) ?? fallbackWindowSeconds,
    selectPolicy: select === 'Min' || select === 'Disabled' ? select : 'Max',
    policies: objectItems(o.policies).map(([p]) => ({ type: p.type === 'Pods' ? 'Pods' : 'Percent', value: asNumber(p.value) ?? 0, periodSeconds: asNumber(p.periodSeconds) ?? 15 })),
  };
}

/** A quantity of base units as the API writes averageValue: milli-units unless whole. */
function quantity(v: number): string {
  const milli = Math.round(v * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

function memoryQuantity(bytes: number): string {
  return String(Math.round(bytes));
}

export class HorizontalPodAutoscalerController extends Controller {
  private readonly hpaType: ResourceType;
  private readonly podType: ResourceType;
  private readonly memory = new Map<string, HpaMemory>();
  private readonly syncMs: number;

  constructor(
    service: ObjectService,
    private readonly opts: HpaControllerOptions,
  ) {
    super(service, opts, { baseDelayMs: 100 });
    this.syncMs = Math.max(10, opts.syncMs ?? 15_000);
    this.hpaType = requireType(service, RESOURCE_HPAS);
    this.podType = requireType(service, RESOURCE_PODS);
  }

  protected initialKeys(): string[] {
    return this.source.list(RESOURCE_HPAS).map(objectKey);
  }

  protected onEvent(e: StoreEvent): void {
    if (e.resource !== RESOURCE_HPAS) return;
    const key = `${e.namespace}/${e.name}`;
    if (e.type === 'DELETED') {
      this.memory.delete(key);
      return;
    }
    // Our own status writes do not start another sync; a changed spec (or a new HPA) does.
    if (e.type === 'ADDED' || e.prev?.metadata.generation !== e.object.metadata.generation) this.queue.add(key);
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const hpa = this.source.get(RESOURCE_HPAS, namespace, name);
    if (!hpa) {
      this.memory.delete(key);
      return;
    }
    try {
      this.sync(key, hpa);
    } finally {
      this.timers.after(key, this.syncMs);
    }
  }

  private sync(key: string, hpa: KubeObject): void {
    const nowMs = this.clock.now();
    const now = formatTime(nowMs);
    const spec = asObject(hpa.spec) ?? {};
    const original = asObject(hpa.status) ?? {};
    const status: JsonObject = deepCopy(original);
    const ref = asObject(spec.scaleTargetRef) ?? {};
    const refKind = asString(ref.kind) ?? '';
    const refName = asString(ref.name) ?? '';
    const refGroup = (asString(ref.apiVersion) ?? '').includes('/') ? (asString(ref.apiVersion) ?? '').split('/')[0] : '';
    const minReplicas = asNumber(spec.minReplicas) ?? 1;
    const maxReplicas = asNumber(spec.maxReplicas) ?? 1;
    const metricSpecs = objectItems(spec.metrics).map(([m]) => m);
    const namespace = hpa.metadata.namespace ?? '';

    const targetType = this.service.types.find((t) => t.kind === refKind && t.group === refGroup && t.scale);
    const target = targetType ? this.service.tryGet(targetType, namespace, refName) : undefined;
    if (!targetType || !target || !targetType.scale) {
      const err = !targetType ? `no matches for kind "${refKind}" in group "${refGroup}"` : `${targetType.plural}${targetType.group ? `.${targetType.group}` : ''} "${refName}" not found`;
      this.events.record(hpa, 'Warning', 'FailedGetScale', err, COMPONENT);
      setCondition(status, 'AbleToScale', { status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: ${err}` }, now);
      this.writeStatus(hpa, original, status);
      return;
    }
    const scale = targetType.scale;
    setCondition(status, 'AbleToScale', { status: 'True', reason: 'SucceededGetScale', message: "the HPA controller was able to get the target's current scale" }, now);
    const currentReplicas = scale.specReplicas(target);
    let desiredReplicas = 0;
    let rescaleReason = '';
    let metricStatuses: JsonObject[] = asArray(original.currentMetrics)?.filter((x): x is JsonObject => asObject(x) !== undefined) ?? [];
    const behavior = asObject(spec.behavior);
    const memory = this.memory.get(key) ?? initialMemory(currentReplicas, nowMs);
    this.memory.set(key, memory);
    const downscaleWindowSeconds = (this.opts.downscaleStabilizationMs ?? 300_000) / 1000;
    const behaviorRules = behavior ? { scaleUp: rules(behavior.scaleUp, 0), scaleDown: rules(behavior.scaleDown, downscaleWindowSeconds) } : undefined;

    if (currentReplicas === 0 && minReplicas !== 0) {
      desiredReplicas = 0;
      setCondition(status, 'ScalingActive', { status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' }, now);
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const selectorText = scale.selector(target);
      if (selectorText === '') {
        this.events.record(hpa, 'Warning', 'SelectorRequired', 'selector is required', COMPONENT);
        setCondition(status, 'ScalingActive', { status: 'False', reason: 'InvalidSelector', message: "the HPA target's scale is missing a selector" }, now);
        this.finishStatus(status, hpa, currentReplicas, currentReplicas, metricStatuses, false, nowMs);
        this.writeStatus(hpa, original, status);
        return;
      }
      const pods = this.podsFor(namespace, selectorText);
      const cfg: CalculatorConfig = { ...DEFAULT_CALCULATOR_CONFIG, ...this.opts.calculator, now: nowMs };
      let best = -1;
      let bestName = '';
      let invalid = 0;
      let firstFailure: MetricFailure | undefined;
      metricStatuses = [];
      for (const m of metricSpecs) {
        const out = this.computeMetric(m, currentReplicas, namespace, pods, cfg);
        if ('error' in out) {
          invalid++;
          metricStatuses.push({ type: '' });
          this.events.record(hpa, 'Warning', out.reason, out.error, COMPONENT);
          firstFailure = firstFailure ?? out;
          continue;
        }
        metricStatuses.push(out.status);
        if (out.replicas > best) {
          best = out.replicas;
          bestName = out.name;
        }
      }
      // All metrics invalid, or some invalid while the valid ones would scale down: change nothing.
      if (invalid >= metricSpecs.length || (invalid > 0 && best < currentReplicas)) {
        const failure = firstFailure ?? { reason: 'InvalidMetricSourceType', error: 'no metrics to compute a replica count from' };
        setCondition(status, 'ScalingActive', { status: 'False', reason: failure.reason, message: `the HPA was unable to compute the replica count: ${failure.error}` }, now);
        this.events.record(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (${invalid} invalid out of ${metricSpecs.length}), first error is: ${failure.error}`, COMPONENT);
        this.finishStatus(status, hpa, currentReplicas, asNumber(original.desiredReplicas) ?? 0, metricStatuses, false, nowMs);
        this.writeStatus(hpa, original, status);
        return;
      }
      setCondition(status, 'ScalingActive', { status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${bestName}` }, now);
      desiredReplicas = best;
      if (desiredReplicas > currentReplicas) rescaleReason = `${bestName} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const normalized = behaviorRules
        ? normalizeWithBehavior(memory, { current: currentReplicas, desired: desiredReplicas, min: minReplicas, max: maxReplicas, ...behaviorRules }, nowMs)
        : normalizeWithoutBehavior(memory, { current: currentReplicas, desired: desiredReplicas, min: minReplicas, max: maxReplicas, downscaleWindowMs: downscaleWindowSeconds * 1000 }, nowMs);
      desiredReplicas = normalized.replicas;
      setCondition(status, 'AbleToScale', normalized.ableToScale, now);
      setCondition(status, 'ScalingLimited', normalized.scalingLimited, now);
    }

    const rescale = desiredReplicas !== currentReplicas && !(currentReplicas === 0 && minReplicas !== 0);
    if (rescale) {
      try {
        const next = deepCopy(target);
        scale.setSpecReplicas(next, desiredReplicas);
        this.service.update(targetType, namespace, refName, next);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        this.events.record(hpa, 'Warning', 'FailedRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}; error: ${msg}`, COMPONENT);
        setCondition(status, 'AbleToScale', { status: 'False', reason: 'FailedUpdateScale', message: `the HPA controller was unable to update the target scale: ${msg}` }, now);
        this.finishStatus(status, hpa, currentReplicas, asNumber(original.desiredReplicas) ?? 0, metricStatuses, false, nowMs);
        this.writeStatus(hpa, original, status);
        if (isGoneOrConflict(err)) this.timers.after(key, 100);
        return;
      }
      setCondition(status, 'AbleToScale', { status: 'True', reason: 'SucceededRescale', message: `the HPA controller was able to update the target scale to ${desiredReplicas}` }, now);
      this.events.record(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desiredReplicas}; reason: ${rescaleReason}`, COMPONENT);
      recordScaleEvent(memory, behaviorRules, currentReplicas, desiredReplicas, nowMs);
    } else {
      desiredReplicas = currentReplicas === 0 && minReplicas !== 0 ? 0 : currentReplicas;
    }
    this.finishStatus(status, hpa, currentReplicas, desiredReplicas, metricStatuses, rescale, nowMs);
    this.writeStatus(hpa, original, status);
  }

  private finishStatus(status: JsonObject, hpa: KubeObject, current: number, desired: number, metrics: JsonObject[], rescaled: boolean, nowMs: number): void {
    status.observedGeneration = hpa.metadata.generation;
    status.currentReplicas = current;
    status.desiredReplicas = desired;
    if (metrics.length > 0) status.currentMetrics = metrics;
    else delete status.currentMetrics;
    if (rescaled) status.lastScaleTime = formatTime(nowMs);
  }

  private writeStatus(hpa: KubeObject, original: JsonObject, status: JsonObject): void {
    if (jsonEqual(original, status)) return;
    const next = deepCopy(hpa);
    next.status = status;
    try {
      this.service.update(this.hpaType, hpa.metadata.namespace ?? '', hpa.metadata.name ?? '', next, { subresource: 'status' });
    } catch (err) {
      if (!isGoneOrConflict(err)) throw err;
    }
  }

  private podsFor(namespace: string, selectorText: string): KubeObject[] {
    let selector;
    try {
      selector = parseLabelSelector(selectorText);
    } catch {
      return [];
    }
    return this.source.list(RESOURCE_PODS, namespace).filter((p) => matchesLabels(selector, p.metadata.labels));
  }

  private computeMetric(m: JsonObject, currentReplicas: number, namespace: string, pods: KubeObject[], cfg: CalculatorConfig): MetricOutcome | MetricFailure {
    const type = asString(m.type) ?? '';
    if (type === 'Resource' || type === 'ContainerResource') {
      const src = asObject(type === 'Resource' ? m.resource : m.containerResource) ?? {};
      const resource = asString(src.name) ?? '';
      const container = type === 'ContainerResource' ? asString(src.container) : undefined;
      const target = asObject(src.target) ?? {};
      const reason = type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
      const label = type === 'Resource' ? `${resource} resource` : `${resource} container resource`;
      const fail = (error: string): MetricFailure => ({ reason, error });
      if (resource !== 'cpu' && resource !== 'memory') return fail(`failed to get ${resource} utilization: unable to get metrics for resource ${resource}: the resource metrics API serves cpu and memory only`);
      const hpaPods = pods.map((p) => this.hpaPod(p, resource));
      const metrics = this.resourceMetrics(namespace, pods, resource, container);
      if (!metrics) return fail(`failed to get ${resource} utilization: unable to get metrics for resource ${resource}: the server could not find the requested resource (get pods.metrics.k8s.io)`);
      const sourceField = type === 'Resource' ? 'resource' : 'containerResource';
      const ident: JsonObject = container !== undefined ? { name: resource, container } : { name: resource };
      const utilTarget = asNumber(target.averageUtilization);
      if (utilTarget !== undefined) {
        const r = resourceUtilizationReplicas(currentReplicas, utilTarget, resource, container, hpaPods, metrics, cfg);
        if (!r.ok) return fail(`failed to get ${resource} utilization: ${r.error}`);
        const averageValue = resource === 'cpu' ? quantity(r.averageValue) : memoryQuantity(r.averageValue);
        return { replicas: r.replicas, name: `${label} utilization (percentage of request)`, timestampMs: r.timestampMs, status: { type, [sourceField]: { ...ident, current: { averageUtilization: r.utilization, averageValue } } } };
      }
      const targetValue = parseQuantity(target.averageValue);
      if (targetValue === undefined || targetValue <= 0) return fail(`failed to get ${resource} usage: the target has neither averageUtilization nor a positive averageValue`);
      const r = averageValueReplicas(currentReplicas, targetValue, resource, hpaPods, metrics, cfg);
      if (!r.ok) return fail(`failed to get ${resource} usage: ${r.error}`);
      const averageValue = resource === 'cpu' ? quantity(r.averageValue) : memoryQuantity(r.averageValue);
      return { replicas: r.replicas, name: label, timestampMs: r.timestampMs, status: { type, [sourceField]: { ...ident, current: { averageValue } } } };
    }
    if (type === 'Pods') {
      const src = asObject(m.pods) ?? {};
      const metricName = asString(getObject(src, 'metric')?.name) ?? '';
      const fail = (error: string): MetricFailure => ({ reason: 'FailedGetPodsMetric', error: `failed to get pods metric value: ${error}` });
      if (metricName !== REQUESTS_PER_SECOND) return fail(`unable to get metric ${metricName}: the server could not find the metric ${metricName} for pods (known: ${REQUESTS_PER_SECOND})`);
      const targetValue = parseQuantity(getObject(src, 'target')?.averageValue);
      if (targetValue === undefined || targetValue <= 0) return fail(`unable to get metric ${metricName}: the target has no positive averageValue`);
      const metrics = new Map<string, HpaPodMetric>();
      const nowMs = this.clock.now();
      for (const p of pods) {
        const rate = this.opts.traffic.requestRate(namespace, p.metadata.name ?? '');
        if (rate !== undefined && Number.isFinite(rate)) metrics.set(p.metadata.name ?? '', { value: rate, timestampMs: nowMs, windowMs: TRAFFIC_WINDOW_MS });
      }
      if (metrics.size === 0) return fail(`unable to get metric ${metricName}: no metrics returned from custom metrics API`);
      const r = averageValueReplicas(currentReplicas, targetValue, '', pods.map((p) => this.hpaPod(p, '')), metrics, cfg);
      if (!r.ok) return fail(r.error);
      return { replicas: r.replicas, name: `pods metric ${metricName}`, timestampMs: r.timestampMs, status: { type, pods: { metric: { name: metricName }, current: { averageValue: quantity(r.averageValue) } } } };
    }
    if (type === 'Object') return { reason: 'FailedGetObjectMetric', error: 'failed to get object metric value: unable to get metric: this engine serves no object metrics' };
    if (type === 'External') return { reason: 'FailedGetExternalMetric', error: 'failed to get external metric value: unable to get external metric: this engine serves no external metrics' };
    return { reason: 'InvalidMetricSourceType', error: `unknown metric source type "${type}"` };
  }

  /** CPU in cores / memory in bytes of each pod (or one container of it), from the stats collector. */
  private resourceMetrics(namespace: string, pods: KubeObject[], resource: string, container: string | undefined): Map<string, HpaPodMetric> | undefined {
    const source = this.opts.metrics;
    if (!source) return undefined;
    const out = new Map<string, HpaPodMetric>();
    for (const p of pods) {
      const u = source.podUsage(namespace, p.metadata.name ?? '');
      if (!u || u.uid !== p.metadata.uid) continue;
      let value: number;
      if (container !== undefined) {
        const c = u.containers.find((x) => x.name === container);
        if (!c) continue;
        value = resource === 'cpu' ? c.cpuCores : c.memoryBytes;
      } else value = resource === 'cpu' ? u.cpuCores : u.memoryBytes;
      out.set(p.metadata.name ?? '', { value, timestampMs: u.timestampMs, windowMs: u.windowMs });
    }
    return out;
  }

  private hpaPod(p: KubeObject, resource: string): HpaPod {
    const status = asObject(p.status) ?? {};
    const ready = objectItems(status.conditions).map(([c]) => c).find((c) => c.type === 'Ready');
    const containers = objectItems(asObject(p.spec)?.containers).map(([c]) => c);
    return {
      name: p.metadata.name ?? '',
      phase: asString(status.phase) ?? 'Pending',
      deleting: Boolean(p.metadata.deletionTimestamp),
      ready: ready ? ((asString(ready.status) ?? 'Unknown') as HpaPod['ready']) : undefined,
      readyTransitionMs: ready ? parseTime(ready.lastTransitionTime) : undefined,
      startTimeMs: parseTime(status.startTime),
      requests: containers.map((c) => ({ container: asString(c.name) ?? '', value: resource ? parseQuantity(getObject(c, 'resources', 'requests')?.[resource]) : 0 })),
    };
  }
}
