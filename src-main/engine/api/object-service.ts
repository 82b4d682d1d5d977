/**
 * The generic registry: Kubernetes object semantics on top of the store, independent of HTTP.
 * The API server calls it for every verb and the engine's controllers use it as their in-process client.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../object';
import { deepCopy, isPlainObject, jsonEqual } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { apiVersionOf, resourceKey } from '../registry/resource-type';
import { validateObjectMeta, type NameValidator } from '../registry/validation';
import type { SqliteStore, StoreEvent } from '../store/sqlite-store';
import type { FieldCause } from '../status';
import {
  StatusError,
  badRequest,
  conflict,
  expired,
  invalid,
  notFound,
  qualifiedResource,
  STALE_OBJECT,
} from '../status';
import { ServiceAllocator } from './service-allocator';
import { compileListFilter, type ListFilter } from './list-filter';
import { applyPatch, type PatchType } from './apply-patch';
import { generateName } from './names';
import { OwnerIndex } from './owner-index';

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** The served version a patch addresses when it is not the stored one (api/version-view). */
export interface PatchVersion {
  in(body: unknown): unknown;
  out(obj: KubeObject): KubeObject;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeleteOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Result of a delete: gone now (with its last state), or deferred (finalizers, graceful termination). */
export type DeleteResult = { deleted: true; object: KubeObject } | { deleted: false; object: KubeObject };

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** the store event this came from (absent for synthetic ADDED events) */
  source?: StoreEvent;
}

export const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];
const FINALIZER_ORPHAN = 'orphan';
const FINALIZER_FOREGROUND = 'foregroundDeletion';

function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class ObjectService {
  private readonly byKey = new Map<string, ResourceType>();
  readonly allocator: ServiceAllocator;
  readonly owners: OwnerIndex;

  constructor(
    readonly store: SqliteStore,
    readonly types: readonly ResourceType[],
  ) {
    for (const t of types) this.byKey.set(resourceKey(t), t);
    this.allocator = new ServiceAllocator(() => this.store.list('services'));
    this.owners = new OwnerIndex(store);
  }

  typeOf(resource: string): ResourceType | undefined {
    return this.byKey.get(resource);
  }

  typeByKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.kind === kind && apiVersionOf(t) === apiVersion);
  }

  // ---------------------------------------------------------------- reads

  get(type: ResourceType, namespace: string, name: string): KubeObject {
    const obj = this.store.get(resourceKey(type), type.namespaced ? namespace : '', name);
    if (!obj) throw notFound(type.group, type.plural, name);
    return obj;
  }

  tryGet(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    return this.store.get(resourceKey(type), type.namespaced ? namespace : '', name);
  }

  list(type: ResourceType, namespace: string, opts: ListOptions = {}): ListResult {
    const filter = compileListFilter(type, opts.labelSelector, opts.fieldSelector);
    const rv = String(this.store.resourceVersion);
    let all = this.store.list(resourceKey(type), type.namespaced ? namespace : undefined);
    if (!filter.matchesAll) all = all.filter((o) => filter.matches(o));
    let start = 0;
    if (opts.continue) {
      const after = decodeContinue(opts.continue);
      start = all.findIndex((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}` > after);
      if (start < 0) start = all.length;
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    if (!limit && start === 0) return { items: all, resourceVersion: rv };
    const end = limit ? Math.min(all.length, start + limit) : all.length;
    const items = all.slice(start, end);
    const result: ListResult = { items, resourceVersion: rv };
    if (end < all.length) {
      const last = items[items.length - 1];
      result.continue = encodeContinue(`${last.metadata.namespace ?? ''}/${last.metadata.name ?? ''}`, rv);
      result.remainingItemCount = all.length - end;
    }
    return result;
  }

  // ---------------------------------------------------------------- create

  create(type: ResourceType, namespace: string, body: unknown, opts: WriteOptions = {}): KubeObject {
    const obj = this.decodeBody(type, body);
    this.assignNamespace(type, namespace, obj.metadata);
    if (type.namespaced) this.assertNamespaceWritable(obj.metadata.namespace ?? '');
    if (obj.metadata.resourceVersion) {
      throw badRequest('resourceVersion should not be set on objects to be created');
    }
    const generated = !obj.metadata.name && !!obj.metadata.generateName;
    if (generated) obj.metadata.name = generateName(obj.metadata.generateName ?? '');
    const meta = obj.metadata;
    meta.uid = randomUUID();
    meta.creationTimestamp = nowTimestamp();
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    if (type.hasGeneration) meta.generation = 1;
    else delete meta.generation;
    type.prepareForCreate?.(obj);
    type.applyDefaults(obj);
    this.validateOrThrow(type, obj, undefined);
    if (type.kind === 'Service' && type.group === '') this.allocator.allocate(obj, undefined);
    if (opts.dryRun) {
      obj.metadata.resourceVersion = '';
      return obj;
    }
    // A generated name that happens to exist is drawn again, as the API server does (RetryGenerateName).
    for (let attempt = 0; ; attempt++) {
      try {
        return this.store.create(resourceKey(type), obj);
      } catch (err) {
        if (!generated || attempt >= 7 || !(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
        obj.metadata.name = generateName(obj.metadata.generateName ?? '');
      }
    }
  }

  // ---------------------------------------------------------------- update

  /**
   * PUT. `subresource` 'status' writes only status; otherwise status is kept from the stored object
   * for kinds with a status subresource.
   */
  update(
    type: ResourceType,
    namespace: string,
    name: string,
    body: unknown,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): KubeObject {
    const incoming = this.decodeBody(type, body);
    if (incoming.metadata.name !== undefined && incoming.metadata.name !== name) {
      throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
    }
    incoming.metadata.name = name;
    this.assignNamespace(type, namespace, incoming.metadata);
    const old = this.get(type, namespace, name);
    // A PUT body's uid is a precondition (rest.DefaultUpdatedObjectInfo): it must be the stored object's.
    const uid = incoming.metadata.uid;
    if (uid && uid !== old.metadata.uid) {
      throw conflict(type.group, type.plural, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${old.metadata.uid ?? ''}`);
    }
    return this.updateFrom(type, old, incoming, opts);
  }

  /** Shared tail of PUT and PATCH: `incoming` is the full desired object (owned by the caller). */
  private updateFrom(
    type: ResourceType,
    old: KubeObject,
    incoming: KubeObject,
    opts: WriteOptions & { subresource?: 'status' },
  ): KubeObject {
    const name = old.metadata.name ?? '';
    const expectRV = incoming.metadata.resourceVersion;
    if (expectRV && expectRV !== old.metadata.resourceVersion) {
      throw conflict(type.group, type.plural, name, STALE_OBJECT);
    }
    let next: KubeObject;
    if (opts.subresource === 'status') {
      next = deepCopy(old);
      if ('status' in incoming) next.status = incoming.status;
      else delete next.status;
    } else {
      next = incoming;
      if (type.hasStatusSubresource) {
        if ('status' in old) next.status = deepCopy(old.status);
        else delete next.status;
      }
    }
    next.apiVersion = apiVersionOf(type);
    next.kind = type.kind;
    // Metadata the server owns.
    const m = next.metadata;
    const om = old.metadata;
    // An empty uid means "the stored one"; another uid (only a patch can get here with one) is an immutable-field error.
    const uidChange = m.uid && m.uid !== om.uid && opts.subresource !== 'status' ? m.uid : undefined;
    m.name = om.name;
    if (type.namespaced) m.namespace = om.namespace;
    else delete m.namespace;
    m.uid = om.uid;
    m.creationTimestamp = om.creationTimestamp;
    if (om.deletionTimestamp) m.deletionTimestamp = om.deletionTimestamp;
    else delete m.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    else delete m.deletionGracePeriodSeconds;
    if (opts.subresource === 'status') {
      // status writes keep spec and metadata (labels included) as stored
      next.metadata = deepCopy(om);
    }
    if (om.deletionTimestamp) {
      const added = (m.finalizers ?? []).filter((f) => !(om.finalizers ?? []).includes(f));
      if (added.length > 0) {
        throw invalid(type.group, type.kind, name, [
          {
            type: 'FieldValueForbidden',
            field: 'metadata.finalizers',
            message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`,
          },
        ]);
      }
    }
    type.applyDefaults(next);
    if (type.kind === 'Service' && type.group === '') this.allocator.allocate(next, old);
    if (type.hasGeneration) {
      const changed = type.generationChanged ? type.generationChanged(next, old) : !jsonEqual(next.spec, old.spec);
      m.generation = (om.generation ?? 1) + (changed && opts.subresource !== 'status' ? 1 : 0);
    } else {
      delete m.generation;
    }
    this.validateOrThrow(type, next, old, uidChange);
    // A no-op write changes nothing, not even the resourceVersion (as the real API server does).
    const withoutRV = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
    if (jsonEqual(withoutRV(next), withoutRV(old))) return old;
    if (opts.dryRun) {
      next.metadata.resourceVersion = old.metadata.resourceVersion;
      return next;
    }
    // The last finalizer removed from an object being deleted: it goes away now.
    if (m.deletionTimestamp && (m.finalizers ?? []).length === 0 && !this.hasPendingNamespaceFinalizers(type, next)) {
      if (!this.isGracefulPodPending(type, next)) {
        const written = this.store.update(resourceKey(type), next, old.metadata.resourceVersion);
        return this.store.delete(resourceKey(type), m.namespace ?? '', name, { uid: written.metadata.uid });
      }
    }
    return this.store.update(resourceKey(type), next, old.metadata.resourceVersion);
  }

  // ---------------------------------------------------------------- patch

  patch(
    type: ResourceType,
    namespace: string,
    name: string,
    patchType: PatchType,
    patchBody: unknown,
    opts: WriteOptions & { subresource?: 'status'; force?: boolean; version?: PatchVersion } = {},
  ): { object: KubeObject; created: boolean } {
    const version = opts.version;
    const old = this.tryGet(type, namespace, name);
    if (!old) {
      if (patchType === 'apply') {
        const body = isPlainObject(patchBody) ? deepCopy(patchBody) : patchBody;
        if (isPlainObject(body)) {
          const md = isPlainObject(body.metadata) ? body.metadata : {};
          if (md.name !== undefined && md.name !== name) {
            throw badRequest(`the name of the object (${String(md.name)}) does not match the name on the URL (${name})`);
          }
          body.metadata = { ...md, name };
        }
        return { object: this.create(type, namespace, version ? version.in(body) : body, opts), created: true };
      }
      throw notFound(type.group, type.plural, name);
    }
    // A patch applies to the object in the version the request addressed, then converts back (as the apiserver does).
    const patched = version ? version.in(applyPatch(type, version.out(old), patchType, patchBody)) : applyPatch(type, old, patchType, patchBody);
    const incoming = this.decodeBody(type, patched);
    if (incoming.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(incoming.metadata.name)}) does not match the name on the URL (${name})`);
    }
    if (type.namespaced && incoming.metadata.namespace !== (old.metadata.namespace ?? '')) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    // A patch that does not mention resourceVersion is unconditional; one that does is a precondition.
    const patchRV = patchResourceVersion(patchType, patchBody);
    incoming.metadata.resourceVersion = patchRV ?? '';
    return { object: this.updateFrom(type, old, incoming, opts), created: false };
  }

  // ---------------------------------------------------------------- delete

  delete(type: ResourceType, namespace: string, name: string, opts: DeleteOptions = {}): DeleteResult {
    const resource = resourceKey(type);
    const ns = type.namespaced ? namespace : '';
    const cur = this.get(type, ns, name);
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== cur.metadata.uid) {
      throw conflict(
        type.group,
        type.plural,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid ?? ''}`,
      );
    }
    if (pre.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw conflict(
        type.group,
        type.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion ?? ''}`,
      );
    }
    if (type.kind === 'Namespace' && type.group === '' && PROTECTED_NAMESPACES.includes(name)) {
      throw new StatusError(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, {
        name,
        kind: 'namespaces',
      });
    }
    const policy = opts.propagationPolicy ?? 'Background';
    const next = deepCopy(cur);
    const m = next.metadata;
    const finalizers = new Set(m.finalizers ?? []);
    if (policy === 'Orphan') {
      finalizers.add(FINALIZER_ORPHAN);
      finalizers.delete(FINALIZER_FOREGROUND);
    } else if (policy === 'Foreground') {
      finalizers.add(FINALIZER_FOREGROUND);
      finalizers.delete(FINALIZER_ORPHAN);
    }
    // Orphan/Foreground only matter when something could depend on this object; an object nothing owns
    // would wait on the garbage collector for nothing, so it goes at once unless it has other finalizers.
    const hasDependents = this.hasDependents(cur.metadata.uid ?? '');
    if (!hasDependents) {
      finalizers.delete(FINALIZER_ORPHAN);
      finalizers.delete(FINALIZER_FOREGROUND);
    }
    const isNamespace = type.kind === 'Namespace' && type.group === '';
    const graceful = this.gracefulPeriod(type, cur, opts.gracePeriodSeconds);
    const mustWait = finalizers.size > 0 || (isNamespace && this.namespaceHasSpecFinalizers(cur)) || graceful > 0;
    if (!mustWait) {
      if (opts.dryRun) return { deleted: true, object: cur };
      return { deleted: true, object: this.store.delete(resource, ns, name, { uid: cur.metadata.uid }) };
    }
    if (cur.metadata.deletionTimestamp && finalizers.size === (cur.metadata.finalizers ?? []).length) {
      // Already being deleted: a second delete may only shorten a pod's grace period.
      if (graceful >= 0 && cur.metadata.deletionGracePeriodSeconds !== undefined && graceful < cur.metadata.deletionGracePeriodSeconds) {
        m.deletionGracePeriodSeconds = graceful;
        if (opts.dryRun) return { deleted: false, object: next };
        return { deleted: false, object: this.store.update(resource, next) };
      }
      return { deleted: false, object: cur };
    }
    m.finalizers = [...finalizers];
    if (m.finalizers.length === 0) delete m.finalizers;
    if (!m.deletionTimestamp) {
      m.deletionTimestamp = nowTimestamp();
      m.deletionGracePeriodSeconds = Math.max(0, graceful);
    }
    if (isNamespace) {
      const status = isPlainObject(next.status) ? next.status : {};
      next.status = { ...status, phase: 'Terminating' };
    }
    if (opts.dryRun) return { deleted: false, object: next };
    return { deleted: false, object: this.store.update(resource, next) };
  }

  deleteCollection(type: ResourceType, namespace: string, list: ListOptions, opts: DeleteOptions = {}): KubeObject[] {
    const { items } = this.list(type, namespace, { labelSelector: list.labelSelector, fieldSelector: list.fieldSelector });
    const out: KubeObject[] = [];
    for (const item of items) {
      try {
        out.push(this.delete(type, item.metadata.namespace ?? '', item.metadata.name ?? '', opts).object);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw err;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- watch

  /**
   * Start a watch. Events are delivered synchronously from the store's commit path, so the listener must only
   * queue. Throws 410 Expired when the requested resourceVersion is older than the history.
   */
  watch(type: ResourceType, namespace: string, opts: WatchOptions, listener: (ev: WatchEvent) => void): () => void {
    const resource = resourceKey(type);
    const filter = compileListFilter(type, opts.labelSelector, opts.fieldSelector);
    const ns = type.namespaced ? namespace : '';
    const inScope = (e: StoreEvent): boolean => e.resource === resource && (!ns || e.namespace === ns);
    const rvText = opts.resourceVersion ?? '';
    // Events at or below what the watch already covers (its snapshot or replay) are never sent twice.
    let seenRV = 0;
    const deliver = (e: StoreEvent): void => {
      if (e.rv <= seenRV || !inScope(e)) return;
      seenRV = e.rv;
      const ev = translateEvent(e, filter);
      if (ev) listener(ev);
    };
    if (rvText === '' || rvText === '0') {
      seenRV = this.store.resourceVersion;
      for (const o of this.store.list(resource, ns || undefined)) {
        if (filter.matches(o)) listener({ type: 'ADDED', object: o });
      }
      return this.store.subscribe(deliver);
    }
    const rv = Number(rvText);
    if (!Number.isSafeInteger(rv) || rv < 0) {
      throw badRequest(`invalid resource version: ${rvText}`);
    }
    const replay = this.store.eventsSince(rv);
    if (replay === 'expired') {
      throw expired(`too old resource version: ${rv} (${this.store.oldestResumableRV + 1})`);
    }
    seenRV = rv;
    for (const e of replay) deliver(e);
    return this.store.subscribe(deliver);
  }

  // ---------------------------------------------------------------- helpers

  /** Parse a request body into an object of this type; the caller owns the result. */
  decodeBody(type: ResourceType, body: unknown): KubeObject {
    if (!isPlainObject(body)) throw badRequest('the body of the request must be a JSON object');
    const obj = deepCopy(body) as Record<string, unknown>;
    const expectedVersion = apiVersionOf(type);
    if (obj.apiVersion !== undefined && obj.apiVersion !== expectedVersion) {
      const given = typeof obj.apiVersion === 'string' ? obj.apiVersion : JSON.stringify(obj.apiVersion);
      throw badRequest(`the API version in the data (${given}) does not match the expected API version (${expectedVersion})`);
    }
    if (obj.kind !== undefined && obj.kind !== type.kind) {
      const given = typeof obj.kind === 'string' ? obj.kind : JSON.stringify(obj.kind);
      throw badRequest(`the kind in the data (${given}) does not match the expected kind (${type.kind})`);
    }
    if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
    if (!isPlainObject(obj.metadata)) throw badRequest('metadata must be an object');
    obj.apiVersion = expectedVersion;
    obj.kind = type.kind;
    return obj as KubeObject;
  }

  private assignNamespace(type: ResourceType, namespace: string, meta: ObjectMeta): void {
    if (!type.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace === undefined || meta.namespace === '') meta.namespace = namespace;
    else if (meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
  }

  private assertNamespaceWritable(namespace: string): void {
    const ns = this.store.get('namespaces', '', namespace);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new StatusError(
        403,
        'Forbidden',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        { name: namespace, kind: 'namespaces' },
      );
    }
  }

  private validateOrThrow(type: ResourceType, obj: KubeObject, old: KubeObject | undefined, uidChange?: string): void {
    const causes: FieldCause[] = [
      ...validateObjectMeta(obj.metadata, {
        namespaced: type.namespaced,
        nameValidator: nameRuleFor(type),
      }),
      ...type.validate(obj, old),
    ];
    if (uidChange !== undefined) {
      causes.push({ type: 'FieldValueInvalid', field: 'metadata.uid', message: `Invalid value: ${JSON.stringify(uidChange)}: field is immutable` });
    }
    if (causes.length > 0) {
      throw invalid(type.group, type.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
    }
  }

  private hasDependents(uid: string): boolean {
    if (!uid) return false;
    return this.dependentsOf(uid).length > 0;
  }

  /** Objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): Array<{ type: ResourceType; object: KubeObject }> {
    const out: Array<{ type: ResourceType; object: KubeObject }> = [];
    for (const ref of this.owners.dependentsOf(uid)) {
      const t = this.byKey.get(ref.resource);
      const o = this.store.get(ref.resource, ref.namespace, ref.name);
      if (t && o) out.push({ type: t, object: o });
    }
    return out;
  }

  /** Whether an object with this uid exists (any kind). */
  uidExists(uid: string): boolean {
    return this.owners.locate(uid) !== undefined;
  }

  private namespaceHasSpecFinalizers(ns: KubeObject): boolean {
    const spec = isPlainObject(ns.spec) ? ns.spec : {};
    return Array.isArray(spec.finalizers) && spec.finalizers.length > 0;
  }

  private hasPendingNamespaceFinalizers(type: ResourceType, obj: KubeObject): boolean {
    return type.kind === 'Namespace' && type.group === '' && this.namespaceHasSpecFinalizers(obj);
  }

  /**
   * Pods bound to a node terminate gracefully: the kubelet stops the containers and then deletes the pod
   * with grace 0. Unbound pods, and every other kind, go at once. Returns the grace period, 0 for immediate.
   */
  private gracefulPeriod(type: ResourceType, obj: KubeObject, requested: number | undefined): number {
    if (!(type.kind === 'Pod' && type.group === '')) return 0;
    const spec = isPlainObject(obj.spec) ? obj.spec : {};
    if (typeof spec.nodeName !== 'string' || spec.nodeName === '') return 0;
    const status = isPlainObject(obj.status) ? obj.status : {};
    if (status.phase === 'Succeeded' || status.phase === 'Failed' || status.phase === 'Pending') {
      if (status.phase !== 'Pending') return 0;
    }
    if (requested !== undefined) return Math.max(0, requested);
    const tgps = spec.terminationGracePeriodSeconds;
    return typeof tgps === 'number' ? tgps : 30;
  }

  private isGracefulPodPending(type: ResourceType, obj: KubeObject): boolean {
    return type.kind === 'Pod' && type.group === '' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  }

  /** Read-only view of the store for controllers: every object of a resource type. */
  all(type: ResourceType): KubeObject[] {
    return this.store.list(resourceKey(type));
  }

  describe(type: ResourceType): string {
    return qualifiedResource(type.group, type.plural);
  }
}

function nameRuleFor(type: ResourceType): NameValidator {
  // ValidateServiceName is a DNS-1035 label (a leading letter): the name becomes a DNS label of the service.
  if (type.group === '' && type.kind === 'Service') return 'dns1035Label';
  if (type.group === '' && type.kind === 'Namespace') return 'dns1123Label';
  if (type.group === '' && (type.kind === 'Event' || type.kind === 'Node')) return 'pathSegment';
  return 'dns1123Subdomain';
}



/** Apply selectors to a store event: an update that makes an object leave the selection is a DELETED. */
function translateEvent(e: StoreEvent, filter: ListFilter): WatchEvent | undefined {
  if (filter.matchesAll) return { type: e.type, object: e.object, source: e };
  if (e.type === 'DELETED') {
    return filter.matches(e.prev ?? e.object) ? { type: 'DELETED', object: e.object, source: e } : undefined;
  }
  const now = filter.matches(e.object);
  const before = e.prev ? filter.matches(e.prev) : false;
  if (now && (before || e.type === 'ADDED')) return { type: e.type, object: e.object, source: e };
  if (now && !before) return { type: 'ADDED', object: e.object, source: e };
  if (!now && before) return { type: 'DELETED', object: e.object, source: e };
  return undefined;
}

function patchResourceVersion(patchType: PatchType, body: unknown): string | undefined {
  if (patchType === 'json') return undefined;
  if (!isPlainObject(body) || !isPlainObject(body.metadata)) return undefined;
  const rv = body.metadata.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

function encodeContinue(afterKey: string, rv: string): string {
  return Buffer.from(JSON.stringify({ v: 1, rv, start: afterKey })).toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (isPlainObject(parsed) && parsed.v === 1 && typeof parsed.start === 'string') return parsed.start;
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
