/** core/v1 Service: defaults, validation (ports, type, nodePort range), status on create and table. */
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { child, index } from './field-path';
import { duplicate, forbidden, invalid, notSupported, required } from './field-errors';
import { GoLiteral, goQuote } from './go-format';
import { translateTimestampSince } from './human-duration';
import {
  asArray,
  asObject,
  asString,
  childObject,
  defaultPointer,
  defaultString,
  getArray,
  getObject,
  getString,
  isUnset,
  objectItems,
  type JsonObject,
} from './json-access';
import { formatLabels } from './label-selector-format';
import { SUPPORTED_PORT_PROTOCOLS, intField, validatePortNumOrName } from './pod-spec-validation';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { portNumErrors, validateDns1123Label, validateDns1123Subdomain, validateLabels, validateQualifiedName } from './validation';
import { fullVerbs } from './verbs';

export const NODE_PORT_RANGE = { min: 30000, max: 32767 };
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

function isHeadless(spec: JsonObject): boolean {
  return spec.clusterIP === 'None';
}

function externallyAccessible(spec: JsonObject): boolean {
  const type = spec.type;
  return (
    type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (asArray(spec.externalIPs) ?? []).length > 0)
  );
}

function applyServiceDefaults(obj: KubeObject): void {
  const spec = childObject(obj, 'spec');
  if (!spec) return;
  defaultString(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = getObject(spec, 'sessionAffinityConfig', 'clientIP')?.timeoutSeconds;
    if (isUnset(timeout)) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  defaultString(spec, 'type', 'ClusterIP');
  for (const [port] of objectItems(spec.ports)) {
    defaultString(port, 'protocol', 'TCP');
    if (isUnset(port.targetPort) || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port;
  }
  if (externallyAccessible(spec)) defaultString(spec, 'externalTrafficPolicy', 'Cluster');
  if (['NodePort', 'LoadBalancer', 'ClusterIP'].includes(String(spec.type)))
    defaultPointer(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') defaultPointer(spec, 'allocateLoadBalancerNodePorts', true);
  if (spec.type !== 'ExternalName') {
    // The registry fills families on create; this single-stack engine only ever has IPv4.
    defaultPointer(spec, 'ipFamilyPolicy', 'SingleStack');
    defaultPointer(spec, 'ipFamilies', ['IPv4']);
    // clusterIP and clusterIPs mirror each other (the registry's normalizeClusterIPs).
    const clusterIP = asString(spec.clusterIP);
    const clusterIPs = asArray(spec.clusterIPs);
    if (clusterIP && (!clusterIPs || clusterIPs.length === 0)) spec.clusterIPs = [clusterIP];
    else if (!clusterIP && clusterIPs && typeof clusterIPs[0] === 'string') spec.clusterIP = clusterIPs[0];
  }
}

function servicePortLiteral(protocol: string, port: number): GoLiteral {
  return new GoLiteral(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validatePorts(spec: JsonObject, causes: FieldCause[]): void {
  const portsPath = 'spec.ports';
  const ports = objectItems(spec.ports);
  const requireName = ports.length > 1;
  const names = new Set<string>();
  const seenPorts = new Set<string>();
  const seenNodePorts = new Set<string>();
  for (const [port, i] of ports) {
    const p = index(portsPath, i);
    const name = asString(port.name) ?? '';
    if (requireName && !name) causes.push(required(child(p, 'name')));
    else if (name) {
      causes.push(...validateDns1123Label(name, child(p, 'name')));
      if (names.has(name)) causes.push(duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    const portNum = intField(port, 'port', p, causes) ?? 0;
    causes.push(...portNumErrors(portNum).map((msg) => invalid(child(p, 'port'), portNum, msg)));
    const protocol = asString(port.protocol) ?? '';
    if (!protocol) causes.push(required(child(p, 'protocol')));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol))
      causes.push(notSupported(child(p, 'protocol'), protocol, SUPPORTED_PORT_PROTOCOLS));
    causes.push(...validatePortNumOrName(port.targetPort, child(p, 'targetPort')));
    const appProtocol = asString(port.appProtocol);
    if (appProtocol !== undefined) causes.push(...validateQualifiedName(appProtocol, child(p, 'appProtocol')));

    const nodePort = intField(port, 'nodePort', p, causes) ?? 0;
    if (nodePort !== 0) {
      if (spec.type === 'ClusterIP') causes.push(forbidden(child(p, 'nodePort'), "may not be used when `type` is 'ClusterIP'"));
      else if (nodePort < NODE_PORT_RANGE.min || nodePort > NODE_PORT_RANGE.max)
        causes.push(
          invalid(
            child(p, 'nodePort'),
            nodePort,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`,
          ),
        );
      const nodeKey = `${protocol}/${nodePort}`;
      if (seenNodePorts.has(nodeKey)) causes.push(duplicate(child(p, 'nodePort'), nodePort));
      seenNodePorts.add(nodeKey);
    }
    const key = `${protocol}/${portNum}`;
    if (seenPorts.has(key)) causes.push(duplicate(p, servicePortLiteral(protocol, portNum)));
    seenPorts.add(key);
  }
}

function validateService(obj: KubeObject, old?: KubeObject): FieldCause[] {
  const spec = asObject(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  const type = asString(spec.type) ?? '';
  if (objectItems(spec.ports).length === 0 && !isHeadless(spec) && type !== 'ExternalName') causes.push(required('spec.ports'));
  if (type === 'ExternalName') {
    if ((asArray(spec.clusterIPs) ?? []).length > 0 || (spec.clusterIP && spec.clusterIP !== ''))
      causes.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    const cname = (asString(spec.externalName) ?? '').replace(/\.$/, '');
    if (cname) causes.push(...validateDns1123Subdomain(cname, 'spec.externalName'));
    else causes.push(required('spec.externalName'));
  }
  validatePorts(spec, causes);
  causes.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinity = asString(spec.sessionAffinity) ?? '';
  if (!affinity) causes.push(required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None') causes.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (!type) causes.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) causes.push(notSupported('spec.type', type, SERVICE_TYPES));
  const etp = asString(spec.externalTrafficPolicy) ?? '';
  if (etp && etp !== 'Cluster' && etp !== 'Local') causes.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  const itp = spec.internalTrafficPolicy;
  if (!isUnset(itp) && itp !== 'Cluster' && itp !== 'Local') causes.push(notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  if (old) {
    const oldIP = getString(old, 'spec', 'clusterIP');
    const newIP = asString(spec.clusterIP) ?? '';
    // Only a change between two concrete values is an error; the API fills an omitted clusterIP from the old object.
    if (oldIP && newIP && oldIP !== newIP && type !== 'ExternalName' && getString(old, 'spec', 'type') !== 'ExternalName')
      causes.push(invalid('spec.clusterIPs[0]', newIP, 'may not change once set'));
  }
  return causes;
}

function loadBalancerIngress(obj: KubeObject): string[] {
  const set = new Set<string>();
  for (const raw of getArray(obj, 'status', 'loadBalancer', 'ingress')) {
    const ing = asObject(raw) ?? {};
    const v = asString(ing.ip) || asString(ing.hostname);
    if (v) set.add(v);
  }
  return [...set].sort();
}

function externalIP(obj: KubeObject): string {
  const externalIPs = getArray(obj, 'spec', 'externalIPs').flatMap((x) => (typeof x === 'string' ? [x] : []));
  switch (getString(obj, 'spec', 'type')) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIngress(obj);
      if (externalIPs.length) return [...lb, ...externalIPs].join(',');
      return lb.length ? lb.join(',') : '<pending>';
    }
    case 'ExternalName':
      return getString(obj, 'spec', 'externalName');
    default:
      return '<unknown>';
  }
}

function portsText(obj: KubeObject): string {
  const parts = objectItems(getObject(obj, 'spec')?.ports).map(([p]) => {
    const port = typeof p.port === 'number' ? p.port : 0;
    const protocol = asString(p.protocol) ?? '';
    const nodePort = typeof p.nodePort === 'number' ? p.nodePort : 0;
    return nodePort > 0 ? `${port}:${nodePort}/${protocol}` : `${port}/${protocol}`;
  });
  return parts.length ? parts.join(',') : '<none>';
}

function serviceRow(obj: KubeObject, now: number): unknown[] {
  const clusterIPs = getArray(obj, 'spec', 'clusterIPs');
  const clusterIP = (typeof clusterIPs[0] === 'string' ? clusterIPs[0] : '') || getString(obj, 'spec', 'clusterIP') || '<none>';
  return [
    obj.metadata.name ?? '',
    getString(obj, 'spec', 'type'),
    clusterIP,
    externalIP(obj),
    portsText(obj),
    translateTimestampSince(obj.metadata.creationTimestamp, now),
    formatLabels(getObject(obj, 'spec')?.selector),
  ];
}

/** The Service resource type. */
export const serviceType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  verbs: fullVerbs(),
  hasStatusSubresource: true,
  hasGeneration: false,
  applyDefaults: applyServiceDefaults,
  validate: validateService,
  prepareForCreate(obj) {
    obj.status = { loadBalancer: {} };
  },
  tableColumns: [
    nameColumn(),
    column('Type', 'string', 'type determines how the Service is exposed.'),
    column('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    column('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    column('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn(),
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  tableRow: serviceRow,
  fieldSelectors: {},
};
