/** The pod's QoS class (qos.GetPodQOS), which the apiserver records in status.qosClass on create. */
import type { KubeObject } from '../object';
import { asObject, getArray, type JsonObject } from './json-access';
import { parseQuantity } from './quantity';

const QOS_RESOURCES = ['cpu', 'memory'];

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

export function podQosClass(pod: KubeObject): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  const containers = [...getArray(pod, 'spec', 'initContainers'), ...getArray(pod, 'spec', 'containers')];
  for (const raw of containers) {
    const resources: JsonObject = asObject(asObject(raw)?.resources) ?? {};
    const reqs = asObject(resources.requests) ?? {};
    const lims = asObject(resources.limits) ?? {};
    // SetDefaults_Pod copies limits into missing requests; count them the same way if not yet defaulted.
    const effectiveRequests: JsonObject = { ...lims, ...reqs };
    for (const res of QOS_RESOURCES) {
      const r = parseQuantity(effectiveRequests[res]);
      if (r !== undefined && r !== 0) requests.set(res, (requests.get(res) ?? 0) + r);
    }
    const found = new Set<string>();
    for (const res of QOS_RESOURCES) {
      const l = parseQuantity(lims[res]);
      if (l !== undefined && l !== 0) {
        found.add(res);
        limits.set(res, (limits.get(res) ?? 0) + l);
      }
    }
    if (found.size !== QOS_RESOURCES.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [res, r] of requests) if (limits.get(res) !== r) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
