/**
 * The base of the engine's level-based controllers: where they read (the store or a test source), their
 * clock, event sink, de-duplicating work queue and delayed requeues, and the start/stop/idle life cycle of
 * ControllerLoop. A controller supplies only its reconcile function, its event → key mapping and the keys to
 * look at on start.
 */
import type { ObjectService } from '../api/object-service';
import type { StoreEvent } from '../store/sqlite-store';
import { ControllerLoop } from './controller-loop';
import type { ControllerOptions } from './controller-options';
import { EventRecorder, type EventSink } from './event-recorder';
import type { ObjectSource } from './object-source';
import { RequeueTimers } from './requeue-timers';
import { realClock, WorkQueue, type Clock, type WorkQueueOptions } from './work-queue';

export abstract class Controller {
  protected readonly source: ObjectSource;
  protected readonly clock: Clock;
  protected readonly events: EventSink;
  protected readonly queue: WorkQueue;
  /** delayed requeues (minReadySeconds, deadlines, resyncs), cancelled on stop */
  protected readonly timers: RequeueTimers;
  private readonly loop: ControllerLoop;

  /** `queueDefaults` are this controller's own queue settings; `opts.queue` (tests) overrides them. */
  constructor(
    protected readonly service: ObjectService,
    opts: ControllerOptions = {},
    queueDefaults: WorkQueueOptions = {},
  ) {
    this.source = opts.source ?? service.store;
    this.clock = opts.clock ?? realClock;
    this.events = opts.events ?? new EventRecorder(service, () => this.clock.now());
    this.queue = new WorkQueue((key) => this.reconcile(key), { clock: this.clock, ...queueDefaults, ...opts.queue });
    this.timers = new RequeueTimers(this.clock, (key) => this.queue.add(key));
    this.loop = new ControllerLoop({
      source: this.source,
      queue: this.queue,
      onEvent: (e) => this.onEvent(e),
      initialKeys: () => this.initialKeys(),
      beforeStart: () => this.beforeStart(),
      timers: this.timers,
    });
  }

  /** Make one key's world match its spec; throw to retry with backoff. */
  protected abstract reconcile(key: string): void | Promise<void>;

  /** Map a store change to the keys it concerns (queue.add). */
  protected abstract onEvent(event: StoreEvent): void;

  /** The keys to look at on start: catch up on what changed while the engine was down. */
  protected abstract initialKeys(): Iterable<string>;

  /** Run before subscribing (e.g. make sure a default object exists). */
  protected beforeStart(): void {}

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    return this.loop.idle();
  }
}
