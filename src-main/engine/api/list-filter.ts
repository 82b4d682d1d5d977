/** Label and field selectors of a list or watch, compiled once per request. */
import type { KubeObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { badRequest } from '../status';
import { matchesLabels, parseLabelSelector, SelectorError } from './selectors/label-selector';
import { matchesFields, parseFieldSelector, unsupportedFields } from './selectors/field-selector';

export interface ListFilter {
  /** true when no selector narrows the list */
  matchesAll: boolean;
  matches(obj: KubeObject): boolean;
}

const MATCH_ALL: ListFilter = { matchesAll: true, matches: () => true };

export function fieldValue(type: ResourceType, obj: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  const getter = type.fieldSelectors[field];
  return getter ? getter(obj) : undefined;
}

export function compileListFilter(type: ResourceType, labelSelector?: string, fieldSelector?: string): ListFilter {
  const labelText = (labelSelector ?? '').trim();
  const fieldText = (fieldSelector ?? '').trim();
  if (!labelText && !fieldText) return MATCH_ALL;
  try {
    const labels = labelText ? parseLabelSelector(labelText) : undefined;
    const fields = fieldText ? parseFieldSelector(fieldText) : undefined;
    if (fields) {
      const supported = new Set(['metadata.name', 'metadata.namespace', ...Object.keys(type.fieldSelectors)]);
      const bad = unsupportedFields(fields, supported);
      if (bad.length > 0) {
        throw badRequest(`field label not supported: ${bad[0]}`);
      }
    }
    return {
      matchesAll: false,
      matches(obj: KubeObject): boolean {
        if (labels && !matchesLabels(labels, obj.metadata.labels)) return false;
        if (fields && !matchesFields(fields, (f) => fieldValue(type, obj, f))) return false;
        return true;
      },
    };
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(`unable to parse requirement: ${err.message}`);
    throw err;
  }
}
