/**
 * ValidatePodSpec / ValidatePodTemplateSpec essentials (pkg/apis/core/validation): containers, ports,
 * env, probes, resources, volumes and mounts, restart/DNS policies. Paths are prefixed by the caller.
 */
import type { FieldCause } from '../status';
import { child, index, key } from './field-path';
import { duplicate, forbidden, invalid, notFound, notSupported, required, typeInvalid } from './field-errors';
import { asArray, asObject, asString, isUnset, type JsonObject } from './json-access';
import { QUANTITY_PARSE_ERROR, parseQuantity } from './quantity';
import {
  IS_NEGATIVE_ERROR_MSG,
  envVarNameErrors,
  inclusiveRangeError,
  portNameErrors,
  portNumErrors,
  validateAnnotations,
  validateDns1123Label,
  validateDns1123Subdomain,
  validateLabels,
} from './validation';

export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const FILE_MODE_ERROR = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Reads an integer field; a non-integer JSON value becomes a type cause (the real decoder rejects it). */
export function intField(o: JsonObject, name: string, path: string, causes: FieldCause[]): number | undefined {
  const v = o[name];
  if (isUnset(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    causes.push(typeInvalid(child(path, name), v, 'expected an integer'));
    return undefined;
  }
  return v;
}

function strField(o: JsonObject, name: string, path: string, causes: FieldCause[]): string {
  const v = o[name];
  if (isUnset(v)) return '';
  if (typeof v !== 'string') {
    causes.push(typeInvalid(child(path, name), v, 'expected a string'));
    return '';
  }
  return v;
}

/** The plain-object items of a list field; a non-array becomes a type cause. */
function listField(o: JsonObject, name: string, path: string, causes: FieldCause[]): Array<[JsonObject, string]> {
  const v = o[name];
  if (isUnset(v)) return [];
  const list = asArray(v);
  if (!list) {
    causes.push(typeInvalid(child(path, name), v, 'expected an array'));
    return [];
  }
  const out: Array<[JsonObject, string]> = [];
  list.forEach((item, i) => {
    const p = index(child(path, name), i);
    const obj = asObject(item);
    if (obj) out.push([obj, p]);
    else causes.push(typeInvalid(p, item, 'expected an object'));
  });
  return out;
}

/** ValidatePortNumOrName for an IntOrString port. */
export function validatePortNumOrName(port: unknown, path: string): FieldCause[] {
  if (typeof port === 'number') return portNumErrors(port).map((msg) => invalid(path, port, msg));
  if (typeof port === 'string') return portNameErrors(port).map((msg) => invalid(path, port, msg));
  return [typeInvalid(path, port ?? null, 'expected an integer or a string')];
}

function validateNonnegativeInt(o: JsonObject, name: string, path: string, causes: FieldCause[]): void {
  const v = intField(o, name, path, causes);
  if (v !== undefined && v < 0) causes.push(invalid(child(path, name), v, IS_NEGATIVE_ERROR_MSG));
}

// Each handler kind in the order validateHandler checks them.
function validateHandler(handler: JsonObject, kinds: readonly string[], path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  let count = 0;
  for (const kind of kinds) {
    const h = handler[kind];
    if (isUnset(h)) continue;
    const p = child(path, kind);
    if (count > 0) {
      causes.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    const action = asObject(h) ?? {};
    if (kind === 'exec') {
      if ((asArray(action.command) ?? []).length === 0) causes.push(required(child(p, 'command')));
    } else if (kind === 'httpGet') {
      if (!asString(action.path)) causes.push(required(child(p, 'path')));
      causes.push(...validatePortNumOrName(action.port, child(p, 'port')));
      const scheme = asString(action.scheme) ?? '';
      if (scheme !== 'HTTP' && scheme !== 'HTTPS') causes.push(notSupported(child(p, 'scheme'), scheme, ['HTTP', 'HTTPS']));
    } else if (kind === 'tcpSocket') {
      causes.push(...validatePortNumOrName(action.port, child(p, 'port')));
    } else if (kind === 'grpc') {
      const port = action.port;
      if (typeof port === 'number') causes.push(...portNumErrors(port).map((msg) => invalid(child(p, 'port'), port, msg)));
      else causes.push(typeInvalid(child(p, 'port'), port ?? null, 'expected an integer'));
    }
  }
  if (count === 0) causes.push(required(path, 'must specify a handler type'));
  return causes;
}

/** validateLivenessProbe / validateReadinessProbe / validateStartupProbe: validateProbe plus each kind's rules. */
function validateProbe(probe: unknown, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldCause[] {
  if (isUnset(probe)) return [];
  const p = asObject(probe);
  if (!p) return [typeInvalid(path, probe, 'expected an object')];
  const causes = validateHandler(p, ['exec', 'httpGet', 'tcpSocket', 'grpc'], path);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    validateNonnegativeInt(p, f, path, causes);
  const grace = intField(p, 'terminationGracePeriodSeconds', path, causes);
  if (grace !== undefined && grace <= 0) causes.push(invalid(child(path, 'terminationGracePeriodSeconds'), grace, 'must be greater than 0'));
  const success = intField(p, 'successThreshold', path, []);
  if (kind !== 'readiness' && success !== undefined && success !== 1)
    causes.push(invalid(child(path, 'successThreshold'), success, 'must be 1'));
  // only a liveness or startup probe failure kills the container, with this grace period
  if (kind === 'readiness' && grace !== undefined)
    causes.push(invalid(child(path, 'terminationGracePeriodSeconds'), grace, 'must not be set for readinessProbes'));
  return causes;
}

function validateContainerPorts(c: JsonObject, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  for (const [port, p] of listField(c, 'ports', path, causes)) {
    const name = strField(port, 'name', p, causes);
    if (name) {
      const msgs = portNameErrors(name);
      if (msgs.length) causes.push(...msgs.map((msg) => invalid(child(p, 'name'), name, msg)));
      else if (names.has(name)) causes.push(duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    const containerPort = intField(port, 'containerPort', p, causes);
    if (!containerPort) causes.push(required(child(p, 'containerPort')));
    else causes.push(...portNumErrors(containerPort).map((msg) => invalid(child(p, 'containerPort'), containerPort, msg)));
    const hostPort = intField(port, 'hostPort', p, causes);
    if (hostPort) causes.push(...portNumErrors(hostPort).map((msg) => invalid(child(p, 'hostPort'), hostPort, msg)));
    const protocol = strField(port, 'protocol', p, causes);
    if (!protocol) causes.push(required(child(p, 'protocol')));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(protocol))
      causes.push(notSupported(child(p, 'protocol'), protocol, SUPPORTED_PORT_PROTOCOLS));
  }
  return causes;
}

const VALUE_FROM_SOURCES = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'];

function validateEnv(c: JsonObject, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const [env, p] of listField(c, 'env', path, causes)) {
    const name = strField(env, 'name', p, causes);
    if (!name) causes.push(required(child(p, 'name')));
    else causes.push(...envVarNameErrors(name).map((msg) => invalid(child(p, 'name'), name, msg)));
    const valueFrom = asObject(env.valueFrom);
    if (!valueFrom) continue;
    const vp = child(p, 'valueFrom');
    const sources = VALUE_FROM_SOURCES.filter((s) => !isUnset(valueFrom[s]));
    if (sources.length === 0)
      causes.push(invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (sources.length > 1) causes.push(invalid(vp, '', 'may not have more than one field specified at a time'));
    if (asString(env.value)) causes.push(invalid(vp, '', 'may not be specified when `value` is not empty'));
    for (const ref of ['configMapKeyRef', 'secretKeyRef']) {
      const r = asObject(valueFrom[ref]);
      if (r && !asString(r.key)) causes.push(required(child(vp, ref, 'key')));
    }
    const fieldRef = asObject(valueFrom.fieldRef);
    if (fieldRef && !asString(fieldRef.fieldPath)) causes.push(required(child(vp, 'fieldRef', 'fieldPath')));
  }
  return causes;
}

function validateVolumeMounts(c: JsonObject, volumes: Set<string>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const mountPoints = new Set<string>();
  for (const [mount, p] of listField(c, 'volumeMounts', path, causes)) {
    const name = strField(mount, 'name', p, causes);
    if (!name) causes.push(required(child(p, 'name')));
    if (!volumes.has(name)) causes.push(notFound(child(p, 'name'), name));
    const mountPath = strField(mount, 'mountPath', p, causes);
    if (!mountPath) causes.push(required(child(p, 'mountPath')));
    if (mountPoints.has(mountPath)) causes.push(invalid(child(p, 'mountPath'), mountPath, 'must be unique'));
    mountPoints.add(mountPath);
  }
  return causes;
}

function validateResources(c: JsonObject, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const resources = asObject(c.resources);
  if (!resources) return causes;
  const rp = child(path, 'resources');
  const limits = asObject(resources.limits) ?? {};
  const requests = asObject(resources.requests) ?? {};
  const check = (list: JsonObject, name: string): void => {
    for (const [res, q] of Object.entries(list)) {
      const value = parseQuantity(q);
      const fp = key(child(rp, name), res);
      if (value === undefined) causes.push(invalid(fp, q, QUANTITY_PARSE_ERROR));
      else if (value < 0) causes.push(invalid(fp, String(q), IS_NEGATIVE_ERROR_MSG));
    }
  };
  check(limits, 'limits');
  check(requests, 'requests');
  for (const [res, q] of Object.entries(requests)) {
    if (!(res in limits)) continue;
    const request = parseQuantity(q);
    const limit = parseQuantity(limits[res]);
    if (request === undefined || limit === undefined) continue;
    const overcommitAllowed = !res.startsWith('hugepages-');
    if (!overcommitAllowed && request !== limit)
      causes.push(invalid(child(rp, 'requests'), String(q), `must be equal to ${res} limit of ${String(limits[res])}`));
    else if (request > limit)
      causes.push(
        invalid(child(rp, 'requests'), String(q), `must be less than or equal to ${res} limit of ${String(limits[res])}`),
      );
  }
  return causes;
}

function validateContainerCommon(c: JsonObject, volumes: Set<string>, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  const name = strField(c, 'name', path, causes);
  if (!name) causes.push(required(child(path, 'name')));
  else causes.push(...validateDns1123Label(name, child(path, 'name')));
  const image = strField(c, 'image', path, causes);
  if (!image) causes.push(required(child(path, 'image')));
  else if (image.trim() !== image)
    causes.push(invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace'));
  const tmp = strField(c, 'terminationMessagePolicy', path, causes);
  if (!tmp) causes.push(required(child(path, 'terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError')
    causes.push(notSupported(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  causes.push(...validateContainerPorts(c, path));
  causes.push(...validateEnv(c, path));
  causes.push(...validateVolumeMounts(c, volumes, path));
  const pull = strField(c, 'imagePullPolicy', path, causes);
  if (!pull) causes.push(required(child(path, 'imagePullPolicy')));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(pull))
    causes.push(notSupported(child(path, 'imagePullPolicy'), pull, ['Always', 'IfNotPresent', 'Never']));
  causes.push(...validateResources(c, path));
  return causes;
}

function validateLifecycle(c: JsonObject, path: string): FieldCause[] {
  const lifecycle = asObject(c.lifecycle);
  if (!lifecycle) return [];
  const causes: FieldCause[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const h = asObject(lifecycle[hook]);
    if (h) causes.push(...validateHandler(h, ['exec', 'httpGet', 'tcpSocket', 'sleep'], child(path, 'lifecycle', hook)));
  }
  return causes;
}

// Source keys in the order validateVolumeSource counts them.
const VOLUME_SOURCE_ORDER = [
  'emptyDir', 'hostPath', 'gitRepo', 'gcePersistentDisk', 'awsElasticBlockStore', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'flocker', 'persistentVolumeClaim', 'rbd', 'cinder', 'cephfs', 'quobyte', 'downwardAPI', 'fc',
  'flexVolume', 'configMap', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk',
  'storageos', 'projected', 'scaleIO', 'csi', 'ephemeral', 'image',
];

function validateDefaultMode(src: JsonObject, path: string, causes: FieldCause[]): void {
  const mode = intField(src, 'defaultMode', path, causes);
  if (mode !== undefined && (mode < 0 || mode > 0o777)) causes.push(invalid(child(path, 'defaultMode'), mode, FILE_MODE_ERROR));
}

function validateKeyToPaths(src: JsonObject, path: string, causes: FieldCause[]): void {
  for (const [item, p] of listField(src, 'items', path, causes)) {
    if (!asString(item.key)) causes.push(required(child(p, 'key')));
    if (!asString(item.path)) causes.push(required(child(p, 'path')));
  }
}

function validateVolumeSource(vol: JsonObject, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  let count = 0;
  for (const kind of VOLUME_SOURCE_ORDER) {
    if (isUnset(vol[kind])) continue;
    const p = child(path, kind);
    if (count > 0) {
      causes.push(forbidden(p, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    const src = asObject(vol[kind]) ?? {};
    switch (kind) {
      case 'configMap':
        if (!asString(src.name)) causes.push(required(child(p, 'name')));
        validateDefaultMode(src, p, causes);
        validateKeyToPaths(src, p, causes);
        break;
      case 'secret':
        if (!asString(src.secretName)) causes.push(required(child(p, 'secretName')));
        validateDefaultMode(src, p, causes);
        validateKeyToPaths(src, p, causes);
        break;
      case 'persistentVolumeClaim':
        if (!asString(src.claimName)) causes.push(required(child(p, 'claimName')));
        break;
      case 'hostPath':
        if (!asString(src.path)) causes.push(required(child(p, 'path')));
        break;
      case 'downwardAPI':
      case 'projected':
        validateDefaultMode(src, p, causes);
        break;
    }
  }
  if (count === 0) causes.push(required(path, 'must specify a volume type'));
  return causes;
}

/** The names of the volumes that validated cleanly, as ValidateVolumes returns them for mount checks. */
function validateVolumes(spec: JsonObject, path: string, causes: FieldCause[]): Set<string> {
  const names = new Set<string>();
  for (const [vol, p] of listField(spec, 'volumes', path, causes)) {
    const errs = validateVolumeSource(vol, p);
    const name = strField(vol, 'name', p, errs);
    if (!name) errs.push(required(child(p, 'name')));
    else errs.push(...validateDns1123Label(name, child(p, 'name')));
    if (names.has(name)) errs.push(duplicate(child(p, 'name'), name));
    if (errs.length === 0) names.add(name);
    else causes.push(...errs);
  }
  return names;
}

function validateRestartPolicy(spec: JsonObject, path: string, causes: FieldCause[]): void {
  const policy = strField(spec, 'restartPolicy', path, causes);
  if (!policy) causes.push(required(child(path, 'restartPolicy')));
  else if (!['Always', 'OnFailure', 'Never'].includes(policy))
    causes.push(notSupported(child(path, 'restartPolicy'), policy, ['Always', 'OnFailure', 'Never']));
}

function validateDnsPolicy(spec: JsonObject, path: string, causes: FieldCause[]): void {
  const supported = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  const policy = strField(spec, 'dnsPolicy', path, causes);
  if (!policy) causes.push(required(child(path, 'dnsPolicy')));
  else if (!supported.includes(policy)) causes.push(notSupported(child(path, 'dnsPolicy'), policy, supported));
}

/** ValidatePodSpec essentials; `path` is e.g. "spec" or "spec.template.spec". */
export function validatePodSpec(specValue: unknown, path: string): FieldCause[] {
  const spec = asObject(specValue);
  if (!spec) return [required(child(path, 'containers'))];
  const causes: FieldCause[] = [];
  const volumes = validateVolumes(spec, path, causes);

  const containersPath = child(path, 'containers');
  const containers = listField(spec, 'containers', path, causes);
  if (containers.length === 0 && !causes.some((c) => c.field === containersPath)) causes.push(required(containersPath));
  const names = new Set<string>();
  for (const [c, p] of containers) {
    causes.push(...validateContainerCommon(c, volumes, p));
    const name = asString(c.name) ?? '';
    if (names.has(name)) causes.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    causes.push(...validateLifecycle(c, p));
    causes.push(...validateProbe(c.livenessProbe, child(p, 'livenessProbe'), 'liveness'));
    causes.push(...validateProbe(c.readinessProbe, child(p, 'readinessProbe'), 'readiness'));
    causes.push(...validateProbe(c.startupProbe, child(p, 'startupProbe'), 'startup'));
    if (!isUnset(c.restartPolicy)) causes.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  }

  for (const [c, p] of listField(spec, 'initContainers', path, causes)) {
    causes.push(...validateContainerCommon(c, volumes, p));
    const name = asString(c.name) ?? '';
    if (names.has(name)) causes.push(duplicate(child(p, 'name'), name));
    else names.add(name);
    const restart = c.restartPolicy;
    if (!isUnset(restart) && restart !== 'Always') causes.push(notSupported(child(p, 'restartPolicy'), restart, ['Always']));
    if (restart === 'Always') {
      causes.push(...validateProbe(c.livenessProbe, child(p, 'livenessProbe'), 'liveness'));
      causes.push(...validateProbe(c.readinessProbe, child(p, 'readinessProbe'), 'readiness'));
      causes.push(...validateProbe(c.startupProbe, child(p, 'startupProbe'), 'startup'));
    } else {
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'])
        if (!isUnset(c[probe])) causes.push(forbidden(child(p, probe), 'may not be set for init containers without restartPolicy=Always'));
    }
  }

  validateRestartPolicy(spec, path, causes);
  validateDnsPolicy(spec, path, causes);
  causes.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  const sa = strField(spec, 'serviceAccountName', path, causes);
  if (sa) causes.push(...validateDns1123Subdomain(sa, child(path, 'serviceAccountName')));
  const nodeName = strField(spec, 'nodeName', path, causes);
  if (nodeName) causes.push(...validateDns1123Subdomain(nodeName, child(path, 'nodeName')));
  const deadline = intField(spec, 'activeDeadlineSeconds', path, causes);
  if (deadline !== undefined && (deadline < 1 || deadline > 2147483647))
    causes.push(invalid(child(path, 'activeDeadlineSeconds'), deadline, inclusiveRangeError(1, 2147483647)));
  const hostname = strField(spec, 'hostname', path, causes);
  if (hostname) causes.push(...validateDns1123Label(hostname, child(path, 'hostname')));
  const subdomain = strField(spec, 'subdomain', path, causes);
  if (subdomain) causes.push(...validateDns1123Label(subdomain, child(path, 'subdomain')));
  return causes;
}

/** ValidatePodTemplateSpec: labels and annotations are reported under `<path>.labels` as the real code does. */
export function validatePodTemplateSpec(templateValue: unknown, path: string): FieldCause[] {
  const template = asObject(templateValue) ?? {};
  const meta = asObject(template.metadata) ?? {};
  const causes: FieldCause[] = [];
  causes.push(...validateLabels(meta.labels, child(path, 'labels')));
  causes.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  causes.push(...validatePodSpec(template.spec ?? {}, child(path, 'spec')));
  const spec = asObject(template.spec);
  if (spec && (asArray(spec.ephemeralContainers) ?? []).length > 0)
    causes.push(forbidden(child(path, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  return causes;
}
