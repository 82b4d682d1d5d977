/**
 * The Node object for the Docker host (the kubelet's node status manager): registered at start with capacity
 * from `docker info`, node info, addresses and labels; conditions with a heartbeat every 10 s; Ready while
 * Docker answers its ping and NotReady (KubeletNotReady, polled every 2 s) while it does not.
 */
import { statfs } from 'node:fs/promises';
import { arch, cpus, networkInterfaces, platform, release, totalmem } from 'node:os';
import type Docker from 'dockerode';
import type { ObjectService } from '../api/object-service';
import { KUBERNETES_VERSION } from '../api/discovery';
import { realClock, type Clock } from '../controllers/work-queue';
import { jsonEqual, type KubeObject } from '../object';
import { asArray, asNumber, asObject, asString, type JsonObject } from '../registry/json-access';
import type { ResourceType } from '../registry/resource-type';
import { StatusError } from '../status';
import type { EventSink } from '../controllers/event-recorder';
import { toKubeTime } from './observed-container';

/** What the node status needs from `docker info`. */
export interface RuntimeInfo {
  cpus: number;
  memoryBytes: number;
  kernelVersion: string;
  osImage: string;
  operatingSystem: string;
  architecture: string;
  serverVersion: string;
  machineID: string;
  rootDir: string;
}

export function parseDockerInfo(info: unknown): RuntimeInfo {
  const o = asObject(info) ?? {};
  return {
    cpus: asNumber(o.NCPU) ?? 1,
    memoryBytes: asNumber(o.MemTotal) ?? 0,
    kernelVersion: asString(o.KernelVersion) ?? '',
    osImage: asString(o.OperatingSystem) ?? '',
    operatingSystem: asString(o.OSType) ?? 'linux',
    architecture: goArch(asString(o.Architecture) ?? ''),
    serverVersion: asString(o.ServerVersion) ?? '',
    machineID: (asString(o.ID) ?? '').replace(/[^0-9a-zA-Z]/g, '').toLowerCase(),
    rootDir: asString(o.DockerRootDir) ?? '',
  };
}

/** Docker's (uname) architecture as Go names it. */
export function goArch(arch: string): string {
  const map: Record<string, string> = { x86_64: 'amd64', amd64: 'amd64', aarch64: 'arm64', arm64: 'arm64', armv7l: 'arm', i386: '386', i686: '386', s390x: 's390x', ppc64le: 'ppc64le' };
  return map[arch] ?? (arch || 'amd64');
}

/** Bridges and tunnels of container engines and VMs, which are not the machine's own address. */
const VIRTUAL_INTERFACE = /^(docker|br-|veth|virbr|cni|flannel|vmnet|vboxnet|utun|tun|tap)/;

/** The host's first non-loopback IPv4 address on a real interface (the node's InternalIP), else 127.0.0.1. */
export function hostIPv4(interfaces: ReturnType<typeof networkInterfaces> = networkInterfaces()): string {
  const candidates = Object.entries(interfaces).flatMap(([name, list]) => (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => ({ name, address: a.address })));
  const real = candidates.find((c) => !VIRTUAL_INTERFACE.test(c.name));
  return real?.address ?? candidates[0]?.address ?? '127.0.0.1';
}

export interface NodeFacts {
  nodeName: string;
  maxPods: number;
  hostIP: string;
  hostname: string;
  runtime: RuntimeInfo;
  ephemeralStorageBytes?: number;
}

/** The node's labels (kubelet's initial node labels plus the control-plane role of a single-node cluster). */
export function nodeLabels(facts: NodeFacts): Record<string, string> {
  const os = facts.runtime.operatingSystem;
  const arch = facts.runtime.architecture;
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': os,
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': facts.nodeName,
    'kubernetes.io/os': os,
    'node-role.kubernetes.io/control-plane': '',
  };
}

/** capacity: cpu, memory (Ki), pods, ephemeral-storage when known. */
export function nodeCapacity(facts: NodeFacts): Record<string, string> {
  const cap: Record<string, string> = {
    cpu: String(facts.runtime.cpus),
    memory: `${Math.floor(facts.runtime.memoryBytes / 1024)}Ki`,
    pods: String(facts.maxPods),
  };
  if (facts.ephemeralStorageBytes !== undefined) cap['ephemeral-storage'] = `${Math.floor(facts.ephemeralStorageBytes / 1024)}Ki`;
  return cap;
}

const PRESSURE: Array<[string, string, string]> = [
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
];

/** The node status; transition times are kept from `old` for conditions whose status did not change. */
export function buildNodeStatus(facts: NodeFacts, ready: boolean, now: number, old: JsonObject | undefined): JsonObject {
  const ts = toKubeTime(now);
  const oldConditions = new Map<string, JsonObject>();
  for (const c of asArray(old?.conditions) ?? []) {
    const o = asObject(c);
    if (o && typeof o.type === 'string') oldConditions.set(o.type, o);
  }
  const condition = (type: string, status: string, reason: string, message: string): JsonObject => {
    const prev = oldConditions.get(type);
    const lastTransitionTime = prev && prev.status === status ? (asString(prev.lastTransitionTime) ?? ts) : ts;
    return { type, status, lastHeartbeatTime: ts, lastTransitionTime, reason, message };
  };
  const conditions = PRESSURE.map(([type, reason, message]) => condition(type, 'False', reason, message));
  conditions.push(ready ? condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : condition('Ready', 'False', 'KubeletNotReady', 'container runtime is down'));
  const capacity = nodeCapacity(facts);
  const version = `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}`;
  const r = facts.runtime;
  return {
    capacity,
    allocatable: { ...capacity },
    conditions,
    addresses: [
      { type: 'InternalIP', address: facts.hostIP },
      { type: 'Hostname', address: facts.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: r.machineID,
      systemUUID: r.machineID,
      bootID: '',
      kernelVersion: r.kernelVersion,
      osImage: r.osImage,
      containerRuntimeVersion: `docker://${r.serverVersion}`,
      kubeletVersion: version,
      kubeProxyVersion: version,
      operatingSystem: r.operatingSystem,
      architecture: r.architecture,
    },
  };
}

export interface NodeStatusOptions {
  service: ObjectService;
  docker: Docker;
  nodeName: string;
  maxPods: number;
  recorder: EventSink;
  clock?: Clock;
  heartbeatMs?: number;
  downPollMs?: number;
  /** Docker stopped or started answering */
  onRuntimeChange?: (up: boolean) => void;
}

/** Keeps the Node object true. */
export class NodeStatusReporter {
  private readonly nodes: ResourceType;
  private readonly clock: Clock;
  private timer: unknown;
  private running = false;
  private ready: boolean | undefined;
  private facts: NodeFacts | undefined;
  readonly hostIP = hostIPv4();

  constructor(private readonly opts: NodeStatusOptions) {
    const t = opts.service.typeOf('nodes');
    if (!t) throw new Error('the registry has no nodes');
    this.nodes = t;
    this.clock = opts.clock ?? realClock;
  }

  /** Register (or refresh) the node, then keep its heartbeat. Never throws for a Docker that is down. */
  async start(): Promise<void> {
    this.running = true;
    await this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Whether Docker answered the last ping. */
  get runtimeUp(): boolean {
    return this.ready === true;
  }

  /** Allocatable cpu (cores), memory and ephemeral-storage (bytes), for resourceFieldRef defaults. */
  allocatable(): Record<string, number> {
    const f = this.facts;
    if (!f) return {};
    const out: Record<string, number> = { cpu: f.runtime.cpus, memory: f.runtime.memoryBytes };
    if (f.ephemeralStorageBytes !== undefined) out['ephemeral-storage'] = f.ephemeralStorageBytes;
    return out;
  }

  private async tick(): Promise<void> {
    this.timer = undefined;
    let up = true;
    try {
      await this.opts.docker.ping();
      if (!this.facts || this.ready === false) this.facts = await this.gatherFacts();
    } catch {
      up = false;
      this.facts ??= this.hostFacts();
    }
    if (!this.running) return;
    const changed = this.ready !== up;
    this.ready = up;
    this.write(up);
    if (changed) {
      const reason = up ? 'NodeReady' : 'NodeNotReady';
      this.opts.recorder.record(this.nodeRef(), 'Normal', reason, `Node ${this.opts.nodeName} status is now: ${reason}`, 'kubelet', { host: this.opts.nodeName });
      this.opts.onRuntimeChange?.(up);
    }
    const delay = up ? (this.opts.heartbeatMs ?? 10_000) : (this.opts.downPollMs ?? 2000);
    this.timer = this.clock.setTimeout(() => void this.tick(), delay);
  }

  /** The kubelet refers to its node with the node name as uid. */
  private nodeRef(): KubeObject {
    return { apiVersion: 'v1', kind: 'Node', metadata: { name: this.opts.nodeName, uid: this.opts.nodeName } };
  }

  /** Facts from the host alone, for a node registered while Docker is down. */
  private hostFacts(): NodeFacts {
    const runtime: RuntimeInfo = {
      cpus: cpus().length || 1,
      memoryBytes: totalmem(),
      kernelVersion: release(),
      osImage: '',
      operatingSystem: platform() === 'win32' ? 'windows' : platform(),
      architecture: goArch(arch() === 'x64' ? 'amd64' : arch()),
      serverVersion: '',
      machineID: '',
      rootDir: '',
    };
    return { nodeName: this.opts.nodeName, maxPods: this.opts.maxPods, hostIP: this.hostIP, hostname: this.opts.nodeName, runtime };
  }

  private async gatherFacts(): Promise<NodeFacts> {
    const runtime = parseDockerInfo(await this.opts.docker.info());
    let ephemeralStorageBytes: number | undefined;
    try {
      const s = await statfs(runtime.rootDir || '/');
      ephemeralStorageBytes = Number(s.blocks) * Number(s.bsize);
    } catch {
      // Docker's root is not on this machine (a VM): leave it out
    }
    return { nodeName: this.opts.nodeName, maxPods: this.opts.maxPods, hostIP: this.hostIP, hostname: this.opts.nodeName, runtime, ephemeralStorageBytes };
  }

  private write(ready: boolean): void {
    const { service } = this.opts;
    const facts = this.facts;
    if (!facts) return;
    const name = this.opts.nodeName;
    try {
      const existing = service.tryGet(this.nodes, '', name);
      const labels = nodeLabels(facts);
      if (!existing) {
        const created = service.create(this.nodes, '', {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name, labels, annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
          spec: {},
          status: buildNodeStatus(facts, ready, this.clock.now(), undefined),
        });
        this.writeStatus(created, facts, ready);
        return;
      }
      let current: KubeObject = existing;
      const merged = { ...(existing.metadata.labels ?? {}), ...labels };
      if (!jsonEqual(merged, existing.metadata.labels ?? {})) {
        current = service.update(this.nodes, '', name, { ...existing, metadata: { ...existing.metadata, labels: merged } });
      }
      this.writeStatus(current, facts, ready);
    } catch (err) {
      if (!(err instanceof StatusError)) throw err;
    }
  }

  private writeStatus(node: KubeObject, facts: NodeFacts, ready: boolean): void {
    const status = buildNodeStatus(facts, ready, this.clock.now(), asObject(node.status));
    if (jsonEqual(status, node.status)) return;
    this.opts.service.update(this.nodes, '', node.metadata.name ?? '', { ...node, status }, { subresource: 'status' });
  }
}
