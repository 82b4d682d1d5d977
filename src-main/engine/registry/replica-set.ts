/** apps/v1 ReplicaSet: defaults, validation, status/generation rules, table and scale. */
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { asObject, childObject, defaultPointer, getNumber, getObject } from './json-access';
import { formatLabelSelector } from './label-selector-format';
import { translateTimestampSince } from './human-duration';
import { applyPodTemplateDefaults } from './pod-spec-defaults';
import { intField } from './pod-spec-validation';
import { replicasScale } from './replicas-scale';
import type { ResourceType } from './resource-type';
import { CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, ageColumn, column, nameColumn } from './table-columns';
import { validateNonnegative } from './validation';
import { fullVerbs } from './verbs';
import {
  containerCells,
  validateSelectorImmutable,
  validateWorkloadSelector,
  validateWorkloadTemplate,
} from './workload-validation';

function validateReplicaSet(obj: KubeObject, old?: KubeObject): FieldCause[] {
  const spec = asObject(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  const replicas = intField(spec, 'replicas', 'spec', causes);
  if (replicas !== undefined) causes.push(...validateNonnegative(replicas, 'spec.replicas'));
  const minReady = intField(spec, 'minReadySeconds', 'spec', causes);
  if (minReady !== undefined) causes.push(...validateNonnegative(minReady, 'spec.minReadySeconds'));
  causes.push(...validateWorkloadSelector(spec.selector, 'spec'));
  causes.push(...validateWorkloadTemplate(spec, 'spec'));
  if (old) causes.push(...validateSelectorImmutable(obj.spec, old.spec));
  return causes;
}

function replicaSetRow(obj: KubeObject, now: number): unknown[] {
  const [names, images] = containerCells(obj.spec);
  return [
    obj.metadata.name ?? '',
    getNumber(obj, 'spec', 'replicas') ?? 1,
    getNumber(obj, 'status', 'replicas') ?? 0,
    getNumber(obj, 'status', 'readyReplicas') ?? 0,
    translateTimestampSince(obj.metadata.creationTimestamp, now),
    names,
    images,
    formatLabelSelector(getObject(obj, 'spec')?.selector),
  ];
}

/** The ReplicaSet resource type. */
export const replicaSetType: ResourceType = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: true,
  hasGeneration: true,
  scale: replicasScale,
  applyDefaults(obj) {
    const spec = childObject(obj, 'spec');
    if (!spec) return;
    defaultPointer(spec, 'replicas', 1);
    applyPodTemplateDefaults(spec.template);
  },
  validate: validateReplicaSet,
  prepareForCreate(obj) {
    obj.status = { replicas: 0 };
  },
  tableColumns: [
    nameColumn(),
    column('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    column('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageColumn(),
    column('Containers', 'string', CONTAINERS_DESCRIPTION, 1),
    column('Images', 'string', IMAGES_DESCRIPTION, 1),
    column('Selector', 'string', 'Selector is a label query over pods that should match the replica count.', 1),
  ],
  tableRow: replicaSetRow,
  fieldSelectors: {
    'status.replicas': (o) => String(getNumber(o, 'status', 'replicas') ?? 0),
  },
};
