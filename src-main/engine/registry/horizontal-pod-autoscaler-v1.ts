/**
 * autoscaling/v1 HorizontalPodAutoscaler: another served version of the stored autoscaling/v2 kind (as in
 * Kubernetes, where v2 is the preferred version and v1 converts through the internal one). Requests are
 * converted to v2 before the v2 strategy (defaults, validation) runs, and objects back to v1 on the way out.
 */
import { horizontalPodAutoscalerType } from './horizontal-pod-autoscaler';
import { hpaV1ToV2, hpaV2ToV1 } from './hpa-v1-conversion';
import type { ResourceType } from './resource-type';
import { fullVerbs } from './verbs';

/** The autoscaling/v1 view of HorizontalPodAutoscalers. */
export const horizontalPodAutoscalerV1Type: ResourceType = {
  ...horizontalPodAutoscalerType,
  version: 'v1',
  verbs: fullVerbs(),
  shortNames: [...horizontalPodAutoscalerType.shortNames],
  categories: [...horizontalPodAutoscalerType.categories],
  conversion: { storage: horizontalPodAutoscalerType, toStorage: hpaV1ToV2, fromStorage: hpaV2ToV1 },
};
