/**
 * Pod and container specs translated to Docker create options (what the kubelet's kuberuntime and the old
 * dockershim did): names, labels, command/args against the image's Entrypoint/Cmd, env, resources, security
 * context and the namespaces shared with the sandbox. Pure.
 */
import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import type { KubeObject } from '../object';
import { asArray, asBoolean, asNumber, asObject, asString, getString, type JsonObject } from '../registry/json-access';
import { parseQuantity } from '../registry/quantity';
import {
  LABEL_CLUSTER,
  LABEL_CONTAINER_NAME,
  LABEL_POD_NAME,
  LABEL_POD_NAMESPACE,
  LABEL_POD_UID,
  LABEL_RESTART_COUNT,
  LABEL_ROLE,
  LABEL_SPEC_HASH,
  SANDBOX_CONTAINER_NAME,
  type ContainerRole,
} from './labels';
import type { DockerMount } from './volume-mounts';

/** The pod's Docker network: one bridge per engine. */
export function podNetworkName(clusterId: string): string {
  return `skiff-${clusterId}`;
}

/** dockershim's naming: `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`; unique per instance, so Docker refuses duplicates. */
export function dockerName(pod: KubeObject, container: string, attempt: number): string {
  const m = pod.metadata;
  return `k8s_${container}_${m.name ?? ''}_${m.namespace ?? ''}_${m.uid ?? ''}_${attempt}`;
}

/** The labels every Docker container of the pod carries (labels.ts). */
export function podLabels(pod: KubeObject, clusterId: string, container: string, role: ContainerRole, restartCount: number): Record<string, string> {
  return {
    [LABEL_CLUSTER]: clusterId,
    [LABEL_POD_UID]: pod.metadata.uid ?? '',
    [LABEL_POD_NAME]: pod.metadata.name ?? '',
    [LABEL_POD_NAMESPACE]: pod.metadata.namespace ?? '',
    [LABEL_CONTAINER_NAME]: container,
    [LABEL_ROLE]: role,
    [LABEL_RESTART_COUNT]: String(restartCount),
  };
}

/** A stable hash of a container spec: a changed spec (a new image) means a new container. */
export function containerSpecHash(container: JsonObject): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    const o = asObject(v);
    if (!o) return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = canonical(o[k]);
    return out;
  };
  return createHash('sha256').update(JSON.stringify(canonical(container))).digest('hex').slice(0, 16);
}

/** The pod's hostname and domain (GeneratePodHostNameAndDomain): spec.hostname or the name, at most 63 characters. */
export function podHostname(pod: KubeObject): { hostname: string; domain: string } {
  let hostname = getString(pod, 'spec', 'hostname') || (pod.metadata.name ?? '');
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const subdomain = getString(pod, 'spec', 'subdomain');
  const domain = subdomain ? `${subdomain}.${pod.metadata.namespace ?? ''}.svc.cluster.local` : '';
  return { hostname, domain };
}

/** Cluster DNS for pods with dnsPolicy ClusterFirst (provided by whoever serves service names). */
export interface PodDns {
  servers: string[];
  /** the cluster domain, `cluster.local` */
  domain?: string;
}

function stringList(v: unknown): string[] {
  return (asArray(v) ?? []).flatMap((x) => (typeof x === 'string' ? [x] : []));
}

/** resolv.conf settings of the sandbox: dnsPolicy and dnsConfig. */
function dnsSettings(pod: KubeObject, dns: PodDns | undefined): Pick<Docker.HostConfig, 'Dns' | 'DnsSearch' | 'DnsOptions'> {
  const spec = asObject(pod.spec) ?? {};
  const policy = asString(spec.dnsPolicy) || 'ClusterFirst';
  const hostNetwork = asBoolean(spec.hostNetwork) === true;
  let servers: string[] = [];
  let searches: string[] = [];
  let defaultOptions: string[] = [];
  if ((policy === 'ClusterFirst' && !hostNetwork) || policy === 'ClusterFirstWithHostNet') {
    if (dns && dns.servers.length > 0) {
      const domain = dns.domain ?? 'cluster.local';
      servers = [...dns.servers];
      searches = [`${pod.metadata.namespace ?? ''}.svc.${domain}`, `svc.${domain}`, domain];
      // the kubelet's default for cluster DNS: names with fewer than 5 dots try the search list first
      defaultOptions = ['ndots:5'];
    }
  }
  const config = asObject(spec.dnsConfig) ?? {};
  if (policy === 'None') {
    servers = [];
    searches = [];
  }
  servers.push(...stringList(config.nameservers));
  searches.push(...stringList(config.searches));
  const podOptions = (asArray(config.options) ?? []).flatMap((o) => {
    const opt = asObject(o) ?? {};
    const name = asString(opt.name) ?? '';
    if (!name) return [];
    const value = asString(opt.value);
    return [value ? `${name}:${value}` : name];
  });
  // dnsConfig options override the defaults of the same name (kubelet mergeDNSOptions)
  const optionName = (o: string): string => o.split(':')[0];
  const overridden = new Set(podOptions.map(optionName));
  const options = [...(policy === 'None' ? [] : defaultOptions.filter((o) => !overridden.has(optionName(o)))), ...podOptions];
  const out: Pick<Docker.HostConfig, 'Dns' | 'DnsSearch' | 'DnsOptions'> = {};
  if (servers.length > 0) out.Dns = servers;
  if (searches.length > 0) out.DnsSearch = searches;
  if (options.length > 0) out.DnsOptions = options;
  return out;
}

export interface SandboxConfigInput {
  pod: KubeObject;
  clusterId: string;
  attempt: number;
  image: string;
  network: string;
  /** the volume manager's sandboxMounts (emptyDir holders) */
  mounts: DockerMount[];
  dns?: PodDns;
}

/** The sandbox: owns the pod's network, IPC (and, when shared, PID) namespaces; hostname = pod name. */
export function sandboxConfig(input: SandboxConfigInput): Docker.ContainerCreateOptions {
  const { pod } = input;
  const spec = asObject(pod.spec) ?? {};
  const hostNetwork = asBoolean(spec.hostNetwork) === true;
  const { hostname, domain } = podHostname(pod);
  const sysctls: Record<string, string> = {};
  for (const s of asArray(asObject(spec.securityContext)?.sysctls) ?? []) {
    const o = asObject(s) ?? {};
    const name = asString(o.name);
    if (name) sysctls[name] = asString(o.value) ?? '';
  }
  const host: Docker.HostConfig = {
    NetworkMode: hostNetwork ? 'host' : input.network,
    IpcMode: asBoolean(spec.hostIPC) === true ? 'host' : 'shareable',
    RestartPolicy: { Name: 'no' },
    Mounts: input.mounts as unknown as Docker.MountSettings[],
    ...dnsSettings(pod, input.dns),
  };
  if (asBoolean(spec.hostPID) === true) host.PidMode = 'host';
  if (Object.keys(sysctls).length > 0 && !hostNetwork) host.Sysctls = sysctls;
  const out: Docker.ContainerCreateOptions = {
    name: dockerName(pod, SANDBOX_CONTAINER_NAME, input.attempt),
    Image: input.image,
    Labels: podLabels(pod, input.clusterId, SANDBOX_CONTAINER_NAME, 'sandbox', input.attempt),
    HostConfig: host,
  };
  if (!hostNetwork) {
    out.Hostname = hostname;
    if (domain) out.Domainname = domain;
  }
  return out;
}

/** Docker resource limits from resources.limits (cpu, memory) and requests.cpu (cpu shares). */
export function resourceSettings(container: JsonObject): Pick<Docker.HostConfig, 'NanoCpus' | 'Memory' | 'MemorySwap' | 'CpuShares'> {
  const resources = asObject(container.resources) ?? {};
  const limits = asObject(resources.limits) ?? {};
  const requests = asObject(resources.requests) ?? {};
  const out: Pick<Docker.HostConfig, 'NanoCpus' | 'Memory' | 'MemorySwap' | 'CpuShares'> = {};
  const cpu = parseQuantity(limits.cpu);
  // Docker's floor is 0.01 CPU, the same as the kernel's minimum quota the kubelet would set.
  if (cpu !== undefined && cpu > 0) out.NanoCpus = Math.max(10_000_000, Math.round(cpu * 1e9));
  const memory = parseQuantity(limits.memory);
  if (memory !== undefined && memory > 0) {
    out.Memory = Math.round(memory);
    // no swap beyond the limit, as on a kubelet node
    out.MemorySwap = out.Memory;
  }
  const cpuRequest = parseQuantity(requests.cpu);
  // milliCPUToShares: 1024 shares per core, at least 2
  if (cpuRequest !== undefined) out.CpuShares = Math.max(2, Math.floor(cpuRequest * 1024));
  return out;
}

function securityContexts(pod: KubeObject, container: JsonObject): { pod: JsonObject; container: JsonObject } {
  return { pod: asObject(asObject(pod.spec)?.securityContext) ?? {}, container: asObject(container.securityContext) ?? {} };
}

/** The Docker User: runAsUser[:runAsGroup] (the container's over the pod's); '' keeps the image's. */
export function dockerUser(pod: KubeObject, container: JsonObject, imageUser: string): string {
  const sc = securityContexts(pod, container);
  const uid = asNumber(sc.container.runAsUser) ?? asNumber(sc.pod.runAsUser);
  const gid = asNumber(sc.container.runAsGroup) ?? asNumber(sc.pod.runAsGroup);
  if (uid !== undefined) return gid !== undefined ? `${uid}:${gid}` : String(uid);
  if (gid !== undefined) return `${imageUser.split(':')[0] || '0'}:${gid}`;
  return '';
}

/**
 * runAsNonRoot (verifyRunAsNonRoot): the message of the CreateContainerConfigError, or undefined when the
 * container may run.
 */
export function runAsNonRootError(pod: KubeObject, container: JsonObject, imageUser: string): string | undefined {
  const sc = securityContexts(pod, container);
  const nonRoot = asBoolean(sc.container.runAsNonRoot) ?? asBoolean(sc.pod.runAsNonRoot);
  if (nonRoot !== true) return undefined;
  const who = `(pod: "${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})", container: ${asString(container.name) ?? ''})`;
  const uid = asNumber(sc.container.runAsUser) ?? asNumber(sc.pod.runAsUser);
  if (uid !== undefined) return uid === 0 ? `container's runAsUser breaks non-root policy ${who}` : undefined;
  const user = imageUser.split(':')[0];
  if (user === '' || user === '0' || user === 'root') return `container has runAsNonRoot and image will run as root ${who}`;
  if (!/^[0-9]+$/.test(user)) return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root ${who}`;
  return undefined;
}

export interface ContainerConfigInput {
  pod: KubeObject;
  container: JsonObject;
  role: 'init' | 'app';
  restartCount: number;
  clusterId: string;
  sandboxId: string;
  /** the resolved environment (env-resolver.ts) */
  env: ReadonlyArray<[string, string]>;
  /** command and args after $(VAR) expansion */
  command?: string[];
  args?: string[];
  mounts: DockerMount[];
  /** the image's configured User, for runAsGroup without runAsUser */
  imageUser: string;
}

/** Create options of one app or init container, joined to the sandbox's namespaces. */
export function containerConfig(input: ContainerConfigInput): Docker.ContainerCreateOptions {
  const { pod, container } = input;
  const spec = asObject(pod.spec) ?? {};
  const name = asString(container.name) ?? '';
  const sandbox = `container:${input.sandboxId}`;
  const sc = securityContexts(pod, container).container;
  const caps = asObject(sc.capabilities) ?? {};
  const host: Docker.HostConfig = {
    NetworkMode: sandbox,
    IpcMode: sandbox,
    RestartPolicy: { Name: 'no' },
    Mounts: input.mounts as unknown as Docker.MountSettings[],
    ...resourceSettings(container),
  };
  if (asBoolean(spec.hostPID) === true) host.PidMode = 'host';
  else if (asBoolean(spec.shareProcessNamespace) === true) host.PidMode = sandbox;
  if (asBoolean(sc.readOnlyRootFilesystem) === true) host.ReadonlyRootfs = true;
  if (asBoolean(sc.privileged) === true) host.Privileged = true;
  const add = stringList(caps.add);
  const drop = stringList(caps.drop);
  if (add.length > 0) host.CapAdd = add;
  if (drop.length > 0) host.CapDrop = drop;
  if (asBoolean(sc.allowPrivilegeEscalation) === false) host.SecurityOpt = ['no-new-privileges'];
  const podSc = asObject(spec.securityContext) ?? {};
  const groups = [...(asArray(podSc.supplementalGroups) ?? []), podSc.fsGroup].flatMap((g) => (typeof g === 'number' ? [String(g)] : []));
  if (groups.length > 0) host.GroupAdd = groups;

  const labels = podLabels(pod, input.clusterId, name, input.role, input.restartCount);
  labels[LABEL_SPEC_HASH] = containerSpecHash(container);
  const out: Docker.ContainerCreateOptions = {
    name: dockerName(pod, name, input.restartCount),
    Image: asString(container.image) ?? '',
    Labels: labels,
    Env: input.env.map(([k, v]) => `${k}=${v}`),
    HostConfig: host,
  };
  // Kubernetes: command replaces the image's Entrypoint (and drops its Cmd); args alone replace the Cmd.
  if (input.command && input.command.length > 0) {
    out.Entrypoint = input.command;
    out.Cmd = input.args ?? [];
  } else if (input.args && input.args.length > 0) {
    out.Cmd = input.args;
  }
  const workingDir = asString(container.workingDir);
  if (workingDir) out.WorkingDir = workingDir;
  const user = dockerUser(pod, container, input.imageUser);
  if (user) out.User = user;
  if (asBoolean(container.tty) === true) out.Tty = true;
  if (asBoolean(container.stdin) === true) {
    out.OpenStdin = true;
    out.AttachStdin = true;
    if (asBoolean(container.stdinOnce) === true) out.StdinOnce = true;
  }
  return out;
}
