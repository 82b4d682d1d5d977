/**
 * Test support for the streaming endpoints while the kubelet is being written: a real API server (store,
 * TLS, token, kubeconfig) whose pods are backed by containers the test starts itself, found through a fake
 * ContainerResolver. Every container carries a per-run label and is removed by stop().
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ApiServer } from '../../api/api-server';
import { ObjectService } from '../../api/object-service';
import { mergeEngineContext } from '../../kubeconfig';
import type { KubeObject } from '../../object';
import { isPlainObject } from '../../object';
import { loadOrCreatePki } from '../../pki';
import { ALL_RESOURCE_TYPES, type ResourceType } from '../../registry';
import { badRequest, notFound } from '../../status';
import { SqliteStore } from '../../store/sqlite-store';
import { run, type RunResult } from '../../test/harness';
import { ensureTestImage } from '../../test/test-images';
import type { ContainerRef, ContainerResolver, ResolveOptions } from '../container-resolver';
import { createPodStreams, type PodStreams } from './index';

const RUN_LABEL = 'skiff-streams-test';

interface FakeContainer {
  id: string;
  previousId?: string;
}

/** Maps pod/container names to containers started by the test; errors worded as the kubelet's. */
export class FakeResolver implements ContainerResolver {
  private readonly pods = new Map<string, Map<string, FakeContainer>>();

  constructor(private readonly docker: Docker) {}

  set(namespace: string, pod: string, containers: Record<string, FakeContainer>): void {
    this.pods.set(`${namespace}/${pod}`, new Map(Object.entries(containers)));
  }

  async resolve(namespace: string, podName: string, container: string | undefined, opts: ResolveOptions = {}): Promise<ContainerRef> {
    const pod = this.pods.get(`${namespace}/${podName}`);
    if (!pod) throw notFound('', 'pods', podName);
    const name = container ?? [...pod.keys()][0];
    const c = pod.get(name);
    if (!c) throw badRequest(`container ${name} is not valid for pod ${podName}`);
    const id = opts.previous ? c.previousId : c.id;
    if (!id) throw badRequest(`previous terminated container "${name}" in pod "${podName}" not found`);
    const info: unknown = await this.docker.getContainer(id).inspect();
    const state = isPlainObject(info) && isPlainObject(info.State) ? info.State : {};
    const config = isPlainObject(info) && isPlainObject(info.Config) ? info.Config : {};
    const net = isPlainObject(info) && isPlainObject(info.NetworkSettings) ? info.NetworkSettings : {};
    return {
      id,
      name,
      restartCount: 0,
      running: state.Running === true,
      tty: config.Tty === true,
      podIP: typeof net.IPAddress === 'string' ? net.IPAddress : '',
      sandboxId: id.slice(0, 12),
    };
  }
}

export interface ContainerSpec {
  cmd: string[];
  tty?: boolean;
  openStdin?: boolean;
}

export interface StreamsTestEnv {
  docker: Docker;
  image: string;
  url: string;
  token: string;
  ca: string;
  kubeconfig: string;
  dir: string;
  streams: PodStreams;
  resolver: FakeResolver;
  /** Every upgrade request the server saw: `<method> <Upgrade> <offered protocols>`, to tell transports apart. */
  upgradeLog: string[];
  /** Start a labelled container from the test image; returns its id. */
  startContainer(spec: ContainerSpec): Promise<string>;
  /** A Pod object (phase Running) whose containers map to the given Docker containers. */
  addPod(name: string, containers: Record<string, FakeContainer>, labels?: Record<string, string>): void;
  /** Store any other object in namespace default (e.g. a Service for `kubectl port-forward svc/x`). */
  addObject(plural: string, obj: KubeObject): void;
  /** Run a kubectl binary against this server with its own HOME and discovery cache. */
  kubectl(bin: string, args: string[], opts?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  stop(): Promise<void>;
}

export async function startStreamsTestEnv(): Promise<StreamsTestEnv> {
  const docker = new Docker();
  const image = await ensureTestImage(docker);
  const runId = randomBytes(6).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'skiff-streams-'));
  const pki = await loadOrCreatePki(dir);
  const store = new SqliteStore(join(dir, 'state.db'));
  const service = new ObjectService(store, ALL_RESOURCE_TYPES);
  const typeOf = (plural: string): ResourceType => {
    const t = service.typeOf(plural);
    if (!t) throw new Error(`no type ${plural}`);
    return t;
  };
  service.create(typeOf('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const resolver = new FakeResolver(docker);
  const streams = createPodStreams(resolver, docker);
  const upgradeLog: string[] = [];
  const server = new ApiServer({
    host: '127.0.0.1',
    port: 0,
    token: pki.token,
    tls: { key: pki.serverKey, cert: pki.serverCert },
    service,
    skiffVersion: 'test',
    podStreams: streams.podStreams,
    upgrades: {
      handleUpgrade(req, socket, head, info, query) {
        const offered = req.headers['sec-websocket-protocol'] ?? req.headers['x-stream-protocol-version'] ?? '';
        upgradeLog.push(`${req.method ?? ''} ${req.headers.upgrade ?? ''} ${String(offered)}`);
        streams.upgrades.handleUpgrade(req, socket, head, info, query);
      },
    },
  });
  const port = await server.start();
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  mergeEngineContext(kubeconfig, { name: 'skiff', server: url, caCert: pki.caCert, token: pki.token });

  return {
    docker,
    image,
    url,
    token: pki.token,
    ca: pki.caCert,
    kubeconfig,
    dir,
    streams,
    resolver,
    upgradeLog,
    async startContainer(spec) {
      const c = await docker.createContainer({
        Image: image,
        Cmd: spec.cmd,
        Tty: spec.tty ?? false,
        OpenStdin: spec.openStdin ?? false,
        Labels: { [RUN_LABEL]: runId },
        HostConfig: { LogConfig: { Type: 'json-file', Config: {} } },
      });
      await c.start();
      return c.id;
    },
    addPod(name, containers, labels) {
      const pods = typeOf('pods');
      const created: KubeObject = service.create(pods, 'default', {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, ...(labels ? { labels } : {}) },
        spec: { containers: Object.keys(containers).map((c) => ({ name: c, image })) },
      });
      service.update(pods, 'default', name, { ...created, status: { phase: 'Running' } }, { subresource: 'status' });
      resolver.set('default', name, containers);
    },
    addObject(plural, obj) {
      service.create(typeOf(plural), 'default', obj);
    },
    kubectl(bin, args, opts = {}) {
      const env = { KUBECONFIG: kubeconfig, HOME: dir, ...opts.env };
      return run(bin, ['--cache-dir', join(dir, 'kcache'), ...args], env, opts.input, 30_000);
    },
    async stop() {
      streams.stop();
      await server.stop();
      service.owners.stop();
      store.close();
      const mine = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${runId}`] } });
      await Promise.all(mine.map((c) => docker.getContainer(c.Id).remove({ force: true })));
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/** A version-pinned kubectl (1.27–1.33 are installed beside the default one). */
export function pinnedKubectl(minor: number): string {
  return `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
}

/** The kubectl on PATH (1.32-ish: WebSocket exec). */
export const DEFAULT_KUBECTL = '/usr/bin/kubectl';
