/** The scale subresource of workloads whose replicas live in spec.replicas (default 1) and status.replicas. */
import { childObject, getNumber, getObject } from './json-access';
import { labelSelectorString } from './label-selector-format';
import type { ScaleAccess } from './resource-type';

export const replicasScale: ScaleAccess = {
  specReplicas: (o) => getNumber(o, 'spec', 'replicas') ?? 1,
  statusReplicas: (o) => getNumber(o, 'status', 'replicas') ?? 0,
  selector: (o) => labelSelectorString(getObject(o, 'spec')?.selector) ?? '',
  setSpecReplicas(o, replicas) {
    const spec = childObject(o, 'spec');
    if (spec) spec.replicas = replicas;
  },
};
