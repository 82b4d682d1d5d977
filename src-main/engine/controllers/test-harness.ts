/**
 * Test support for controller tests (imported only by *.test.ts): a real ObjectService on a temp SQLite
 * store, a fake clock, a fake kubelet that makes pods Running/Ready through status writes, and an
 * ObjectSource whose view lags the store to imitate a slow watch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { deepCopy } from '../object';
import { ALL_RESOURCE_TYPES } from '../registry';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import { SqliteStore, type StoreEvent } from '../store/sqlite-store';
import { formatTime, type ObjectSource } from './object-source';
import type { Clock } from './work-queue';

export function typeOf(service: ObjectService, resource: string): ResourceType {
  const t = service.typeOf(resource);
  if (!t) throw new Error(resource);
  return t;
}

/** Each test service's temp dir, removed by closeTestService. */
const serviceDirs = new WeakMap<ObjectService, string>();

/** An ObjectService on a fresh store with the `default` namespace. */
export function newTestService(): ObjectService {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-ctl-'));
  const store = new SqliteStore(join(dir, 'db'));
  const service = new ObjectService(store, ALL_RESOURCE_TYPES);
  serviceDirs.set(service, dir);
  service.create(typeOf(service, 'namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return service;
}

export function closeTestService(service: ObjectService): void {
  service.owners.stop();
  service.store.close();
  const dir = serviceDirs.get(service);
  if (dir === undefined) return;
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch {
    // a write the store still finishes can refill the dir during removal (ENOTEMPTY, seen once in CI): try
    // once more later instead of failing the test that used it
    setTimeout(() => {
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        // left in the temp dir
      }
    }, 500).unref();
  }
}

/** A clock whose time moves only when told; timers fire on advance. Starts at a fixed date. */
export class FakeClock implements Clock {
  private time = Date.parse('2025-01-01T00:00:00Z');
  private readonly timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 0;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    const i = this.timers.findIndex((t) => t.id === handle);
    if (i >= 0) this.timers.splice(i, 1);
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.at <= this.time).sort((a, b) => a.at - b.at);
    for (const t of due) {
      this.timers.splice(this.timers.indexOf(t), 1);
      t.fn();
    }
  }
}

export interface Settleable {
  idle(): Promise<void>;
}

/** Let controllers, store flushes and the fake kubelet run until nothing moves. */
export async function settle(parts: readonly Settleable[], rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    for (const p of parts) await p.idle();
    await new Promise((r) => setImmediate(r));
  }
}

export interface FakeKubeletOptions {
  clock: Clock;
  /** pods become Ready (true) or only Running (false); a function decides per pod */
  ready?: boolean | ((pod: KubeObject) => boolean);
  /** bind pods to this node, which makes their deletion graceful (the kubelet finishes it) */
  nodeName?: string;
  /** pods for which this is true stay Pending */
  hold?: (pod: KubeObject) => boolean;
}

/**
 * Marks new pods Running (and Ready) by status writes, the way the kubelet reports them, and finishes the
 * graceful deletion of pods bound to its node.
 */
export class FakeKubelet implements Settleable {
  private readonly dispose: () => void;
  private pending: Array<() => void> = [];
  private scheduled = false;

  constructor(
    private readonly service: ObjectService,
    private readonly opts: FakeKubeletOptions,
  ) {
    this.dispose = service.store.subscribe((e) => this.onEvent(e));
  }

  stop(): void {
    this.dispose();
  }

  idle(): Promise<void> {
    return new Promise((r) => setImmediate(r));
  }

  private later(fn: () => void): void {
    this.pending.push(fn);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const work = this.pending;
      this.pending = [];
      for (const w of work) {
        try {
          w();
        } catch (err) {
          if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) throw err;
        }
      }
    });
  }

  private onEvent(e: StoreEvent): void {
    if (e.resource !== 'pods' || e.type === 'DELETED') return;
    const pod = e.object;
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const pods = typeOf(this.service, 'pods');
    if (pod.metadata.deletionTimestamp) {
      this.later(() => this.service.delete(pods, ns, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } }));
      return;
    }
    if (e.type !== 'ADDED' || this.opts.hold?.(pod)) return;
    this.later(() => {
      if (this.opts.nodeName) {
        const cur = this.service.get(pods, ns, name);
        const bound = deepCopy(cur);
        (bound.spec as Record<string, unknown>).nodeName = this.opts.nodeName;
        this.service.update(pods, ns, name, bound);
      }
      this.setRunning(pod, this.readyFor(pod));
    });
  }

  private readyFor(pod: KubeObject): boolean {
    const r = this.opts.ready ?? true;
    return typeof r === 'function' ? r(pod) : r;
  }

  /** Report the pod Running, Ready or not, as of the clock's now. */
  setRunning(pod: KubeObject, ready: boolean): void {
    const pods = typeOf(this.service, 'pods');
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const cur = this.service.get(pods, ns, name);
    const t = formatTime(this.opts.clock.now());
    const status = ready ? 'True' : 'False';
    this.service.update(
      pods,
      ns,
      name,
      {
        ...cur,
        status: {
          ...(cur.status as Record<string, unknown>),
          phase: 'Running',
          conditions: [
            { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
            { type: 'Initialized', status: 'True', lastTransitionTime: t },
            { type: 'ContainersReady', status, lastTransitionTime: t },
            { type: 'Ready', status, lastTransitionTime: t },
          ],
        },
      },
      { subresource: 'status' },
    );
  }
}

/**
 * A view of the store that lags: events matching `delay` reach this view (and its listeners) only when
 * `release()` is called, in order, as a slow watch would deliver them. Other resources pass at once.
 */
export class LaggingSource implements ObjectSource {
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  private readonly held: StoreEvent[] = [];
  private readonly dispose: () => void;

  constructor(
    store: SqliteStore,
    private readonly delay: (e: StoreEvent) => boolean,
  ) {
    for (const resource of store.resources()) {
      for (const o of store.list(resource)) this.objects.set(this.key(resource, o.metadata.namespace ?? '', o.metadata.name ?? ''), o);
    }
    this.dispose = store.subscribe((e) => this.onEvent(e));
  }

  get heldCount(): number {
    return this.held.length;
  }

  stop(): void {
    this.dispose();
  }

  private key(resource: string, namespace: string, name: string): string {
    return `${resource}\u0000${namespace}\u0000${name}`;
  }

  private onEvent(e: StoreEvent): void {
    // Like one informer per resource: once an event of a resource is held, later ones of it wait too.
    if (this.delay(e) || this.held.some((h) => h.resource === e.resource)) this.held.push(e);
    else this.apply(e);
  }

  /** Deliver everything held so far. */
  release(): void {
    const events = this.held.splice(0);
    for (const e of events) this.apply(e);
  }

  private apply(e: StoreEvent): void {
    const k = this.key(e.resource, e.namespace, e.name);
    if (e.type === 'DELETED') this.objects.delete(k);
    else this.objects.set(k, e.object);
    for (const l of this.listeners) l(e);
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    return this.objects.get(this.key(resource, namespace, name));
  }

  list(resource: string, namespace?: string): KubeObject[] {
    const prefix = namespace ? `${resource}\u0000${namespace}\u0000` : `${resource}\u0000`;
    const out: KubeObject[] = [];
    for (const [k, o] of this.objects) if (k.startsWith(prefix)) out.push(o);
    return out.sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
