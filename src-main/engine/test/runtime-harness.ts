/**
 * Test support for end-to-end workload tests: a real engine that runs pods on the real Docker engine, driven
 * by real kubectl. Everything the engine creates in Docker carries its cluster id, so cleanup removes exactly
 * that (containers, networks, volumes) and nothing of another engine or test.
 */
import { readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { LABEL_CLUSTER } from '../kubelet/labels';
import { removeForwardingRules } from '../lb/kernel-forwarding';
import type { KubeObject } from '../object';
import { kubectl, kubectlBinaries, startTestEngine, type RunResult, type TestEngine, type TestEngineOptions } from './harness';
import { ensureTestImage } from './test-images';

export const docker = new Docker();

export interface RuntimeEngine extends TestEngine {
  clusterId: string;
  k(args: string[], input?: string): Promise<RunResult>;
  /** kubectl that must succeed: returns stdout */
  ok(args: string[], input?: string): Promise<string>;
  json<T = KubeObject>(args: string[]): Promise<T>;
  /** the engine's Docker containers (optionally of one pod uid) */
  containers(filter?: { podUid?: string; all?: boolean }): Promise<Docker.ContainerInfo[]>;
}

export function kubectlPath(): string {
  const bin = kubectlBinaries()[0];
  if (!bin) throw new Error('no kubectl found (apt-get install kubernetes-client)');
  return bin.path;
}

export async function startRuntimeEngine(opts: TestEngineOptions = {}): Promise<RuntimeEngine> {
  await ensureTestImage(docker);
  const te = await startTestEngine({ runtime: true, ...opts });
  return wrap(te);
}

export function wrap(te: TestEngine): RuntimeEngine {
  const k = kubectl(kubectlPath(), te);
  const clusterId = te.engine.clusterId;
  return {
    ...te,
    clusterId,
    k,
    async ok(args, input) {
      const r = await k(args, input);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    async json<T>(args: string[]) {
      const r = await k([...args, '-o', 'json']);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
      return JSON.parse(r.stdout) as T;
    },
    async containers(filter = {}) {
      const label = [`${LABEL_CLUSTER}=${clusterId}`];
      if (filter.podUid) label.push(`dev.skiff.pod-uid=${filter.podUid}`);
      return docker.listContainers({ all: filter.all ?? false, filters: JSON.stringify({ label }) });
    },
    async stop() {
      await te.engine.stop();
      await removeClusterObjects(clusterId);
      rmSync(te.stateDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/** Remove every Docker object labelled with this cluster id. */
export async function removeClusterObjects(clusterId: string): Promise<void> {
  const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${clusterId}`] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  // the kernel path's iptables rules, left when the engine was killed (none where iptables is not ours to use)
  await removeForwardingRules(clusterId).catch(() => undefined);
}

export function conditionStatus(obj: KubeObject | undefined, type: string): string | undefined {
  const conditions = ((obj?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions) ?? [];
  return conditions.find((c) => c.type === type)?.status;
}

export interface ContainerStatusView {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  state: { running?: { startedAt: string }; waiting?: { reason: string; message?: string }; terminated?: { exitCode: number; reason: string } };
  lastState: { terminated?: { exitCode: number; reason: string; finishedAt?: string } };
}

export function containerStatuses(pod: KubeObject): ContainerStatusView[] {
  return ((pod.status as { containerStatuses?: ContainerStatusView[] } | undefined)?.containerStatuses) ?? [];
}

export function isPodReady(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && conditionStatus(pod, 'Ready') === 'True';
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A Deployment manifest on the test image. */
export function deploymentYaml(name: string, o: { replicas?: number; image?: string; command?: string; maxSurge?: string | number; maxUnavailable?: string | number; readiness?: boolean; grace?: number; env?: string } = {}): string {
  const image = o.image ?? 'busybox:1.36';
  const command = o.command ?? 'echo "started $(hostname)"; trap "exit 0" TERM; while true; do sleep 1; done';
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: o.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge ?? 1, maxUnavailable: o.maxUnavailable ?? 0 } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: o.grace ?? 2,
          containers: [
            {
              name: 'app',
              image,
              command: ['sh', '-c', command],
              ...(o.env ? { env: [{ name: 'VERSION', value: o.env }] } : {}),
              // `true` cannot fail: a long timeout keeps a loaded machine's slow docker exec from flapping readiness
              ...(o.readiness === false ? {} : { readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1, timeoutSeconds: 10 } }),
            },
          ],
        },
      },
    },
  });
}

/** Remove the Docker objects of every engine whose state dir lies under `dir` (found by their cluster-id files). */
export async function removeDockerObjectsUnder(dir: string): Promise<void> {
  const ids: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 4) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const ent of entries) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) walk(p, depth + 1);
      else if (ent.name === 'cluster-id') ids.push(readFileSync(p, 'utf8').trim());
    }
  };
  walk(dir, 0);
  for (const id of ids) if (/^[a-z0-9]{8,32}$/.test(id)) await removeClusterObjects(id);
}
