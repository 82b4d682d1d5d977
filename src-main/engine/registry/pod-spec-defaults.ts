/**
 * Defaults for a PodSpec wherever one appears (Pods and pod templates), as core/v1 defaults.go and the
 * generated defaulters apply them. Pod-only defaults (admission, SetDefaults_Pod) live in pod.ts.
 */
import {
  asArray,
  asObject,
  asString,
  childObject,
  defaultNonZero,
  defaultPointer,
  defaultString,
  isUnset,
  objectItems,
  type JsonObject,
} from './json-access';
import { canonicalQuantity, canonicalizeResourceList } from './quantity';

/** 0644 octal, the default file mode of configMap/secret/downwardAPI/projected volumes. */
export const DEFAULT_VOLUME_MODE = 420;

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
] as const;

/** The volume source keys of a Volume, in the API's field order. */
export const VOLUME_SOURCE_KEYS: readonly string[] = VOLUME_SOURCES;

/**
 * The tag of an image reference as the kubelet's parsers.ParseImageName sees it: 'latest' when neither a
 * tag nor a digest is given, '' for digest-only references.
 */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon >= 0) return withoutDigest.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function applyHttpGetDefaults(handler: JsonObject | undefined): void {
  const httpGet = asObject(handler?.httpGet);
  if (!httpGet) return;
  defaultString(httpGet, 'path', '/');
  defaultString(httpGet, 'scheme', 'HTTP');
}

function applyProbeDefaults(probe: unknown): void {
  const p = asObject(probe);
  if (!p) return;
  defaultNonZero(p, 'timeoutSeconds', 1);
  defaultNonZero(p, 'periodSeconds', 10);
  defaultNonZero(p, 'successThreshold', 1);
  defaultNonZero(p, 'failureThreshold', 3);
  applyHttpGetDefaults(p);
}

function applyFieldRefDefaults(fieldRef: unknown): void {
  const ref = asObject(fieldRef);
  if (ref) defaultString(ref, 'apiVersion', 'v1');
}

/** SetDefaults_Container plus the defaults of its nested types (ports, env, probes, lifecycle). */
export function applyContainerDefaults(container: JsonObject): void {
  if (isUnset(container.imagePullPolicy) || container.imagePullPolicy === '') {
    const image = asString(container.image) ?? '';
    container.imagePullPolicy = imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  defaultString(container, 'terminationMessagePath', '/dev/termination-log');
  defaultString(container, 'terminationMessagePolicy', 'File');
  // Go serialises the non-pointer ResourceRequirements struct as {} even when empty.
  const resources = childObject(container, 'resources');
  // Quantities are stored in resource.Quantity's canonical form ("0.5" → "500m").
  canonicalizeResourceList(resources?.limits);
  canonicalizeResourceList(resources?.requests);
  for (const [port] of objectItems(container.ports)) defaultString(port, 'protocol', 'TCP');
  for (const [env] of objectItems(container.env)) applyFieldRefDefaults(asObject(env.valueFrom)?.fieldRef);
  applyProbeDefaults(container.livenessProbe);
  applyProbeDefaults(container.readinessProbe);
  applyProbeDefaults(container.startupProbe);
  const lifecycle = asObject(container.lifecycle);
  applyHttpGetDefaults(asObject(lifecycle?.postStart));
  applyHttpGetDefaults(asObject(lifecycle?.preStop));
}

function applyVolumeDefaults(volume: JsonObject): void {
  if (VOLUME_SOURCES.every((k) => isUnset(volume[k]))) volume.emptyDir = {};
  const emptyDir = asObject(volume.emptyDir);
  if (emptyDir && !isUnset(emptyDir.sizeLimit)) emptyDir.sizeLimit = canonicalQuantity(emptyDir.sizeLimit) ?? emptyDir.sizeLimit;
  for (const k of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const src = asObject(volume[k]);
    if (src) defaultPointer(src, 'defaultMode', DEFAULT_VOLUME_MODE);
  }
  const hostPath = asObject(volume.hostPath);
  if (hostPath) defaultPointer(hostPath, 'type', '');
  for (const [item] of objectItems(asObject(volume.downwardAPI)?.items)) applyFieldRefDefaults(item.fieldRef);
  for (const [source] of objectItems(asObject(volume.projected)?.sources)) {
    for (const [item] of objectItems(asObject(source.downwardAPI)?.items)) applyFieldRefDefaults(item.fieldRef);
    const token = asObject(source.serviceAccountToken);
    if (token) defaultPointer(token, 'expirationSeconds', 3600);
  }
}

/** SetDefaults_PodSpec and the defaults of everything inside a PodSpec. */
export function applyPodSpecDefaults(spec: JsonObject): void {
  defaultString(spec, 'dnsPolicy', 'ClusterFirst');
  defaultString(spec, 'restartPolicy', 'Always');
  defaultPointer(spec, 'securityContext', {});
  defaultPointer(spec, 'terminationGracePeriodSeconds', 30);
  defaultString(spec, 'schedulerName', 'default-scheduler');
  // v1 conversion keeps the deprecated serviceAccount field mirrored with serviceAccountName.
  const sa = asString(spec.serviceAccountName) || asString(spec.serviceAccount);
  if (sa) {
    spec.serviceAccountName = sa;
    spec.serviceAccount = sa;
  }
  canonicalizeResourceList(spec.overhead);
  for (const key of ['containers', 'initContainers', 'ephemeralContainers'])
    for (const [c] of objectItems(spec[key])) applyContainerDefaults(c);
  for (const [v] of objectItems(spec.volumes)) applyVolumeDefaults(v);
}

/** Defaults of a PodTemplateSpec (`spec.template` of workloads). */
export function applyPodTemplateDefaults(template: unknown): void {
  const t = asObject(template);
  if (!t) return;
  const spec = asObject(t.spec);
  if (spec) applyPodSpecDefaults(spec);
}

/** The containers of a spec (regular ones), skipping malformed entries. */
export function containersOf(spec: unknown): JsonObject[] {
  return (asArray(asObject(spec)?.containers) ?? []).flatMap((c) => {
    const o = asObject(c);
    return o ? [o] : [];
  });
}
