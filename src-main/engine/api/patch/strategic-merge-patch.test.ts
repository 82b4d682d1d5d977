import { describe, it, expect } from 'vitest';
import { PatchError } from './patch-error';
import { applyStrategicMergePatch, isDirectiveKey, strategicMergeForApply } from './strategic-merge-patch';

function failure(fn: () => unknown): PatchError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PatchError) return e;
    throw e;
  }
  throw new Error('expected a PatchError');
}

/** Every key of every map in `value`, recursively: directives must never survive a patch. */
function allKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allKeys(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allKeys(v, out);
    }
  }
  return out;
}

function expectNoDirectives(value: unknown): void {
  expect(allKeys(value).filter((k) => k.startsWith('$'))).toEqual([]);
}

function deployment(containers: unknown[], extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { keep: 'me' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers, ...extra } },
    },
  };
}

type Dep = ReturnType<typeof deployment>;
type Container = { name: string; image?: string; env?: unknown[]; ports?: unknown[]; [k: string]: unknown };
const containersOf = (d: unknown): Container[] => (d as Dep).spec.template.spec.containers as Container[];

describe('applyStrategicMergePatch: maps and scalars', () => {
  it('merges maps recursively and deletes keys set to null (label/annotation removal)', () => {
    const live = deployment([{ name: 'web', image: 'nginx:1' }]);
    const out = applyStrategicMergePatch(live, { metadata: { labels: { app: null, tier: 'fe' }, annotations: { keep: null } } }, 'Deployment') as Dep;
    expect(out.metadata.labels).toEqual({ tier: 'fe' });
    expect(out.metadata.annotations).toEqual({});
    expect(out.spec).toEqual(live.spec);
  });

  it('applies the kubectl rollout restart annotation patch', () => {
    const live = deployment([{ name: 'web', image: 'nginx:1' }]);
    const at = '2024-05-01T10:00:00Z';
    const out = applyStrategicMergePatch(
      live,
      { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } },
      'Deployment',
    ) as Dep & { spec: { template: { metadata: { annotations: Record<string, string> } } } };
    expect(out.spec.template.metadata).toEqual({ labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': at } });
    expect(containersOf(out)).toEqual([{ name: 'web', image: 'nginx:1' }]);
  });

  it('applies kubectl scale as a plain field replacement', () => {
    const out = applyStrategicMergePatch(deployment([]), { spec: { replicas: 7 } }, 'Deployment') as Dep;
    expect(out.spec.replicas).toBe(7);
  });

  it('replaces when the types differ and drops nulls inside new maps', () => {
    const out = applyStrategicMergePatch({ a: 'x', b: { c: 1 } }, { a: { n: null, m: 1 }, b: 'y' }, 'Unknown');
    expect(out).toEqual({ a: { m: 1 }, b: 'y' });
  });

  it('never mutates its arguments', () => {
    const live = deployment([{ name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }]);
    const patch = { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', $patch: 'delete' }] }] } } } };
    const liveBefore = structuredClone(live);
    const patchBefore = structuredClone(patch);
    const out = applyStrategicMergePatch(live, patch, 'Deployment');
    expect(live).toEqual(liveBefore);
    expect(patch).toEqual(patchBefore);
    expect(containersOf(out)[0].env).toEqual([]);
  });

  it('rejects a patch that is not an object', () => {
    for (const bad of [[], 'x', null, 3]) expect(failure(() => applyStrategicMergePatch({}, bad, 'Pod')).kind).toBe('malformed');
  });

  it('keeps __proto__ as a plain key', () => {
    const out = applyStrategicMergePatch({}, JSON.parse('{"metadata":{"labels":{"__proto__":"x"}}}'), 'Pod') as { metadata: { labels: object } };
    expect(Object.keys(out.metadata.labels)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out.metadata.labels)).toBe(Object.prototype);
  });
});

describe('applyStrategicMergePatch: merge lists', () => {
  it('merges containers by name and env by name; atomic lists (command, args) are replaced', () => {
    const live = deployment([
      { name: 'web', image: 'nginx:1', command: ['a', 'b'], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
      { name: 'side', image: 'busybox' },
    ]);
    const out = applyStrategicMergePatch(
      live,
      { spec: { template: { spec: { containers: [{ name: 'web', command: ['c'], env: [{ name: 'B', value: '3' }] }] } } } },
      'Deployment',
    );
    expect(containersOf(out)).toEqual([
      { name: 'web', image: 'nginx:1', command: ['c'], env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }] },
      { name: 'side', image: 'busybox' },
    ]);
  });

  it('merges container ports by containerPort and volumeMounts by mountPath', () => {
    const live = deployment([
      { name: 'web', ports: [{ containerPort: 80, name: 'http' }], volumeMounts: [{ mountPath: '/a', name: 'v' }] },
    ]);
    const out = applyStrategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }], volumeMounts: [{ mountPath: '/a', readOnly: true }] },
              ],
            },
          },
        },
      },
      'Deployment',
    );
    expect(containersOf(out)[0].ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }]);
    expect(containersOf(out)[0].volumeMounts).toEqual([{ mountPath: '/a', name: 'v', readOnly: true }]);
  });

  it('puts new elements of a merge list first, as apimachinery does without $setElementOrder', () => {
    const live = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    const out = applyStrategicMergePatch(live, { spec: { containers: [{ name: 'c' }] } }, 'Pod') as { spec: { containers: unknown[] } };
    expect(out.spec.containers).toEqual([{ name: 'c' }, { name: 'a' }, { name: 'b' }]);
  });

  it('keeps the patch order for elements in the patch and interleaves the rest (apimachinery cases)', () => {
    const list = [{ name: '1' }, { name: '2', value: 'b' }, { name: '3' }];
    const run = (patch: unknown[]) =>
      (applyStrategicMergePatch({ spec: { volumes: structuredClone(list) } }, { spec: { volumes: patch } }, 'Pod') as { spec: { volumes: unknown[] } }).spec.volumes;
    expect(run([{ name: '3', value: 'c' }, { name: '1', value: 'a' }, { name: '2', other: 'x' }])).toEqual([
      { name: '3', value: 'c' },
      { name: '1', value: 'a' },
      { name: '2', value: 'b', other: 'x' },
    ]);
    expect(run([{ name: '3', value: 'c' }, { name: '1', value: 'a' }])).toEqual([
      { name: '2', value: 'b' },
      { name: '3', value: 'c' },
      { name: '1', value: 'a' },
    ]);
  });

  it('deletes merge-list elements with $patch: delete, including duplicates', () => {
    const live = { spec: { containers: [{ name: '1' }, { name: '1' }, { name: '2', image: 'a' }, { name: '3' }, { name: '3' }] } };
    const out = applyStrategicMergePatch(live, { spec: { containers: [{ name: '1', $patch: 'delete' }, { name: '3', $patch: 'delete' }] } }, 'Pod');
    expect(out).toEqual({ spec: { containers: [{ name: '2', image: 'a' }] } });
  });

  it('replaces a merge list with $patch: replace and strips directives from the new elements', () => {
    const live = deployment([{ name: 'a', image: '1' }, { name: 'b', image: '2' }]);
    const out = applyStrategicMergePatch(
      live,
      { spec: { template: { spec: { containers: [{ name: 'c', image: '3', env: [{ name: 'X', $patch: 'delete' }] }, { $patch: 'replace' }] } } } },
      'Deployment',
    );
    expect(containersOf(out)).toEqual([{ name: 'c', image: '3', env: [] }]);
    const emptied = applyStrategicMergePatch(live, { spec: { template: { spec: { containers: [{ $patch: 'replace' }] } } } }, 'Deployment');
    expect(containersOf(emptied)).toEqual([]);
  });

  it('merges Service ports by port, imagePullSecrets by name, hostAliases by ip, conditions by type', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    expect(applyStrategicMergePatch(svc, { spec: { ports: [{ port: 80, name: 'http' }] } }, 'Service')).toEqual({
      spec: { ports: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 443 }] },
    });
    const pod = {
      spec: { imagePullSecrets: [{ name: 'a' }], hostAliases: [{ ip: '1.1.1.1', hostnames: ['a'] }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'True' }] },
    };
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: { imagePullSecrets: [{ name: 'b' }], hostAliases: [{ ip: '1.1.1.1', hostnames: ['b'] }] },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      },
      'Pod',
    );
    expect(out).toEqual({
      spec: { imagePullSecrets: [{ name: 'b' }, { name: 'a' }], hostAliases: [{ ip: '1.1.1.1', hostnames: ['b'] }] },
      status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] },
    });
  });

  it('merges Node addresses by type but replaces images and Endpoints subsets', () => {
    const node = { status: { addresses: [{ type: 'InternalIP', address: '1' }, { type: 'Hostname', address: 'h' }], images: [{ names: ['a'] }] } };
    expect(
      applyStrategicMergePatch(node, { status: { addresses: [{ type: 'InternalIP', address: '2' }], images: [{ names: ['b'] }] } }, 'Node'),
    ).toEqual({ status: { addresses: [{ type: 'InternalIP', address: '2' }, { type: 'Hostname', address: 'h' }], images: [{ names: ['b'] }] } });
    const ep = { subsets: [{ addresses: [{ ip: '1' }] }] };
    expect(applyStrategicMergePatch(ep, { subsets: [{ addresses: [{ ip: '2' }] }] }, 'Endpoints')).toEqual({ subsets: [{ addresses: [{ ip: '2' }] }] });
  });

  it('merges ownerReferences by uid on any built-in kind', () => {
    const cm = { metadata: { ownerReferences: [{ uid: '1', name: 'a' }] } };
    expect(applyStrategicMergePatch(cm, { metadata: { ownerReferences: [{ uid: '2', name: 'b' }] } }, 'ConfigMap')).toEqual({
      metadata: { ownerReferences: [{ uid: '2', name: 'b' }, { uid: '1', name: 'a' }] },
    });
  });

  it('reaches PodSpec lists in every workload kind', () => {
    const podSpec = { containers: [{ name: 'a', image: '1' }, { name: 'b', image: '1' }] };
    const patchSpec = { containers: [{ name: 'b', image: '2' }] };
    const expected = [{ name: 'a', image: '1' }, { name: 'b', image: '2' }];
    const template = (spec: unknown) => ({ template: { spec } });
    const shapes: Array<[string, (s: unknown) => unknown, (o: unknown) => unknown]> = [
      ['Pod', (s) => ({ spec: s }), (o) => (o as { spec: unknown }).spec],
      ...['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController'].map(
        (kind): [string, (s: unknown) => unknown, (o: unknown) => unknown] => [
          kind,
          (s) => ({ spec: template(s) }),
          (o) => (o as { spec: { template: { spec: unknown } } }).spec.template.spec,
        ],
      ),
      ['PodTemplate', (s) => template(s), (o) => (o as { template: { spec: unknown } }).template.spec],
      [
        'CronJob',
        (s) => ({ spec: { jobTemplate: { spec: template(s) } } }),
        (o) => (o as { spec: { jobTemplate: { spec: { template: { spec: unknown } } } } }).spec.jobTemplate.spec.template.spec,
      ],
    ];
    for (const [kind, wrap, unwrap] of shapes) {
      const out = applyStrategicMergePatch(wrap(structuredClone(podSpec)), wrap(patchSpec), kind);
      expect((unwrap(out) as { containers: unknown }).containers, kind).toEqual(expected);
    }
  });

  it('merges initContainers and ephemeralContainers by name, with the container schema inside', () => {
    const pod = { spec: { initContainers: [{ name: 'i', env: [{ name: 'A', value: '1' }] }], ephemeralContainers: [{ name: 'e' }] } };
    const out = applyStrategicMergePatch(
      pod,
      { spec: { initContainers: [{ name: 'i', env: [{ name: 'B', value: '2' }] }], ephemeralContainers: [{ name: 'e', image: 'x' }] } },
      'Pod',
    );
    expect(out).toEqual({
      spec: { initContainers: [{ name: 'i', env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }] }], ephemeralContainers: [{ name: 'e', image: 'x' }] },
    });
  });

  it('treats lists of unknown kinds and untagged fields as atomic', () => {
    expect(applyStrategicMergePatch({ spec: { items: [{ name: 'a' }] } }, { spec: { items: [{ name: 'b' }] } }, 'Widget')).toEqual({
      spec: { items: [{ name: 'b' }] },
    });
    const tol = { spec: { tolerations: [{ key: 'a' }], containers: [{ name: 'c', args: ['1'], envFrom: [{ prefix: 'x' }] }] } };
    expect(
      applyStrategicMergePatch(tol, { spec: { tolerations: [{ key: 'b' }], containers: [{ name: 'c', args: ['2'], envFrom: [{ prefix: 'y' }] }] } }, 'Pod'),
    ).toEqual({ spec: { tolerations: [{ key: 'b' }], containers: [{ name: 'c', args: ['2'], envFrom: [{ prefix: 'y' }] }] } });
  });

  it('treats unknown kinds like a merge patch, metadata lists included, but still strips directives', () => {
    const widget = { metadata: { finalizers: ['a'], labels: { x: '1' } }, spec: { size: 1, nested: { a: 1, b: 2 } } };
    const out = applyStrategicMergePatch(
      widget,
      {
        metadata: { finalizers: ['b'], labels: { x: null } },
        spec: { nested: { $patch: 'replace', c: 3 }, list: [{ $patch: 'replace' }, { a: 1 }], '$setElementOrder/list': [{ a: 1 }] },
      },
      'Widget',
    );
    expect(out).toEqual({ metadata: { finalizers: ['b'], labels: {} }, spec: { size: 1, nested: { c: 3 }, list: [{ a: 1 }] } });
    expectNoDirectives(out);
  });

  it('throws malformed for a merge-list element without its merge key, like apimachinery', () => {
    const live = deployment([{ name: 'web' }]);
    const err = failure(() => applyStrategicMergePatch(live, { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 'Deployment'));
    expect(err.kind).toBe('malformed');
    expect(err.message).toContain('does not contain declared merge key: name');
    const del = failure(() => applyStrategicMergePatch(live, { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } }, 'Deployment'));
    expect(del.message).toContain('does not contain declared merge key: name');
    const ports = failure(() =>
      applyStrategicMergePatch(live, { spec: { template: { spec: { containers: [{ name: 'web', ports: [{ port: 80 }] }] } } } }, 'Deployment'),
    );
    expect(ports.message).toContain('declared merge key: containerPort');
  });

  it('throws malformed for non-object elements and unknown $patch values', () => {
    const live = { spec: { containers: [{ name: 'a' }] } };
    const cases: unknown[] = [
      { spec: { containers: ['a'] } },
      { spec: { containers: [{ name: 'a', $patch: 'frob' }] } },
      { spec: { $patch: 'frob' } },
      { metadata: { finalizers: [{ a: 1 }] } },
      { metadata: { finalizers: [{ $patch: 'delete' }] } },
      { spec: { '$setElementOrder': [] } },
      { metadata: { $deleteFromPrimitiveList: ['a'] } },
    ];
    for (const patch of cases) expect(failure(() => applyStrategicMergePatch(live, patch, 'Pod')).kind, JSON.stringify(patch)).toBe('malformed');
  });

  it('reports a conflict when the live merge list holds non-objects', () => {
    expect(failure(() => applyStrategicMergePatch({ spec: { containers: ['x'] } }, { spec: { containers: [{ name: 'a' }] } }, 'Pod')).kind).toBe(
      'conflict',
    );
  });
});

describe('applyStrategicMergePatch: kubectl shapes', () => {
  it('client-side apply removing an env var and a container port', () => {
    const live = deployment([
      {
        name: 'web',
        image: 'nginx:1.26',
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 8080, protocol: 'TCP' }],
      },
    ]);
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              {
                name: 'web',
                '$setElementOrder/env': [{ name: 'B' }],
                env: [{ $patch: 'delete', name: 'A' }],
                '$setElementOrder/ports': [{ containerPort: 80 }],
                ports: [{ $patch: 'delete', containerPort: 8080 }],
              },
            ],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(live, patch, 'Deployment');
    expect(containersOf(out)).toEqual([
      { name: 'web', image: 'nginx:1.26', env: [{ name: 'B', value: '2' }], ports: [{ containerPort: 80, protocol: 'TCP' }] },
    ]);
    expectNoDirectives(out);
  });

  it('client-side apply changing an image and adding an env var, with the last-applied annotation', () => {
    const live = deployment([{ name: 'web', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }] }]);
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } },
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [{ name: 'web', image: 'nginx:1.26', '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }], env: [{ name: 'B', value: '2' }] }],
          },
        },
      },
    };
    const out = applyStrategicMergePatch(live, patch, 'Deployment') as Dep;
    expect(containersOf(out)).toEqual([{ name: 'web', image: 'nginx:1.26', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }]);
    expect(out.metadata.annotations).toEqual({ keep: 'me', 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' });
    expectNoDirectives(out);
  });

  it('kubectl set image on the first of two containers keeps the order', () => {
    const live = deployment([{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }]);
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ image: 'x:2', name: 'a' }] } } } };
    const out = applyStrategicMergePatch(live, patch, 'Deployment');
    expect(containersOf(out)).toEqual([{ name: 'a', image: 'x:2' }, { name: 'b', image: 'y:1' }]);
    expectNoDirectives(out);
  });

  it('kubectl set image on the second container keeps the order too', () => {
    const live = deployment([{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }]);
    const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ image: 'y:2', name: 'b' }] } } } };
    expect(containersOf(applyStrategicMergePatch(live, patch, 'Deployment'))).toEqual([
      { name: 'a', image: 'x:1' },
      { name: 'b', image: 'y:2' },
    ]);
  });

  it('$setElementOrder for a list absent from the patch reorders the live list', () => {
    const live = deployment([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const out = applyStrategicMergePatch(live, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } } } }, 'Deployment');
    expect(containersOf(out).map((c) => c.name)).toEqual(['c', 'a', 'b']);
    expectNoDirectives(out);
  });

  it('$setElementOrder keeps server-only elements where they were relative to the ordered ones', () => {
    // "s" was added by the server (an injected sidecar) and is not in the applied order.
    const live = deployment([{ name: 'a' }, { name: 's' }, { name: 'b' }]);
    const keep = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b', image: 'x' }] } } } };
    expect(containersOf(applyStrategicMergePatch(live, keep, 'Deployment')).map((c) => c.name)).toEqual(['a', 's', 'b']);
    // apimachinery's interleave: "s" preceded "b" on the server, so it still precedes it.
    const reorder = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }, { name: 'n' }], containers: [{ name: 'n' }] } } } };
    expect(containersOf(applyStrategicMergePatch(live, reorder, 'Deployment')).map((c) => c.name)).toEqual(['s', 'b', 'a', 'n']);
  });

  it('$setElementOrder naming elements that do not exist ignores them (apimachinery case)', () => {
    const live = { spec: { containers: [{ name: '1' }, { name: '3' }] } };
    const patch = {
      spec: { '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }], containers: [{ name: '3', image: '3' }, { name: '1', image: '1' }] },
    };
    expect(applyStrategicMergePatch(live, patch, 'Pod')).toEqual({ spec: { containers: [{ name: '3', image: '3' }, { name: '1', image: '1' }] } });
  });

  it('$setElementOrder whose order contradicts the patch list is malformed', () => {
    const live = { spec: { containers: [{ name: '1' }, { name: '3' }, { name: '2' }] } };
    const patch = { spec: { '$setElementOrder/containers': [{ name: '1' }, { name: '2' }, { name: '3' }], containers: [{ name: '3' }, { name: '1' }] } };
    const err = failure(() => applyStrategicMergePatch(live, patch, 'Pod'));
    expect(err.kind).toBe('malformed');
    expect(err.message).toContain("doesn't match");
  });

  it('$setElementOrder items must carry the merge key and must be a list', () => {
    const live = { spec: { containers: [{ name: 'a' }] } };
    expect(failure(() => applyStrategicMergePatch(live, { spec: { '$setElementOrder/containers': [{ image: 'x' }] } }, 'Pod')).kind).toBe('malformed');
    expect(failure(() => applyStrategicMergePatch(live, { spec: { '$setElementOrder/containers': { name: 'a' } } }, 'Pod')).kind).toBe('malformed');
  });

  it('$setElementOrder on an atomic or unknown list is dropped, never stored', () => {
    const out = applyStrategicMergePatch(
      { spec: { tolerations: [{ key: 'a' }], items: [1] } },
      { spec: { '$setElementOrder/tolerations': [{ key: 'b' }], tolerations: [{ key: 'b' }], '$setElementOrder/items': [2, 1], items: [2] } },
      'Pod',
    );
    expect(out).toEqual({ spec: { tolerations: [{ key: 'b' }], items: [2] } });
  });

  it('$retainKeys clears Deployment strategy fields when switching RollingUpdate to Recreate', () => {
    const live = deployment([{ name: 'web' }]);
    const out = applyStrategicMergePatch(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } }, 'Deployment') as Dep;
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
    expect(out.spec.replicas).toBe(2);
  });

  it('$retainKeys without the null still clears unlisted keys', () => {
    const live = deployment([{ name: 'web' }]);
    const out = applyStrategicMergePatch(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'Deployment') as Dep;
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('$retainKeys on a volume switches its source (volumes are merge,retainKeys)', () => {
    const pod = { spec: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] } };
    const out = applyStrategicMergePatch(
      pod,
      {
        spec: {
          '$setElementOrder/volumes': [{ name: 'data' }, { name: 'cfg' }],
          volumes: [{ $retainKeys: ['hostPath', 'name'], name: 'data', hostPath: { path: '/tmp' }, emptyDir: null }],
        },
      },
      'Pod',
    );
    expect(out).toEqual({ spec: { volumes: [{ name: 'data', hostPath: { path: '/tmp' } }, { name: 'cfg', configMap: { name: 'c' } }] } });
  });

  it('$retainKeys that does not list a key the patch sets is malformed, as is a non-list', () => {
    const live = deployment([]);
    for (const strategy of [{ $retainKeys: ['type'], rollingUpdate: { maxSurge: 1 } }, { $retainKeys: 'type' }, { $retainKeys: [1] }]) {
      expect(failure(() => applyStrategicMergePatch(live, { spec: { strategy } }, 'Deployment')).kind).toBe('malformed');
    }
  });

  it('finalizers are a primitive set: union keeping existing order, $deleteFromPrimitiveList removes', () => {
    const pod = { metadata: { finalizers: ['a', 'b'] } };
    expect(applyStrategicMergePatch(pod, { metadata: { finalizers: ['b', 'c', 'c'] } }, 'Pod')).toEqual({ metadata: { finalizers: ['a', 'b', 'c'] } });
    expect(applyStrategicMergePatch(pod, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a', 'zz'] } }, 'Pod')).toEqual({
      metadata: { finalizers: ['b'] },
    });
    expect(
      applyStrategicMergePatch(pod, { metadata: { '$setElementOrder/finalizers': ['b'], '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'Pod'),
    ).toEqual({ metadata: { finalizers: ['b'] } });
    expect(applyStrategicMergePatch(pod, { metadata: { finalizers: [{ $patch: 'replace' }, 'z'] } }, 'Pod')).toEqual({ metadata: { finalizers: ['z'] } });
    expect(applyStrategicMergePatch(pod, { metadata: { finalizers: null } }, 'Pod')).toEqual({ metadata: {} });
    expect(applyStrategicMergePatch({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'Pod')).toEqual({ metadata: {} });
  });

  it('$setElementOrder on a primitive list reorders it', () => {
    const pod = { metadata: { finalizers: ['a', 'b', 'c'] } };
    expect(applyStrategicMergePatch(pod, { metadata: { '$setElementOrder/finalizers': ['c', 'a', 'b'] } }, 'Pod')).toEqual({
      metadata: { finalizers: ['c', 'a', 'b'] },
    });
  });

  it('$deleteFromPrimitiveList must be a list', () => {
    expect(failure(() => applyStrategicMergePatch({}, { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, 'Pod')).kind).toBe('malformed');
  });

  it('$patch: replace on a map replaces the whole map', () => {
    const live = deployment([{ name: 'web' }]);
    const out = applyStrategicMergePatch(live, { metadata: { labels: { $patch: 'replace', only: 'this' } } }, 'Deployment') as Dep;
    expect(out.metadata.labels).toEqual({ only: 'this' });
    expect(out.metadata.annotations).toEqual({ keep: 'me' });
    const root = applyStrategicMergePatch({ a: 1, b: 2 }, { $patch: 'replace', c: 3 }, 'Pod');
    expect(root).toEqual({ c: 3 });
  });

  it('$patch: delete on a map deletes it; at the root it leaves an empty object', () => {
    const live = deployment([{ name: 'web' }]);
    const out = applyStrategicMergePatch(live, { spec: { strategy: { $patch: 'delete' } }, metadata: { nope: { $patch: 'delete' } } }, 'Deployment') as Dep;
    expect('strategy' in out.spec).toBe(false);
    expect('nope' in out.metadata).toBe(false);
    expect(applyStrategicMergePatch({ a: 1 }, { $patch: 'delete' }, 'Pod')).toEqual({});
  });

  it('$patch: merge is the default and is stripped', () => {
    expect(applyStrategicMergePatch({ spec: { a: 1 } }, { spec: { $patch: 'merge', b: 2 } }, 'Pod')).toEqual({ spec: { a: 1, b: 2 } });
  });

  it('creates missing lists from patches with directives without storing the directives', () => {
    const out = applyStrategicMergePatch(
      { spec: {} },
      { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', env: [{ name: 'x', $patch: 'delete' }], '$setElementOrder/env': [] }] } },
      'Pod',
    );
    expect(out).toEqual({ spec: { containers: [{ name: 'a', env: [] }] } });
  });
});

describe('strategicMergeForApply', () => {
  it('merges the applied object into the live one by merge keys without deleting anything', () => {
    const live = deployment([{ name: 'web', image: 'nginx:1', env: [{ name: 'A', value: '1' }] }, { name: 'side', image: 'busybox' }]);
    const applied = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', labels: { app: 'web', tier: null } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:2', env: [{ name: 'B', value: '2' }] }] } } },
    };
    const out = strategicMergeForApply(live, applied, 'Deployment') as Dep;
    expect(out.spec.replicas).toBe(3);
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect(out.metadata.annotations).toEqual({ keep: 'me' });
    expect(out.spec.strategy).toEqual(live.spec.strategy);
    const web = containersOf(out).find((c) => c.name === 'web');
    expect(web?.image).toBe('nginx:2');
    expect(web?.env).toContainEqual({ name: 'A', value: '1' });
    expect(web?.env).toContainEqual({ name: 'B', value: '2' });
    expect(containersOf(out).map((c) => c.name).sort()).toEqual(['side', 'web']);
  });

  it('ignores directives in the applied object and rejects non-objects', () => {
    const out = strategicMergeForApply({ metadata: { labels: { a: '1' } } }, { metadata: { labels: { $patch: 'replace', b: '2' } } }, 'Pod');
    expect(out).toEqual({ metadata: { labels: { a: '1', b: '2' } } });
    expect(failure(() => strategicMergeForApply({}, [], 'Pod')).kind).toBe('malformed');
  });

  it('creates from nothing', () => {
    expect(strategicMergeForApply(undefined, { a: { b: [1] } }, 'Widget')).toEqual({ a: { b: [1] } });
  });
});

describe('isDirectiveKey', () => {
  it('recognises only SMP directives', () => {
    for (const k of ['$patch', '$retainKeys', '$setElementOrder/x', '$deleteFromPrimitiveList/x']) expect(isDirectiveKey(k)).toBe(true);
    for (const k of ['$ref', '$schema', 'patch', 'name']) expect(isDirectiveKey(k)).toBe(false);
  });
});
