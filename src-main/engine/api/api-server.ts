/** The HTTPS server: authentication, non-resource endpoints, discovery, and dispatch to the REST handler. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ResourceType } from '../registry/resource-type';
import type { ApiExtension } from './api-extension';
import { notFoundPath, StatusError, unauthorized } from '../status';
import { apiGroupDocument, apiGroupList, apiResourceList, apiVersions, extensionGroup, extensionResourceList, versionInfo } from './discovery';
import { sendError, sendJson, sendStatus, sendText } from './http-io';
import type { ObjectService } from './object-service';
import { parseRequestInfo, type ResourceRequest } from './request-info';
import { RestHandler, type PodStreamHandlers } from './rest-handler';

/** The protobuf media type kube-openapi answers /openapi/v2 with (dotted form; `@` breaks Go's parser). */
const OPENAPI_V2_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** Handles HTTP upgrades (WebSocket/SPDY) for exec, attach and port-forward. */
export interface UpgradeHandler {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): void;
}

export interface ApiServerOptions {
  host: string;
  port: number;
  token: string;
  tls: { key: string; cert: string };
  service: ObjectService;
  skiffVersion: string;
  podStreams?: PodStreamHandlers;
  upgrades?: UpgradeHandler;
  /** every group/version/resource served (default: the service's stored types); converted versions included */
  servedTypes?: readonly ResourceType[];
  /** groups served by code, not the store (metrics APIs) */
  extensions?: readonly ApiExtension[];
  /** whether the engine is ready (readyz); defaults to true once listening */
  ready?: () => boolean;
}

const HEALTH_PATHS = new Set(['/healthz', '/livez', '/readyz']);

export class ApiServer {
  private server: https.Server | undefined;
  private readonly rest: RestHandler;
  private readonly tokenBuf: Buffer;
  private readonly sockets = new Set<Duplex>();
  private address = '';

  constructor(private readonly opts: ApiServerOptions) {
    this.rest = new RestHandler(opts.service, opts.podStreams);
    this.tokenBuf = Buffer.from(opts.token, 'utf8');
  }

  get types(): readonly ResourceType[] {
    return this.opts.servedTypes ?? this.opts.service.types;
  }

  /** Listen; resolves with the bound port. Rejects with the listen error (e.g. EADDRINUSE). */
  start(): Promise<number> {
    const server = https.createServer({ key: this.opts.tls.key, cert: this.opts.tls.cert, minVersion: 'TLSv1.2' }, (req, res) => {
      void this.onRequest(req, res);
    });
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 70_000;
    server.requestTimeout = 0; // watches and log streams are long-lived
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    server.on('connection', (s: Duplex) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('secureConnection', (s: Duplex) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('clientError', (_err, socket: Duplex) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      server.once('error', onError);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', onError);
        const port = (server.address() as AddressInfo).port;
        this.address = `${this.opts.host}:${port}`;
        resolve(port);
      });
    });
  }

  /** End every watch stream cleanly (clients re-watch from their last resourceVersion). Returns how many. */
  endWatches(): number {
    const all = [...this.rest.activeWatches];
    for (const end of all) end();
    return all.length;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.endWatches();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    });
  }

  private authenticated(req: IncomingMessage): boolean {
    const h = req.headers.authorization;
    if (!h || !h.startsWith('Bearer ')) return false;
    const given = Buffer.from(h.slice(7).trim(), 'utf8');
    return given.length === this.tokenBuf.length && timingSafeEqual(given, this.tokenBuf);
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const path = url.pathname.replace(/\/+$/, '') || '/';
      const method = req.method ?? 'GET';
      if (HEALTH_PATHS.has(path) || HEALTH_PATHS.has(path.replace(/\/(ping|log|etcd|informer-sync)$/, ''))) {
        const ok = path.startsWith('/readyz') ? (this.opts.ready?.() ?? true) : true;
        return sendText(res, ok ? 200 : 503, ok ? 'ok' : 'not ready');
      }
      if (!this.authenticated(req)) {
        req.resume();
        return sendStatus(res, unauthorized().toStatus());
      }
      const info = parseRequestInfo(url.pathname, method, url.searchParams);
      if (!info) return sendStatus(res, notFoundPath().toStatus());
      if (info.kind === 'nonresource') {
        if (method !== 'GET' && method !== 'HEAD') return sendStatus(res, new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource').toStatus());
        return this.nonResource(res, info.path);
      }
      const ext = this.opts.extensions?.find((x) => x.group === info.group && x.version === info.version);
      if (ext) {
        req.resume();
        if (info.verb !== 'get' && info.verb !== 'list') return sendStatus(res, new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource').toStatus());
        return await ext.handle(req, res, info, url.searchParams);
      }
      const type = this.types.find((t) => t.group === info.group && t.version === info.version && t.plural === info.resource);
      if (!type) {
        req.resume();
        return sendStatus(res, notFoundPath().toStatus());
      }
      await this.rest.handle(req, res, info, type, url.searchParams);
    } catch (err) {
      if (!req.complete) req.resume();
      sendError(res, err);
    }
  }

  private nonResource(res: ServerResponse, path: string): void {
    const types = this.types;
    if (path === '/version') return sendJson(res, 200, versionInfo(this.opts.skiffVersion));
    if (path === '/api') return sendJson(res, 200, apiVersions(this.address));
    const extensions = this.opts.extensions ?? [];
    if (path === '/apis') {
      const list = apiGroupList(types);
      (list.groups as unknown[]).push(...extensions.map(extensionGroup));
      return sendJson(res, 200, list);
    }
    if (path === '/openapi/v2') {
      // An empty protobuf Document: kubectl finds no schemas, skips client-side validation for them and
      // computes strategic merge patches from its compiled-in types (wire doc, section 3.2).
      res.writeHead(200, { 'Content-Type': OPENAPI_V2_CONTENT_TYPE, 'Content-Length': 0 });
      res.end();
      return;
    }
    const core = /^\/api\/([^/]+)$/.exec(path);
    if (core) {
      const doc = apiResourceList(types, '', core[1]);
      if (doc) return sendJson(res, 200, doc);
    }
    const group = /^\/apis\/([^/]+)$/.exec(path);
    if (group) {
      const doc = apiGroupDocument(types, group[1]);
      if (doc) return sendJson(res, 200, doc);
      const ext = extensions.find((x) => x.group === group[1]);
      if (ext) return sendJson(res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...extensionGroup(ext) });
    }
    const gv = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (gv) {
      const doc = apiResourceList(types, gv[1], gv[2]);
      if (doc) return sendJson(res, 200, doc);
      const ext = extensions.find((x) => x.group === gv[1] && x.version === gv[2]);
      if (ext) return sendJson(res, 200, extensionResourceList(ext));
    }
    sendStatus(res, notFoundPath().toStatus());
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Node drops its own error listener on upgrade: without ours a reset socket would crash the engine.
    socket.on('error', () => socket.destroy());
    const refuse = (err: StatusError): void => {
      const body = JSON.stringify(err.toStatus());
      socket.end(
        `HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    try {
      if (!this.authenticated(req)) return refuse(unauthorized());
      const url = new URL(req.url ?? '/', 'https://localhost');
      const info = parseRequestInfo(url.pathname, req.method === 'POST' ? 'POST' : 'GET', url.searchParams);
      if (!info || info.kind !== 'resource' || info.group !== '' || info.resource !== 'pods' || !['exec', 'attach', 'portforward'].includes(info.subresource)) {
        return refuse(notFoundPath());
      }
      const podType = this.opts.service.types.find((t) => t.group === '' && t.plural === 'pods');
      if (!podType) return refuse(notFoundPath());
      this.opts.service.get(podType, info.namespace, info.name);
      if (!this.opts.upgrades) {
        return refuse(new StatusError(400, 'BadRequest', `pod ${info.name} has no running containers: this engine runs without a kubelet`));
      }
      this.opts.upgrades.handleUpgrade(req, socket, head, info, url.searchParams);
    } catch (err) {
      refuse(err instanceof StatusError ? err : new StatusError(500, 'InternalError', String(err)));
    }
  }
}
