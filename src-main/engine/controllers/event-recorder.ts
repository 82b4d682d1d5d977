/**
 * Records core/v1 Events about objects, as client-go's legacy EventRecorder does for controllers and the
 * kubelet: one Event per (object, type, reason, message, component), and a repeat increments its count and
 * lastTimestamp instead of creating another. Recording never throws: an event lost is better than a
 * reconcile failed.
 */
import type { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { deepCopy } from '../object';
import { StatusError } from '../status';
import { formatTime } from './object-source';

export type EventType = 'Normal' | 'Warning';

/** Optional details of an event: the part of the object it is about, and the reporting host. */
export interface EventDetails {
  /** e.g. "spec.containers{web}" for a container of a pod */
  fieldPath?: string;
  /** source.host / reportingInstance, e.g. the node name */
  host?: string;
}

/** Anything that can record events (controllers take this, so tests can pass a fake). */
export interface EventSink {
  record(involved: KubeObject, type: EventType, reason: string, message: string, component: string, details?: EventDetails): void;
}

const CACHE_LIMIT = 4096;

export class EventRecorder implements EventSink {
  /** aggregation key -> event name, most recently used last */
  private readonly recent = new Map<string, { namespace: string; name: string }>();
  private sequence = 0;

  constructor(
    private readonly service: ObjectService,
    private readonly now: () => number = Date.now,
  ) {}

  record(involved: KubeObject, type: EventType, reason: string, message: string, component: string, details: EventDetails = {}): void {
    try {
      this.write(involved, type, reason, message, component, details);
    } catch {
      // Events are best effort (the namespace may be terminating, the object gone).
    }
  }

  private write(involved: KubeObject, type: EventType, reason: string, message: string, component: string, details: EventDetails): void {
    const eventType = this.service.typeOf('events');
    if (!eventType) return;
    const namespace = involved.metadata.namespace || 'default';
    const key = [involved.metadata.uid ?? '', involved.kind, namespace, involved.metadata.name ?? '', details.fieldPath ?? '', type, reason, message, component].join('\u0000');
    const now = formatTime(this.now());
    const seen = this.recent.get(key);
    if (seen) {
      this.recent.delete(key);
      const existing = this.service.tryGet(eventType, seen.namespace, seen.name);
      if (existing) {
        const next = deepCopy(existing);
        next.count = (typeof existing.count === 'number' ? existing.count : 1) + 1;
        next.lastTimestamp = now;
        try {
          this.service.update(eventType, seen.namespace, seen.name, next);
          this.remember(key, seen);
          return;
        } catch (err) {
          if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
        }
      }
    }
    // client-go names events <object>.<unix nanoseconds in hex>; the sequence keeps same-millisecond events apart.
    const nanos = BigInt(Math.floor(this.now())) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    const name = `${involved.metadata.name ?? 'unknown'}.${nanos.toString(16)}`;
    const involvedObject: Record<string, unknown> = {
      kind: involved.kind,
      namespace: involved.metadata.namespace,
      name: involved.metadata.name,
      uid: involved.metadata.uid,
      apiVersion: involved.apiVersion,
      resourceVersion: involved.metadata.resourceVersion,
    };
    if (details.fieldPath) involvedObject.fieldPath = details.fieldPath;
    const source: Record<string, string> = { component };
    if (details.host) source.host = details.host;
    const created = this.service.create(eventType, namespace, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: details.host ?? '',
    });
    this.remember(key, { namespace, name: created.metadata.name ?? name });
  }

  private remember(key: string, where: { namespace: string; name: string }): void {
    this.recent.set(key, where);
    if (this.recent.size > CACHE_LIMIT) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }
}
