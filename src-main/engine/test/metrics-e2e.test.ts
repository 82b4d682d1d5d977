/**
 * Pod and node metrics end to end: real Docker stats, the engine's metrics.k8s.io, real `kubectl top` (the
 * oldest and newest pinned kubectl). A pod that starts burning CPU when told to proves the numbers move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, kubectl, kubectlBinaries } from './harness';
import { startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

const SAMPLE_MS = 500;

function podYaml(name: string, command: string, app = name): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        { name: 'work', image: 'busybox:1.36', command: ['sh', '-c', command], resources: { requests: { cpu: '100m', memory: '16Mi' } } },
        { name: 'idle', image: 'busybox:1.36', command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'] },
      ],
    },
  });
}

/** "name  123m  4Mi" rows of `kubectl top pods` → name → millicores. */
function topCpu(out: string): Map<string, number> {
  const rows = new Map<string, number>();
  for (const line of out.trim().split('\n').slice(1)) {
    const [name, cpu] = line.trim().split(/\s+/);
    if (name && cpu) rows.set(name, cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000);
  }
  return rows;
}

const pinned = (v: string): string | undefined => kubectlBinaries().find((b) => b.name === `kubectl.${v}`)?.path;

describe('metrics.k8s.io and kubectl top on Docker', () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine({ engine: { metrics: { intervalMs: SAMPLE_MS } } });
    await e.ok(['apply', '-f', '-'], podYaml('burner', 'while [ ! -f /tmp/go ]; do sleep 0.2; done; while :; do :; done'));
    await e.ok(['apply', '-f', '-'], podYaml('quiet', 'trap "exit 0" TERM; while true; do sleep 1; done'));
    await e.ok(['wait', '--for=condition=Ready', 'pod/burner', 'pod/quiet', '--timeout=60s']);
  }, 90_000);
  afterAll(async () => {
    await e?.stop();
  });

  it('lists metrics.k8s.io and custom.metrics.k8s.io in discovery', async () => {
    const groups = (await api(e, 'GET', '/apis')).json() as { groups: Array<{ name: string; preferredVersion: { groupVersion: string } }> };
    expect(groups.groups.map((g) => g.name)).toEqual(expect.arrayContaining(['metrics.k8s.io', 'custom.metrics.k8s.io']));
    const list = (await api(e, 'GET', '/apis/metrics.k8s.io/v1beta1')).json() as { resources: Array<{ name: string; kind: string; namespaced: boolean }> };
    expect(list.resources).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'pods', kind: 'PodMetrics', namespaced: true }), expect.objectContaining({ name: 'nodes', kind: 'NodeMetrics', namespaced: false })]));
    expect((await api(e, 'GET', '/apis/metrics.k8s.io')).status).toBe(200);
    expect(await e.ok(['api-resources', '--api-group=metrics.k8s.io'])).toMatch(/PodMetrics/);
  });

  it('kubectl top pods shows the burner climb once it starts burning, and the quiet pod stay low', async () => {
    const before = await eventually(async () => {
      const r = await e.k(['top', 'pods']);
      const rows = topCpu(r.stdout);
      return r.code === 0 && rows.has('burner') && rows.has('quiet') ? rows : undefined;
    }, 30_000, 250);
    expect(before.get('burner')).toBeLessThan(50);
    await e.ok(['exec', 'burner', '-c', 'work', '--', 'touch', '/tmp/go']);
    const after = await eventually(async () => {
      const rows = topCpu((await e.k(['top', 'pods'])).stdout);
      return (rows.get('burner') ?? 0) >= 300 ? rows : undefined;
    }, 30_000, 250);
    expect(after.get('quiet')).toBeLessThan(100);

    // per container: the work container burns, its idle sibling does not
    const containers = await e.ok(['top', 'pods', 'burner', '--containers']);
    const line = (name: string): number => {
      const row = containers.split('\n').find((l) => l.trim().split(/\s+/)[1] === name) ?? '';
      const cpu = row.trim().split(/\s+/)[2] ?? '';
      return cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000;
    };
    expect(line('work')).toBeGreaterThanOrEqual(200);
    expect(line('idle')).toBeLessThan(100);

    // label selector
    const selected = topCpu(await e.ok(['top', 'pods', '-l', 'app=quiet']));
    expect([...selected.keys()]).toEqual(['quiet']);
  });

  it('kubectl top nodes shows the node using at least what the burner does', async () => {
    const out = await eventually(async () => {
      const r = await e.k(['top', 'nodes']);
      const row = r.stdout.split('\n').find((l) => l.startsWith('skiff'));
      const cpu = row?.trim().split(/\s+/)[1] ?? '';
      return r.code === 0 && cpu.endsWith('m') && Number(cpu.slice(0, -1)) >= 300 ? r.stdout : cpu !== '' && !cpu.endsWith('m') && Number(cpu) >= 1 ? r.stdout : undefined;
    }, 30_000, 250);
    expect(out).toMatch(/CPU\(cores\)\s+CPU(%|\(%\))\s+MEMORY\(bytes\)\s+MEMORY(%|\(%\))/);
  });

  it.each(['1.27', '1.33'])('kubectl %s top pods and nodes work', async (v) => {
    const bin = pinned(v);
    if (!bin) throw new Error(`kubectl.${v} is not installed in /usr/lib/google-cloud-sdk/bin`);
    const k = kubectl(bin, e);
    const pods = await k(['top', 'pods', '-A']);
    expect(pods.stderr).toBe('');
    expect(pods.stdout).toMatch(/NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
    expect(pods.stdout).toMatch(/default\s+burner\s+\d+m\s+\d+Mi/);
    const nodes = await k(['top', 'nodes']);
    expect(nodes.code).toBe(0);
    expect(nodes.stdout).toMatch(/skiff\s+\d+m?\s+\d+%\s+\d+Mi\s+\d+%/);
  });

  it('serves PodMetrics with nanocores and Ki, NodeMetrics, and 404 for pods without metrics', async () => {
    const pm = (await api(e, 'GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/burner')).json() as {
      kind: string;
      window: string;
      timestamp: string;
      containers: Array<{ name: string; usage: { cpu: string; memory: string } }>;
    };
    expect(pm.kind).toBe('PodMetrics');
    expect(pm.window).toMatch(/^\d+(\.\d+)?s$/);
    expect(pm.containers.map((c) => c.name)).toEqual(['idle', 'work']);
    for (const c of pm.containers) {
      expect(c.usage.cpu).toMatch(/^\d+n$/);
      expect(c.usage.memory).toMatch(/^\d+Ki$/);
    }
    const missing = await api(e, 'GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods.metrics.k8s.io "nope" not found' });
    const nm = (await api(e, 'GET', '/apis/metrics.k8s.io/v1beta1/nodes/skiff')).json() as { kind: string; usage: { cpu: string; memory: string } };
    expect(nm.kind).toBe('NodeMetrics');
    expect(nm.usage.memory).toMatch(/^\d+Ki$/);
    const bad = await api(e, 'GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=a%20in%20(');
    expect(bad.status).toBe(400);
    const post = await api(e, 'POST', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods', { body: '{}' });
    expect(post.status).toBe(405);
    // history is kept per pod: it grows with each sample
    const first = (e.engine.stats?.podHistory('default', 'burner') ?? []).length;
    expect(first).toBeGreaterThan(0);
    await eventually(async () => (e.engine.stats?.podHistory('default', 'burner') ?? []).length > first + 1, 20_000, SAMPLE_MS);
  });
});
