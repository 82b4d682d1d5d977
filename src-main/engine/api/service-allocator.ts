/**
 * ClusterIP and NodePort allocation for Services, done at write time like the real API server's
 * allocators (service CIDR 10.96.0.0/16, node ports 30000-32767).
 */
import type { KubeObject } from '../object';
import { isPlainObject } from '../object';
import type { FieldCause } from '../status';
import { invalid } from '../status';

export const SERVICE_CIDR_PREFIX = '10.96.';
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

type Spec = Record<string, unknown>;

function specOf(o: KubeObject | undefined): Spec {
  return o && isPlainObject(o.spec) ? o.spec : {};
}

function portsOf(spec: Spec): Array<Record<string, unknown>> {
  return Array.isArray(spec.ports) ? spec.ports.filter(isPlainObject) : [];
}

function ipToNumber(ip: string): number | undefined {
  const m = /^10\.96\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a > 255 || b > 255) return undefined;
  return a * 256 + b;
}

export class ServiceAllocator {
  constructor(private readonly services: () => KubeObject[]) {}

  /** Fill in clusterIP(s) and nodePorts on `svc` (owned by the caller), keeping `old`'s on update. */
  allocate(svc: KubeObject, old: KubeObject | undefined): void {
    const spec = specOf(svc);
    const oldSpec = specOf(old);
    const name = svc.metadata.name ?? '';
    const others = this.services().filter((s) => s.metadata.uid !== svc.metadata.uid && !(old && s.metadata.uid === old.metadata.uid));
    const causes: FieldCause[] = [];
    const type = typeof spec.type === 'string' ? spec.type : 'ClusterIP';
    if (type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
      svc.spec = spec;
      return;
    }
    // ClusterIP: immutable once set, defaulted from the old object when a replace omits it.
    if ((spec.clusterIP === undefined || spec.clusterIP === '') && typeof oldSpec.clusterIP === 'string') {
      spec.clusterIP = oldSpec.clusterIP;
    }
    if (old && typeof oldSpec.clusterIP === 'string' && spec.clusterIP !== oldSpec.clusterIP) {
      causes.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: []string{${JSON.stringify(spec.clusterIP)}}: may not change once set` });
    } else if (spec.clusterIP === undefined || spec.clusterIP === '') {
      spec.clusterIP = this.freeIP(others);
    } else if (spec.clusterIP !== 'None' && !old) {
      const ip = String(spec.clusterIP);
      const n = ipToNumber(ip);
      if (n === undefined || n === 0 || n === 65535) {
        causes.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{${JSON.stringify(ip)}}: failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/16` });
      } else if (others.some((s) => specOf(s).clusterIP === ip)) {
        causes.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', message: `Invalid value: []string{${JSON.stringify(ip)}}: failed to allocate IP ${ip}: provided IP is already allocated` });
      }
    }
    if (typeof spec.clusterIP === 'string') spec.clusterIPs = [spec.clusterIP];
    // NodePorts
    const wantsNodePorts = type === 'NodePort' || type === 'LoadBalancer';
    const taken = new Set<number>();
    for (const s of others) for (const p of portsOf(specOf(s))) if (typeof p.nodePort === 'number') taken.add(p.nodePort);
    const oldPorts = portsOf(oldSpec);
    const ports = portsOf(spec);
    ports.forEach((p, i) => {
      if (!wantsNodePorts) {
        delete p.nodePort;
        return;
      }
      if (p.nodePort === undefined || p.nodePort === 0) {
        const prev = oldPorts.find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
        if (prev && typeof prev.nodePort === 'number') p.nodePort = prev.nodePort;
      }
      if (p.nodePort === undefined || p.nodePort === 0) {
        const free = this.freeNodePort(taken);
        if (free === undefined) {
          causes.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: 'Invalid value: 0: range is full' });
          return;
        }
        p.nodePort = free;
        taken.add(free);
        return;
      }
      const np = p.nodePort;
      if (typeof np !== 'number' || !Number.isInteger(np) || np < NODE_PORT_MIN || np > NODE_PORT_MAX) {
        causes.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${JSON.stringify(np)}: provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}` });
        return;
      }
      const ownedBefore = oldPorts.some((q) => q.nodePort === np);
      if (!ownedBefore && taken.has(np)) {
        causes.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, message: `Invalid value: ${np}: provided port is already allocated` });
        return;
      }
      taken.add(np);
    });
    svc.spec = spec;
    if (causes.length > 0) throw invalid('', 'Service', name, causes);
  }

  private freeIP(others: KubeObject[]): string {
    const used = new Set<number>();
    for (const s of others) {
      const n = ipToNumber(String(specOf(s).clusterIP ?? ''));
      if (n !== undefined) used.add(n);
    }
    used.add(1); // 10.96.0.1 belongs to the kubernetes service
    // Start from a random point so deleted-and-recreated services rarely reuse an IP at once.
    const start = 2 + Math.floor(Math.random() * 65000);
    for (let i = 0; i < 65533; i++) {
      const n = 2 + ((start - 2 + i) % 65533);
      if (!used.has(n)) return `${SERVICE_CIDR_PREFIX}${Math.floor(n / 256)}.${n % 256}`;
    }
    throw invalid('', 'Service', '', [{ type: 'FieldValueInvalid', field: 'spec.clusterIPs', message: 'Invalid value: "": range is full' }]);
  }

  private freeNodePort(taken: Set<number>): number | undefined {
    const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const p = NODE_PORT_MIN + ((start + i) % span);
      if (!taken.has(p)) return p;
    }
    return undefined;
  }
}

/** The ClusterIP of a service, if any. */
export function clusterIPOf(svc: KubeObject): string | undefined {
  const ip = specOf(svc).clusterIP;
  return typeof ip === 'string' ? ip : undefined;
}
