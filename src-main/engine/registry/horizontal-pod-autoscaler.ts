/** autoscaling/v2 HorizontalPodAutoscaler: v2 defaults (minReplicas, CPU metric, behavior), validation, table. */
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { child, index } from './field-path';
import { forbidden, invalid, notSupported, required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asArray, asNumber, asObject, asString, childObject, defaultPointer, getArray, getNumber, getObject, getString, isUnset, objectItems, type JsonObject } from './json-access';
import { parseQuantity, quantityString } from './quantity';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { pathSegmentNameErrors } from './validation';
import { fullVerbs } from './verbs';

const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SOURCE_FIELD: Record<string, string> = {
  ContainerResource: 'containerResource',
  External: 'external',
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
};
const DEFAULT_CPU_UTILIZATION = 80;

function scaleUpDefaults(): JsonObject {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

// The scale-down window is a controller flag, so defaulting leaves stabilizationWindowSeconds unset.
function scaleDownDefaults(): JsonObject {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: the given non-nil fields over the defaults. */
function mergeRules(given: unknown, defaults: JsonObject): JsonObject {
  const rules = asObject(given);
  if (!rules) return defaults;
  for (const k of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance'])
    if (!isUnset(rules[k])) defaults[k] = rules[k];
  return defaults;
}

function applyHpaDefaults(obj: KubeObject): void {
  const spec = childObject(obj, 'spec');
  if (!spec) return;
  defaultPointer(spec, 'minReplicas', 1);
  if ((asArray(spec.metrics) ?? []).length === 0)
    spec.metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } },
    ];
  // Only a behavior the user gave is completed; an absent one stays absent.
  const behavior = asObject(spec.behavior);
  if (behavior) {
    behavior.scaleUp = mergeRules(behavior.scaleUp, scaleUpDefaults());
    behavior.scaleDown = mergeRules(behavior.scaleDown, scaleDownDefaults());
  }
}

function validateTarget(target: JsonObject, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const type = asString(target.type) ?? '';
  if (!type) causes.push(required(child(path, 'type'), 'must specify a metric target type'));
  if (!['Utilization', 'Value', 'AverageValue'].includes(type))
    causes.push(invalid(child(path, 'type'), type, 'must be either Utilization, Value, or AverageValue'));
  for (const f of ['value', 'averageValue']) {
    if (isUnset(target[f])) continue;
    const q = parseQuantity(target[f]);
    if (q === undefined || q <= 0) causes.push(invalid(child(path, f), quantityString(target[f]), 'must be positive'));
  }
  const util = asNumber(target.averageUtilization);
  if (util !== undefined && util < 1) causes.push(invalid(child(path, 'averageUtilization'), util, 'must be greater than 0'));
  return causes;
}

function validateMetric(metric: JsonObject, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const type = asString(metric.type) ?? '';
  if (!type) causes.push(required(child(path, 'type'), 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) causes.push(notSupported(child(path, 'type'), type, METRIC_SOURCE_TYPES));
  const expected = SOURCE_FIELD[type];
  if (expected && isUnset(metric[expected]))
    causes.push(required(child(path, expected), 'must populate information for the given metric source'));
  const present = Object.values(SOURCE_FIELD).filter((f) => !isUnset(metric[f]));
  if (present.length > 1)
    for (const f of present) if (f !== expected) causes.push(forbidden(child(path, f), 'must populate the given metric source only'));
  for (const field of ['resource', 'containerResource']) {
    const src = asObject(metric[field]);
    if (!src) continue;
    const sp = child(path, field);
    if (!asString(src.name)) causes.push(required(child(sp, 'name'), 'must specify a resource name'));
    if (field === 'containerResource' && !asString(src.container))
      causes.push(required(child(sp, 'container'), 'must specify a container'));
    const target = asObject(src.target) ?? {};
    causes.push(...validateTarget(target, child(sp, 'target')));
    if (isUnset(target.averageUtilization) && isUnset(target.averageValue))
      causes.push(required(child(sp, 'target', 'averageUtilization'), 'must set either a target raw value or a target utilization'));
    if (!isUnset(target.averageUtilization) && !isUnset(target.averageValue))
      causes.push(forbidden(child(sp, 'target', 'averageValue'), 'may not set both a target raw value and a target utilization'));
  }
  return causes;
}

function validateScalingRules(rules: unknown, path: string): FieldCause[] {
  const r = asObject(rules);
  if (!r) return [];
  const causes: FieldCause[] = [];
  const window = asNumber(r.stabilizationWindowSeconds);
  if (window !== undefined && window < 0)
    causes.push(invalid(child(path, 'stabilizationWindowSeconds'), window, 'must be greater than or equal to zero'));
  if (window !== undefined && window > 3600)
    causes.push(invalid(child(path, 'stabilizationWindowSeconds'), window, 'must be less than or equal to 3600'));
  if (!isUnset(r.selectPolicy) && !['Disabled', 'Max', 'Min'].includes(String(r.selectPolicy)))
    causes.push(notSupported(child(path, 'selectPolicy'), r.selectPolicy, ['Disabled', 'Max', 'Min']));
  const policies = objectItems(r.policies);
  if (policies.length === 0) causes.push(required(child(path, 'policies'), 'must specify at least one Policy'));
  for (const [policy, i] of policies) {
    const p = index(child(path, 'policies'), i);
    if (policy.type !== 'Pods' && policy.type !== 'Percent') causes.push(notSupported(child(p, 'type'), policy.type ?? '', ['Percent', 'Pods']));
    const value = asNumber(policy.value) ?? 0;
    if (value <= 0) causes.push(invalid(child(p, 'value'), value, 'must be greater than zero'));
    const period = asNumber(policy.periodSeconds) ?? 0;
    if (period <= 0) causes.push(invalid(child(p, 'periodSeconds'), period, 'must be greater than zero'));
    if (period > 1800) causes.push(invalid(child(p, 'periodSeconds'), period, 'must be less than or equal to 1800'));
  }
  return causes;
}

function validateHpa(obj: KubeObject): FieldCause[] {
  const spec = asObject(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  const minReplicas = asNumber(spec.minReplicas);
  const maxReplicas = asNumber(spec.maxReplicas) ?? 0;
  if (minReplicas !== undefined && minReplicas < 1)
    causes.push(invalid('spec.minReplicas', minReplicas, 'must be greater than or equal to 1'));
  if (maxReplicas < 1) causes.push(invalid('spec.maxReplicas', maxReplicas, 'must be greater than 0'));
  if (minReplicas !== undefined && maxReplicas < minReplicas)
    causes.push(invalid('spec.maxReplicas', maxReplicas, 'must be greater than or equal to `minReplicas`'));
  const ref = asObject(spec.scaleTargetRef) ?? {};
  for (const f of ['kind', 'name']) {
    const v = asString(ref[f]) ?? '';
    const p = child('spec.scaleTargetRef', f);
    if (!v) causes.push(required(p));
    else causes.push(...pathSegmentNameErrors(v).map((msg) => invalid(p, v, msg)));
  }
  for (const [metric, i] of objectItems(spec.metrics)) causes.push(...validateMetric(metric, index('spec.metrics', i)));
  const behavior = asObject(spec.behavior);
  if (behavior) {
    causes.push(...validateScalingRules(behavior.scaleUp, 'spec.behavior.scaleUp'));
    causes.push(...validateScalingRules(behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return causes;
}

function currentOf(statuses: unknown[], i: number, field: string): JsonObject | undefined {
  return getObject(statuses[i], field, 'current');
}

/** formatHPAMetrics: at most two targets, then " + N more...". */
export function formatHpaMetrics(obj: KubeObject): string {
  const specs = objectItems(getObject(obj, 'spec')?.metrics);
  if (specs.length === 0) return '<none>';
  const statuses = getArray(obj, 'status', 'currentMetrics');
  const list: string[] = [];
  for (const [spec, i] of specs) {
    const type = asString(spec.type) ?? '';
    const field = SOURCE_FIELD[type];
    const src = field ? asObject(spec[field]) ?? {} : {};
    const target = asObject(src.target) ?? {};
    const hasStatus = field !== undefined && asObject(asObject(statuses[i])?.[field]) !== undefined;
    const current = field ? currentOf(statuses, i, field) : undefined;
    switch (type) {
      case 'External':
      case 'Object':
        if (!isUnset(target.averageValue)) {
          const cur = !isUnset(current?.averageValue) ? quantityString(current?.averageValue) : '<unknown>';
          list.push(`${cur}/${quantityString(target.averageValue)} (avg)`);
        } else {
          const cur = hasStatus ? quantityString(current?.value) : '<unknown>';
          list.push(`${cur}/${quantityString(target.value)}`);
        }
        break;
      case 'Pods': {
        const cur = hasStatus ? quantityString(current?.averageValue) : '<unknown>';
        list.push(`${cur}/${quantityString(target.averageValue)}`);
        break;
      }
      case 'Resource':
      case 'ContainerResource': {
        const name = asString(src.name) ?? '';
        if (!isUnset(target.averageValue)) {
          const cur = hasStatus ? quantityString(current?.averageValue) : '<unknown>';
          list.push(`${name}: ${cur}/${quantityString(target.averageValue)}`);
        } else {
          const util = asNumber(current?.averageUtilization);
          const cur = hasStatus && util !== undefined ? `${util}%` : '<unknown>';
          const targetUtil = asNumber(target.averageUtilization);
          list.push(`${name}: ${cur}/${targetUtil !== undefined ? `${targetUtil}%` : '<auto>'}`);
        }
        break;
      }
      default:
        list.push('<unknown type>');
    }
  }
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

function hpaRow(obj: KubeObject, now: number): unknown[] {
  const minReplicas = getNumber(obj, 'spec', 'minReplicas');
  return [
    obj.metadata.name ?? '',
    `${getString(obj, 'spec', 'scaleTargetRef', 'kind')}/${getString(obj, 'spec', 'scaleTargetRef', 'name')}`,
    formatHpaMetrics(obj),
    minReplicas === undefined ? '<unset>' : String(minReplicas),
    getNumber(obj, 'spec', 'maxReplicas') ?? 0,
    getNumber(obj, 'status', 'currentReplicas') ?? 0,
    translateTimestampSince(obj.metadata.creationTimestamp, now),
  ];
}

/** The HorizontalPodAutoscaler resource type. */
export const horizontalPodAutoscalerType: ResourceType = {
  group: 'autoscaling',
  version: 'v2',
  kind: 'HorizontalPodAutoscaler',
  plural: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  shortNames: ['hpa'],
  categories: ['all'],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: true,
  hasGeneration: true,
  applyDefaults: applyHpaDefaults,
  validate: validateHpa,
  prepareForCreate(obj) {
    obj.status = { desiredReplicas: 0 };
  },
  tableColumns: [
    nameColumn(),
    column('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    column('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
    column('MaxPods', 'string', 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up.'),
    column('Replicas', 'string', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    ageColumn(),
  ],
  tableRow: hpaRow,
  fieldSelectors: {},
};
