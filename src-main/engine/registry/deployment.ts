/** apps/v1 Deployment: defaults, validation (strategy, selector, template), status/generation rules, table, scale. */
import { jsonEqual, type KubeObject } from '../object';
import type { FieldCause } from '../status';
import { child } from './field-path';
import { forbidden, invalid, notSupported, required } from './field-errors';
import { GoLiteral, goQuote } from './go-format';
import { asObject, asString, childObject, defaultPointer, defaultString, getNumber, getObject, isUnset } from './json-access';
import { labelSelectorString } from './label-selector-format';
import { applyPodTemplateDefaults } from './pod-spec-defaults';
import { intField } from './pod-spec-validation';
import { replicasScale } from './replicas-scale';
import type { ResourceType } from './resource-type';
import { translateTimestampSince } from './human-duration';
import { CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, ageColumn, column, nameColumn } from './table-columns';
import { fullVerbs } from './verbs';
import { IS_NEGATIVE_ERROR_MSG, percentErrors, validateNonnegative } from './validation';
import {
  containerCells,
  validateSelectorImmutable,
  validateWorkloadSelector,
  validateWorkloadTemplate,
} from './workload-validation';

function applyDeploymentDefaults(obj: KubeObject): void {
  const spec = childObject(obj, 'spec');
  if (!spec) return;
  defaultPointer(spec, 'replicas', 1);
  const strategy = childObject(spec, 'strategy');
  if (strategy) {
    defaultString(strategy, 'type', 'RollingUpdate');
    if (strategy.type === 'RollingUpdate') {
      const rolling = childObject(strategy, 'rollingUpdate');
      if (rolling) {
        defaultPointer(rolling, 'maxUnavailable', '25%');
        defaultPointer(rolling, 'maxSurge', '25%');
      }
    }
  }
  defaultPointer(spec, 'revisionHistoryLimit', 10);
  defaultPointer(spec, 'progressDeadlineSeconds', 600);
  applyPodTemplateDefaults(spec.template);
}

/** IntOrString as Go prints it in errors: intstr.IntOrString implements String(), so no quotes. */
function intOrStringLiteral(v: unknown): GoLiteral {
  return new GoLiteral(typeof v === 'number' ? String(v) : typeof v === 'string' ? v : '0');
}

function percentValue(v: unknown): number | undefined {
  if (typeof v !== 'string' || percentErrors(v).length) return undefined;
  return Number(v.slice(0, -1));
}

function validateIntOrPercent(v: unknown, path: string): FieldCause[] {
  if (typeof v === 'string') return percentErrors(v).map((msg) => invalid(path, intOrStringLiteral(v), msg));
  if (typeof v === 'number') return v < 0 ? [invalid(path, v, IS_NEGATIVE_ERROR_MSG)] : [];
  if (isUnset(v)) return [];
  return [invalid(path, JSON.stringify(v), "must be an integer or percentage (e.g '5%%')")];
}

function strategyLiteral(strategy: Record<string, unknown>): GoLiteral {
  const rolling = isUnset(strategy.rollingUpdate) ? '(*apps.RollingUpdateDeployment)(nil)' : '(*apps.RollingUpdateDeployment)(0xc000000000)';
  return new GoLiteral(`apps.DeploymentStrategy{Type:${goQuote(asString(strategy.type) ?? '')}, RollingUpdate:${rolling}}`);
}

function validateStrategy(strategyValue: unknown, path: string): FieldCause[] {
  const strategy = asObject(strategyValue) ?? {};
  const causes: FieldCause[] = [];
  switch (strategy.type) {
    case 'Recreate':
      if (!isUnset(strategy.rollingUpdate))
        causes.push(forbidden(child(path, 'rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': {
      const rolling = asObject(strategy.rollingUpdate);
      if (!rolling) {
        causes.push(required(child(path, 'rollingUpdate'), 'this should be defaulted and never be nil'));
        break;
      }
      const rp = child(path, 'rollingUpdate');
      causes.push(...validateIntOrPercent(rolling.maxUnavailable, child(rp, 'maxUnavailable')));
      causes.push(...validateIntOrPercent(rolling.maxSurge, child(rp, 'maxSurge')));
      const amount = (v: unknown): number => percentValue(v) ?? (typeof v === 'number' ? v : 0);
      if (amount(rolling.maxUnavailable) === 0 && amount(rolling.maxSurge) === 0)
        causes.push(invalid(child(rp, 'maxUnavailable'), intOrStringLiteral(rolling.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      const pct = percentValue(rolling.maxUnavailable);
      if (pct !== undefined && pct > 100)
        causes.push(invalid(child(rp, 'maxUnavailable'), intOrStringLiteral(rolling.maxUnavailable), 'must not be greater than 100%'));
      break;
    }
    default:
      causes.push(notSupported(path, strategyLiteral(strategy), ['Recreate', 'RollingUpdate']));
  }
  return causes;
}

function validateDeployment(obj: KubeObject, old?: KubeObject): FieldCause[] {
  const spec = asObject(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  const replicas = intField(spec, 'replicas', 'spec', causes);
  if (replicas !== undefined) causes.push(...validateNonnegative(replicas, 'spec.replicas'));
  causes.push(...validateWorkloadSelector(spec.selector, 'spec'));
  causes.push(...validateWorkloadTemplate(spec, 'spec'));
  causes.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  const minReady = intField(spec, 'minReadySeconds', 'spec', causes) ?? 0;
  causes.push(...validateNonnegative(minReady, 'spec.minReadySeconds'));
  const history = intField(spec, 'revisionHistoryLimit', 'spec', causes);
  if (history !== undefined) causes.push(...validateNonnegative(history, 'spec.revisionHistoryLimit'));
  const deadline = intField(spec, 'progressDeadlineSeconds', 'spec', causes);
  if (deadline !== undefined) {
    causes.push(...validateNonnegative(deadline, 'spec.progressDeadlineSeconds'));
    if (deadline <= minReady) causes.push(invalid('spec.progressDeadlineSeconds', deadline, 'must be greater than minReadySeconds'));
  }
  if (old) causes.push(...validateSelectorImmutable(obj.spec, old.spec));
  return causes;
}

function deploymentRow(obj: KubeObject, now: number): unknown[] {
  const desired = getNumber(obj, 'spec', 'replicas') ?? 1;
  const ready = getNumber(obj, 'status', 'readyReplicas') ?? 0;
  const [names, images] = containerCells(obj.spec);
  const selector = labelSelectorString(getObject(obj, 'spec')?.selector);
  return [
    obj.metadata.name ?? '',
    `${ready}/${desired}`,
    getNumber(obj, 'status', 'updatedReplicas') ?? 0,
    getNumber(obj, 'status', 'availableReplicas') ?? 0,
    translateTimestampSince(obj.metadata.creationTimestamp, now),
    names,
    images,
    selector ?? '<invalid>',
  ];
}

/** The Deployment resource type. */
export const deploymentType: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: true,
  hasGeneration: true,
  scale: replicasScale,
  applyDefaults: applyDeploymentDefaults,
  validate: validateDeployment,
  prepareForCreate(obj) {
    obj.status = {};
  },
  // Annotations are copied to ReplicaSets, so the real strategy bumps generation for them too.
  generationChanged: (obj, old) =>
    !jsonEqual(obj.spec, old.spec) || !jsonEqual(obj.metadata.annotations ?? {}, old.metadata.annotations ?? {}),
  tableColumns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    column('Containers', 'string', CONTAINERS_DESCRIPTION, 1),
    column('Images', 'string', IMAGES_DESCRIPTION, 1),
    column('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  tableRow: deploymentRow,
  fieldSelectors: {},
};
