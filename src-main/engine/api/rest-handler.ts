/** The REST verbs on resources and their status/scale subresources. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../object';
import { isPlainObject } from '../object';
import type { ResourceType } from '../registry/resource-type';
import { apiVersionOf } from '../registry/resource-type';
import { badRequest, invalid, methodNotAllowed, notFound, successStatus, unsupportedMediaType, type FieldCause, type StatusError } from '../status';
import { PATCH_CONTENT_TYPES, applyPatch, type PatchType } from './apply-patch';
import { decodeBody, mediaType, readBody, sendJson } from './http-io';
import type { DeleteOptions, ObjectService, PropagationPolicy, WriteOptions } from './object-service';
import { negotiate, renderList, renderObject } from './representation';
import type { ResourceRequest } from './request-info';
import { versionView, type VersionView } from './version-view';
import { serveWatch } from './watch-stream';

/** Handlers for pod subresources that need the kubelet (logs, exec, attach, port-forward). */
export interface PodStreamHandlers {
  handle(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): Promise<void> | void;
}

function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be an integer`);
  return Number(v);
}

function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}: must be true or false`);
}

/** The options object a verb's query parameters decode into; its validation errors are 422 Invalid of that kind. */
type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

function invalidOptions(kind: OptionsKind, causes: FieldCause[]): StatusError {
  return invalid('meta.k8s.io', kind, '', causes);
}

/** ValidateDryRun: Go prints the []string value, e.g. []string{"Bogus"}. */
function dryRunCauses(dry: readonly unknown[]): FieldCause[] {
  if (dry.every((d) => d === 'All')) return [];
  const value = `[]string{${dry.map((d) => JSON.stringify(typeof d === 'string' ? d : String(d))).join(', ')}}`;
  return [{ type: 'FieldValueNotSupported', field: 'dryRun', message: `Unsupported value: ${value}: supported values: "All"` }];
}

/** Create/Update/PatchOptions from the query, validated as the apiserver's handlers do before touching the body. */
function writeOptions(query: URLSearchParams, kind: Exclude<OptionsKind, 'DeleteOptions'>): WriteOptions {
  const dry = query.getAll('dryRun');
  const causes = dryRunCauses(dry);
  const fv = query.get('fieldValidation');
  if (fv !== null && fv !== '' && !['Strict', 'Warn', 'Ignore'].includes(fv)) {
    causes.push({ type: 'FieldValueNotSupported', field: 'fieldValidation', message: `Unsupported value: "${fv}": supported values: "", "Ignore", "Strict", "Warn"` });
  }
  const fm = query.get('fieldManager') ?? undefined;
  if (fm !== undefined && fm.length > 128) causes.push({ type: 'FieldValueTooLong', field: 'fieldManager', message: 'Too long: may not be more than 128 bytes' });
  if (causes.length > 0) throw invalidOptions(kind, causes);
  return { dryRun: dry.length > 0, fieldManager: fm };
}

const POLICIES: PropagationPolicy[] = ['Orphan', 'Background', 'Foreground'];

function deleteOptions(query: URLSearchParams, body: unknown): DeleteOptions {
  const opts: DeleteOptions = {};
  const fromBody = isPlainObject(body) ? body : {};
  const policy = (fromBody.propagationPolicy ?? query.get('propagationPolicy') ?? undefined) as unknown;
  if (policy !== undefined && policy !== null && policy !== '') {
    if (typeof policy !== 'string' || !POLICIES.includes(policy as PropagationPolicy)) {
      throw invalidOptions('DeleteOptions', [
        { type: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"` },
      ]);
    }
    opts.propagationPolicy = policy as PropagationPolicy;
  }
  const orphan = fromBody.orphanDependents ?? (query.has('orphanDependents') ? boolParam(query, 'orphanDependents') : undefined);
  if (orphan !== undefined && orphan !== null) {
    if (opts.propagationPolicy) {
      throw invalidOptions('DeleteOptions', [
        { type: 'FieldValueInvalid', field: 'propagationPolicy', message: `Invalid value: "${opts.propagationPolicy}": orphanDependents and deletionPropagation cannot be both set` },
      ]);
    }
    opts.propagationPolicy = orphan === true ? 'Orphan' : 'Background';
  }
  const grace = fromBody.gracePeriodSeconds ?? intParam(query, 'gracePeriodSeconds');
  if (grace !== undefined && grace !== null) {
    if (typeof grace !== 'number' || !Number.isInteger(grace)) throw badRequest('gracePeriodSeconds must be an integer');
    opts.gracePeriodSeconds = grace;
  }
  if (isPlainObject(fromBody.preconditions)) {
    const p = fromBody.preconditions;
    opts.preconditions = {
      uid: typeof p.uid === 'string' ? p.uid : undefined,
      resourceVersion: typeof p.resourceVersion === 'string' ? p.resourceVersion : undefined,
    };
  }
  const dry: unknown[] = Array.isArray(fromBody.dryRun) ? fromBody.dryRun : query.getAll('dryRun');
  const dryCauses = dryRunCauses(dry);
  if (dryCauses.length > 0) throw invalidOptions('DeleteOptions', dryCauses);
  opts.dryRun = dry.length > 0;
  return opts;
}

function scaleOf(type: ResourceType, obj: KubeObject): KubeObject {
  const s = type.scale;
  if (!s) throw notFound(type.group, `${type.plural}/scale`, obj.metadata.name ?? '');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: s.specReplicas(obj) },
    status: { replicas: s.statusReplicas(obj), selector: s.selector(obj) },
  };
}

export class RestHandler {
  /** every live watch, so the server can end them cleanly */
  readonly activeWatches = new Set<() => void>();

  constructor(
    private readonly service: ObjectService,
    private readonly podStreams?: PodStreamHandlers,
  ) {}

  /** `served` is the type the path addressed; a converted version reads and writes its storage type. */
  async handle(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, served: ResourceType, query: URLSearchParams): Promise<void> {
    const view = versionView(served);
    const type = view.storage;
    const ns = type.namespaced ? info.namespace : '';
    if (type.namespaced && info.name !== '' && ns === '') {
      // /api/v1/pods/NAME: a namespaced object needs its namespace
      throw notFound(type.group, type.plural, info.name);
    }
    if (!type.namespaced && info.namespace !== '') throw notFound('', '', '');
    if (info.subresource !== '') return this.handleSubresource(req, res, info, view, ns, query);
    switch (info.verb) {
      case 'get':
        return this.get(req, res, view, ns, info.name, query);
      case 'list':
        return this.list(req, res, view, ns, query);
      case 'watch':
        return this.watch(req, res, view, ns, info.name, query);
      case 'create': {
        if (info.name !== '') throw methodNotAllowed();
        const opts = writeOptions(query, 'CreateOptions');
        const body = view.in(await this.body(req));
        const created = this.service.create(type, ns, body, opts);
        return this.reply(res, 201, renderObject(type, created, negotiate(req.headers.accept, query.get('includeObject')), view.out));
      }
      case 'update': {
        if (info.name === '') throw methodNotAllowed();
        const opts = writeOptions(query, 'UpdateOptions');
        const body = view.in(await this.body(req));
        const updated = this.service.update(type, ns, info.name, body, opts);
        return this.reply(res, 200, view.out(updated));
      }
      case 'patch': {
        if (info.name === '') throw methodNotAllowed();
        const { patchType, patch, force, opts } = await this.patchBody(req, query);
        const { object, created } = this.service.patch(type, ns, info.name, patchType, patch, { ...opts, force, version: view.converts ? view : undefined });
        return this.reply(res, created ? 201 : 200, view.out(object));
      }
      case 'delete': {
        const body = await this.optionalBody(req);
        const result = this.service.delete(type, ns, info.name, deleteOptions(query, body));
        if (!result.deleted || (type.group === '' && type.plural === 'pods')) return this.reply(res, 200, view.out(result.object));
        return this.reply(res, 200, successStatus({ name: info.name, group: type.group, kind: type.plural, uid: result.object.metadata.uid }));
      }
      case 'deletecollection': {
        if (!type.verbs.includes('deletecollection')) throw methodNotAllowed();
        const body = await this.optionalBody(req);
        const opts = deleteOptions(query, body);
        const deleted = this.service.deleteCollection(type, ns, { labelSelector: query.get('labelSelector') ?? undefined, fieldSelector: query.get('fieldSelector') ?? undefined }, opts);
        return this.reply(res, 200, { kind: `${type.kind}List`, apiVersion: apiVersionOf(served), metadata: { resourceVersion: String(this.service.store.resourceVersion) }, items: deleted.map(view.out) });
      }
    }
  }

  /** Answer only once every write so far is on disk: an acknowledged write survives kill -9. */
  private async reply(res: ServerResponse, code: number, body: unknown): Promise<void> {
    await this.service.store.whenDurable();
    sendJson(res, code, body);
  }

  private get(req: IncomingMessage, res: ServerResponse, view: VersionView, ns: string, name: string, query: URLSearchParams): void {
    const rep = negotiate(req.headers.accept, query.get('includeObject'));
    const obj = this.service.get(view.storage, ns, name);
    sendJson(res, 200, renderObject(view.storage, obj, rep, view.out));
  }

  private list(req: IncomingMessage, res: ServerResponse, view: VersionView, ns: string, query: URLSearchParams): void {
    const type = view.storage;
    const rep = negotiate(req.headers.accept, query.get('includeObject'));
    const limit = intParam(query, 'limit');
    if (limit !== undefined && limit < 0) throw badRequest('limit must be a non-negative integer');
    const result = this.service.list(type, ns, {
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
      limit,
      continue: query.get('continue') ?? undefined,
    });
    sendJson(res, 200, renderList(type, apiVersionOf(view.served), result.items, rep, result, view.out));
  }

  private watch(req: IncomingMessage, res: ServerResponse, view: VersionView, ns: string, name: string, query: URLSearchParams): void {
    const rep = negotiate(req.headers.accept, query.get('includeObject'));
    const timeout = intParam(query, 'timeoutSeconds');
    if (timeout !== undefined && timeout < 0) throw badRequest('timeoutSeconds must be a non-negative integer');
    let fieldSelector = query.get('fieldSelector') ?? undefined;
    if (name) fieldSelector = fieldSelector ? `${fieldSelector},metadata.name=${name}` : `metadata.name=${name}`;
    serveWatch(req, res, this.service, view.storage, ns, {
      view: view.converts ? view : undefined,
      resourceVersion: query.get('resourceVersion') ?? undefined,
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector,
      timeoutSeconds: timeout,
      allowBookmarks: boolParam(query, 'allowWatchBookmarks'),
      representation: rep,
      currentRV: () => this.service.store.resourceVersion,
      active: this.activeWatches,
    });
  }

  private async handleSubresource(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, view: VersionView, ns: string, query: URLSearchParams): Promise<void> {
    const type = view.storage;
    const sub = info.subresource;
    if (sub === 'status' && type.hasStatusSubresource) {
      switch (info.verb) {
        case 'get':
          return this.reply(res, 200, view.out(this.service.get(type, ns, info.name)));
        case 'update': {
          const opts = writeOptions(query, 'UpdateOptions');
          const body = view.in(await this.body(req));
          return this.reply(res, 200, view.out(this.service.update(type, ns, info.name, body, { ...opts, subresource: 'status' })));
        }
        case 'patch': {
          const { patchType, patch, opts } = await this.patchBody(req, query);
          if (patchType === 'apply') throw badRequest('server-side apply is not supported on the status subresource');
          const { object } = this.service.patch(type, ns, info.name, patchType, patch, { ...opts, subresource: 'status', version: view.converts ? view : undefined });
          return this.reply(res, 200, view.out(object));
        }
        default:
          throw methodNotAllowed();
      }
    }
    if (sub === 'scale' && type.scale) return this.handleScale(req, res, info, type, ns, query);
    if (sub === 'finalize' && type.group === '' && type.plural === 'namespaces' && info.verb === 'update') {
      const opts = writeOptions(query, 'UpdateOptions');
      const body = await this.body(req);
      const cur = this.service.get(type, '', info.name);
      const spec = isPlainObject(body) && isPlainObject(body.spec) ? body.spec : {};
      const next = { ...cur, spec: { ...(isPlainObject(cur.spec) ? cur.spec : {}), finalizers: Array.isArray(spec.finalizers) ? spec.finalizers : [] } };
      return this.reply(res, 200, this.service.update(type, '', info.name, next, opts));
    }
    if (type.group === '' && type.plural === 'pods' && ['log', 'exec', 'attach', 'portforward'].includes(sub)) {
      this.service.get(type, ns, info.name);
      if (!this.podStreams) {
        throw badRequest(`pod ${info.name} has no running containers: this engine runs without a kubelet`);
      }
      return this.podStreams.handle(req, res, info, query);
    }
    throw notFound(type.group, `${type.plural}/${sub}`, info.name);
  }

  private async handleScale(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, type: ResourceType, ns: string, query: URLSearchParams): Promise<void> {
    const s = type.scale;
    if (!s) throw methodNotAllowed();
    const cur = this.service.get(type, ns, info.name);
    const curScale = scaleOf(type, cur);
    let desired: unknown;
    let opts: WriteOptions;
    switch (info.verb) {
      case 'get':
        return this.reply(res, 200, curScale);
      case 'update':
        opts = writeOptions(query, 'UpdateOptions');
        desired = await this.body(req);
        break;
      case 'patch': {
        const parsed = await this.patchBody(req, query);
        const { patchType, patch } = parsed;
        opts = parsed.opts;
        if (patchType === 'apply') throw badRequest('server-side apply is not supported on the scale subresource');
        desired = applyPatch(type, curScale, patchType, patch);
        break;
      }
      default:
        throw methodNotAllowed();
    }
    if (!isPlainObject(desired)) throw badRequest('the body of the request must be a Scale object');
    const md = isPlainObject(desired.metadata) ? desired.metadata : {};
    const spec = isPlainObject(desired.spec) ? desired.spec : {};
    const replicas = spec.replicas ?? 0;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid('autoscaling', 'Scale', info.name, [
        { type: 'FieldValueInvalid', field: 'spec.replicas', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` },
      ]);
    }
    const next = structuredClone(cur);
    s.setSpecReplicas(next, replicas);
    if (typeof md.resourceVersion === 'string' && md.resourceVersion !== '') next.metadata.resourceVersion = md.resourceVersion;
    else next.metadata.resourceVersion = '';
    const updated = this.service.update(type, ns, info.name, next, opts);
    return this.reply(res, 200, scaleOf(type, updated));
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    const buf = await readBody(req);
    return decodeBody(buf, req.headers['content-type'] ?? 'application/json');
  }

  private async optionalBody(req: IncomingMessage): Promise<unknown> {
    const buf = await readBody(req);
    if (buf.length === 0 || buf.toString('utf8').trim() === '') return undefined;
    return decodeBody(buf, req.headers['content-type'] ?? 'application/json');
  }

  private async patchBody(req: IncomingMessage, query: URLSearchParams): Promise<{ patchType: PatchType; patch: unknown; force: boolean; opts: WriteOptions }> {
    const ct = mediaType(req.headers['content-type']);
    const patchType = PATCH_CONTENT_TYPES[ct];
    if (!patchType) throw unsupportedMediaType(ct || '<none>');
    const force = boolParam(query, 'force');
    const opts = writeOptions(query, 'PatchOptions');
    if (patchType === 'apply') {
      if (!query.get('fieldManager')) {
        throw invalidOptions('PatchOptions', [{ type: 'FieldValueRequired', field: 'fieldManager', message: 'Required value: is required for apply patch' }]);
      }
    } else if (query.has('force')) {
      throw invalidOptions('PatchOptions', [{ type: 'FieldValueForbidden', field: 'force', message: 'Forbidden: may not be specified for non-apply patch' }]);
    }
    const buf = await readBody(req);
    const patch = decodeBody(buf, patchType === 'apply' ? 'application/apply-patch+yaml' : 'application/json');
    return { patchType, patch, force, opts };
  }
}
