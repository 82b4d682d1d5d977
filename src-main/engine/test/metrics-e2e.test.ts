/**
 * Pod and node metrics end to end: real Docker stats, the engine's metrics.k8s.io, real `kubectl top` (the
 * oldest and newest pinned kubectl). A pod that burns CPU while told to proves the numbers move, for the pod
 * and for the node, up and back down; a pod that allocates and frees memory moves its memory and the node's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually, kubectl, kubectlBinaries } from './harness';
import { startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

const SAMPLE_MS = 500;
const MI = 1024 * 1024;
const HOG_BYTES = 96 * MI;

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

/** A kubectl top quantity: "250m"/"2" cores → millicores; "12Mi"/"3Gi"/"800Ki" → bytes. */
function topQuantity(q: string): number {
  const units: Record<string, number> = { m: 1, Ki: 1024, Mi: MI, Gi: 1024 * MI };
  const m = /^(\d+)(m|Ki|Mi|Gi)?$/.exec(q);
  if (!m) return NaN;
  if (m[2]) return Number(m[1]) * units[m[2]];
  return Number(m[1]);
}

const pinned = (v: string): string | undefined => kubectlBinaries().find((b) => b.name === `kubectl.${v}`)?.path;

describe('metrics.k8s.io and kubectl top on Docker', () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine({ engine: { metrics: { intervalMs: SAMPLE_MS } } });
    // burns a core while /tmp/go exists
    await e.ok(['apply', '-f', '-'], podYaml('burner', 'while :; do if [ -f /tmp/go ]; then :; else sleep 0.2; fi; done'));
    await e.ok(['apply', '-f', '-'], podYaml('quiet', 'trap "exit 0" TERM; while true; do sleep 1; done'));
    // holds HOG_BYTES in a shell variable from /tmp/alloc until /tmp/free
    await e.ok(['apply', '-f', '-'], podYaml('hog', `trap "exit 0" TERM; until [ -f /tmp/alloc ]; do sleep 0.2; done; x=$(yes | head -c ${HOG_BYTES}); until [ -f /tmp/free ]; do sleep 0.2; done; unset x; while true; do sleep 1; done`));
    await e.ok(['wait', '--for=condition=Ready', 'pod/burner', 'pod/quiet', 'pod/hog', '--timeout=60s']);
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

  it('kubectl top nodes: node CPU rises with a burner and falls after it stops', async () => {
    const node = async (): Promise<{ cpuMilli: number; memoryBytes: number } | undefined> => {
      const r = await e.k(['top', 'nodes', '--no-headers']);
      const [name, cpu, , memory] = (r.stdout.split('\n').find((l) => l.startsWith('skiff ')) ?? '').trim().split(/\s+/);
      if (r.code !== 0 || name !== 'skiff') return undefined;
      return { cpuMilli: cpu.endsWith('m') ? topQuantity(cpu) : topQuantity(cpu) * 1000, memoryBytes: topQuantity(memory) };
    };
    // the burner of the tests above stops: the node falls back to what idle pods use
    await e.ok(['exec', 'burner', '-c', 'work', '--', 'rm', '-f', '/tmp/go']);
    const before = await eventually(async () => {
      const n = await node();
      return n && n.cpuMilli < 150 ? n : undefined;
    }, 30_000, 250);
    await e.ok(['exec', 'burner', '-c', 'work', '--', 'touch', '/tmp/go']);
    const during = await eventually(async () => {
      const n = await node();
      return n && n.cpuMilli >= before.cpuMilli + 200 ? n : undefined;
    }, 30_000, 250);
    // (a loaded 2-core machine gives the burner well under a core, so the bar is +200m over idle)
    await e.ok(['exec', 'burner', '-c', 'work', '--', 'rm', '/tmp/go']);
    const after = await eventually(async () => {
      const n = await node();
      return n && n.cpuMilli < 150 ? n : undefined;
    }, 30_000, 250);
    expect(after.cpuMilli).toBeLessThan(during.cpuMilli - 150);
  });

  it('kubectl top shows the memory of a pod that allocates, and of the node, rise and fall back', async () => {
    const hogMemory = async (): Promise<number | undefined> => {
      const r = await e.k(['top', 'pods', 'hog', '--no-headers']);
      const [name, , memory] = r.stdout.trim().split(/\s+/);
      return r.code === 0 && name === 'hog' ? topQuantity(memory) : undefined;
    };
    const nodeMemory = async (): Promise<number> => topQuantity((await e.ok(['top', 'nodes', '--no-headers'])).trim().split(/\s+/)[3] ?? '');
    const before = await eventually(hogMemory, 30_000, 250);
    const nodeBefore = await nodeMemory();
    expect(before).toBeLessThan(32 * MI);
    await e.ok(['exec', 'hog', '-c', 'work', '--', 'touch', '/tmp/alloc']);
    const grown = await eventually(async () => {
      const m = await hogMemory();
      return m !== undefined && m >= before + HOG_BYTES * 0.5 ? m : undefined;
    }, 60_000, 500);
    // the node is the sum of this engine's containers: it grows by about as much
    expect(await nodeMemory()).toBeGreaterThanOrEqual(nodeBefore + (grown - before) * 0.5);
    // per container: the work container holds it, not its idle sibling
    const idle = (await e.ok(['top', 'pods', 'hog', '--containers', '--no-headers'])).split('\n').find((l) => l.trim().split(/\s+/)[1] === 'idle') ?? '';
    expect(topQuantity(idle.trim().split(/\s+/)[3] ?? '')).toBeLessThan(16 * MI);
    await e.ok(['exec', 'hog', '-c', 'work', '--', 'touch', '/tmp/free']);
    const freed = await eventually(async () => {
      const m = await hogMemory();
      return m !== undefined && m < before + 16 * MI ? m : undefined;
    }, 60_000, 500);
    expect(freed).toBeLessThan(grown);
  }, 120_000);

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
