/**
 * The life cycle every controller shares: subscribe to change events, queue the keys that need a look at
 * start (catching up on what happened while the engine was down), run the work queue, and stop it all.
 * Each controller keeps its own event → key mapping and its reconcile function.
 */
import type { StoreEvent } from '../store/sqlite-store';
import type { WorkQueue } from './work-queue';

export interface ControllerLoopOptions {
  source: { subscribe(listener: (event: StoreEvent) => void): () => void };
  queue: WorkQueue;
  onEvent(event: StoreEvent): void;
  /** keys to reconcile at start */
  initialKeys(): Iterable<string>;
  /** run before subscribing (e.g. make sure a default object exists) */
  beforeStart?(): void;
  /** delayed requeues to cancel on stop */
  timers?: { stop(): void };
}

export class ControllerLoop {
  private dispose: (() => void) | undefined;

  constructor(private readonly opts: ControllerLoopOptions) {}

  start(): void {
    if (this.dispose) return;
    this.opts.beforeStart?.();
    this.dispose = this.opts.source.subscribe((e) => this.opts.onEvent(e));
    for (const key of this.opts.initialKeys()) this.opts.queue.add(key);
    this.opts.queue.start();
  }

  stop(): void {
    this.dispose?.();
    this.dispose = undefined;
    this.opts.timers?.stop();
    this.opts.queue.stop();
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    return this.opts.queue.idle();
  }
}
