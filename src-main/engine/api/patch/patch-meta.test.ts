import { describe, it, expect } from 'vitest';
import { fieldMeta, hasPatchMeta, isMergeList, patchMetaAt, patchMetaFor } from './patch-meta';

describe('patchMetaFor / patchMetaAt', () => {
  it('describes PodSpec lists under every workload kind', () => {
    const podSpecPaths: Array<[string, string[]]> = [
      ['Pod', ['spec']],
      ['Deployment', ['spec', 'template', 'spec']],
      ['ReplicaSet', ['spec', 'template', 'spec']],
      ['StatefulSet', ['spec', 'template', 'spec']],
      ['DaemonSet', ['spec', 'template', 'spec']],
      ['Job', ['spec', 'template', 'spec']],
      ['CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
    ];
    for (const [kind, base] of podSpecPaths) {
      expect(patchMetaAt(kind, [...base, 'containers']), kind).toMatchObject({ strategy: 'merge', mergeKey: 'name' });
      expect(patchMetaAt(kind, [...base, 'containers', 'env']), kind).toMatchObject({ strategy: 'merge', mergeKey: 'name' });
      expect(patchMetaAt(kind, [...base, 'initContainers', 'ports']), kind).toMatchObject({ mergeKey: 'containerPort' });
      expect(patchMetaAt(kind, [...base, 'volumes']), kind).toMatchObject({ mergeKey: 'name', retainKeys: true });
    }
  });

  it('has the documented merge keys', () => {
    const cases: Array<[string, string[], string]> = [
      ['Pod', ['spec', 'containers', 'volumeMounts'], 'mountPath'],
      ['Pod', ['spec', 'containers', 'volumeDevices'], 'devicePath'],
      ['Pod', ['spec', 'containers', 'resizePolicy'], 'resourceName'],
      ['Pod', ['spec', 'ephemeralContainers'], 'name'],
      ['Pod', ['spec', 'imagePullSecrets'], 'name'],
      ['Pod', ['spec', 'hostAliases'], 'ip'],
      ['Pod', ['spec', 'topologySpreadConstraints'], 'topologyKey'],
      ['Pod', ['spec', 'schedulingGates'], 'name'],
      ['Pod', ['spec', 'resourceClaims'], 'name'],
      ['Pod', ['status', 'conditions'], 'type'],
      ['Service', ['spec', 'ports'], 'port'],
      ['Node', ['status', 'addresses'], 'type'],
      ['Node', ['status', 'conditions'], 'type'],
      ['Deployment', ['status', 'conditions'], 'type'],
      ['ReplicaSet', ['status', 'conditions'], 'type'],
      ['Namespace', ['status', 'conditions'], 'type'],
      ['PersistentVolumeClaim', ['status', 'conditions'], 'type'],
      ['ConfigMap', ['metadata', 'ownerReferences'], 'uid'],
    ];
    for (const [kind, path, key] of cases) expect(patchMetaAt(kind, path).mergeKey, `${kind} ${path.join('.')}`).toBe(key);
  });

  it('marks finalizers as a primitive merge list and Deployment strategy as retainKeys', () => {
    const finalizers = patchMetaAt('Pod', ['metadata', 'finalizers']);
    expect(isMergeList(finalizers)).toBe(true);
    expect(finalizers.mergeKey).toBeUndefined();
    expect(patchMetaAt('Deployment', ['spec', 'strategy']).retainKeys).toBe(true);
  });

  it('leaves atomic fields untagged', () => {
    for (const path of [['spec', 'containers', 'command'], ['spec', 'containers', 'args'], ['spec', 'containers', 'envFrom'], ['spec', 'tolerations']]) {
      expect(isMergeList(patchMetaAt('Pod', path))).toBe(false);
    }
    expect(isMergeList(patchMetaAt('Node', ['status', 'images']))).toBe(false);
    expect(isMergeList(patchMetaAt('Endpoints', ['subsets']))).toBe(false);
  });

  it('gives unknown kinds empty metadata and knows which kinds are built in', () => {
    expect(patchMetaFor('Widget')).toEqual({});
    expect(hasPatchMeta('Widget')).toBe(false);
    expect(hasPatchMeta('Deployment')).toBe(true);
    expect(hasPatchMeta('ConfigMap')).toBe(true);
    expect(hasPatchMeta('constructor')).toBe(false);
    expect(fieldMeta(patchMetaFor('Pod'), 'toString')).toEqual({});
  });
});
