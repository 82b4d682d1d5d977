/** Legacy discovery documents (/api, /api/v1, /apis, /apis/<g>/<v>) and /version, built from the registry. */
import type { ResourceType } from '../registry/resource-type';
import type { ApiExtension } from './api-extension';
import { apiVersionOf } from '../registry/resource-type';

export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** The Kubernetes version the engine's API behaves as. */
export const KUBERNETES_VERSION = { major: '1', minor: '31', patch: '0' };

export function versionInfo(skiffVersion: string): VersionInfo {
  const plat = `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`;
  return {
    major: KUBERNETES_VERSION.major,
    minor: KUBERNETES_VERSION.minor,
    gitVersion: `v${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}.${KUBERNETES_VERSION.patch}+skiff.${skiffVersion.replace(/[^0-9A-Za-z.-]/g, '-')}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'skiff',
    platform: plat,
  };
}

interface SubresourceEntry {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** Subresources served for a type (beyond the main resource). */
export function subresourcesOf(t: ResourceType): SubresourceEntry[] {
  const out: SubresourceEntry[] = [];
  if (t.hasStatusSubresource) out.push({ name: 'status', kind: t.kind, verbs: ['get', 'patch', 'update'] });
  if (t.scale) out.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  if (t.group === '' && t.plural === 'pods') {
    out.push({ name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] });
    out.push({ name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] });
    out.push({ name: 'log', kind: 'Pod', verbs: ['get'] });
    out.push({ name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
  }
  if (t.group === '' && t.plural === 'namespaces') out.push({ name: 'finalize', kind: 'Namespace', verbs: ['update'] });
  return out;
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** Group/versions other than core, in first-seen order. */
function groupVersions(types: readonly ResourceType[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const t of types) {
    if (t.group === '') continue;
    const vs = groups.get(t.group) ?? [];
    if (!vs.includes(t.version)) vs.push(t.version);
    groups.set(t.group, vs);
  }
  return groups;
}

export function apiGroupList(types: readonly ResourceType[]): Record<string, unknown> {
  const groups = [...groupVersions(types)].map(([name, versions]) => apiGroup(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

function apiGroup(name: string, versions: string[]): Record<string, unknown> {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupDocument(types: readonly ResourceType[], group: string): Record<string, unknown> | undefined {
  const versions = groupVersions(types).get(group);
  if (!versions) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

/** APIResourceList for one group/version, or undefined when we serve nothing there. */
export function apiResourceList(types: readonly ResourceType[], group: string, version: string): Record<string, unknown> | undefined {
  const inGV = types.filter((t) => t.group === group && t.version === version);
  if (inGV.length === 0) return undefined;
  const resources: Array<Record<string, unknown>> = [];
  // Main resources first: client-node picks the first entry whose kind matches.
  for (const t of inGV) {
    const r: Record<string, unknown> = {
      name: t.plural,
      singularName: t.singular,
      namespaced: t.namespaced,
      kind: t.kind,
      verbs: t.verbs,
    };
    if (t.shortNames.length > 0) r.shortNames = t.shortNames;
    if (t.categories.length > 0) r.categories = t.categories;
    resources.push(r);
  }
  for (const t of inGV) {
    for (const s of subresourcesOf(t)) {
      const r: Record<string, unknown> = {
        name: `${t.plural}/${s.name}`,
        singularName: '',
        namespaced: t.namespaced,
        kind: s.kind,
        verbs: s.verbs,
      };
      if (s.group !== undefined) r.group = s.group;
      if (s.version !== undefined) r.version = s.version;
      resources.push(r);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources };
}

/** The APIGroup entry of a group served by code (one version). */
export function extensionGroup(ext: Pick<ApiExtension, 'group' | 'version'>): Record<string, unknown> {
  return apiGroup(ext.group, [ext.version]);
}

/** The APIResourceList of a group served by code. */
export function extensionResourceList(ext: ApiExtension): Record<string, unknown> {
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${ext.group}/${ext.version}`, resources: ext.resources.map((r) => ({ ...r })) };
}
