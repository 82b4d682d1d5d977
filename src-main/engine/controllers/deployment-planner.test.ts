import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { planDeployment, type DeploymentAction, type DeploymentPlan } from './deployment-planner';
import { podTemplateHash } from './pod-template-hash';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const NOW = T0 + 3_600_000;

const template = (image: string): Record<string, unknown> => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } });

interface DeploymentOptions {
  image?: string;
  replicas?: number;
  strategy?: Record<string, unknown>;
  paused?: boolean;
  revisionHistoryLimit?: number;
  status?: Record<string, unknown>;
  annotations?: Record<string, string>;
  selector?: Record<string, unknown>;
}

function deployment(o: DeploymentOptions = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-uid', generation: 2, annotations: o.annotations, creationTimestamp: '2025-01-01T00:00:00Z' },
    spec: {
      replicas: o.replicas ?? 3,
      selector: o.selector ?? { matchLabels: { app: 'web' } },
      template: template(o.image ?? 'v1'),
      strategy: o.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: o.revisionHistoryLimit ?? 10,
      progressDeadlineSeconds: 600,
      ...(o.paused ? { paused: true } : {}),
    },
    status: o.status ?? {},
  };
}

interface RsOptions {
  image: string;
  replicas: number;
  available?: number;
  statusReplicas?: number;
  revision: number;
  created?: number;
  owner?: string | null;
  desired?: number;
  max?: number;
}

function replicaSet(o: RsOptions): KubeObject {
  const hash = podTemplateHash(template(o.image));
  const available = o.available ?? o.replicas;
  const annotations: Record<string, string> = { 'deployment.kubernetes.io/revision': String(o.revision) };
  if (o.desired !== undefined) annotations['deployment.kubernetes.io/desired-replicas'] = String(o.desired);
  if (o.max !== undefined) annotations['deployment.kubernetes.io/max-replicas'] = String(o.max);
  const t = template(o.image) as { metadata: { labels: Record<string, string> } };
  t.metadata.labels['pod-template-hash'] = hash;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`,
      namespace: 'default',
      uid: `rs-${o.image}`,
      generation: 1,
      resourceVersion: '5',
      creationTimestamp: new Date(T0 + (o.created ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      labels: { app: 'web', 'pod-template-hash': hash },
      annotations,
      ownerReferences:
        o.owner === null ? undefined : [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: o.owner ?? 'd-uid', controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: o.replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: t },
    status: { replicas: o.statusReplicas ?? o.replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
}

const plan = (d: KubeObject, rss: KubeObject[], pods: KubeObject[] = []): DeploymentPlan => planDeployment({ deployment: d, replicaSets: rss, pods, now: NOW });
const ofType = <T extends DeploymentAction['type']>(p: DeploymentPlan, type: T): Array<Extract<DeploymentAction, { type: T }>> =>
  p.actions.filter((a): a is Extract<DeploymentAction, { type: T }> => a.type === type);
const replicasOf = (rs: KubeObject): number => (rs.spec as { replicas: number }).replicas;
const conditions = (p: DeploymentPlan): Array<[string, string, string]> =>
  ((p.status?.conditions ?? []) as Array<Record<string, string>>).map((c) => [c.type, c.status, c.reason]);

describe('planDeployment', () => {
  it('creates the first ReplicaSet at full size with revision 1 and annotates the Deployment', () => {
    const p = plan(deployment({ annotations: { 'kubernetes.io/change-cause': 'first' } }), []);
    const [create] = ofType(p, 'createReplicaSet');
    const hash = podTemplateHash(template('v1'));
    expect(create.object.metadata).toMatchObject({
      name: `web-${hash}`,
      labels: { app: 'web', 'pod-template-hash': hash },
      annotations: {
        'kubernetes.io/change-cause': 'first',
        'deployment.kubernetes.io/revision': '1',
        'deployment.kubernetes.io/desired-replicas': '3',
        'deployment.kubernetes.io/max-replicas': '4',
      },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-uid', controller: true, blockOwnerDeletion: true }],
    });
    expect(replicasOf(create.object)).toBe(3);
    expect(create.events).toEqual([{ type: 'Normal', reason: 'ScalingReplicaSet', message: `Scaled up replica set web-${hash} from 0 to 3` }]);
    expect(ofType(p, 'updateDeploymentAnnotations')[0].annotations).toEqual({ 'kubernetes.io/change-cause': 'first', 'deployment.kubernetes.io/revision': '1' });
    expect(conditions(p)).toEqual([
      ['Progressing', 'True', 'NewReplicaSetCreated'],
      ['Available', 'False', 'MinimumReplicasUnavailable'],
    ]);
    expect(p.status?.observedGeneration).toBe(2);
  });

  it('starts a rolling update: a new ReplicaSet of maxSurge pods, and the old one down by maxUnavailable', () => {
    const old = replicaSet({ image: 'v1', replicas: 10, revision: 1, desired: 10, max: 13 });
    const p = plan(deployment({ image: 'v2', replicas: 10 }), [old]);
    const [create] = ofType(p, 'createReplicaSet');
    expect(replicasOf(create.object)).toBe(3);
    expect(create.object.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    // as the real controller does in the same sync: the new pods are not available, the old ones are
    expect(ofType(p, 'updateReplicaSet').map((u) => replicasOf(u.object))).toEqual([8]);
    expect(p.actions.map((a) => a.type)).toEqual(['createReplicaSet', 'updateReplicaSet', 'updateDeploymentAnnotations']);
  });

  it('grows the new ReplicaSet once old pods are gone, never past replicas + maxSurge', () => {
    const old = replicaSet({ image: 'v1', replicas: 8, revision: 1, desired: 10, max: 13 });
    const next = replicaSet({ image: 'v2', replicas: 3, available: 0, revision: 2, created: 10, desired: 10, max: 13 });
    const p = plan(deployment({ image: 'v2', replicas: 10, annotations: { 'deployment.kubernetes.io/revision': '2' } }), [old, next]);
    expect(ofType(p, 'updateReplicaSet').map((u) => [u.object.metadata.name, replicasOf(u.object)])).toEqual([[next.metadata.name, 5]]);
  });

  it('then scales the old ReplicaSet down within maxUnavailable', () => {
    const old = replicaSet({ image: 'v1', replicas: 10, revision: 1, desired: 10, max: 13 });
    const next = replicaSet({ image: 'v2', replicas: 3, available: 0, revision: 2, created: 10, desired: 10, max: 13 });
    const p = plan(deployment({ image: 'v2', replicas: 10, annotations: { 'deployment.kubernetes.io/revision': '2' } }), [old, next]);
    const [update] = ofType(p, 'updateReplicaSet');
    expect(update.object.metadata.name).toBe(old.metadata.name);
    expect(replicasOf(update.object)).toBe(8);
    expect(update.events[0].message).toBe(`Scaled down replica set ${old.metadata.name ?? ''} from 10 to 8`);
  });

  it('rolls back to an old ReplicaSet: revision max+1 and revision-history', () => {
    const first = replicaSet({ image: 'v1', replicas: 0, revision: 1, created: 0, desired: 3, max: 4 });
    const second = replicaSet({ image: 'v2', replicas: 3, revision: 2, created: 10, desired: 3, max: 4 });
    const p = plan(deployment({ image: 'v1', annotations: { 'deployment.kubernetes.io/revision': '2' } }), [first, second]);
    const updates = ofType(p, 'updateReplicaSet');
    const back = updates.find((u) => u.object.metadata.name === first.metadata.name);
    expect(back?.object.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    expect(replicasOf(back?.object as KubeObject)).toBe(1);
    expect(ofType(p, 'createReplicaSet')).toEqual([]);
    expect(ofType(p, 'updateDeploymentAnnotations')[0].annotations['deployment.kubernetes.io/revision']).toBe('3');
  });

  it('paused: does not create a ReplicaSet for a new template, but still scales', () => {
    const old = replicaSet({ image: 'v1', replicas: 3, revision: 1, desired: 3, max: 4 });
    const d = deployment({ image: 'v2', paused: true, replicas: 5, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const p = plan(d, [old]);
    expect(ofType(p, 'createReplicaSet')).toEqual([]);
    const [update] = ofType(p, 'updateReplicaSet');
    expect(replicasOf(update.object)).toBe(5);
    expect(update.object.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('5');
    expect(conditions(p)).toContainEqual(['Progressing', 'Unknown', 'DeploymentPaused']);
  });

  it('a scaling event resizes without rolling', () => {
    const current = replicaSet({ image: 'v1', replicas: 3, revision: 1, desired: 3, max: 4 });
    const p = plan(deployment({ replicas: 10, annotations: { 'deployment.kubernetes.io/revision': '1' } }), [current]);
    const [update] = ofType(p, 'updateReplicaSet');
    expect(replicasOf(update.object)).toBe(10);
    expect(update.object.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' });
  });

  it('Recreate: scale old down, wait for its pods, then create the new ReplicaSet at full size', () => {
    const recreate = { type: 'Recreate' };
    const d = deployment({ image: 'v2', strategy: recreate, annotations: { 'deployment.kubernetes.io/revision': '1' } });
    const running = replicaSet({ image: 'v1', replicas: 3, revision: 1, desired: 3, max: 3 });
    const down = plan(d, [running]);
    expect(ofType(down, 'updateReplicaSet').map((u) => replicasOf(u.object))).toEqual([0]);
    expect(ofType(down, 'createReplicaSet')).toEqual([]);
    const drained = replicaSet({ image: 'v1', replicas: 0, statusReplicas: 0, revision: 1, desired: 3, max: 3 });
    const terminating: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, deletionTimestamp: '2025-01-01T00:00:00Z', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'rs-v1', controller: true }] },
      status: { phase: 'Running' },
    };
    expect(ofType(plan(d, [drained], [terminating]), 'createReplicaSet')).toEqual([]);
    const [create] = ofType(plan(d, [drained], []), 'createReplicaSet');
    expect(replicasOf(create.object)).toBe(3);
  });

  it('deletes old ReplicaSets beyond revisionHistoryLimit, lowest revision first, only empty ones', () => {
    const d = deployment({ image: 'v5', revisionHistoryLimit: 1, annotations: { 'deployment.kubernetes.io/revision': '5' }, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 } });
    const rss = [
      replicaSet({ image: 'v1', replicas: 0, revision: 1, created: 1 }),
      replicaSet({ image: 'v2', replicas: 0, statusReplicas: 1, revision: 2, created: 2 }),
      replicaSet({ image: 'v3', replicas: 0, revision: 3, created: 3 }),
      replicaSet({ image: 'v4', replicas: 0, revision: 4, created: 4 }),
      replicaSet({ image: 'v5', replicas: 3, revision: 5, created: 5, desired: 3, max: 4 }),
    ];
    const deleted = ofType(plan(d, rss), 'deleteReplicaSet').map((a) => a.uid);
    expect(deleted).toEqual(['rs-v1', 'rs-v3']);
  });

  it('adopts a matching orphan ReplicaSet (and only that, this sync)', () => {
    const orphan = replicaSet({ image: 'v1', replicas: 3, revision: 1, owner: null });
    const p = plan(deployment(), [orphan]);
    expect(p.incomplete).toBe(true);
    expect(p.actions).toHaveLength(1);
    const [claim] = ofType(p, 'claimReplicaSet');
    expect(claim.adopt).toBe(true);
    expect(claim.object.metadata.ownerReferences?.[0]).toMatchObject({ uid: 'd-uid', controller: true });
    const foreign = replicaSet({ image: 'v1', replicas: 3, revision: 1, owner: 'other' });
    expect(ofType(plan(deployment(), [foreign]), 'claimReplicaSet')).toEqual([]);
  });

  it('releases an owned ReplicaSet the selector no longer matches', () => {
    const owned = replicaSet({ image: 'v1', replicas: 3, revision: 1 });
    owned.metadata.labels = { app: 'other' };
    const [claim] = ofType(plan(deployment(), [owned]), 'claimReplicaSet');
    expect(claim.adopt).toBe(false);
    expect(claim.object.metadata.ownerReferences).toBeUndefined();
  });

  it('counts a hash collision instead of taking a name that is not ours', () => {
    const squatter = replicaSet({ image: 'v1', replicas: 1, revision: 1, owner: 'other' });
    squatter.metadata.labels = { app: 'elsewhere' };
    const p = plan(deployment(), [squatter]);
    expect(ofType(p, 'createReplicaSet')).toEqual([]);
    expect(p.status?.collisionCount).toBe(1);
    expect(p.incomplete).toBe(true);
    const retry = plan(deployment({ status: { collisionCount: 1 } }), [squatter]);
    const [create] = ofType(retry, 'createReplicaSet');
    expect(create.object.metadata.name).toBe(`web-${podTemplateHash(template('v1'), 1)}`);
  });

  it('refuses a selector that selects everything', () => {
    const p = plan(deployment({ selector: {} }), []);
    expect(ofType(p, 'event')[0].event).toMatchObject({ type: 'Warning', reason: 'SelectingAll' });
    expect(ofType(p, 'createReplicaSet')).toEqual([]);
  });

  it('plans nothing for a Deployment that is rolled out and reported', () => {
    const rs = replicaSet({ image: 'v1', replicas: 3, revision: 1, desired: 3, max: 4 });
    const first = plan(deployment({ annotations: { 'deployment.kubernetes.io/revision': '1' } }), [rs]);
    expect(first.actions).toEqual([]);
    const d = deployment({ annotations: { 'deployment.kubernetes.io/revision': '1' }, status: first.status });
    const again = plan(d, [rs]);
    expect(again.actions).toEqual([]);
    expect(again.status).toBeUndefined();
    expect(again.requeueAfterMs).toBeUndefined();
  });
});
