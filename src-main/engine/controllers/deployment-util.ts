/**
 * Deployment helpers over whole objects: which ReplicaSet is the new one, the new ReplicaSet's body with the
 * pod-template-hash, and sort orders that need more than the numeric facts.
 */
import type { KubeObject } from '../object';
import { deepCopy } from '../object';
import { asObject, getObject, getString, stringMap } from '../registry/json-access';
import { newControllerRef } from './controller-ref';
import { revisionOf } from './deployment-annotations';
import { parseTime } from './object-source';
import { equalIgnoreHash, POD_TEMPLATE_HASH_LABEL } from './template-equality';

/** Oldest first by creationTimestamp, then by name. */
export function compareByCreation(a: KubeObject, b: KubeObject): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Lowest revision first, then oldest (ReplicaSetsByRevision). */
export function compareByRevision(a: KubeObject, b: KubeObject): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  return ra !== rb ? ra - rb : compareByCreation(a, b);
}

export function templateOf(obj: KubeObject): unknown {
  return getObject(obj, 'spec', 'template');
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's, ignoring the hash label. */
export function findNewReplicaSet(d: KubeObject, rsList: readonly KubeObject[]): KubeObject | undefined {
  const template = templateOf(d);
  return [...rsList].sort(compareByCreation).find((rs) => equalIgnoreHash(templateOf(rs), template));
}

/** Whether the Deployment's selector is `{}`, which selects every pod: the controller refuses to act. */
export function selectsEverything(d: KubeObject): boolean {
  const selector = getObject(d, 'spec', 'selector');
  if (!selector) return false;
  const labels = asObject(selector.matchLabels);
  const expressions = selector.matchExpressions;
  return (!labels || Object.keys(labels).length === 0) && (!Array.isArray(expressions) || expressions.length === 0);
}

/**
 * The body of the new ReplicaSet `<deployment>-<hash>`: template, labels and selector with the hash label,
 * a controller reference, minReadySeconds and replicas. Annotations are set by the caller.
 */
export function newReplicaSetBody(d: KubeObject, hash: string, replicas: number): KubeObject {
  const template = deepCopy(asObject(templateOf(d)) ?? {});
  const meta = asObject(template.metadata) ?? {};
  const labels = { ...stringMap(meta.labels), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = { ...meta, labels };
  const selector = deepCopy(getObject(d, 'spec', 'selector') ?? {});
  selector.matchLabels = { ...(asObject(selector.matchLabels) ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const spec: Record<string, unknown> = { replicas, selector, template };
  const minReady = getObject(d, 'spec')?.minReadySeconds;
  if (typeof minReady === 'number' && minReady !== 0) spec.minReadySeconds = minReady;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name ?? ''}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...labels },
      ownerReferences: [newControllerRef(d)],
    },
    spec,
  };
}

export function isPaused(d: KubeObject): boolean {
  return getObject(d, 'spec')?.paused === true;
}

export function strategyType(d: KubeObject): string {
  return getString(d, 'spec', 'strategy', 'type') || 'RollingUpdate';
}
