/** core/v1 Pod: defaults (SetDefaults_Pod + admission), validation, status on create, table and field selectors. */
import { deepCopy, jsonEqual, type KubeObject } from '../object';
import type { FieldCause } from '../status';
import { forbidden } from './field-errors';
import { asArray, asObject, childObject, defaultPointer, getArray, getString, objectItems, type JsonObject } from './json-access';
import { podQosClass } from './pod-qos';
import { applyPodSpecDefaults } from './pod-spec-defaults';
import { validatePodSpec } from './pod-spec-validation';
import { podTableRow } from './pod-table-row';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { fullVerbs } from './verbs';

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

// SetDefaults_Pod: a container's limits stand in for requests it does not set.
function defaultRequestsFromLimits(container: JsonObject): void {
  const resources = asObject(container.resources);
  const limits = asObject(resources?.limits);
  if (!resources || !limits) return;
  const requests = childObject(resources, 'requests');
  if (!requests) return;
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
}

function applyPodDefaults(pod: KubeObject): void {
  const spec = childObject(pod, 'spec');
  if (!spec) return;
  for (const key of ['containers', 'initContainers'])
    for (const [c] of objectItems(spec[key])) defaultRequestsFromLimits(c);
  applyPodSpecDefaults(spec);
  defaultPointer(spec, 'enableServiceLinks', true);
  // ServiceAccount admission.
  if (!getString(spec, 'serviceAccountName')) {
    spec.serviceAccountName = 'default';
    spec.serviceAccount = 'default';
  }
  // Priority admission without a PriorityClass.
  if (!getString(spec, 'priorityClassName')) {
    defaultPointer(spec, 'priority', 0);
    defaultPointer(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  }
}

/**
 * ValidatePodUpdate's rule: only images, activeDeadlineSeconds, added tolerations (and, for this engine's
 * scheduler, a first nodeName) may change. Everything else in spec is immutable.
 */
function validatePodSpecUpdate(pod: KubeObject, old: KubeObject): FieldCause[] {
  const next = asObject(deepCopy(pod.spec)) ?? {};
  const prev = asObject(deepCopy(old.spec)) ?? {};
  for (const key of ['containers', 'initContainers']) {
    const a = asArray(next[key]) ?? [];
    const b = asArray(prev[key]) ?? [];
    if (a.length !== b.length) continue;
    a.forEach((c, i) => {
      const nc = asObject(c);
      const oc = asObject(b[i]);
      if (nc && oc) nc.image = oc.image;
    });
  }
  delete next.activeDeadlineSeconds;
  delete prev.activeDeadlineSeconds;
  const oldTolerations = asArray(prev.tolerations) ?? [];
  const newTolerations = asArray(next.tolerations) ?? [];
  if (oldTolerations.every((t) => newTolerations.some((n) => jsonEqual(n, t)))) {
    delete next.tolerations;
    delete prev.tolerations;
  }
  const oldGrace = prev.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && next.terminationGracePeriodSeconds === 1)
    next.terminationGracePeriodSeconds = oldGrace;
  if (!getString(prev, 'nodeName')) {
    delete next.nodeName;
    delete prev.nodeName;
  }
  return jsonEqual(next, prev) ? [] : [forbidden('spec', POD_UPDATE_FORBIDDEN)];
}

/** The Pod resource type. */
export const podType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: true,
  hasGeneration: false,
  applyDefaults: applyPodDefaults,
  validate(obj, old) {
    const causes = validatePodSpec(obj.spec, 'spec');
    if (old) causes.push(...validatePodSpecUpdate(obj, old));
    return causes;
  },
  prepareForCreate(obj) {
    obj.status = { phase: 'Pending', qosClass: podQosClass(obj) };
  },
  tableColumns: [
    nameColumn(),
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    column(
      'Node',
      'string',
      'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.',
      1,
    ),
    column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node.', 1),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  tableRow: podTableRow,
  fieldSelectors: {
    'spec.nodeName': (o) => getString(o, 'spec', 'nodeName'),
    'spec.restartPolicy': (o) => getString(o, 'spec', 'restartPolicy'),
    'spec.schedulerName': (o) => getString(o, 'spec', 'schedulerName'),
    'spec.serviceAccountName': (o) => getString(o, 'spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => String(asObject(o.spec)?.hostNetwork === true),
    'status.phase': (o) => getString(o, 'status', 'phase'),
    'status.podIP': (o) => {
      const first = asObject(getArray(o, 'status', 'podIPs')[0]);
      return getString(first, 'ip') || getString(o, 'status', 'podIP');
    },
    'status.nominatedNodeName': (o) => getString(o, 'status', 'nominatedNodeName'),
  },
};

