/**
 * What Deployments and ReplicaSets share (pkg/apis/apps/validation): the selector rules, the template
 * checks of ValidatePodTemplateSpecForReplicaSet, and apps/v1's immutable selector.
 */
import type { FieldCause } from '../status';
import { child } from './field-path';
import { forbidden, invalid, notSupported, required } from './field-errors';
import { GoLiteral, goQuote, goStringMap, goStringSlice } from './go-format';
import { asArray, asObject, asString, getObject, isUnset, stringMap } from './json-access';
import { labelSelectorMatches, labelSelectorRequirements } from './label-selector-format';
import { validatePodTemplateSpec } from './pod-spec-validation';
import { FIELD_IMMUTABLE_ERROR_MSG, validateLabelSelector } from './validation';

/** `%#v` of a metav1.LabelSelector, as the immutable-selector message prints it. */
export function goLabelSelector(selector: unknown): GoLiteral {
  const sel = asObject(selector) ?? {};
  const matchLabels = isUnset(sel.matchLabels) ? undefined : stringMap(sel.matchLabels);
  const exprs = asArray(sel.matchExpressions);
  const exprText =
    exprs === undefined
      ? '[]v1.LabelSelectorRequirement(nil)'
      : `[]v1.LabelSelectorRequirement{${exprs
          .map((raw) => {
            const e = asObject(raw) ?? {};
            const values = asArray(e.values)?.map((v) => asString(v) ?? '');
            return `v1.LabelSelectorRequirement{Key:${goQuote(asString(e.key) ?? '')}, Operator:${goQuote(asString(e.operator) ?? '')}, Values:${goStringSlice(values).text}}`;
          })
          .join(', ')}}`;
  return new GoLiteral(`v1.LabelSelector{MatchLabels:${goStringMap(matchLabels).text}, MatchExpressions:${exprText}}`);
}

/** The selector causes of a Deployment/ReplicaSet spec (required, well-formed, non-empty). */
export function validateWorkloadSelector(selector: unknown, path: string): FieldCause[] {
  const p = child(path, 'selector');
  if (isUnset(selector)) return [required(p)];
  const causes = validateLabelSelector(selector, p);
  const sel = asObject(selector) ?? {};
  const count = Object.keys(asObject(sel.matchLabels) ?? {}).length + (asArray(sel.matchExpressions) ?? []).length;
  if (count === 0) causes.push(invalid(p, goLabelSelector(selector), 'empty selector is invalid for deployment'));
  return causes;
}

/** ValidatePodTemplateSpecForReplicaSet under `<specPath>.template`. */
export function validateWorkloadTemplate(spec: unknown, specPath: string): FieldCause[] {
  const s = asObject(spec) ?? {};
  const path = child(specPath, 'template');
  const causes: FieldCause[] = [];
  const reqs = labelSelectorRequirements(s.selector);
  if (reqs === undefined) return [invalid(child(specPath, 'selector'), goLabelSelector(s.selector), 'invalid label selector')];
  const template = asObject(s.template) ?? {};
  const rawLabels = getObject(template, 'metadata')?.labels;
  const labels = isUnset(rawLabels) ? undefined : stringMap(rawLabels);
  // A missing selector selects nothing, so it never matches (the real code reports both problems).
  const selectorEmpty = reqs !== null && reqs.length === 0;
  if (!selectorEmpty && !labelSelectorMatches(s.selector, labels ?? {}))
    causes.push(invalid(child(path, 'metadata', 'labels'), goStringMap(labels), '`selector` does not match template `labels`'));
  causes.push(...validatePodTemplateSpec(template, path));
  const podSpec = asObject(template.spec) ?? {};
  const restartPolicy = asString(podSpec.restartPolicy) ?? '';
  if (restartPolicy !== 'Always')
    causes.push(notSupported(child(path, 'spec', 'restartPolicy'), restartPolicy, ['Always']));
  if (!isUnset(podSpec.activeDeadlineSeconds))
    causes.push(forbidden(child(path, 'spec', 'activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  return causes;
}

// Semantic.DeepEqual treats nil and empty maps/slices alike.
function normalizedSelector(selector: unknown): string {
  const sel = asObject(selector);
  if (!sel) return 'null';
  const labels = stringMap(sel.matchLabels);
  const exprs = asArray(sel.matchExpressions) ?? [];
  return JSON.stringify({
    l: Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
    e: exprs,
  });
}

/** apps/v1 forbids changing spec.selector after creation. */
export function validateSelectorImmutable(spec: unknown, oldSpec: unknown): FieldCause[] {
  const next = asObject(spec)?.selector;
  const prev = asObject(oldSpec)?.selector;
  if (normalizedSelector(next) === normalizedSelector(prev)) return [];
  return [invalid('spec.selector', goLabelSelector(next), FIELD_IMMUTABLE_ERROR_MSG)];
}

/** Names and images of a template's containers, comma-joined (layoutContainerCells). */
export function containerCells(spec: unknown): [string, string] {
  const containers = (asArray(getObject(getObject(spec, 'template'), 'spec')?.containers) ?? []).map((c) => asObject(c) ?? {});
  return [
    containers.map((c) => asString(c.name) ?? '').join(','),
    containers.map((c) => asString(c.image) ?? '').join(','),
  ];
}
