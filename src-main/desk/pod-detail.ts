import type { ContainerDetail, ContainerState, EnvVarView, PodDetail, RevealedSecret, VolumeView } from '../contract/objects';
import { DeskError } from './cluster-error';
import type { ContextClient } from './context-registry';
import { collectionPath, objectPath } from './kind-catalog';
import { kubeRequest } from './kube-http';
import { count, list, quantity, record, stringMap, text, time } from './json-fields';
import { toEventRow } from './rows/cluster-rows';
import { podDisplayStatus } from './rows/pod-row';
import { controllerOf, rowBase } from './rows/row-base';

function containerState(value: unknown): ContainerState | null {
  const state = record(value);
  if (state.running !== undefined) return { state: 'running', startedAt: time(record(state.running).startedAt) };
  if (state.terminated !== undefined) {
    const t = record(state.terminated);
    return {
      state: 'terminated',
      exitCode: count(t.exitCode),
      signal: typeof t.signal === 'number' ? t.signal : null,
      reason: text(t.reason),
      message: text(t.message),
      startedAt: time(t.startedAt),
      finishedAt: time(t.finishedAt),
    };
  }
  if (state.waiting !== undefined) {
    const w = record(state.waiting);
    return { state: 'waiting', reason: text(w.reason), message: text(w.message) };
  }
  return null;
}

/** Env as the panel may show it: literal values, and references (Secret values are never resolved here). */
export function envView(container: Record<string, unknown>, configMaps: Map<string, Record<string, string>>): EnvVarView[] {
  const out: EnvVarView[] = [];
  for (const from of list(container.envFrom).map(record)) {
    const secret = record(from.secretRef);
    const configMap = record(from.configMapRef);
    if (text(secret.name)) out.push({ name: null, source: 'secretRef', from: text(secret.name) ?? '', prefix: text(from.prefix) });
    else if (text(configMap.name)) out.push({ name: null, source: 'configMapRef', from: text(configMap.name) ?? '', prefix: text(from.prefix) });
  }
  for (const variable of list(container.env).map(record)) {
    const name = text(variable.name) ?? '';
    const valueFrom = record(variable.valueFrom);
    const secretKey = record(valueFrom.secretKeyRef);
    const configMapKey = record(valueFrom.configMapKeyRef);
    const field = record(valueFrom.fieldRef);
    const resource = record(valueFrom.resourceFieldRef);
    if (variable.valueFrom === undefined) out.push({ name, source: 'value', value: text(variable.value) ?? '' });
    else if (valueFrom.secretKeyRef !== undefined) {
      out.push({ name, source: 'secret', secretName: text(secretKey.name) ?? '', key: text(secretKey.key) ?? '', optional: secretKey.optional === true });
    } else if (valueFrom.configMapKeyRef !== undefined) {
      const cmName = text(configMapKey.name) ?? '';
      const key = text(configMapKey.key) ?? '';
      out.push({ name, source: 'configMap', configMapName: cmName, key, value: configMaps.get(cmName)?.[key] ?? null });
    } else if (valueFrom.fieldRef !== undefined) out.push({ name, source: 'field', fieldPath: text(field.fieldPath) ?? '' });
    else out.push({ name, source: 'resource', resource: text(resource.resource) ?? '', containerName: text(resource.containerName) });
  }
  return out;
}

function containerDetail(
  spec: Record<string, unknown>,
  status: Record<string, unknown> | undefined,
  init: boolean,
  configMaps: Map<string, Record<string, string>>,
): ContainerDetail {
  const resources = record(spec.resources);
  const quantities = (value: unknown): Record<string, string> =>
    Object.fromEntries(Object.entries(record(value)).flatMap(([k, v]) => (quantity(v) === null ? [] : [[k, quantity(v) ?? '']])));
  return {
    name: text(spec.name) ?? '',
    image: text(spec.image) ?? '',
    imageID: text(status?.imageID) || null,
    init,
    ready: status?.ready === true,
    started: status?.started === true,
    restartCount: count(status?.restartCount),
    state: containerState(status?.state) ?? { state: 'unknown' },
    lastState: containerState(status?.lastState),
    command: list(spec.command).filter((c): c is string => typeof c === 'string'),
    args: list(spec.args).filter((c): c is string => typeof c === 'string'),
    ports: list(spec.ports)
      .map(record)
      .map((p) => ({ name: text(p.name), containerPort: count(p.containerPort), protocol: text(p.protocol) ?? 'TCP' })),
    env: envView(spec, configMaps),
    volumeMounts: list(spec.volumeMounts)
      .map(record)
      .map((m) => ({ name: text(m.name) ?? '', mountPath: text(m.mountPath) ?? '', readOnly: m.readOnly === true, subPath: text(m.subPath) })),
    requests: quantities(resources.requests),
    limits: quantities(resources.limits),
  };
}

function volumeView(volume: Record<string, unknown>): VolumeView {
  const type = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
  const source = record(volume[type]);
  const pointsAt = text(source.name) ?? text(source.secretName) ?? text(source.claimName) ?? text(source.path);
  return { name: text(volume.name) ?? '', type, source: pointsAt };
}

export async function podDetail(client: ContextClient, namespace: string, name: string): Promise<PodDetail> {
  const pod = record(await kubeRequest(client.config, { method: 'GET', path: objectPath('pods', namespace, name) }));
  const spec = record(pod.spec);
  const status = record(pod.status);
  const meta = record(pod.metadata);
  const uid = text(meta.uid);
  const [eventList, configMaps] = await Promise.all([
    kubeRequest(client.config, {
      method: 'GET',
      path: collectionPath('events', namespace),
      query: { fieldSelector: `involvedObject.name=${name}` },
    }).catch(() => ({ items: [] })),
    referencedConfigMaps(client, namespace, spec),
  ]);
  const events = list(record(eventList).items)
    .map(toEventRow)
    .filter((e) => e.involved.kind === 'Pod' && e.involved.name === name && (e.involved.uid === null || e.involved.uid === uid))
    .sort((a, b) => (a.lastSeen ?? '').localeCompare(b.lastSeen ?? ''));
  const statusOf = (key: string) => new Map(list(status[key]).map(record).map((s) => [text(s.name) ?? '', s]));
  const initStatuses = statusOf('initContainerStatuses');
  const statuses = statusOf('containerStatuses');
  const base = rowBase(pod);
  return {
    uid: base.uid,
    name,
    namespace,
    createdAt: base.createdAt,
    phase: text(status.phase) ?? 'Unknown',
    status: podDisplayStatus(pod),
    podIP: text(status.podIP),
    hostIP: text(status.hostIP),
    nodeName: text(spec.nodeName),
    qosClass: text(status.qosClass),
    serviceAccount: text(spec.serviceAccountName),
    owner: controllerOf(pod),
    labels: base.labels,
    annotations: stringMap(meta.annotations),
    conditions: list(status.conditions)
      .map(record)
      .map((c) => ({
        type: text(c.type) ?? '',
        status: text(c.status) ?? '',
        reason: text(c.reason),
        message: text(c.message),
        lastTransitionTime: time(c.lastTransitionTime),
      })),
    initContainers: list(spec.initContainers)
      .map(record)
      .map((c) => containerDetail(c, initStatuses.get(text(c.name) ?? ''), true, configMaps)),
    containers: list(spec.containers)
      .map(record)
      .map((c) => containerDetail(c, statuses.get(text(c.name) ?? ''), false, configMaps)),
    volumes: list(spec.volumes).map(record).map(volumeView),
    events,
  };
}

/** ConfigMap values referenced by env (not secret, so shown); a missing or forbidden one is just left unresolved. */
async function referencedConfigMaps(client: ContextClient, namespace: string, spec: Record<string, unknown>): Promise<Map<string, Record<string, string>>> {
  const names = new Set<string>();
  for (const c of [...list(spec.containers), ...list(spec.initContainers)].map(record)) {
    for (const e of list(c.env).map(record)) {
      const name = text(record(record(e.valueFrom).configMapKeyRef).name);
      if (name) names.add(name);
    }
  }
  const out = new Map<string, Record<string, string>>();
  await Promise.all(
    [...names].map(async (cm) => {
      try {
        out.set(cm, stringMap(record(await kubeRequest(client.config, { method: 'GET', path: objectPath('configmaps', namespace, cm) })).data));
      } catch {
        // unresolved: the panel shows the reference only
      }
    }),
  );
  return out;
}

/** One Secret value, decoded: as text when it is valid UTF-8, else as base64. */
export async function revealSecret(client: ContextClient, namespace: string, name: string, key: string): Promise<RevealedSecret> {
  const secret = record(await kubeRequest(client.config, { method: 'GET', path: objectPath('secrets', namespace, name) }));
  const encoded = stringMap(secret.data)[key];
  if (encoded === undefined) {
    const stringData = stringMap(secret.stringData)[key];
    if (stringData !== undefined) return { key, value: stringData, encoding: 'utf8' };
    throw new DeskError('not-found', `secret ${name} has no key "${key}"`);
  }
  const bytes = Buffer.from(encoded, 'base64');
  try {
    return { key, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    return { key, value: encoded, encoding: 'base64' };
  }
}
