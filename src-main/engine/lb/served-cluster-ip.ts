/**
 * Which ClusterIP the engine makes routable for a Service (shared by the load balancer and the cluster DNS,
 * so DNS never answers an address nothing listens on).
 */
import type { KubeObject } from '../object';
import { getString } from '../registry/json-access';

/**
 * The Service's IPv4 ClusterIP, or undefined for headless and ExternalName Services and for `kubernetes`:
 * the API listens on loopback only, and every engine has the same 10.96.0.1.
 */
export function servedClusterIp(svc: KubeObject): string | undefined {
  const ip = getString(svc, 'spec', 'clusterIP');
  if (!ip || ip === 'None' || !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return undefined;
  if (getString(svc, 'spec', 'type') === 'ExternalName') return undefined;
  if (svc.metadata.namespace === 'default' && svc.metadata.name === 'kubernetes') return undefined;
  return ip;
}
