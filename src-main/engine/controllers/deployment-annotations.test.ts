import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import {
  MAX_REVISION_HISTORY_CHARS,
  maxRevision,
  replicasAnnotationsNeedUpdate,
  revisionOf,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
} from './deployment-annotations';

const obj = (annotations?: Record<string, string>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'x', annotations } });

describe('deployment annotations', () => {
  const deployment = obj({
    'kubernetes.io/change-cause': 'set image',
    'kubectl.kubernetes.io/last-applied-configuration': '{}',
    'deployment.kubernetes.io/revision': '7',
    team: 'a',
  });

  it('annotates a new ReplicaSet: copied annotations minus the skip list, revision, desired and max replicas', () => {
    const rs = obj();
    expect(setNewReplicaSetAnnotations(deployment, rs, 3, false, 10, 13)).toBe(true);
    expect(rs.metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'set image',
      team: 'a',
      'deployment.kubernetes.io/revision': '3',
      'deployment.kubernetes.io/desired-replicas': '10',
      'deployment.kubernetes.io/max-replicas': '13',
    });
  });

  it('bumps a reused ReplicaSet to the new revision and records the old one in revision-history', () => {
    const rs = obj({ 'deployment.kubernetes.io/revision': '1' });
    expect(setNewReplicaSetAnnotations(obj(), rs, 3, true, 3, 4)).toBe(true);
    expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    setNewReplicaSetAnnotations(obj(), rs, 5, true, 3, 4);
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1,3');
    expect(revisionOf(rs)).toBe(5);
  });

  it('never lowers a revision and reports no change when nothing changes', () => {
    const rs = obj({ 'deployment.kubernetes.io/revision': '4' });
    expect(setNewReplicaSetAnnotations(obj(), rs, 2, true, 3, 4)).toBe(false);
    expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '4' });
  });

  it('drops the oldest history entries beyond the length limit', () => {
    const long = Array.from({ length: 600 }, (_, i) => String(i + 1000)).join(',');
    const rs = obj({ 'deployment.kubernetes.io/revision': '2000', 'deployment.kubernetes.io/revision-history': long });
    setNewReplicaSetAnnotations(obj(), rs, 2001, true, 1, 1);
    const history = rs.metadata.annotations?.['deployment.kubernetes.io/revision-history'] ?? '';
    expect(history.length).toBeLessThanOrEqual(MAX_REVISION_HISTORY_CHARS);
    expect(history.endsWith(',1599,2000')).toBe(true);
  });

  it('reads revisions and replica annotations', () => {
    expect(maxRevision([obj({ 'deployment.kubernetes.io/revision': '2' }), obj({ 'deployment.kubernetes.io/revision': 'x' }), obj()])).toBe(2);
    expect(replicasAnnotationsNeedUpdate(obj({ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' }), 3, 4)).toBe(false);
    expect(replicasAnnotationsNeedUpdate(obj({ 'deployment.kubernetes.io/desired-replicas': '3' }), 3, 4)).toBe(true);
    const d = obj();
    expect(setDeploymentRevision(d, '2')).toBe(true);
    expect(setDeploymentRevision(d, '2')).toBe(false);
  });
});
