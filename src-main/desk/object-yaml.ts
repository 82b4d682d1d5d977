import { stringify } from 'yaml';
import type { KubeObject } from '../contract/objects';
import { SECRET_VALUE_MASK } from '../contract/objects';
import { record } from './json-fields';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** A Secret with every value (and the last-applied copy of them) replaced by the mask; other objects as they are. */
export function maskSecret(object: KubeObject): KubeObject {
  if (object.kind !== 'Secret') return object;
  const masked = structuredClone(object);
  for (const field of ['data', 'stringData'] as const) {
    const values = record(masked[field]);
    if (masked[field] !== undefined) masked[field] = Object.fromEntries(Object.keys(values).map((k) => [k, SECRET_VALUE_MASK]));
  }
  const annotations = record(masked.metadata?.annotations);
  if (masked.metadata !== undefined && annotations[LAST_APPLIED] !== undefined) {
    masked.metadata.annotations = { ...annotations, [LAST_APPLIED]: SECRET_VALUE_MASK };
  }
  return masked;
}

/** An edited Secret with its still-masked values put back from the stored one (so an edit never writes the mask). */
export function unmaskSecret(edited: Record<string, unknown>, stored: Record<string, unknown>): Record<string, unknown> {
  if (edited.kind !== 'Secret') return edited;
  const out = { ...edited };
  for (const field of ['data', 'stringData'] as const) {
    if (out[field] === undefined) continue;
    const storedValues = record(stored[field]);
    out[field] = Object.fromEntries(
      Object.entries(record(out[field]))
        .filter(([k, v]) => v !== SECRET_VALUE_MASK || storedValues[k] !== undefined)
        .map(([k, v]) => [k, v === SECRET_VALUE_MASK ? storedValues[k] : v]),
    );
  }
  const meta = record(out.metadata);
  const annotations = record(meta.annotations);
  if (annotations[LAST_APPLIED] === SECRET_VALUE_MASK) {
    const storedAnnotation = record(record(stored.metadata).annotations)[LAST_APPLIED];
    const kept = { ...annotations };
    if (storedAnnotation === undefined) delete kept[LAST_APPLIED];
    else kept[LAST_APPLIED] = storedAnnotation;
    out.metadata = { ...meta, annotations: kept };
  }
  return out;
}

/** A copy without managedFields (noise for people; the server keeps them) and with Secret values masked. */
export function forDisplay(object: unknown): KubeObject {
  const copy = structuredClone(record(object)) as KubeObject;
  if (copy.metadata !== undefined) delete copy.metadata.managedFields;
  return maskSecret(copy);
}

export function toYaml(object: unknown): string {
  return stringify(object, { lineWidth: 0, aliasDuplicateObjects: false });
}
