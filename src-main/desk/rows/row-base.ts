import type { OwnerRef, RowBase } from '../../contract/rows';
import { list, record, stringMap, text, time } from '../json-fields';

export function rowBase(object: unknown): RowBase {
  const meta = record(record(object).metadata);
  const base: RowBase = {
    uid: text(meta.uid) ?? `${text(meta.namespace) ?? ''}/${text(meta.name) ?? ''}`,
    name: text(meta.name) ?? '',
    createdAt: time(meta.creationTimestamp),
    labels: stringMap(meta.labels),
    resourceVersion: text(meta.resourceVersion) ?? '',
    deleting: meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null,
  };
  const namespace = text(meta.namespace);
  if (namespace !== null) base.namespace = namespace;
  return base;
}

export function controllerOf(object: unknown): OwnerRef | null {
  const owners = list(record(record(object).metadata).ownerReferences).map(record);
  const owner = owners.find((o) => o.controller === true) ?? null;
  if (owner === null) return null;
  return { kind: text(owner.kind) ?? '', name: text(owner.name) ?? '' };
}

export function revisionOf(object: unknown): number {
  const value = stringMap(record(record(object).metadata).annotations)['deployment.kubernetes.io/revision'];
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : 0;
}

/** Container images of a pod template (or pod spec). */
export function imagesOf(podSpec: unknown): string[] {
  return list(record(podSpec).containers)
    .map((c) => text(record(c).image))
    .filter((i): i is string => i !== null);
}
