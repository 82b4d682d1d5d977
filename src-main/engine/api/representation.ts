/**
 * Content negotiation for object responses: plain JSON, meta.k8s.io Table (what `kubectl get` asks for), or
 * PartialObjectMetadata (metadata-only clients).
 */
import type { KubeObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { notAcceptable } from '../status';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export type Representation =
  | { kind: 'object' }
  | { kind: 'table'; version: 'v1' | 'v1beta1'; includeObject: IncludeObject }
  | { kind: 'metadata'; version: 'v1' | 'v1beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept
    .split(',')
    .map((part) => {
      const [type, ...params] = part.split(';').map((s) => s.trim());
      const p: Record<string, string> = {};
      for (const kv of params) {
        const eq = kv.indexOf('=');
        if (eq > 0) p[kv.slice(0, eq).trim().toLowerCase()] = kv.slice(eq + 1).trim();
      }
      return { type: (type ?? '').toLowerCase(), params: p };
    })
    .filter((m) => m.type !== '');
}

/** Pick the first acceptable representation in the client's order; 406 when none is. */
export function negotiate(accept: string | undefined, includeObjectParam: string | null): Representation {
  if (!accept || accept.trim() === '') return { kind: 'object' };
  const ranges = parseAccept(accept);
  for (const r of ranges) {
    const jsonish = r.type === 'application/json' || r.type === '*/*' || r.type === 'application/*';
    if (!jsonish) continue;
    const as = r.params.as;
    if (!as) return { kind: 'object' };
    if (r.params.g !== 'meta.k8s.io') continue;
    const v = r.params.v;
    if (v !== 'v1' && v !== 'v1beta1') continue;
    if (as === 'Table') {
      const inc = includeObjectParam === 'None' || includeObjectParam === 'Object' ? includeObjectParam : 'Metadata';
      return { kind: 'table', version: v, includeObject: inc };
    }
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { kind: 'metadata', version: v };
  }
  throw notAcceptable(`only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${accept})`);
}

function partialMetadata(obj: KubeObject, version: string): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

/** A stored object in the version the request addressed (identity unless the version is converted). */
export type Externalize = (obj: KubeObject) => KubeObject;
const asStored: Externalize = (o) => o;

function rowObject(obj: KubeObject, rep: Extract<Representation, { kind: 'table' }>, out: Externalize): unknown {
  if (rep.includeObject === 'None') return undefined;
  if (rep.includeObject === 'Object') return out(obj);
  return partialMetadata(out(obj), rep.version);
}

/**
 * A meta.k8s.io Table of stored `objects` (one row each; cells come from the stored version, as the apiserver
 * prints from its internal version). `withHeaders` false omits columnDefinitions (watch events).
 */
export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  rep: Extract<Representation, { kind: 'table' }>,
  meta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  withHeaders = true,
  now = Date.now(),
  out: Externalize = asStored,
): Record<string, unknown> {
  const rows = objects.map((o) => {
    const row: Record<string, unknown> = { cells: type.tableRow(o, now) };
    const ro = rowObject(o, rep, out);
    if (ro !== undefined) row.object = ro;
    return row;
  });
  const m: Record<string, unknown> = {};
  if (meta.resourceVersion !== undefined) m.resourceVersion = meta.resourceVersion;
  if (meta.continue) m.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) m.remainingItemCount = meta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${rep.version}`,
    metadata: m,
    columnDefinitions: withHeaders ? type.tableColumns : [],
    rows,
  };
}

/** Render one stored object in the negotiated representation (`out` converts it to the addressed version). */
export function renderObject(type: ResourceType, obj: KubeObject, rep: Representation, out: Externalize = asStored): unknown {
  if (rep.kind === 'object') return out(obj);
  if (rep.kind === 'metadata') return partialMetadata(out(obj), rep.version);
  return toTable(type, [obj], rep, { resourceVersion: obj.metadata.resourceVersion }, true, Date.now(), out);
}

/** Render a list in the negotiated representation. */
export function renderList(
  type: ResourceType,
  apiVersion: string,
  items: readonly KubeObject[],
  rep: Representation,
  meta: { resourceVersion: string; continue?: string; remainingItemCount?: number },
  out: Externalize = asStored,
): unknown {
  if (rep.kind === 'table') return toTable(type, items, rep, meta, true, Date.now(), out);
  const m: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
  if (meta.continue) m.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) m.remainingItemCount = meta.remainingItemCount;
  if (rep.kind === 'metadata') {
    return {
      kind: 'PartialObjectMetadataList',
      apiVersion: `meta.k8s.io/${rep.version}`,
      metadata: m,
      items: items.map((o) => partialMetadata(out(o), rep.version)),
    };
  }
  return { kind: `${type.kind}List`, apiVersion, metadata: m, items: out === asStored ? items : items.map(out) };
}
