import type { DeploymentChange, RollbackResult } from '../contract/contract';
import type { DeploymentHistory, DeploymentRevision, KubeObject } from '../contract/objects';
import { DeskError } from './cluster-error';
import type { ContextClient } from './context-registry';
import { collectionPath, objectPath } from './kind-catalog';
import { kubeRequest } from './kube-http';
import { count, list, record, stringMap, text, time } from './json-fields';
import { FIELD_MANAGER } from './object-actions';
import { toYaml } from './object-yaml';
import { imagesOf, revisionOf } from './rows/row-base';

const MERGE_PATCH = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

/** Annotations a rollback keeps from the Deployment instead of copying from the ReplicaSet (kubectl's list). */
const ANNOTATIONS_NOT_COPIED = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
];

function change(deployment: unknown): DeploymentChange {
  const meta = record(record(deployment).metadata);
  return { name: text(meta.name) ?? '', namespace: text(meta.namespace) ?? '', generation: count(meta.generation) };
}

async function getDeployment(client: ContextClient, namespace: string, name: string): Promise<Record<string, unknown>> {
  return record(await kubeRequest(client.config, { method: 'GET', path: objectPath('deployments', namespace, name) }));
}

async function patchDeployment(client: ContextClient, namespace: string, name: string, body: unknown, contentType = MERGE_PATCH): Promise<DeploymentChange> {
  return change(
    await kubeRequest(client.config, {
      method: 'PATCH',
      path: objectPath('deployments', namespace, name),
      query: { fieldManager: FIELD_MANAGER },
      body: JSON.stringify(body),
      contentType,
    }),
  );
}

/** Through the scale subresource, as `kubectl scale` does (what an HPA or RBAC rule on /scale also governs). */
export async function scaleDeployment(client: ContextClient, namespace: string, name: string, replicas: number): Promise<DeploymentChange> {
  await kubeRequest(client.config, {
    method: 'PATCH',
    path: `${objectPath('deployments', namespace, name)}/scale`,
    query: { fieldManager: FIELD_MANAGER },
    body: JSON.stringify({ spec: { replicas } }),
    contentType: MERGE_PATCH,
  });
  return change(await getDeployment(client, namespace, name));
}

/** `kubectl rollout restart`: a new restartedAt annotation on the pod template rolls every pod. */
export function restartDeployment(client: ContextClient, namespace: string, name: string, now = new Date()): Promise<DeploymentChange> {
  return patchDeployment(client, namespace, name, {
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString() } } } },
  });
}

export function setDeploymentPaused(client: ContextClient, namespace: string, name: string, paused: boolean): Promise<DeploymentChange> {
  return patchDeployment(client, namespace, name, { spec: { paused } });
}

function selectorQuery(deployment: Record<string, unknown>): string | undefined {
  const labels = stringMap(record(record(record(deployment.spec).selector)).matchLabels);
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** The ReplicaSets the Deployment controls (controller ownerReference to its uid). */
async function ownedReplicaSets(client: ContextClient, deployment: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  const meta = record(deployment.metadata);
  const uid = text(meta.uid);
  const listed = record(
    await kubeRequest(client.config, {
      method: 'GET',
      path: collectionPath('replicasets', text(meta.namespace) ?? undefined),
      query: { labelSelector: selectorQuery(deployment) },
    }),
  );
  return list(listed.items)
    .map(record)
    .filter((rs) =>
      list(record(rs.metadata).ownerReferences)
        .map(record)
        .some((o) => o.controller === true && o.uid === uid),
    );
}

/** A ReplicaSet's pod template as the Deployment would carry it: without the pod-template-hash label. */
function templateOf(replicaSet: Record<string, unknown>): KubeObject {
  const template = structuredClone(record(record(replicaSet.spec).template)) as KubeObject;
  const meta = record(template.metadata);
  const labels = { ...stringMap(meta.labels) };
  delete labels['pod-template-hash'];
  template.metadata = { ...meta, labels };
  delete (template.metadata as Record<string, unknown>).creationTimestamp;
  return template;
}

export async function deploymentHistory(client: ContextClient, namespace: string, name: string): Promise<DeploymentHistory> {
  const deployment = await getDeployment(client, namespace, name);
  const currentRevision = revisionOf(deployment);
  const revisions: DeploymentRevision[] = (await ownedReplicaSets(client, deployment))
    .map((rs) => {
      const meta = record(rs.metadata);
      const template = templateOf(rs);
      return {
        revision: revisionOf(rs),
        replicaSet: text(meta.name) ?? '',
        createdAt: time(meta.creationTimestamp),
        changeCause: stringMap(meta.annotations)['kubernetes.io/change-cause'] ?? null,
        images: imagesOf(record(template.spec)),
        replicas: count(record(rs.status).replicas),
        readyReplicas: count(record(rs.status).readyReplicas),
        current: revisionOf(rs) === currentRevision,
        template,
        templateYaml: toYaml(template),
      };
    })
    .filter((r) => r.revision > 0)
    .sort((a, b) => b.revision - a.revision);
  return { name, namespace, revisions };
}

/**
 * `kubectl rollout undo --to-revision`: copies the revision's ReplicaSet template (and its annotations,
 * except the bookkeeping ones) into the Deployment with a JSON patch; the controller then rolls to it.
 */
export async function rollbackDeployment(client: ContextClient, namespace: string, name: string, toRevision: number): Promise<RollbackResult> {
  const deployment = await getDeployment(client, namespace, name);
  if (record(deployment.spec).paused === true) {
    throw new DeskError('invalid', `deployment ${name} is paused; resume it before rolling back`);
  }
  const replicaSets = await ownedReplicaSets(client, deployment);
  const target = replicaSets.find((rs) => revisionOf(rs) === toRevision);
  if (target === undefined) {
    const known = replicaSets.map(revisionOf).filter((r) => r > 0).sort((a, b) => a - b);
    throw new DeskError('not-found', `deployment ${name} has no revision ${toRevision} (revisions: ${known.join(', ') || 'none'})`);
  }
  if (toRevision === revisionOf(deployment)) {
    throw new DeskError('invalid', `revision ${toRevision} is the one deployment ${name} runs now`);
  }
  const current = stringMap(record(deployment.metadata).annotations);
  const annotations: Record<string, string> = {};
  for (const key of ANNOTATIONS_NOT_COPIED) if (current[key] !== undefined) annotations[key] = current[key];
  for (const [key, value] of Object.entries(stringMap(record(target.metadata).annotations))) {
    if (!ANNOTATIONS_NOT_COPIED.includes(key)) annotations[key] = value;
  }
  const result = await patchDeployment(
    client,
    namespace,
    name,
    [
      { op: 'replace', path: '/spec/template', value: templateOf(target) },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
    JSON_PATCH,
  );
  return { ...result, toRevision };
}
