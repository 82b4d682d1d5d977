/**
 * Pod template comparison the way the deployment controller does it (apiequality.Semantic.DeepEqual after
 * dropping the pod-template-hash label): JSON null, empty maps and empty lists equal absence, as they do
 * for Go's decoded structs. `kubectl rollout undo` sends templates with "creationTimestamp": null.
 */
import { isPlainObject, jsonEqual } from '../object';

export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** A copy without nulls, empty objects and empty arrays (recursively), for comparing and hashing. */
export function semanticNormalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => semanticNormalize(v) ?? null);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const n = semanticNormalize(v);
    if (n === null || n === undefined) continue;
    if (Array.isArray(n) && n.length === 0) continue;
    if (isPlainObject(n) && Object.keys(n).length === 0) continue;
    out[k] = n;
  }
  return out;
}

/** A normalized copy of a pod template without the pod-template-hash label. */
export function templateWithoutHash(template: unknown): unknown {
  const normalized = semanticNormalize(template);
  if (!isPlainObject(normalized)) return normalized;
  const metadata = normalized.metadata;
  if (isPlainObject(metadata) && isPlainObject(metadata.labels)) {
    const labels = { ...metadata.labels };
    delete labels[POD_TEMPLATE_HASH_LABEL];
    const nextMeta: Record<string, unknown> = { ...metadata, labels };
    if (Object.keys(labels).length === 0) delete nextMeta.labels;
    const next: Record<string, unknown> = { ...normalized, metadata: nextMeta };
    if (Object.keys(nextMeta).length === 0) delete next.metadata;
    return next;
  }
  return normalized;
}

/** deploymentutil.EqualIgnoreHash */
export function equalIgnoreHash(a: unknown, b: unknown): boolean {
  return jsonEqual(templateWithoutHash(a), templateWithoutHash(b));
}
