/** core/v1 Endpoints: port defaults, subset validation, the "Endpoints" table column. */
import { isIP } from 'node:net';
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { child, index } from './field-path';
import { invalid, notSupported, required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asString, defaultString, objectItems, type JsonObject } from './json-access';
import { SUPPORTED_PORT_PROTOCOLS } from './pod-spec-validation';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { portNumErrors, validateDns1123Label, validateDns1123Subdomain } from './validation';
import { fullVerbs } from './verbs';

export const INVALID_IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

function validateAddress(addr: JsonObject, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const ip = asString(addr.ip) ?? '';
  if (isIP(ip) === 0) causes.push(invalid(child(path, 'ip'), ip, INVALID_IP_MESSAGE));
  const hostname = asString(addr.hostname);
  if (hostname) causes.push(...validateDns1123Label(hostname, child(path, 'hostname')));
  const nodeName = asString(addr.nodeName);
  if (nodeName !== undefined) causes.push(...validateDns1123Subdomain(nodeName, child(path, 'nodeName')));
  return causes;
}

function validateEndpoints(obj: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [subset, i] of objectItems(obj.subsets)) {
    const p = index('subsets', i);
    const addresses = objectItems(subset.addresses);
    const notReady = objectItems(subset.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0)
      causes.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    for (const [a, ai] of addresses) causes.push(...validateAddress(a, index(child(p, 'addresses'), ai)));
    for (const [a, ai] of notReady) causes.push(...validateAddress(a, index(child(p, 'notReadyAddresses'), ai)));
    const ports = objectItems(subset.ports);
    for (const [port, pi] of ports) {
      const pp = index(child(p, 'ports'), pi);
      const name = asString(port.name) ?? '';
      if (ports.length > 1 && !name) causes.push(required(child(pp, 'name')));
      else if (name) causes.push(...validateDns1123Label(name, child(pp, 'name')));
      const num = typeof port.port === 'number' ? port.port : 0;
      causes.push(...portNumErrors(num).map((msg) => invalid(child(pp, 'port'), num, msg)));
      const protocol = asString(port.protocol) ?? '';
      if (!protocol) causes.push(required(child(pp, 'protocol')));
      else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol))
        causes.push(notSupported(child(pp, 'protocol'), protocol, SUPPORTED_PORT_PROTOCOLS));
    }
  }
  return causes;
}

function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** formatEndpoints: up to three "ip:port" entries, then " + N more...", "<none>" without subsets. */
export function formatEndpoints(obj: KubeObject): string {
  const subsets = objectItems(obj.subsets);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const [ss] of subsets) {
    const addresses = objectItems(ss.addresses).map(([a]) => asString(a.ip) ?? '');
    const ports = objectItems(ss.ports);
    if (ports.length === 0) {
      // Headless services may have no ports.
      count += addresses.length;
      for (const ip of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(ip);
      }
      continue;
    }
    for (const [port] of ports) {
      count += addresses.length;
      for (const ip of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(joinHostPort(ip, typeof port.port === 'number' ? port.port : 0));
      }
    }
  }
  const joined = list.join(',');
  return more ? `${joined} + ${count - max} more...` : joined;
}

/** The Endpoints resource type. */
export const endpointsType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Endpoints',
  plural: 'endpoints',
  singular: 'endpoints',
  shortNames: ['ep'],
  categories: [],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: false,
  hasGeneration: false,
  applyDefaults(obj) {
    for (const [subset] of objectItems(obj.subsets)) for (const [port] of objectItems(subset.ports)) defaultString(port, 'protocol', 'TCP');
  },
  validate: validateEndpoints,
  tableColumns: [
    nameColumn(),
    column('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'),
    ageColumn(),
  ],
  tableRow: (obj, now) => [obj.metadata.name ?? '', formatEndpoints(obj), translateTimestampSince(obj.metadata.creationTimestamp, now)],
  fieldSelectors: {},
};
