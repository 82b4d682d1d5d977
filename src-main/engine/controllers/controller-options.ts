/** What every workload controller takes besides the ObjectService, and small helpers they share. */
import type { ObjectService } from '../api/object-service';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import type { EventSink } from './event-recorder';
import type { ObjectSource } from './object-source';
import type { Clock, WorkQueueOptions } from './work-queue';

export interface ControllerOptions {
  /** where the controller reads from; defaults to the service's store */
  source?: ObjectSource;
  /** time and timers (minReadySeconds, deadlines, retries); defaults to the real clock */
  clock?: Clock;
  /** where events go; defaults to an EventRecorder on the service */
  events?: EventSink;
  queue?: WorkQueueOptions;
}

/** The registered type of a resource key, or a startup error naming it. */
export function requireType(service: ObjectService, resource: string): ResourceType {
  const t = service.typeOf(resource);
  if (!t) throw new Error(`resource type ${resource} is not registered`);
  return t;
}

/** 404 and 409 from a write mean "someone else changed it": look again rather than fail hard. */
export function isGoneOrConflict(err: unknown): boolean {
  return err instanceof StatusError && (err.code === 404 || err.code === 409);
}
