/** core/v1 ServiceAccount: no defaults of its own; table shows the number of listed secrets. */
import type { FieldCause } from '../status';
import { child, index } from './field-path';
import { required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asArray, asString, objectItems } from './json-access';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { fullVerbs } from './verbs';

/** The ServiceAccount resource type. */
export const serviceAccountType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  categories: [],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: false,
  hasGeneration: false,
  applyDefaults() {},
  validate(obj) {
    const causes: FieldCause[] = [];
    for (const [ref, i] of objectItems(obj.imagePullSecrets))
      if (!asString(ref.name)) causes.push(required(child(index('imagePullSecrets', i), 'name')));
    return causes;
  },
  tableColumns: [
    nameColumn(),
    column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'),
    ageColumn(),
  ],
  tableRow: (obj, now) => [
    obj.metadata.name ?? '',
    (asArray(obj.secrets) ?? []).length,
    translateTimestampSince(obj.metadata.creationTimestamp, now),
  ],
  fieldSelectors: {},
};
