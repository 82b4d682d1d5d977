/**
 * autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler conversion, on JSON, by Kubernetes' own rules
 * (kubernetes pkg/apis/autoscaling/v1/conversion.go, annotations.go and helpers.go
 * DropRoundTripHorizontalPodAutoscalerAnnotations). The store keeps v2; v1 carries only
 * spec.targetCPUUtilizationPercentage and status.currentCPUUtilizationPercentage, and everything else v2 has
 * travels in `autoscaling.alpha.kubernetes.io/*` annotations, so a v1 client that reads an object and writes it
 * back loses nothing:
 * - `metrics`: the spec metrics other than a CPU Utilization Resource metric, in v1's (v2beta1-shaped) MetricSpec;
 * - `current-metrics`: every status.currentMetrics entry (the CPU one too: it also holds the raw value);
 * - `conditions`: status.conditions;
 * - `behavior`: spec.behavior as the apiserver's *internal* Go struct marshals it, without json tags
 *   (`{"ScaleUp":{"StabilizationWindowSeconds":0,...}}`; conversion.go has a TODO about that). Read back
 *   case-insensitively, as encoding/json does.
 * Going v1 → v2 the annotations are consumed and dropped; other metrics come first and the CPU metric last,
 * as conversion.go builds the list.
 * One deliberate deviation: a v1 Object metric with only an averageValue does not get `value: "0"` (Go's
 * `Value: &in.TargetValue`), which v2 validation would then refuse as not positive.
 */
import type { KubeObject } from '../object';
import { deepCopy, isPlainObject } from '../object';
import { badRequest, invalid } from '../status';
import { asArray, asNumber, asObject, asString, isUnset, type JsonObject } from './json-access';

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
const ROUND_TRIP_ANNOTATIONS = [METRIC_SPECS_ANNOTATION, BEHAVIOR_ANNOTATION, METRIC_STATUSES_ANNOTATION, CONDITIONS_ANNOTATION];
/** autoscaling.DefaultCPUUtilization: the v1 conversion's explicit default when no metric is given */
const DEFAULT_CPU_UTILIZATION = 80;

export const HPA_V1 = 'autoscaling/v1';
export const HPA_V2 = 'autoscaling/v2';

/** Copy the listed keys that are set (not undefined/null) from `src` into `out` under their new names. */
function copySet(out: JsonObject, src: JsonObject | undefined, pairs: Array<[from: string, to: string]>): JsonObject {
  for (const [from, to] of pairs) if (src && !isUnset(src[from])) out[to] = deepCopy(src[from]);
  return out;
}

/** A Go non-pointer resource.Quantity: the zero quantity marshals as "0". */
function quantityOrZero(src: JsonObject | undefined, key: string): unknown {
  return src && !isUnset(src[key]) ? deepCopy(src[key]) : '0';
}

function refToV1(ref: unknown): JsonObject {
  const r = asObject(ref) ?? {};
  return copySet({ kind: asString(r.kind) ?? '', name: asString(r.name) ?? '' }, r, [['apiVersion', 'apiVersion']]);
}

function isCpuUtilizationMetric(metric: JsonObject): boolean {
  const res = asObject(metric.resource);
  return metric.type === 'Resource' && res?.name === 'cpu' && !isUnset(asObject(res.target)?.averageUtilization);
}

// ---------------------------------------------------------------- metric specs

function metricSpecToV1(m: JsonObject): JsonObject {
  const out: JsonObject = { type: m.type ?? '' };
  const obj = asObject(m.object);
  if (obj) {
    const target = asObject(obj.target);
    const metric = asObject(obj.metric);
    const v: JsonObject = { target: refToV1(obj.describedObject), metricName: metric?.name ?? '', targetValue: quantityOrZero(target, 'value') };
    copySet(v, metric, [['selector', 'selector']]);
    out.object = copySet(v, target, [['averageValue', 'averageValue']]);
  }
  const pods = asObject(m.pods);
  if (pods) {
    const metric = asObject(pods.metric);
    const v: JsonObject = { metricName: metric?.name ?? '', targetAverageValue: quantityOrZero(asObject(pods.target), 'averageValue') };
    out.pods = copySet(v, metric, [['selector', 'selector']]);
  }
  for (const field of ['resource', 'containerResource']) {
    const src = asObject(m[field]);
    if (!src) continue;
    const v = copySet({ name: src.name ?? '' }, asObject(src.target), [
      ['averageUtilization', 'targetAverageUtilization'],
      ['averageValue', 'targetAverageValue'],
    ]);
    if (field === 'containerResource') v.container = src.container ?? '';
    out[field] = v;
  }
  const ext = asObject(m.external);
  if (ext) {
    const metric = asObject(ext.metric);
    const v = copySet({ metricName: metric?.name ?? '' }, metric, [['selector', 'metricSelector']]);
    out.external = copySet(v, asObject(ext.target), [
      ['value', 'targetValue'],
      ['averageValue', 'targetAverageValue'],
    ]);
  }
  return out;
}

function identifier(src: JsonObject, selectorKey: string): JsonObject {
  return copySet({ name: src.metricName ?? '' }, src, [[selectorKey, 'selector']]);
}

function metricSpecToV2(m: JsonObject): JsonObject {
  const out: JsonObject = { type: m.type ?? '' };
  const obj = asObject(m.object);
  if (obj) {
    const average = !isUnset(obj.averageValue);
    const target: JsonObject = { type: average ? 'AverageValue' : 'Value' };
    if (!average || (!isUnset(obj.targetValue) && String(obj.targetValue) !== '0')) target.value = quantityOrZero(obj, 'targetValue');
    copySet(target, obj, [['averageValue', 'averageValue']]);
    out.object = { describedObject: refToV1(obj.target), target, metric: identifier(obj, 'selector') };
  }
  const pods = asObject(m.pods);
  if (pods) out.pods = { metric: identifier(pods, 'selector'), target: { type: 'AverageValue', averageValue: quantityOrZero(pods, 'targetAverageValue') } };
  for (const field of ['resource', 'containerResource']) {
    const src = asObject(m[field]);
    if (!src) continue;
    const utilization = !isUnset(src.targetAverageUtilization);
    const target = copySet({ type: utilization ? 'Utilization' : 'AverageValue' }, src, [
      ['targetAverageUtilization', 'averageUtilization'],
      ['targetAverageValue', 'averageValue'],
    ]);
    const v: JsonObject = { name: src.name ?? '', target };
    if (field === 'containerResource') v.container = src.container ?? '';
    out[field] = v;
  }
  const ext = asObject(m.external);
  if (ext) {
    const target = copySet({ type: isUnset(ext.targetValue) ? 'AverageValue' : 'Value' }, ext, [
      ['targetValue', 'value'],
      ['targetAverageValue', 'averageValue'],
    ]);
    out.external = { metric: identifier(ext, 'metricSelector'), target };
  }
  return out;
}

// ---------------------------------------------------------------- metric statuses

function metricStatusToV1(m: JsonObject): JsonObject {
  const out: JsonObject = { type: m.type ?? '' };
  const obj = asObject(m.object);
  if (obj) {
    const current = asObject(obj.current);
    const metric = asObject(obj.metric);
    const v: JsonObject = { target: refToV1(obj.describedObject), metricName: metric?.name ?? '', currentValue: quantityOrZero(current, 'value') };
    copySet(v, metric, [['selector', 'selector']]);
    out.object = copySet(v, current, [['averageValue', 'averageValue']]);
  }
  const pods = asObject(m.pods);
  if (pods) {
    const metric = asObject(pods.metric);
    const v: JsonObject = { metricName: metric?.name ?? '', currentAverageValue: quantityOrZero(asObject(pods.current), 'averageValue') };
    out.pods = copySet(v, metric, [['selector', 'selector']]);
  }
  for (const field of ['resource', 'containerResource']) {
    const src = asObject(m[field]);
    if (!src) continue;
    const current = asObject(src.current);
    const v = copySet({ name: src.name ?? '' }, current, [['averageUtilization', 'currentAverageUtilization']]);
    v.currentAverageValue = quantityOrZero(current, 'averageValue');
    if (field === 'containerResource') v.container = src.container ?? '';
    out[field] = v;
  }
  const ext = asObject(m.external);
  if (ext) {
    const metric = asObject(ext.metric);
    const current = asObject(ext.current);
    const v = copySet({ metricName: metric?.name ?? '' }, metric, [['selector', 'metricSelector']]);
    v.currentValue = quantityOrZero(current, 'value');
    out.external = copySet(v, current, [['averageValue', 'currentAverageValue']]);
  }
  return out;
}

function metricStatusToV2(m: JsonObject): JsonObject {
  const out: JsonObject = { type: m.type ?? '' };
  const obj = asObject(m.object);
  if (obj) {
    const current = copySet({ value: quantityOrZero(obj, 'currentValue') }, obj, [['averageValue', 'averageValue']]);
    out.object = { metric: identifier(obj, 'selector'), current, describedObject: refToV1(obj.target) };
  }
  const pods = asObject(m.pods);
  if (pods) out.pods = { metric: identifier(pods, 'selector'), current: { averageValue: quantityOrZero(pods, 'currentAverageValue') } };
  for (const field of ['resource', 'containerResource']) {
    const src = asObject(m[field]);
    if (!src) continue;
    const current = copySet({ averageValue: quantityOrZero(src, 'currentAverageValue') }, src, [['currentAverageUtilization', 'averageUtilization']]);
    const v: JsonObject = { name: src.name ?? '', current };
    if (field === 'containerResource') v.container = src.container ?? '';
    out[field] = v;
  }
  const ext = asObject(m.external);
  if (ext) {
    const current = copySet({ value: quantityOrZero(ext, 'currentValue') }, ext, [['currentAverageValue', 'averageValue']]);
    out.external = { metric: identifier(ext, 'metricSelector'), current };
  }
  return out;
}

// ---------------------------------------------------------------- behavior (the internal Go struct's JSON)

function rulesToInternal(rules: unknown): unknown {
  const r = asObject(rules);
  if (!r) return null;
  const policies = asArray(r.policies);
  const out: JsonObject = {
    StabilizationWindowSeconds: r.stabilizationWindowSeconds ?? null,
    SelectPolicy: r.selectPolicy ?? null,
    Policies: policies ? policies.map((p) => ({ Type: asObject(p)?.type ?? '', Value: asObject(p)?.value ?? 0, PeriodSeconds: asObject(p)?.periodSeconds ?? 0 })) : null,
  };
  if (!isUnset(r.tolerance)) out.Tolerance = r.tolerance;
  return out;
}

/** encoding/json matches object keys to struct fields case-insensitively. */
function field(o: JsonObject, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  const key = Object.keys(o).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : o[key];
}

function rulesFromInternal(rules: unknown): JsonObject | undefined {
  const r = asObject(rules);
  if (!r) return undefined;
  const out: JsonObject = {};
  const window = field(r, 'StabilizationWindowSeconds');
  if (!isUnset(window)) out.stabilizationWindowSeconds = window;
  const select = field(r, 'SelectPolicy');
  if (!isUnset(select)) out.selectPolicy = select;
  const policies = asArray(field(r, 'Policies'));
  if (policies) {
    out.policies = policies.map((p) => {
      const po = asObject(p) ?? {};
      return { type: field(po, 'Type') ?? '', value: field(po, 'Value') ?? 0, periodSeconds: field(po, 'PeriodSeconds') ?? 0 };
    });
  }
  const tolerance = field(r, 'Tolerance');
  if (!isUnset(tolerance)) out.tolerance = tolerance;
  return out;
}

// ---------------------------------------------------------------- objects

function annotationsOf(obj: KubeObject): Record<string, string> {
  return { ...(obj.metadata.annotations ?? {}) };
}

function setAnnotations(obj: KubeObject, annotations: Record<string, string>): void {
  if (Object.keys(annotations).length > 0) obj.metadata.annotations = annotations;
  else delete obj.metadata.annotations;
}

function dropRoundTrip(annotations: Record<string, string>): void {
  for (const k of ROUND_TRIP_ANNOTATIONS) delete annotations[k];
}

function parseAnnotation(annotations: Record<string, string>, key: string): unknown {
  try {
    return JSON.parse(annotations[key]) as unknown;
  } catch (err) {
    throw badRequest(`the annotation ${key} is not valid JSON: ${(err as Error).message}`);
  }
}

function objectsOf(v: unknown, key: string): JsonObject[] {
  if (v === null) return [];
  const arr = asArray(v);
  if (!arr || !arr.every(isPlainObject)) throw badRequest(`the annotation ${key} must hold a JSON array of objects`);
  return arr as JsonObject[];
}

/** Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler: a stored v2 object as v1. */
export function hpaV2ToV1(stored: KubeObject): KubeObject {
  const spec = asObject(stored.spec) ?? {};
  const status = asObject(stored.status) ?? {};
  const out: KubeObject = { kind: 'HorizontalPodAutoscaler', apiVersion: HPA_V1, metadata: deepCopy(stored.metadata) };
  const annotations = annotationsOf(out);
  // clear pre-existing round-trip annotations: the only ones set are the ones this conversion produces
  dropRoundTrip(annotations);

  const v1spec: JsonObject = { scaleTargetRef: refToV1(spec.scaleTargetRef) };
  copySet(v1spec, spec, [['minReplicas', 'minReplicas']]);
  v1spec.maxReplicas = spec.maxReplicas ?? 0;
  const metrics = (asArray(spec.metrics) ?? []).filter(isPlainObject);
  // the first CPU Resource metric decides, whether or not it is a Utilization one (conversion.go's break)
  const cpu = metrics.find((m) => m.type === 'Resource' && asObject(m.resource)?.name === 'cpu');
  const cpuTarget = asObject(asObject(cpu?.resource)?.target);
  if (cpuTarget && !isUnset(cpuTarget.averageUtilization)) v1spec.targetCPUUtilizationPercentage = cpuTarget.averageUtilization;
  out.spec = v1spec;

  const v1status: JsonObject = {};
  copySet(v1status, status, [
    ['observedGeneration', 'observedGeneration'],
    ['lastScaleTime', 'lastScaleTime'],
  ]);
  v1status.currentReplicas = status.currentReplicas ?? 0;
  v1status.desiredReplicas = status.desiredReplicas ?? 0;
  const currentMetrics = (asArray(status.currentMetrics) ?? []).filter(isPlainObject);
  for (const m of currentMetrics) {
    const res = asObject(m.resource);
    const util = asObject(res?.current)?.averageUtilization;
    if (m.type === 'Resource' && res?.name === 'cpu' && !isUnset(util)) v1status.currentCPUUtilizationPercentage = util;
  }
  out.status = v1status;

  const others = metrics.filter((m) => !isCpuUtilizationMetric(m));
  if (others.length > 0) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(others.map(metricSpecToV1));
  if (currentMetrics.length > 0) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(currentMetrics.map(metricStatusToV1));
  const conditions = asArray(status.conditions) ?? [];
  if (conditions.length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(conditions);
  const behavior = asObject(spec.behavior);
  if (behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify({ ScaleUp: rulesToInternal(behavior.scaleUp), ScaleDown: rulesToInternal(behavior.scaleDown) });
  setAnnotations(out, annotations);
  return out;
}

function integerOrThrow(v: unknown, field: string, name: string): number | undefined {
  if (isUnset(v)) return undefined;
  const n = asNumber(v);
  if (n === undefined || !Number.isInteger(n)) {
    throw invalid('autoscaling', 'HorizontalPodAutoscaler', name, [
      { type: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(v)}: must be an integer` },
    ]);
  }
  return n;
}

/**
 * Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler: a v1 request body as v2, ready for
 * the v2 registry (defaulting and validation happen there). Throws 400 for round-trip annotations that are not
 * the JSON they must be, and 422 for a non-integer targetCPUUtilizationPercentage.
 */
export function hpaV1ToV2(body: KubeObject): KubeObject {
  const name = body.metadata.name ?? '';
  const spec = asObject(body.spec) ?? {};
  const status = asObject(body.status);
  const out: KubeObject = { kind: 'HorizontalPodAutoscaler', apiVersion: HPA_V2, metadata: deepCopy(body.metadata) };
  for (const [k, v] of Object.entries(body)) if (!['kind', 'apiVersion', 'metadata', 'spec', 'status'].includes(k)) out[k] = deepCopy(v);
  const annotations = annotationsOf(out);

  const v2spec: JsonObject = { scaleTargetRef: refToV1(spec.scaleTargetRef) };
  copySet(v2spec, spec, [['minReplicas', 'minReplicas']]);
  v2spec.maxReplicas = spec.maxReplicas ?? 0;
  const target = integerOrThrow(spec.targetCPUUtilizationPercentage, 'spec.targetCPUUtilizationPercentage', name);
  let metrics: JsonObject[] = [];
  if (target !== undefined) metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }];
  if (METRIC_SPECS_ANNOTATION in annotations) {
    const others = objectsOf(parseAnnotation(annotations, METRIC_SPECS_ANNOTATION), METRIC_SPECS_ANNOTATION).map(metricSpecToV2);
    metrics = [...others, ...metrics];
  }
  if (metrics.length === 0) metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  v2spec.metrics = metrics;
  if (BEHAVIOR_ANNOTATION in annotations) {
    // only well-formed, non-empty behavior moves from the annotation to the field (as conversion.go does)
    let parsed: unknown;
    try {
      parsed = JSON.parse(annotations[BEHAVIOR_ANNOTATION]);
    } catch {
      parsed = undefined;
    }
    const b = asObject(parsed);
    const scaleUp = b ? rulesFromInternal(field(b, 'ScaleUp')) : undefined;
    const scaleDown = b ? rulesFromInternal(field(b, 'ScaleDown')) : undefined;
    if (scaleUp || scaleDown) v2spec.behavior = { ...(scaleUp ? { scaleUp } : {}), ...(scaleDown ? { scaleDown } : {}) };
  }
  out.spec = v2spec;

  const v2status: JsonObject = {};
  copySet(v2status, status, [
    ['observedGeneration', 'observedGeneration'],
    ['lastScaleTime', 'lastScaleTime'],
  ]);
  // v2's currentReplicas is omitempty, desiredReplicas is not
  if (status?.currentReplicas) v2status.currentReplicas = status.currentReplicas;
  v2status.desiredReplicas = status?.desiredReplicas ?? 0;
  const currentCpu = status ? integerOrThrow(status.currentCPUUtilizationPercentage, 'status.currentCPUUtilizationPercentage', name) : undefined;
  if (currentCpu !== undefined) v2status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: currentCpu } } }];
  if (METRIC_STATUSES_ANNOTATION in annotations) {
    // the annotation has more information than currentCPUUtilizationPercentage: it wins
    v2status.currentMetrics = objectsOf(parseAnnotation(annotations, METRIC_STATUSES_ANNOTATION), METRIC_STATUSES_ANNOTATION).map(metricStatusToV2);
  }
  if (CONDITIONS_ANNOTATION in annotations) v2status.conditions = objectsOf(parseAnnotation(annotations, CONDITIONS_ANNOTATION), CONDITIONS_ANNOTATION);
  if (status !== undefined || METRIC_STATUSES_ANNOTATION in annotations || CONDITIONS_ANNOTATION in annotations) out.status = v2status;

  dropRoundTrip(annotations);
  setAnnotations(out, annotations);
  return out;
}
