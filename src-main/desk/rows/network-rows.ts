import type { EndpointsRow, ServiceRow } from '../../contract/rows';
import { count, list, quantity, record, stringMap, text } from '../json-fields';
import { rowBase } from './row-base';

export function toServiceRow(service: unknown): ServiceRow {
  const spec = record(record(service).spec);
  const ingress = list(record(record(record(service).status).loadBalancer).ingress).map(record);
  return Object.assign(rowBase(service), {
    type: text(spec.type) ?? 'ClusterIP',
    clusterIP: text(spec.clusterIP),
    externalIPs: [
      ...list(spec.externalIPs).filter((ip): ip is string => typeof ip === 'string'),
      ...ingress.map((i) => text(i.ip) ?? text(i.hostname)).filter((ip): ip is string => ip !== null),
    ],
    ports: list(spec.ports)
      .map(record)
      .map((p) => ({
        name: text(p.name),
        port: count(p.port),
        targetPort: quantity(p.targetPort),
        protocol: text(p.protocol) ?? 'TCP',
        nodePort: typeof p.nodePort === 'number' ? p.nodePort : null,
      })),
    selector: stringMap(spec.selector),
  });
}

export function toEndpointsRow(endpoints: unknown): EndpointsRow {
  const subsets = list(record(endpoints).subsets).map(record);
  const address = (ready: boolean) => (a: unknown) => {
    const r = record(a);
    const target = record(r.targetRef);
    return { ip: text(r.ip) ?? '', ready, podName: target.kind === 'Pod' ? text(target.name) : null, nodeName: text(r.nodeName) };
  };
  return Object.assign(rowBase(endpoints), {
    addresses: subsets.flatMap((s) => [...list(s.addresses).map(address(true)), ...list(s.notReadyAddresses).map(address(false))]),
    ports: subsets.flatMap((s) =>
      list(s.ports)
        .map(record)
        .map((p) => ({ name: text(p.name), port: count(p.port), protocol: text(p.protocol) ?? 'TCP' })),
    ),
  });
}
