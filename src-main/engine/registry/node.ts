/** core/v1 Node (cluster-scoped): allocatable default, taint validation, table with Status and Roles. */
import type { KubeObject } from '../object';
import type { FieldCause } from '../status';
import { child, index } from './field-path';
import { notSupported, required } from './field-errors';
import { translateTimestampSince } from './human-duration';
import { asObject, asString, getArray, getObject, getString, isUnset, objectItems } from './json-access';
import type { ResourceType } from './resource-type';
import { ageColumn, column, nameColumn } from './table-columns';
import { validateQualifiedName } from './validation';
import { fullVerbs } from './verbs';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function validateNode(obj: KubeObject): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [taint, i] of objectItems(getObject(obj, 'spec')?.taints)) {
    const p = index('spec.taints', i);
    const key = asString(taint.key) ?? '';
    if (!key) causes.push(required(child(p, 'key')));
    else causes.push(...validateQualifiedName(key, child(p, 'key')));
    const effect = asString(taint.effect) ?? '';
    if (!effect) causes.push(required(child(p, 'effect')));
    else if (!TAINT_EFFECTS.includes(effect)) causes.push(notSupported(child(p, 'effect'), effect, TAINT_EFFECTS));
  }
  return causes;
}

function nodeStatus(obj: KubeObject): string {
  const status: string[] = [];
  const ready = getArray(obj, 'status', 'conditions')
    .map((c) => asObject(c) ?? {})
    .filter((c) => c.type === 'Ready')
    .pop();
  if (ready) status.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  if (status.length === 0) status.push('Unknown');
  if (getObject(obj, 'spec')?.unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(obj: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function nodeAddress(obj: KubeObject, type: string): string {
  const found = getArray(obj, 'status', 'addresses')
    .map((a) => asObject(a) ?? {})
    .find((a) => a.type === type);
  return asString(found?.address) ?? '<none>';
}

function nodeRow(obj: KubeObject, now: number): unknown[] {
  const info = (field: string): string => getString(obj, 'status', 'nodeInfo', field);
  return [
    obj.metadata.name ?? '',
    nodeStatus(obj),
    nodeRoles(obj),
    translateTimestampSince(obj.metadata.creationTimestamp, now),
    info('kubeletVersion'),
    nodeAddress(obj, 'InternalIP'),
    nodeAddress(obj, 'ExternalIP'),
    info('osImage') || '<unknown>',
    info('kernelVersion') || '<unknown>',
    info('containerRuntimeVersion') || '<unknown>',
  ];
}

/** The Node resource type. */
export const nodeType: ResourceType = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  categories: [],
  namespaced: false,
  verbs: fullVerbs(),
  hasStatusSubresource: true,
  hasGeneration: false,
  applyDefaults(obj) {
    // SetDefaults_NodeStatus: allocatable defaults to capacity.
    const status = asObject(obj.status);
    if (status && isUnset(status.allocatable) && asObject(status.capacity)) status.allocatable = { ...asObject(status.capacity) };
  },
  validate: validateNode,
  tableColumns: [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  tableRow: nodeRow,
  fieldSelectors: {
    'spec.unschedulable': (o) => String(getObject(o, 'spec')?.unschedulable === true),
  },
};
