/**
 * The Recreate strategy (recreate.go): scale every old ReplicaSet to zero, wait until none of their pods
 * is left running, and only then create (or grow) the new ReplicaSet to the full size.
 */
import type { KubeObject } from '../object';
import { getString } from '../registry/json-access';
import { actualReplicaCount, activeReplicaSets, type DeploymentFacts, type ReplicaSetFacts, type ScaleDecision } from './deployment-replicas';

export type RecreateStep =
  | { kind: 'scaleDownOld'; decisions: ScaleDecision[] }
  | { kind: 'waitForOldPods' }
  | { kind: 'scaleUpNew'; replicas: number };

/**
 * Whether pods of old ReplicaSets still exist in a non-terminal phase. `podsByOwner` maps ReplicaSet uids to
 * their pods, terminating ones included; `newRSUid` is skipped.
 */
export function oldPodsRunning(oldRSs: readonly ReplicaSetFacts[], podsByOwner: ReadonlyMap<string, readonly KubeObject[]>, newRSUid: string | undefined): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podsByOwner) {
    if (uid === newRSUid) continue;
    for (const pod of pods) {
      const phase = getString(pod, 'status', 'phase');
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}

/** The next Recreate step for the old ReplicaSets' state. */
export function recreateStep(d: DeploymentFacts, oldRSs: readonly ReplicaSetFacts[], oldRunning: boolean): RecreateStep {
  const active = activeReplicaSets(oldRSs);
  if (active.length > 0) return { kind: 'scaleDownOld', decisions: active.map((rs) => ({ name: rs.name, replicas: 0 })) };
  if (oldRunning) return { kind: 'waitForOldPods' };
  return { kind: 'scaleUpNew', replicas: d.replicas };
}
