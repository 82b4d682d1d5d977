/**
 * The Docker-links style variables the kubelet puts in every container for the services it can see
 * (pkg/kubelet/envvars): the `kubernetes` service of `default` always, and the services of the pod's own
 * namespace when spec.enableServiceLinks (default true). Pure.
 */
import type { KubeObject } from '../object';
import { asNumber, asObject, asString, getString, objectItems } from '../registry/json-access';

const MASTER_SERVICES = new Set(['kubernetes']);

function envName(s: string): string {
  return s.replace(/-/g, '_').toUpperCase();
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function clusterIPSet(svc: KubeObject): boolean {
  const ip = getString(svc, 'spec', 'clusterIP');
  return ip !== '' && ip !== 'None';
}

/** Variables of one service, in the kubelet's order. */
function fromService(svc: KubeObject): Array<[string, string]> {
  const prefix = envName(svc.metadata.name ?? '');
  const ip = getString(svc, 'spec', 'clusterIP');
  const ports = objectItems(asObject(svc.spec)?.ports).map(([p]) => p);
  if (ports.length === 0) return [];
  const out: Array<[string, string]> = [[`${prefix}_SERVICE_HOST`, ip]];
  const first = `${prefix}_SERVICE_PORT`;
  out.push([first, String(asNumber(ports[0].port) ?? 0)]);
  for (const p of ports) {
    const name = asString(p.name) ?? '';
    if (name) out.push([`${first}_${envName(name)}`, String(asNumber(p.port) ?? 0)]);
  }
  ports.forEach((p, i) => {
    const port = asNumber(p.port) ?? 0;
    const protocol = asString(p.protocol) || 'TCP';
    const url = `${protocol.toLowerCase()}://${hostPort(ip, port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${port}_${protocol.toUpperCase()}`;
    out.push([portPrefix, url], [`${portPrefix}_PROTO`, protocol.toLowerCase()], [`${portPrefix}_PORT`, String(port)], [`${portPrefix}_ADDR`, ip]);
  });
  return out;
}

/** The service variables for a pod in `namespace`; `services` may hold services of any namespace. */
export function serviceEnvVars(services: readonly KubeObject[], namespace: string, enableServiceLinks: boolean): Array<[string, string]> {
  const chosen = new Map<string, KubeObject>();
  for (const svc of services) {
    if (!clusterIPSet(svc)) continue;
    const name = svc.metadata.name ?? '';
    const ns = svc.metadata.namespace ?? '';
    if (ns === 'default' && MASTER_SERVICES.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc);
    } else if (ns === namespace && enableServiceLinks) {
      chosen.set(name, svc);
    }
  }
  const names = [...chosen.keys()].sort();
  return names.flatMap((n) => fromService(chosen.get(n) as KubeObject));
}
