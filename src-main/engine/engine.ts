/** The local engine: store + API server + controllers, for one state dir. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiServer } from './api/api-server';
import { ObjectService } from './api/object-service';
import { KUBERNETES_SERVICE_IP } from './api/service-allocator';
import { GarbageCollector } from './controllers/garbage-collector';
import { NamespaceController } from './controllers/namespace-controller';
import { loadOrCreatePki, type EnginePki } from './pki';
import { ALL_RESOURCE_TYPES } from './registry';
import { SqliteStore } from './store/sqlite-store';
import { StatusError } from './status';

export interface EngineOptions {
  stateDir: string;
  /** 0 picks a free port */
  port: number;
  host?: string;
  skiffVersion: string;
  /** events kept for watch resumption */
  historySize?: number;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class Engine {
  private constructor(
    readonly stateDir: string,
    readonly store: SqliteStore,
    readonly service: ObjectService,
    readonly server: ApiServer,
    readonly pki: EnginePki,
    readonly port: number,
    private readonly controllers: Array<{ stop(): void; idle(): Promise<void> }>,
  ) {}

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Open the state dir, bootstrap system objects, start the controllers and listen. */
  static async start(opts: EngineOptions): Promise<Engine> {
    mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
    const pki = await loadOrCreatePki(opts.stateDir);
    const store = new SqliteStore(join(opts.stateDir, 'state.db'), { historySize: opts.historySize });
    const service = new ObjectService(store, ALL_RESOURCE_TYPES);
    let server: ApiServer | undefined;
    try {
      bootstrap(service);
      const gc = new GarbageCollector(service);
      const nsc = new NamespaceController(service);
      gc.start();
      nsc.start();
      server = new ApiServer({
        host: opts.host ?? '127.0.0.1',
        port: opts.port,
        token: pki.token,
        tls: { key: pki.serverKey, cert: pki.serverCert },
        service,
        skiffVersion: opts.skiffVersion,
      });
      const port = await server.start();
      return new Engine(opts.stateDir, store, service, server, pki, port, [gc, nsc]);
    } catch (err) {
      await server?.stop();
      service.owners.stop();
      store.close();
      throw err;
    }
  }

  /** Wait until the controllers have nothing queued (tests). */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      for (const c of this.controllers) await c.idle();
      await new Promise((r) => setImmediate(r));
    }
  }

  async stop(): Promise<void> {
    for (const c of this.controllers) c.stop();
    await this.server.stop();
    this.service.owners.stop();
    this.store.close();
  }
}

function ensure(service: ObjectService, resource: string, namespace: string, body: Record<string, unknown>): void {
  const type = service.typeOf(resource);
  if (!type) return;
  const meta = body.metadata as { name: string };
  if (service.tryGet(type, namespace, meta.name)) return;
  try {
    service.create(type, namespace, body);
  } catch (err) {
    if (!(err instanceof StatusError && err.code === 409)) throw err;
  }
}

/** The objects every cluster has: system namespaces and the `kubernetes` service. */
function bootstrap(service: ObjectService): void {
  for (const name of SYSTEM_NAMESPACES) {
    ensure(service, 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  ensure(service, 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: KUBERNETES_SERVICE_IP, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }], sessionAffinity: 'None' },
  });
}
