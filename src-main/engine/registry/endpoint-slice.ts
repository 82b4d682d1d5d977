/** discovery.k8s.io/v1 EndpointSlice: port defaults, address/port validation, table. */
import { isIPv4, isIPv6 } from 'node:net';
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { child, index } from './field-path';
import { duplicate, invalid, notSupported, required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asString, defaultPointer, isUnset, objectItems } from './json-access';
import { SUPPORTED_PORT_PROTOCOLS } from './pod-spec-validation';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import {
  FIELD_IMMUTABLE_ERROR_MSG,
  validateDns1123Label,
  validateDns1123Subdomain,
  validateQualifiedName,
  dns1123LabelErrors,
  dns1123SubdomainErrors,
} from './validation';
import { fullVerbs } from './verbs';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function fqdnErrors(address: string, path: string): FieldCause[] {
  const name = address.endsWith('.') ? address.slice(0, -1) : address;
  const sub = dns1123SubdomainErrors(name);
  if (sub.length) return [invalid(path, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [invalid(path, name, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errs = dns1123LabelErrors(label);
    if (errs.length) return [invalid(path, label, errs.join(','))];
  }
  return [];
}

function validateEndpointSlice(obj: KubeObject, old?: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  const addressType = asString(obj.addressType) ?? '';
  if (!addressType) causes.push(required('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) causes.push(notSupported('addressType', addressType, ADDRESS_TYPES));
  for (const [endpoint, i] of objectItems(obj.endpoints)) {
    const p = index('endpoints', i);
    const addressPath = child(p, 'addresses');
    const addresses = Array.isArray(endpoint.addresses) ? endpoint.addresses : [];
    if (addresses.length === 0) causes.push(required(addressPath, 'must contain at least 1 address'));
    addresses.forEach((raw, ai) => {
      const address = typeof raw === 'string' ? raw : '';
      const ap = index(addressPath, ai);
      if (addressType === 'IPv4' && !isIPv4(address)) causes.push(invalid(ap, address, 'must be a valid IPv4 address'));
      if (addressType === 'IPv6' && !isIPv6(address)) causes.push(invalid(ap, address, 'must be a valid IPv6 address'));
      if (addressType === 'FQDN') causes.push(...fqdnErrors(address, ap));
    });
    const nodeName = asString(endpoint.nodeName);
    if (nodeName !== undefined) causes.push(...validateDns1123Subdomain(nodeName, child(p, 'nodeName')));
    const hostname = asString(endpoint.hostname);
    if (hostname !== undefined) causes.push(...validateDns1123Label(hostname, child(p, 'hostname')));
  }
  const names = new Set<string>();
  for (const [port, i] of objectItems(obj.ports)) {
    const p = index('ports', i);
    const name = asString(port.name) ?? '';
    if (name) causes.push(...validateDns1123Label(name, child(p, 'name')));
    if (names.has(name)) causes.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    const protocol = port.protocol;
    if (isUnset(protocol)) causes.push(required(child(p, 'protocol')));
    else if (typeof protocol !== 'string' || !SUPPORTED_PORT_PROTOCOLS.includes(protocol))
      causes.push(notSupported(child(p, 'protocol'), protocol, SUPPORTED_PORT_PROTOCOLS));
    const appProtocol = asString(port.appProtocol);
    if (appProtocol !== undefined) causes.push(...validateQualifiedName(appProtocol, child(p, 'appProtocol')));
  }
  if (old && addressType !== (asString(old.addressType) ?? ''))
    causes.push(invalid('addressType', addressType, FIELD_IMMUTABLE_ERROR_MSG));
  return causes;
}

function listWithMore(list: string[], more: boolean, count: number, max: number): string {
  const joined = list.join(',');
  if (more) return `${joined} + ${count - max} more...`;
  return joined || '<unset>';
}

function formatPorts(obj: KubeObject): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const [port] of objectItems(obj.ports)) {
    if (list.length < max) {
      const num = typeof port.port === 'number' ? String(port.port) : typeof port.name === 'string' ? port.name : '*';
      list.push(num);
    } else if (list.length === max) more = true;
    count++;
  }
  return listWithMore(list, more, count, max);
}

function formatAddresses(obj: KubeObject): string {
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const [endpoint] of objectItems(obj.endpoints)) {
    for (const address of Array.isArray(endpoint.addresses) ? endpoint.addresses : []) {
      if (list.length < max) list.push(String(address));
      else if (list.length === max) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, max);
}

/** The EndpointSlice resource type. */
export const endpointSliceType: ResourceType = {
  group: 'discovery.k8s.io',
  version: 'v1',
  kind: 'EndpointSlice',
  plural: 'endpointslices',
  singular: 'endpointslice',
  shortNames: [],
  categories: [],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: false,
  hasGeneration: false,
  applyDefaults(obj) {
    for (const [port] of objectItems(obj.ports)) {
      defaultPointer(port, 'name', '');
      defaultPointer(port, 'protocol', 'TCP');
    }
  },
  validate: validateEndpointSlice,
  tableColumns: [
    nameColumn(),
    column('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    column('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn(),
  ],
  tableRow: (obj, now) => [
    obj.metadata.name ?? '',
    asString(obj.addressType) ?? '',
    formatPorts(obj),
    formatAddresses(obj),
    translateTimestampSince(obj.metadata.creationTimestamp, now),
  ],
  fieldSelectors: {},
};
