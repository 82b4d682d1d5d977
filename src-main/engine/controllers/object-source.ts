/**
 * What a controller reads: objects by resource key ("pods", "replicasets.apps") and the change events that
 * say when to look again. The store itself is one (its reads are current, its events follow once durable);
 * tests substitute a lagging view to prove the controllers tolerate slow watches.
 */
import type { KubeObject } from '../object';
import type { StoreEvent } from '../store/sqlite-store';

export interface ObjectSource {
  /** Read-only: copy before changing. */
  get(resource: string, namespace: string, name: string): KubeObject | undefined;
  /** Read-only objects of a resource, of one namespace or (undefined) of all. */
  list(resource: string, namespace?: string): KubeObject[];
  /** Returns the disposer. */
  subscribe(listener: (event: StoreEvent) => void): () => void;
}

export const RESOURCE_PODS = 'pods';
export const RESOURCE_REPLICA_SETS = 'replicasets.apps';
export const RESOURCE_DEPLOYMENTS = 'deployments.apps';
export const RESOURCE_CLAIMS = 'persistentvolumeclaims';
export const RESOURCE_VOLUMES = 'persistentvolumes';
export const RESOURCE_STORAGE_CLASSES = 'storageclasses.storage.k8s.io';

/** "namespace/name", the key of namespaced objects in the work queues. */
export function objectKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

/** An RFC 3339 timestamp with second precision, as Kubernetes writes metav1.Time. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds of an RFC 3339 timestamp, or undefined when absent or malformed. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
