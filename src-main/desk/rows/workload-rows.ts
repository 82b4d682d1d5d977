import type { DeploymentRow, HpaRow, ReplicaSetRow } from '../../contract/rows';
import { count, list, record, stringMap, text } from '../json-fields';
import { controllerOf, imagesOf, revisionOf, rowBase } from './row-base';

export function toDeploymentRow(deployment: unknown): DeploymentRow {
  const d = record(deployment);
  const spec = record(d.spec);
  const status = record(d.status);
  const progressing = list(status.conditions).map(record).find((c) => c.type === 'Progressing');
  const meta = record(d.metadata);
  return Object.assign(rowBase(deployment), {
    replicas: spec.replicas === undefined ? 1 : count(spec.replicas),
    readyReplicas: count(status.readyReplicas),
    updatedReplicas: count(status.updatedReplicas),
    availableReplicas: count(status.availableReplicas),
    paused: spec.paused === true,
    strategy: text(record(spec.strategy).type) ?? 'RollingUpdate',
    images: imagesOf(record(record(spec.template).spec)),
    selector: stringMap(record(spec.selector).matchLabels),
    revision: revisionOf(deployment),
    progress: progressing ? { reason: text(progressing.reason) ?? '', message: text(progressing.message) ?? '' } : null,
    observed: count(status.observedGeneration) >= count(meta.generation),
  });
}

export function toReplicaSetRow(replicaSet: unknown): ReplicaSetRow {
  const rs = record(replicaSet);
  const spec = record(rs.spec);
  const status = record(rs.status);
  return Object.assign(rowBase(replicaSet), {
    desired: spec.replicas === undefined ? 1 : count(spec.replicas),
    current: count(status.replicas),
    ready: count(status.readyReplicas),
    owner: controllerOf(replicaSet),
    revision: revisionOf(replicaSet),
    images: imagesOf(record(record(spec.template).spec)),
  });
}

function metricLine(spec: Record<string, unknown>, current: Record<string, unknown> | undefined): string {
  const type = text(spec.type) ?? '?';
  const source = record(spec[type.charAt(0).toLowerCase() + type.slice(1)]);
  const now = record(current?.[type.charAt(0).toLowerCase() + type.slice(1)]);
  const name = text(source.name) ?? text(record(source.metric).name) ?? type;
  const target = record(source.target);
  const currentValue = record(now.current);
  if (target.averageUtilization !== undefined) {
    const cur = currentValue.averageUtilization === undefined ? '<unknown>' : `${count(currentValue.averageUtilization)}%`;
    return `${name} ${cur}/${count(target.averageUtilization)}%`;
  }
  const want = text(target.averageValue) ?? text(target.value) ?? String(target.averageValue ?? target.value ?? '?');
  const have = text(currentValue.averageValue) ?? text(currentValue.value) ?? '<unknown>';
  return `${name} ${have}/${want}`;
}

export function toHpaRow(hpa: unknown): HpaRow {
  const h = record(hpa);
  const spec = record(h.spec);
  const status = record(h.status);
  const ref = record(spec.scaleTargetRef);
  const currentMetrics = list(status.currentMetrics).map(record);
  const metrics = list(spec.metrics).map(record);
  const lines = metrics.map((m, i) => metricLine(m, currentMetrics[i]));
  if (metrics.length === 0 && spec.targetCPUUtilizationPercentage !== undefined) {
    lines.push(`cpu ${status.currentCPUUtilizationPercentage === undefined ? '<unknown>' : `${count(status.currentCPUUtilizationPercentage)}%`}/${count(spec.targetCPUUtilizationPercentage)}%`);
  }
  return Object.assign(rowBase(hpa), {
    target: { kind: text(ref.kind) ?? '', name: text(ref.name) ?? '' },
    minReplicas: spec.minReplicas === undefined ? 1 : count(spec.minReplicas),
    maxReplicas: count(spec.maxReplicas),
    currentReplicas: count(status.currentReplicas),
    desiredReplicas: count(status.desiredReplicas),
    metrics: lines,
  });
}
