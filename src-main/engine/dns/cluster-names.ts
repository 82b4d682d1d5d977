/**
 * Answers for names of the cluster domain, from the engine's Services and Endpoints. When ClusterIPs are
 * routable (on the host's lo, served by the load balancer) a Service name resolves to its ClusterIP, as in
 * Kubernetes. When they are not, it resolves to READY endpoint pod IPs instead: exactly one of them (as a
 * ClusterIP name resolves to one address), the next one on each query (round-robin), with TTL 0 so clients
 * ask again. A headless Service resolves to all ready pod IPs, rotated, either way.
 */
import type { KubeObject } from '../object';
import { servedClusterIp } from '../lb/served-cluster-ip';
import { asObject, asString, getArray, getString } from '../registry/json-access';

export interface ClusterNameSource {
  get(resource: string, namespace: string, name: string): KubeObject | undefined;
}

export type ClusterAnswer =
  /** A records; `ttl` overrides the server's default */
  | { kind: 'addresses'; addresses: string[]; ttl?: number }
  /** the name exists but has no address of this type (or no ready endpoint right now) */
  | { kind: 'nodata' }
  | { kind: 'nxdomain' }
  /** not a cluster name: ask the upstream resolvers */
  | { kind: 'forward' };

export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local';
/** seconds, for ClusterIP answers (a ClusterIP does not change; CoreDNS's kubernetes plugin default) */
export const CLUSTER_IP_TTL = 5;

/** Ready endpoint IPs of a Service (its Endpoints' addresses), de-duplicated, in stored order. */
export function readyEndpointIps(endpoints: KubeObject | undefined): string[] {
  const out = new Set<string>();
  for (const s of getArray(endpoints, 'subsets')) for (const a of getArray(s, 'addresses')) {
    const ip = asString(asObject(a)?.ip);
    if (ip) out.add(ip);
  }
  return [...out];
}

function endpointByHostname(endpoints: KubeObject | undefined, hostname: string): string | undefined {
  for (const s of getArray(endpoints, 'subsets')) for (const a of getArray(s, 'addresses')) {
    const o = asObject(a) ?? {};
    if (o.hostname === hostname && typeof o.ip === 'string') return o.ip;
  }
  return undefined;
}

const DASHED_IPV4 = /^(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})$/;

export class ClusterNames {
  private readonly suffix: string;
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly source: ClusterNameSource,
    readonly domain: string = DEFAULT_CLUSTER_DOMAIN,
    /** whether ClusterIPs are routable now (then a Service name answers its ClusterIP) */
    private readonly clusterIpsRoutable: () => boolean = () => false,
  ) {
    this.suffix = `.${domain}`;
  }

  /** Whether `name` (lower-case, no trailing dot) belongs to the cluster domain. */
  isClusterName(name: string): boolean {
    return name === this.domain || name.endsWith(this.suffix);
  }

  /** The answer for an A query (`wantsAddress`) or any other type (false: existence only). */
  resolve(name: string, wantsAddress: boolean): ClusterAnswer {
    if (!this.isClusterName(name)) return { kind: 'forward' };
    const labels = name.slice(0, -this.suffix.length).split('.');
    if (name === this.domain) return { kind: 'nodata' };
    const zone = labels[labels.length - 1];
    if (zone === 'svc') return this.resolveService(labels.slice(0, -1), wantsAddress);
    if (zone === 'pod' && labels.length === 3) {
      const m = DASHED_IPV4.exec(labels[0]);
      if (!m || m.slice(1).some((p) => Number(p) > 255)) return { kind: 'nxdomain' };
      if (!this.source.get('namespaces', '', labels[1])) return { kind: 'nxdomain' };
      return wantsAddress ? { kind: 'addresses', addresses: [m.slice(1).join('.')] } : { kind: 'nodata' };
    }
    // "svc.cluster.local", "default.svc.cluster.local" and the like exist as zones but have no address.
    if ((zone === 'svc' || zone === 'pod') && labels.length <= 2) return { kind: 'nodata' };
    return { kind: 'nxdomain' };
  }

  /** labels before "svc": [service, namespace] or [hostname, service, namespace] */
  private resolveService(labels: string[], wantsAddress: boolean): ClusterAnswer {
    if (labels.length === 1) return this.source.get('namespaces', '', labels[0]) ? { kind: 'nodata' } : { kind: 'nxdomain' };
    if (labels.length !== 2 && labels.length !== 3) return { kind: 'nxdomain' };
    const [namespace, serviceName] = [labels[labels.length - 1], labels[labels.length - 2]];
    const svc = this.source.get('services', namespace, serviceName);
    if (!svc) return { kind: 'nxdomain' };
    const endpoints = this.source.get('endpoints', namespace, serviceName);
    const headless = getString(svc, 'spec', 'clusterIP') === 'None';
    if (labels.length === 3) {
      const ip = headless ? endpointByHostname(endpoints, labels[0]) : undefined;
      if (!ip) return { kind: 'nxdomain' };
      return wantsAddress ? { kind: 'addresses', addresses: [ip] } : { kind: 'nodata' };
    }
    if (getString(svc, 'spec', 'type') === 'ExternalName') return { kind: 'nodata' };
    const clusterIp = headless || !this.clusterIpsRoutable() ? undefined : servedClusterIp(svc);
    if (clusterIp) return wantsAddress ? { kind: 'addresses', addresses: [clusterIp], ttl: CLUSTER_IP_TTL } : { kind: 'nodata' };
    const ips = readyEndpointIps(endpoints);
    // CoreDNS answers NXDOMAIN for a headless Service without endpoints; a ClusterIP name always exists.
    if (ips.length === 0) return headless ? { kind: 'nxdomain' } : { kind: 'nodata' };
    if (!wantsAddress) return { kind: 'nodata' };
    const key = `${namespace}/${serviceName}`;
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, (turn + 1) % 1_000_000_007);
    const start = turn % ips.length;
    const rotated = [...ips.slice(start), ...ips.slice(0, start)];
    return { kind: 'addresses', addresses: headless ? rotated : [rotated[0]] };
  }
}
