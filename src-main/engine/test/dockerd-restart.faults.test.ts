/**
 * Fault injection (runs alone, after the main suite: it stops the Docker daemon every other test uses).
 * dockerd is stopped and started again: the node goes NotReady and back to Ready, the pods of a Deployment
 * come back in place (same pods, containers restarted per restartPolicy Always), and a restartPolicy Never
 * pod is not restarted.
 */
import { execFile, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { conditionStatus, containerStatuses, deploymentYaml, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';

const SCRIPT = join(resolve(__dirname, '../../..'), 'scripts', 'restart-dockerd.sh');

interface List {
  items: KubeObject[];
}

function restartDockerd(downSeconds: number): Promise<void> {
  return new Promise((res, rej) => {
    execFile('bash', [SCRIPT, String(downSeconds)], { timeout: 120_000 }, (err, _out, stderr) => (err ? rej(new Error(`${err.message}: ${stderr}`)) : res()));
  });
}

// The script restarts a dockerd process of this machine; with Docker Desktop (a VM) there is none to restart.
const localDockerd = spawnSync('pgrep', ['-x', 'dockerd']).status === 0;

const title = localDockerd ? 'Docker daemon restart' : 'Docker daemon restart — skipped: no local dockerd process to restart (Docker Desktop?)';

describe.skipIf(!localDockerd)(title, () => {
  let e: RuntimeEngine;

  beforeAll(async () => {
    e = await startRuntimeEngine({ runtime: { crashBackoffBaseMs: 1000 } });
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('turns the node NotReady and back, and pods recover per their restartPolicy', async () => {
    await e.ok(['apply', '-f', '-'], deploymentYaml('survivor', { replicas: 2 }));
    await e.ok(['run', 'once', '--image=busybox:1.36', '--restart=Never', '--', 'sleep', '3600']);
    await e.ok(['rollout', 'status', 'deploy/survivor', '--timeout=60s']);
    await eventually(async () => containerStatuses(await e.json<KubeObject>(['get', 'pod', 'once']))[0]?.state.running, 30_000, 200);
    const before = (await e.json<List>(['get', 'pods', '-l', 'app=survivor'])).items.map((p) => p.metadata.name).sort();

    const nodeStates: string[] = [];
    const stop = e.engine.service.store.subscribe((ev) => {
      if (ev.resource !== 'nodes') return;
      const s = conditionStatus(ev.object, 'Ready') ?? '';
      if (nodeStates[nodeStates.length - 1] !== s) nodeStates.push(s);
    });
    try {
      await restartDockerd(3);
      await eventually(async () => nodeStates.includes('False') && nodeStates[nodeStates.length - 1] === 'True', 60_000, 200);
    } finally {
      stop();
    }
    expect(nodeStates).toContain('False');
    expect(nodeStates[nodeStates.length - 1]).toBe('True');

    const pods = await eventually(async () => {
      const items = (await e.json<List>(['get', 'pods', '-l', 'app=survivor'])).items;
      return items.length === 2 && items.every((p) => conditionStatus(p, 'Ready') === 'True') ? items : undefined;
    }, 90_000, 500);
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(before);
    for (const p of pods) expect(containerStatuses(p)[0]?.restartCount).toBeGreaterThanOrEqual(1);
    const running = await e.containers();
    expect(running.filter((c) => pods.some((p) => p.metadata.uid === c.Labels['dev.skiff.pod-uid']))).toHaveLength(4);

    const once = await eventually(async () => {
      const p = await e.json<KubeObject>(['get', 'pod', 'once']);
      return (p.status as { phase: string }).phase === 'Failed' ? p : undefined;
    }, 60_000, 500);
    expect(containerStatuses(once)[0]?.restartCount).toBe(0);
    expect(containerStatuses(once)[0]?.state.terminated).toBeDefined();
  });
});
