/** Streams watch events as newline-delimited JSON over a chunked response. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { apiVersionOf } from '../registry/resource-type';
import { StatusError } from '../status';
import type { StoreEvent } from '../store/sqlite-store';
import type { ObjectService, WatchEvent, WatchOptions } from './object-service';
import type { Representation } from './representation';
import type { VersionView } from './version-view';
import { renderObject, toTable } from './representation';

/** A watcher further behind than this is cut off; the client re-watches from its last resourceVersion. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 60_000;

export interface WatchStreamOptions extends WatchOptions {
  timeoutSeconds?: number;
  allowBookmarks: boolean;
  representation: Representation;
  /** current global resourceVersion, for bookmarks */
  currentRV: () => number;
  /** registry of live watches: each registers a function that ends it cleanly */
  active?: Set<() => void>;
  /** the version the watch addressed, when it is not the stored one: events carry objects of that version */
  view?: VersionView;
}

/** Serialized plain-object event lines, shared by every watcher that sees the same event the same way. */
const lineCache = new WeakMap<StoreEvent, Map<string, string>>();

function plainLine(ev: WatchEvent, view: VersionView | undefined): string {
  const object = (): KubeObject => (view ? view.out(ev.object) : ev.object);
  if (!ev.source) return `${JSON.stringify({ type: ev.type, object: object() })}\n`;
  let m = lineCache.get(ev.source);
  if (!m) {
    m = new Map();
    lineCache.set(ev.source, m);
  }
  const key = view ? `${view.served.version} ${ev.type}` : ev.type;
  let line = m.get(key);
  if (!line) {
    line = `${JSON.stringify({ type: ev.type, object: object() })}\n`;
    m.set(key, line);
  }
  return line;
}

export function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  service: ObjectService,
  type: ResourceType,
  namespace: string,
  opts: WatchStreamOptions,
): void {
  const rep = opts.representation;
  let headersDone = false;
  let closed = false;
  let first = true;
  let stop: (() => void) | undefined;
  const timers: NodeJS.Timeout[] = [];

  const startHeaders = (): void => {
    if (headersDone) return;
    headersDone = true;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
  };

  const finish = (): void => {
    if (closed) return;
    closed = true;
    opts.active?.delete(finish);
    for (const t of timers) clearTimeout(t);
    stop?.();
    if (!res.writableEnded) res.end();
  };
  opts.active?.add(finish);

  const write = (line: string): void => {
    if (closed) return;
    startHeaders();
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) finish();
  };

  const render = (ev: WatchEvent): string => {
    if (rep.kind === 'object') return plainLine(ev, opts.view);
    let object: unknown;
    if (rep.kind === 'table') {
      object = toTable(type, [ev.object], rep, { resourceVersion: ev.object.metadata.resourceVersion }, first, Date.now(), opts.view?.out);
      first = false;
    } else {
      object = renderObject(type, ev.object, rep, opts.view?.out);
    }
    return `${JSON.stringify({ type: ev.type, object })}\n`;
  };

  const bookmark = (): void => {
    const rv = String(opts.currentRV());
    let object: unknown;
    if (rep.kind === 'table') {
      object = { kind: 'Table', apiVersion: `meta.k8s.io/${rep.version}`, metadata: { resourceVersion: rv }, columnDefinitions: null, rows: null };
    } else {
      const kindApi = rep.kind === 'metadata'
        ? { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${rep.version}` }
        : { kind: type.kind, apiVersion: apiVersionOf(opts.view?.served ?? type) };
      object = { ...kindApi, metadata: { resourceVersion: rv } } satisfies Partial<KubeObject>;
    }
    write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  };

  req.on('close', finish);
  res.on('error', finish);

  try {
    stop = service.watch(type, namespace, opts, (ev) => write(render(ev)));
  } catch (err) {
    if (err instanceof StatusError && err.code === 410) {
      // As the real API server does: a 200 stream carrying one ERROR event, then the end.
      write(`${JSON.stringify({ type: 'ERROR', object: err.toStatus() })}\n`);
      finish();
      return;
    }
    throw err;
  }
  startHeaders();
  const timeoutMs = opts.timeoutSeconds !== undefined ? opts.timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
  timers.push(
    setTimeout(() => {
      if (opts.allowBookmarks) bookmark();
      finish();
    }, timeoutMs),
  );
  if (opts.allowBookmarks) {
    const tick = (): void => {
      if (closed) return;
      bookmark();
      timers.push(setTimeout(tick, BOOKMARK_INTERVAL_MS));
    };
    timers.push(setTimeout(tick, BOOKMARK_INTERVAL_MS));
  }
}
