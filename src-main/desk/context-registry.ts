import type { KubeConfig } from '@kubernetes/client-node';
import type { ClusterError, ContextInfo, ContextList, ContextStatus } from '../contract/cluster';
import { DeskError, toClusterError } from './cluster-error';
import { kubeRequest } from './kube-http';
import { configForContext, loadKubeconfig } from './kubeconfig-loader';
import { record, text } from './json-fields';

/** What the desk needs to talk to one context. */
export interface ContextClient {
  name: string;
  config: KubeConfig;
  server: string | null;
  namespace: string;
}

export interface ContextRegistryOptions {
  /** The kubeconfig files, in precedence order. */
  paths: () => string[];
  /** The local engine's context name, when there is a local engine (listed first). */
  localContext?: () => string | null;
  /** Per-request timeout of the reachability check. */
  checkTimeoutMs?: number;
}

const UNKNOWN: ContextStatus = { state: 'unknown', error: null, serverVersion: null, checkedAt: null };

/**
 * The kubeconfig contexts and what we know about each: one KubeConfig per context (so contexts never share
 * state), a status that changes as checks and watches succeed or fail, and listeners told of every change.
 */
export class ContextRegistry {
  private all: KubeConfig;
  private sources: string[] = [];
  private problems: string[] = [];
  private readonly clients = new Map<string, ContextClient>();
  private readonly statuses = new Map<string, ContextStatus>();
  private readonly checks = new Map<string, Promise<ContextStatus>>();
  private readonly listeners = new Set<(list: ContextList) => void>();
  private readonly configListeners = new Set<(changed: string[]) => void>();

  constructor(private readonly options: ContextRegistryOptions) {
    this.all = this.read();
  }

  private read(): KubeConfig {
    const loaded = loadKubeconfig(this.options.paths());
    this.sources = loaded.sources;
    this.problems = loaded.problems;
    return loaded.config;
  }

  /** Re-reads the files; contexts whose cluster, user or namespace changed are reported to config listeners. */
  reload(): ContextList {
    const before = new Map(this.all.contexts.map((c) => [c.name, this.fingerprint(this.all, c.name)]));
    this.all = this.read();
    const changed: string[] = [];
    for (const c of this.all.contexts) {
      const now = this.fingerprint(this.all, c.name);
      if (before.get(c.name) !== now) {
        changed.push(c.name);
        this.clients.delete(c.name);
        this.statuses.delete(c.name);
      }
      before.delete(c.name);
    }
    for (const gone of before.keys()) {
      changed.push(gone);
      this.clients.delete(gone);
      this.statuses.delete(gone);
    }
    if (changed.length > 0) for (const listener of this.configListeners) listener(changed);
    this.emit();
    return this.list();
  }

  private fingerprint(config: KubeConfig, name: string): string {
    const context = config.contexts.find((c) => c.name === name);
    if (context === undefined) return '';
    return JSON.stringify([
      context,
      config.clusters.find((c) => c.name === context.cluster) ?? null,
      config.users.find((u) => u.name === context.user) ?? null,
    ]);
  }

  list(): ContextList {
    const local = this.options.localContext?.() ?? null;
    const contexts: ContextInfo[] = this.all.contexts.map((c) => ({
      name: c.name,
      cluster: c.cluster,
      user: c.user,
      server: this.all.clusters.find((cl) => cl.name === c.cluster)?.server ?? null,
      namespace: c.namespace ?? 'default',
      isLocal: c.name === local,
      status: this.statuses.get(c.name) ?? UNKNOWN,
    }));
    contexts.sort((a, b) => Number(b.isLocal) - Number(a.isLocal));
    const current = this.all.contexts.some((c) => c.name === this.all.currentContext) ? this.all.currentContext : null;
    return { contexts, current, sources: [...this.sources], problems: [...this.problems] };
  }

  info(name: string): ContextInfo {
    const found = this.list().contexts.find((c) => c.name === name);
    if (found === undefined) throw new DeskError('config', `no context named "${name}" in ${this.sources.join(', ') || 'any kubeconfig'}`);
    return found;
  }

  /** The client of a context; throws a 'config' error for an unknown or unusable one. */
  client(name: string): ContextClient {
    const cached = this.clients.get(name);
    if (cached !== undefined) return cached;
    const context = this.all.contexts.find((c) => c.name === name);
    if (context === undefined) throw new DeskError('config', `no context named "${name}" in ${this.sources.join(', ') || 'any kubeconfig'}`);
    const cluster = this.all.clusters.find((c) => c.name === context.cluster);
    if (cluster === undefined) throw new DeskError('config', `context "${name}" names cluster "${context.cluster}", which no kubeconfig defines`);
    const client: ContextClient = {
      name,
      config: configForContext(this.all, name),
      server: cluster.server,
      namespace: context.namespace ?? 'default',
    };
    this.clients.set(name, client);
    return client;
  }

  status(name: string): ContextStatus {
    return this.statuses.get(name) ?? UNKNOWN;
  }

  /** Records what a watch or call learnt about a context (an error, or that it answers again). */
  report(name: string, outcome: { error: ClusterError } | { connected: true; serverVersion?: string }): void {
    if (!this.all.contexts.some((c) => c.name === name)) return;
    const previous = this.status(name);
    const next: ContextStatus =
      'error' in outcome
        ? { state: 'error', error: outcome.error, serverVersion: previous.serverVersion, checkedAt: new Date().toISOString() }
        : {
            state: 'connected',
            error: null,
            serverVersion: outcome.serverVersion ?? previous.serverVersion,
            checkedAt: new Date().toISOString(),
          };
    if (previous.state === next.state && JSON.stringify(previous.error) === JSON.stringify(next.error) && previous.serverVersion === next.serverVersion) {
      return;
    }
    this.statuses.set(name, next);
    this.emit();
  }

  /** GET /version against the context; concurrent checks of one context share the request. */
  check(name: string): Promise<ContextStatus> {
    const running = this.checks.get(name);
    if (running !== undefined) return running;
    const check = this.runCheck(name).finally(() => this.checks.delete(name));
    this.checks.set(name, check);
    return check;
  }

  private async runCheck(name: string): Promise<ContextStatus> {
    let client: ContextClient;
    try {
      client = this.client(name);
    } catch (error) {
      this.report(name, { error: toClusterError(error, null) });
      return this.status(name);
    }
    if (this.status(name).state === 'unknown') {
      this.statuses.set(name, { ...this.status(name), state: 'connecting' });
      this.emit();
    }
    try {
      const version = await kubeRequest(client.config, { method: 'GET', path: '/version', timeoutMs: this.options.checkTimeoutMs ?? 10_000 });
      this.report(name, { connected: true, serverVersion: text(record(version).gitVersion) ?? undefined });
    } catch (error) {
      this.report(name, { error: toClusterError(error, client.server) });
    }
    return this.status(name);
  }

  onChange(listener: (list: ContextList) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Told which contexts' kubeconfig entries changed on reload (their watches must reconnect). */
  onConfigChange(listener: (changed: string[]) => void): () => void {
    this.configListeners.add(listener);
    return () => this.configListeners.delete(listener);
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const list = this.list();
    for (const listener of this.listeners) listener(list);
  }
}
