/**
 * Test support for the kubelet's integration tests (not used by the engine): an ObjectService on a temp store,
 * a Kubelet on the real Docker engine with a per-test cluster id, helpers to create pods and wait for their
 * status, and a cleanup that removes every container, network, volume and directory the test made.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { ObjectService } from '../api/object-service';
import type { KubeObject } from '../object';
import { ALL_RESOURCE_TYPES } from '../registry';
import { asArray, asObject, getString, type JsonObject } from '../registry/json-access';
import type { ResourceType } from '../registry/resource-type';
import { SqliteStore } from '../store/sqlite-store';
import { ensureTestImage } from '../test/test-images';
import { Kubelet, type KubeletOptions } from './kubelet';
import { LABEL_CLUSTER, LABEL_POD_UID } from './labels';
import { ensureSandboxImage } from './sandbox-image';

export function type(plural: string): ResourceType {
  const t = ALL_RESOURCE_TYPES.find((x) => x.plural === plural);
  if (!t) throw new Error(plural);
  return t;
}

export class KubeletHarness {
  readonly docker = new Docker();
  readonly clusterId = `kt${randomBytes(4).toString('hex')}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'kubelet-'));
  readonly store: SqliteStore;
  readonly service: ObjectService;
  kubelet: Kubelet | undefined;
  image = '';

  constructor(dir?: string) {
    this.store = new SqliteStore(join(dir ?? this.dir, 'state.db'));
    this.service = new ObjectService(this.store, ALL_RESOURCE_TYPES);
    if (!this.service.tryGet(type('namespaces'), '', 'default')) {
      this.service.create(type('namespaces'), '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    }
  }

  async init(): Promise<void> {
    this.image = await ensureTestImage(this.docker);
    await ensureSandboxImage(this.docker);
  }

  async startKubelet(opts: Partial<KubeletOptions> = {}): Promise<Kubelet> {
    const k = new Kubelet({
      service: this.service,
      docker: this.docker,
      clusterId: this.clusterId,
      nodeName: 'skiff-test',
      stateDir: this.dir,
      crashBackoffBaseMs: 1000,
      ...opts,
    });
    await k.start();
    this.kubelet = k;
    return k;
  }

  createPod(name: string, spec: JsonObject, meta: JsonObject = {}): KubeObject {
    return this.service.create(type('pods'), 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...meta }, spec });
  }

  pod(name: string): KubeObject | undefined {
    return this.service.tryGet(type('pods'), 'default', name);
  }

  /** Poll the stored pod until `check` returns a truthy value. */
  async waitPod<T>(name: string, check: (pod: KubeObject) => T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
    const start = Date.now();
    for (;;) {
      const p = this.pod(name);
      const v = p ? check(p) : undefined;
      if (v) return v;
      if (Date.now() - start > timeoutMs) throw new Error(`pod ${name}: timed out waiting for ${what}; status ${JSON.stringify(p?.status ?? null)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async waitGone(name: string, timeoutMs = 20_000): Promise<void> {
    await this.waitPod(name, () => undefined, 0).catch(() => undefined);
    const start = Date.now();
    while (this.pod(name)) {
      if (Date.now() - start > timeoutMs) throw new Error(`pod ${name} still exists`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The Docker containers of this test's cluster (optionally of one pod). */
  async containers(podUid?: string): Promise<Docker.ContainerInfo[]> {
    const label = [`${LABEL_CLUSTER}=${this.clusterId}`];
    if (podUid) label.push(`${LABEL_POD_UID}=${podUid}`);
    return this.docker.listContainers({ all: true, filters: JSON.stringify({ label }) });
  }

  /** Every waiting reason a pod's container showed from now on (transient ones included). */
  watchReasons(name: string, container: string): { reasons: string[]; stop: () => void } {
    const reasons: string[] = [];
    const stop = this.store.subscribe((e) => {
      if (e.resource !== 'pods' || e.name !== name) return;
      const r = waitingReason(e.object, container);
      if (r && reasons[reasons.length - 1] !== r) reasons.push(r);
    });
    return { reasons, stop };
  }

  events(involvedName: string): KubeObject[] {
    return this.service.all(type('events')).filter((e) => getString(e, 'involvedObject', 'name') === involvedName);
  }

  async cleanup(): Promise<void> {
    await this.kubelet?.stop();
    const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${this.clusterId}`] });
    for (const c of await this.docker.listContainers({ all: true, filters })) await this.docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    const volumes = (await this.docker.listVolumes({ filters })).Volumes ?? [];
    for (const v of volumes) await this.docker.getVolume(v.Name).remove().catch(() => undefined);
    for (const n of await this.docker.listNetworks({ filters })) await this.docker.getNetwork(n.Id).remove().catch(() => undefined);
    this.service.owners.stop();
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}

/** containerStatuses[] (or initContainerStatuses[]) entry by name. */
export function containerStatus(pod: KubeObject, name: string, key = 'containerStatuses'): JsonObject | undefined {
  return (asArray(asObject(pod.status)?.[key]) ?? []).map((s) => asObject(s) ?? {}).find((s) => s.name === name);
}

export function condition(pod: KubeObject, type: string): JsonObject | undefined {
  return (asArray(asObject(pod.status)?.conditions) ?? []).map((s) => asObject(s) ?? {}).find((c) => c.type === type);
}

export function waitingReason(pod: KubeObject, name: string, key = 'containerStatuses'): string {
  return getString(containerStatus(pod, name, key), 'state', 'waiting', 'reason');
}
