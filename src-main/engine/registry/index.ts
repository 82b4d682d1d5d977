/** The registry: every built-in kind the engine serves, in discovery order, and lookups over them. */
import { configMapType } from './config-map';
import { deploymentType } from './deployment';
import { endpointSliceType } from './endpoint-slice';
import { endpointsType } from './endpoints';
import { eventType } from './event';
import { horizontalPodAutoscalerType } from './horizontal-pod-autoscaler';
import { horizontalPodAutoscalerV1Type } from './horizontal-pod-autoscaler-v1';
import { namespaceType } from './namespace';
import { nodeType } from './node';
import { persistentVolumeType } from './persistent-volume';
import { persistentVolumeClaimType } from './persistent-volume-claim';
import { podType } from './pod';
import { replicaSetType } from './replica-set';
import type { ResourceType } from './resource-type';
import { secretType } from './secret';
import { serviceType } from './service';
import { serviceAccountType } from './service-account';
import { storageClassType } from './storage-class';
import type { NameValidator } from './validation';

export type { ResourceType, ScaleAccess, TableColumn, VersionConversion } from './resource-type';
export { apiVersionOf, resourceKey } from './resource-type';
export {
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  validateObjectMeta,
  type NameValidator,
  type ObjectMetaValidationOptions,
} from './validation';
export { labelSelectorMatches, labelSelectorString, formatLabels } from './label-selector-format';
export { humanDuration, translateTimestampSince } from './human-duration';

/**
 * Main resources in discovery order: core (alphabetical, as /api/v1 lists them), then apps, autoscaling,
 * storage.k8s.io and discovery.k8s.io in the order /apis lists those groups.
 */
export const ALL_RESOURCE_TYPES: ResourceType[] = [
  configMapType,
  endpointsType,
  eventType,
  namespaceType,
  nodeType,
  persistentVolumeClaimType,
  persistentVolumeType,
  podType,
  secretType,
  serviceAccountType,
  serviceType,
  deploymentType,
  replicaSetType,
  horizontalPodAutoscalerType,
  storageClassType,
  endpointSliceType,
];

/**
 * Further served versions of stored kinds, converted at the API boundary. Discovery lists them after the
 * stored version, which stays the group's preferred version (autoscaling: v2, then v1).
 */
export const CONVERTED_VERSION_TYPES: ResourceType[] = [horizontalPodAutoscalerV1Type];

/** Every group/version/resource the API serves: the stored types, then the converted versions. */
export const SERVED_RESOURCE_TYPES: ResourceType[] = [...ALL_RESOURCE_TYPES, ...CONVERTED_VERSION_TYPES];

const byKey = new Map(SERVED_RESOURCE_TYPES.map((t) => [`${t.group}/${t.version}/${t.plural}`, t]));

/** The type served at /apis/<group>/<version>/<plural> ('' group for /api/v1), or undefined. */
export function findResourceType(group: string, version: string, plural: string): ResourceType | undefined {
  return byKey.get(`${group}/${version}/${plural}`);
}

// ValidateNameFunc per kind (pkg/apis/*/validation): Services are DNS-1035 labels, Namespaces DNS-1123 labels.
const NAME_VALIDATORS: Record<string, NameValidator> = {
  namespaces: 'dns1123Label',
  services: 'dns1035Label',
};

/** Which name format metadata.name (and generateName) must follow for a kind, for validateObjectMeta. */
export function nameValidatorFor(t: Pick<ResourceType, 'group' | 'plural'>): NameValidator {
  return (t.group === '' && NAME_VALIDATORS[t.plural]) || 'dns1123Subdomain';
}
