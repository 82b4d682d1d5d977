/**
 * A container's environment as the kubelet builds it (makeEnvironmentVariables): envFrom first, then env in
 * order with $(VAR) expansion against what came before and the service variables, then the service variables
 * nobody overrode. Missing sources give the kubelet's CreateContainerConfigError messages. Pure: objects
 * come through a lookup.
 */
import type { KubeObject } from '../object';
import { asArray, asBoolean, asObject, asString, getString, stringMap, type JsonObject } from '../registry/json-access';
import { parseQuantity } from '../registry/quantity';

/** Reads the ConfigMaps and Secrets of the pod's namespace; undefined when absent. */
export interface EnvLookup {
  configMap(name: string): KubeObject | undefined;
  secret(name: string): KubeObject | undefined;
}

/** What only the running pod knows. */
export interface EnvRuntime {
  podIP: string;
  hostIP: string;
  /** node allocatable (cpu in cores, memory and ephemeral-storage in bytes): limits that are unset default to it */
  allocatable: Record<string, number>;
  /** service variables (service-env.ts) */
  serviceEnv: ReadonlyArray<[string, string]>;
}

export type EnvResult =
  | {
      ok: true;
      env: Array<[string, string]>;
      /** InvalidEnvironmentVariableNames event messages */
      warnings: string[];
    }
  | { ok: false; message: string };

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion): `$$` is a literal `$`, `$(NAME)` is
 * replaced when NAME is defined and kept as written otherwise, anything else is literal.
 */
export function expandVars(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const value = name ? lookup(name) : undefined;
      out += value ?? `$(${name})`;
      i = close + 1;
    } else {
      out += c + next;
      i += 2;
    }
  }
  return out;
}

function secretValue(secret: KubeObject, key: string): string | undefined {
  const data = stringMap(secret.data);
  if (key in data) return Buffer.from(data[key], 'base64').toString('utf8');
  const plain = stringMap(secret.stringData);
  return key in plain ? plain[key] : undefined;
}

function secretEntries(secret: KubeObject): Array<[string, string]> {
  return Object.keys(stringMap(secret.data)).map((k) => [k, secretValue(secret, k) ?? '']);
}

/** fieldRef values the kubelet resolves at container start (podFieldSelectorRuntimeValue). */
export function podFieldValue(pod: KubeObject, fieldPath: string, runtime: Pick<EnvRuntime, 'podIP' | 'hostIP'>): string | undefined {
  const m = pod.metadata;
  switch (fieldPath) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'spec.nodeName':
      return getString(pod, 'spec', 'nodeName');
    case 'spec.serviceAccountName':
      return getString(pod, 'spec', 'serviceAccountName');
    case 'status.podIP':
    case 'status.podIPs':
      return runtime.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return runtime.hostIP;
  }
  const sub = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]] ?? '';
  if (fieldPath === 'metadata.labels' || fieldPath === 'metadata.annotations') {
    const map = (fieldPath === 'metadata.labels' ? m.labels : m.annotations) ?? {};
    return Object.keys(map)
      .sort()
      .map((k) => `${k}=${JSON.stringify(map[k])}`)
      .join('\n');
  }
  return undefined;
}

function containerNamed(pod: KubeObject, name: string): JsonObject | undefined {
  const spec = asObject(pod.spec) ?? {};
  for (const key of ['containers', 'initContainers']) {
    for (const c of asArray(spec[key]) ?? []) {
      const o = asObject(c);
      if (o && o.name === name) return o;
    }
  }
  return undefined;
}

/** resourceFieldRef (ExtractContainerResourceValue): the ceiling of value / divisor; unset limits are the node's allocatable. */
export function resourceFieldValue(pod: KubeObject, self: JsonObject, ref: JsonObject, allocatable: Record<string, number>): string | { error: string } {
  const containerName = asString(ref.containerName) ?? '';
  const container = containerName ? containerNamed(pod, containerName) : self;
  if (!container) return { error: `container ${containerName} not found` };
  const resource = asString(ref.resource) ?? '';
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if ((kind !== 'limits' && kind !== 'requests') || !['cpu', 'memory', 'ephemeral-storage'].includes(name)) {
    return { error: `unsupported container resource : ${resource}` };
  }
  const set = asObject(asObject(container.resources)?.[kind]) ?? {};
  let value = parseQuantity(set[name]);
  if (value === undefined) value = kind === 'limits' ? (allocatable[name] ?? 0) : 0;
  let divisor = parseQuantity(ref.divisor);
  if (divisor === undefined || divisor === 0) divisor = 1;
  if (name === 'cpu') return String(Math.ceil(Math.round(value * 1000) / Math.round(divisor * 1000)));
  return String(Math.ceil(value / divisor));
}

/** Resolve the container's env and envFrom. */
export function resolveEnv(pod: KubeObject, container: JsonObject, lookup: EnvLookup, runtime: EnvRuntime): EnvResult {
  const namespace = pod.metadata.namespace ?? '';
  const env = new Map<string, string>();
  const warnings: string[] = [];
  for (const raw of asArray(container.envFrom) ?? []) {
    const from = asObject(raw) ?? {};
    const prefix = asString(from.prefix) ?? '';
    const cmRef = asObject(from.configMapRef);
    const secretRef = asObject(from.secretRef);
    const ref = cmRef ?? secretRef;
    if (!ref) continue;
    const name = asString(ref.name) ?? '';
    const optional = asBoolean(ref.optional) === true;
    let entries: Array<[string, string]>;
    if (cmRef) {
      const cm = lookup.configMap(name);
      if (!cm) {
        if (optional) continue;
        return { ok: false, message: `configmap "${name}" not found` };
      }
      entries = Object.entries(stringMap(cm.data));
    } else {
      const secret = lookup.secret(name);
      if (!secret) {
        if (optional) continue;
        return { ok: false, message: `secret "${name}" not found` };
      }
      entries = secretEntries(secret);
    }
    const invalid: string[] = [];
    for (const [k, v] of entries) {
      const key = prefix + k;
      if (!ENV_NAME.test(key)) invalid.push(key);
      else env.set(key, v);
    }
    if (invalid.length > 0) {
      invalid.sort();
      const what = cmRef ? 'configMap' : 'secret';
      warnings.push(`Keys [${invalid.join(', ')}] from the EnvFrom ${what} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`);
    }
  }
  const services = new Map(runtime.serviceEnv);
  const mapping = (name: string): string | undefined => env.get(name) ?? services.get(name);
  for (const raw of asArray(container.env) ?? []) {
    const e = asObject(raw) ?? {};
    const name = asString(e.name) ?? '';
    if (!name) continue;
    const valueFrom = asObject(e.valueFrom);
    if (!valueFrom) {
      env.set(name, expandVars(asString(e.value) ?? '', mapping));
      continue;
    }
    const resolved = resolveValueFrom(pod, container, valueFrom, lookup, runtime);
    if (resolved === undefined) continue;
    if (typeof resolved !== 'string') return { ok: false, message: resolved.error };
    env.set(name, resolved);
  }
  const out: Array<[string, string]> = [...env.entries()];
  for (const [k, v] of runtime.serviceEnv) if (!env.has(k)) out.push([k, v]);
  return { ok: true, env: out, warnings };
}

/** One env valueFrom: a value, undefined to skip (optional and missing), or an error. */
function resolveValueFrom(pod: KubeObject, container: JsonObject, from: JsonObject, lookup: EnvLookup, runtime: EnvRuntime): string | undefined | { error: string } {
  const namespace = pod.metadata.namespace ?? '';
  const fieldRef = asObject(from.fieldRef);
  if (fieldRef) {
    const path = asString(fieldRef.fieldPath) ?? '';
    return podFieldValue(pod, path, runtime) ?? { error: `unsupported fieldPath: ${path}` };
  }
  const resourceRef = asObject(from.resourceFieldRef);
  if (resourceRef) return resourceFieldValue(pod, container, resourceRef, runtime.allocatable);
  const cmKey = asObject(from.configMapKeyRef);
  if (cmKey) {
    const name = asString(cmKey.name) ?? '';
    const key = asString(cmKey.key) ?? '';
    const optional = asBoolean(cmKey.optional) === true;
    const cm = lookup.configMap(name);
    if (!cm) return optional ? undefined : { error: `configmap "${name}" not found` };
    const data = stringMap(cm.data);
    if (key in data) return data[key];
    return optional ? undefined : { error: `couldn't find key ${key} in ConfigMap ${namespace}/${name}` };
  }
  const secretKey = asObject(from.secretKeyRef);
  if (secretKey) {
    const name = asString(secretKey.name) ?? '';
    const key = asString(secretKey.key) ?? '';
    const optional = asBoolean(secretKey.optional) === true;
    const secret = lookup.secret(name);
    if (!secret) return optional ? undefined : { error: `secret "${name}" not found` };
    const value = secretValue(secret, key);
    if (value !== undefined) return value;
    return optional ? undefined : { error: `couldn't find key ${key} in Secret ${namespace}/${name}` };
  }
  return undefined;
}

/** command and args with $(VAR) expanded against the final environment (ExpandContainerCommandAndArgs). */
export function expandCommand(container: JsonObject, env: ReadonlyArray<[string, string]>): { command?: string[]; args?: string[] } {
  const map = new Map(env);
  const lookup = (n: string): string | undefined => map.get(n);
  const list = (v: unknown): string[] | undefined => {
    const a = asArray(v);
    return a ? a.map((x) => expandVars(typeof x === 'string' ? x : String(x), lookup)) : undefined;
  };
  return { command: list(container.command), args: list(container.args) };
}
