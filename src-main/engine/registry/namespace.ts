/** core/v1 Namespace: name label, Active phase, the "kubernetes" finalizer on create, table. */
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { invalid } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asArray, asString, childObject, defaultString, getObject, getString } from './json-access';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { qualifiedNameErrors } from './validation';
import { namespaceVerbs } from './verbs';

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function applyNamespaceDefaults(obj: KubeObject): void {
  const name = obj.metadata.name;
  if (name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  const status = childObject(obj, 'status');
  if (status) defaultString(status, 'phase', 'Active');
}

function validateNamespace(obj: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const path = 'spec.finalizers';
  for (const raw of asArray(getObject(obj, 'spec')?.finalizers) ?? []) {
    const f = asString(raw) ?? '';
    for (const msg of qualifiedNameErrors(f)) causes.push(invalid(path, f, msg));
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f))
      causes.push(invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return causes;
}

/** The Namespace resource type. */
export const namespaceType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  categories: [],
  namespaced: false,
  verbs: namespaceVerbs(),
  hasStatusSubresource: true,
  hasGeneration: false,
  applyDefaults: applyNamespaceDefaults,
  validate: validateNamespace,
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
    // Required on create only; the namespace controller removes it while finalizing.
    const spec = childObject(obj, 'spec');
    if (!spec) return;
    const finalizers = (asArray(spec.finalizers) ?? []).filter((f): f is string => typeof f === 'string');
    if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
    spec.finalizers = finalizers;
  },
  tableColumns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  tableRow: (obj, now) => [
    obj.metadata.name ?? '',
    getString(obj, 'status', 'phase'),
    translateTimestampSince(obj.metadata.creationTimestamp, now),
  ],
  fieldSelectors: {
    'status.phase': (o) => getString(o, 'status', 'phase'),
    // The real registry keeps this non-standard field for backward compatibility.
    name: (o) => o.metadata.name ?? '',
  },
};
