import type { EventRow, NamespaceRow, NodeRow, PvcRow } from '../../contract/rows';
import { count, list, quantity, record, text, time } from '../json-fields';
import { rowBase } from './row-base';

export function toEventRow(event: unknown): EventRow {
  const e = record(event);
  const involved = record(e.involvedObject ?? e.regarding);
  const source = record(e.source);
  const base = rowBase(event);
  return Object.assign(base, {
    type: text(e.type) ?? 'Normal',
    reason: text(e.reason) ?? '',
    message: text(e.message) ?? text(e.note) ?? '',
    involved: {
      kind: text(involved.kind) ?? '',
      name: text(involved.name) ?? '',
      namespace: text(involved.namespace),
      uid: text(involved.uid),
    },
    count: count(e.count) || 1,
    lastSeen: time(e.lastTimestamp) ?? time(e.eventTime) ?? time(e.firstTimestamp) ?? base.createdAt,
    source: text(source.component) ?? text(e.reportingComponent) ?? text(e.reportingController),
  });
}

export function toNamespaceRow(namespace: unknown): NamespaceRow {
  return Object.assign(rowBase(namespace), { phase: text(record(record(namespace).status).phase) ?? 'Active' });
}

export function toNodeRow(node: unknown): NodeRow {
  const n = record(node);
  const status = record(n.status);
  const base = rowBase(node);
  const ready = list(status.conditions).map(record).find((c) => c.type === 'Ready');
  const roles = Object.keys(base.labels)
    .filter((l) => l.startsWith('node-role.kubernetes.io/'))
    .map((l) => l.slice('node-role.kubernetes.io/'.length))
    .filter((r) => r !== '');
  const info = record(status.nodeInfo);
  const capacity = record(status.capacity);
  return Object.assign(base, {
    ready: ready?.status === 'True',
    roles,
    kubeletVersion: text(info.kubeletVersion) ?? '',
    internalIP: text(list(status.addresses).map(record).find((a) => a.type === 'InternalIP')?.address),
    cpu: quantity(capacity.cpu),
    memory: quantity(capacity.memory),
    os: text(info.osImage) ?? text(info.operatingSystem),
  });
}

export function toPvcRow(claim: unknown): PvcRow {
  const c = record(claim);
  const spec = record(c.spec);
  const status = record(c.status);
  return Object.assign(rowBase(claim), {
    phase: text(status.phase) ?? 'Pending',
    storageClass: text(spec.storageClassName),
    capacity: quantity(record(status.capacity).storage),
    requested: quantity(record(record(spec.resources).requests).storage),
    accessModes: list(spec.accessModes).filter((m): m is string => typeof m === 'string'),
    volumeName: text(spec.volumeName),
  });
}
