/**
 * Self-healing end to end on real Docker, seen through real kubectl: a removed container is restarted in the
 * same pod, a deleted pod is replaced by a new one, a crashing container backs off (doubling; the base is
 * shortened to 1 s here, the kubelet default is 10 s), a failing liveness probe restarts, and a failing
 * readiness probe takes the pod out of Ready and out of the Deployment's available count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { conditionStatus, containerStatuses, deploymentYaml, docker, sleep, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

interface List {
  items: KubeObject[];
}

function podYaml(name: string, spec: Record<string, unknown>): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { test: 'self-healing' } }, spec: { terminationGracePeriodSeconds: 1, ...spec } });
}

describe('Self-healing on Docker via kubectl', () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine({ runtime: { crashBackoffBaseMs: 1000 } });
  });
  afterAll(async () => {
    await e?.stop();
  });

  const pod = (name: string): Promise<KubeObject> => e.json<KubeObject>(['get', 'pod', name]);
  const events = async (name: string): Promise<Array<{ reason: string; message: string; count?: number }>> =>
    (await e.json<{ items: Array<{ reason: string; message: string; count?: number }> }>(['get', 'events', '--field-selector', `involvedObject.name=${name}`])).items;

  it.concurrent('restarts an app container removed with docker rm -f, in the same pod, restartCount + 1', async () => {
    await e.ok(['apply', '-f', '-'], podYaml('removed', { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sleep', '3600'] }] }));
    const p = await eventually(async () => {
      const x = await pod('removed');
      return containerStatuses(x)[0]?.state.running ? x : undefined;
    }, 30_000);
    const [app] = (await e.containers({ podUid: p.metadata.uid })).filter((c) => c.Labels['dev.skiff.role'] === 'app');
    expect(app).toBeDefined();
    await docker.getContainer(app?.Id ?? '').remove({ force: true });
    const healed = await eventually(async () => {
      const x = await pod('removed');
      const s = containerStatuses(x)[0];
      return s?.restartCount === 1 && s.state.running ? x : undefined;
    }, 30_000);
    expect(healed.metadata.uid).toBe(p.metadata.uid);
    const now = (await e.containers({ podUid: p.metadata.uid })).filter((c) => c.Labels['dev.skiff.role'] === 'app');
    expect(now).toHaveLength(1);
    expect(now[0]?.Id).not.toBe(app?.Id);
    expect(conditionStatus(healed, 'Ready')).toBe('True');
  });

  it.concurrent('replaces a deleted pod of a Deployment with a new one', async () => {
    await e.ok(['apply', '-f', '-'], deploymentYaml('healer', { replicas: 2 }));
    await e.ok(['rollout', 'status', 'deploy/healer', '--timeout=60s']);
    const before = (await e.json<List>(['get', 'pods', '-l', 'app=healer'])).items.map((p) => p.metadata.name ?? '');
    expect(before).toHaveLength(2);
    await e.ok(['delete', 'pod', before[0] ?? '', '--wait=false']);
    const after = await eventually(async () => {
      const live = (await e.json<List>(['get', 'pods', '-l', 'app=healer'])).items.filter((p) => !p.metadata.deletionTimestamp && conditionStatus(p, 'Ready') === 'True');
      return live.length === 2 && !live.some((p) => p.metadata.name === before[0]) ? live : undefined;
    }, 60_000, 200);
    const names = after.map((p) => p.metadata.name);
    expect(names).toContain(before[1]);
    expect(names.filter((n) => !before.includes(n ?? ''))).toHaveLength(1);
  });

  it.concurrent('puts a crashing container in CrashLoopBackOff with doubling back-off', async () => {
    await e.ok(['apply', '-f', '-'], podYaml('crasher', { containers: [{ name: 'app', image: 'busybox:1.36', command: ['sh', '-c', 'echo crashing; exit 2'] }] }));
    // Record when each restart happened, from the store's watch.
    const restarts: number[] = [];
    const stop = e.engine.service.store.subscribe((ev) => {
      if (ev.resource !== 'pods' || ev.name !== 'crasher') return;
      const n = containerStatuses(ev.object)[0]?.restartCount ?? 0;
      while (restarts.length < n) restarts.push(Date.now());
    });
    try {
      await eventually(async () => restarts.length >= 4, 40_000, 100);
    } finally {
      stop();
    }
    const gaps = restarts.slice(1).map((t, i) => t - (restarts[i] ?? 0));
    // 1 s, 2 s, 4 s (base 1 s doubling), give or take a sync
    expect(gaps[0]).toBeGreaterThan(800);
    expect(gaps[1]).toBeGreaterThan(1.5 * 1000);
    expect(gaps[2]).toBeGreaterThan(3.2 * 1000);
    expect(gaps[2] ?? 0).toBeGreaterThan(gaps[0] ?? 0);
    const p = await eventually(async () => {
      const x = await pod('crasher');
      return containerStatuses(x)[0]?.state.waiting?.reason === 'CrashLoopBackOff' ? x : undefined;
    }, 20_000, 100);
    const s = containerStatuses(p)[0];
    expect(s?.state.waiting?.message).toMatch(/^back-off \d+s restarting failed container=app pod=crasher_default\(/);
    expect(s?.lastState.terminated).toMatchObject({ exitCode: 2, reason: 'Error' });
    const table = await e.ok(['get', 'pod', 'crasher', '--no-headers']);
    expect(table).toMatch(/crasher\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+/);
    expect((await events('crasher')).some((ev) => ev.reason === 'BackOff' && ev.message === 'Back-off restarting failed container app in pod crasher_default(' + p.metadata.uid + ')')).toBe(true);
    const logs = await e.ok(['logs', 'crasher', '--previous']);
    expect(logs.trim()).toBe('crashing');
  });

  it.concurrent('restarts a container whose liveness probe fails', async () => {
    await e.ok(
      ['apply', '-f', '-'],
      podYaml('unlively', {
        containers: [
          {
            name: 'app',
            image: 'busybox:1.36',
            command: ['sh', '-c', 'touch /tmp/alive; sleep 3; rm /tmp/alive; exec sleep 3600'],
            livenessProbe: { exec: { command: ['test', '-f', '/tmp/alive'] }, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      }),
    );
    const p = await eventually(async () => {
      const x = await pod('unlively');
      return (containerStatuses(x)[0]?.restartCount ?? 0) >= 1 ? x : undefined;
    }, 40_000, 200);
    expect(containerStatuses(p)[0]?.lastState.terminated).toBeDefined();
    const evs = await events('unlively');
    expect(evs.some((ev) => ev.reason === 'Unhealthy' && ev.message.startsWith('Liveness probe failed'))).toBe(true);
    expect(evs.some((ev) => ev.reason === 'Killing' && ev.message === 'Container app failed liveness probe, will be restarted')).toBe(true);
  });

  it.concurrent('takes a pod whose readiness probe fails out of Ready and out of the available count', async () => {
    const yaml = JSON.parse(deploymentYaml('readiness', { replicas: 2, command: 'trap "exit 0" TERM; while true; do sleep 1; done' })) as {
      spec: { template: { spec: { containers: Array<Record<string, unknown>> } } };
    };
    const container = yaml.spec.template.spec.containers[0] as Record<string, unknown>;
    container.readinessProbe = { exec: { command: ['test', '-f', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 };
    await e.ok(['apply', '-f', '-'], JSON.stringify(yaml));
    const pods = await eventually(async () => {
      const items = (await e.json<List>(['get', 'pods', '-l', 'app=readiness'])).items;
      return items.length === 2 && items.every((x) => containerStatuses(x)[0]?.state.running) ? items : undefined;
    }, 30_000, 200);
    await sleep(1500);
    let d = await e.json<KubeObject>(['get', 'deploy/readiness']);
    expect((d.status as { availableReplicas?: number }).availableReplicas ?? 0).toBe(0);

    const [one, two] = pods.map((x) => x.metadata.name ?? '');
    await e.ok(['exec', one ?? '', '--', 'touch', '/tmp/ready']);
    d = await eventually(async () => {
      const x = await e.json<KubeObject>(['get', 'deploy/readiness']);
      return (x.status as { availableReplicas?: number }).availableReplicas === 1 ? x : undefined;
    }, 20_000, 200);
    expect((d.status as { readyReplicas?: number; unavailableReplicas?: number })).toMatchObject({ readyReplicas: 1, unavailableReplicas: 1 });
    expect(conditionStatus(await pod(two ?? ''), 'Ready')).toBe('False');
    expect(conditionStatus(await pod(one ?? ''), 'Ready')).toBe('True');

    await e.ok(['exec', one ?? '', '--', 'rm', '/tmp/ready']);
    await eventually(async () => conditionStatus(await pod(one ?? ''), 'Ready') === 'False', 20_000, 200);
    d = await eventually(async () => {
      const x = await e.json<KubeObject>(['get', 'deploy/readiness']);
      return ((x.status as { availableReplicas?: number }).availableReplicas ?? 0) === 0 ? x : undefined;
    }, 20_000, 200);
    expect(conditionStatus(d, 'Available')).toBe('False');
    const p = await pod(one ?? '');
    expect(containerStatuses(p)[0]).toMatchObject({ ready: false, restartCount: 0 });
    expect((await events(one ?? '')).some((ev) => ev.reason === 'Unhealthy' && ev.message.startsWith('Readiness probe failed'))).toBe(true);
  });
});
