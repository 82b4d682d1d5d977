import { stringify } from 'yaml';
import type { KubeObject } from '../contract/objects';
import { record } from './json-fields';

/** A copy without managedFields (noise for people; the server keeps them). */
export function forDisplay(object: unknown): KubeObject {
  const copy = structuredClone(record(object)) as KubeObject;
  if (copy.metadata !== undefined) delete copy.metadata.managedFields;
  return copy;
}

export function toYaml(object: unknown): string {
  return stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
}
