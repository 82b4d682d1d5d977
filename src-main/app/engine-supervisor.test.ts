/**
 * The supervisor with stand-in engines (small Node scripts that print what `skiff engine start` prints, then
 * behave badly): crash → restart with growing backoff, a failed first start, and stop() ending the child.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDockerObjectsUnder } from '../engine/test/runtime-harness';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { EngineStatus } from '../contract/cluster';
import { isProcessAlive } from '../engine/runtime-file';
import { eventually } from '../engine/test/harness';
import { EngineSupervisor } from './engine-supervisor';

const READY = `console.log('Skiff engine x listening on https://127.0.0.1:1234'); console.log('kubeconfig: /k (context "local")'); console.log('ready in 5 ms');`;

describe('EngineSupervisor', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-supervisor-'));
  const supervisors: EngineSupervisor[] = [];

  function supervise(script: string, extra: Partial<ConstructorParameters<typeof EngineSupervisor>[0]> = {}): { supervisor: EngineSupervisor; seen: EngineStatus[] } {
    const supervisor = new EngineSupervisor({ stateDir, command: process.execPath, args: ['-e', script], restartMinMs: 50, restartMaxMs: 200, startTimeoutMs: 5000, ...extra });
    supervisors.push(supervisor);
    const seen: EngineStatus[] = [];
    supervisor.onChange((s) => seen.push(s));
    return { supervisor, seen };
  }

  afterEach(async () => {
    for (const s of supervisors.splice(0)) await s.stop();
  });
  afterAll(async () => {
    await removeDockerObjectsUnder(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('starts the engine and reports its URL and context', async () => {
    const { supervisor } = supervise(`${READY} setInterval(() => {}, 1000);`);
    const status = await supervisor.start();
    expect(status).toMatchObject({ mode: 'managed', state: 'running', url: 'https://127.0.0.1:1234', context: 'local', restarts: 0 });
    const pid = status.pid ?? 0;
    expect(isProcessAlive(pid)).toBe(true);
    await supervisor.stop();
    expect(supervisor.status().state).toBe('stopped');
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('restarts a crashing engine with growing backoff', async () => {
    const { supervisor, seen } = supervise(`${READY} setTimeout(() => process.exit(3), 100);`);
    await supervisor.start();
    await eventually(() => supervisor.status().restarts >= 3, 10_000);
    const crashes = seen.filter((s) => s.state === 'crashed').map((s) => s.message);
    expect(crashes[0]).toBe('the engine exited with code 3; restarting in 0.1 s');
    expect(seen.some((s) => s.state === 'restarting')).toBe(true);
    expect(crashes.slice(0, 3).map((m) => /in ([\d.]+) s/.exec(m ?? '')?.[1])).toEqual(['0.1', '0.1', '0.2']);
  });

  it('keeps the outage on record through the attempts (reason, attempt, retry time, backoff) and clears it once running', async () => {
    // Runs once, then every later start fails until the marker file appears: a crash followed by failed attempts.
    const marker = join(stateDir, `recover-${Date.now()}`);
    const runs = join(stateDir, `runs-${Date.now()}`);
    const script = `const fs = require('node:fs');
      const n = fs.existsSync(${JSON.stringify(runs)}) ? Number(fs.readFileSync(${JSON.stringify(runs)}, 'utf8')) : 0;
      fs.writeFileSync(${JSON.stringify(runs)}, String(n + 1));
      if (n > 0 && !fs.existsSync(${JSON.stringify(marker)})) { console.error('skiff: the state dir is locked'); process.exit(1); }
      ${READY} if (n === 0) setTimeout(() => process.exit(7), 50); else setInterval(() => {}, 1000);`;
    const { supervisor, seen } = supervise(script, { restartMinMs: 100, restartMaxMs: 400 });
    const before = Date.now();
    await supervisor.start();
    await eventually(() => (supervisor.status().crash?.attempt ?? 0) >= 3, 10_000);
    const outages = seen.filter((s) => s.state === 'crashed').map((s) => s.crash);
    expect(outages[0]).toMatchObject({ reason: 'the engine exited with code 7', attempt: 1, backoffMs: 100 });
    expect(outages[1]).toMatchObject({ reason: 'the engine exited with code 1: skiff: the state dir is locked', attempt: 2, backoffMs: 200 });
    expect(outages[2]).toMatchObject({ attempt: 3, backoffMs: 400 });
    // One outage: it started at the first crash, and each attempt is scheduled its backoff after the failure.
    expect(new Set(outages.map((o) => o?.since)).size).toBe(1);
    expect(Date.parse(outages[0]?.since ?? '')).toBeGreaterThanOrEqual(before - 1000);
    for (const o of outages) expect(Date.parse(o?.retryAt ?? '') - Date.parse(o?.since ?? '')).toBeGreaterThanOrEqual(o?.backoffMs ?? 0);
    // While an attempt runs, the outage stays on record without a retry time.
    expect(seen.some((s) => s.state === 'restarting' && s.crash !== null && s.crash.retryAt === null)).toBe(true);
    writeFileSync(marker, '');
    await eventually(() => supervisor.status().state === 'running', 10_000);
    expect(supervisor.status().crash).toBeNull();
  });

  it('"Restart now" after a crash starts the engine at once instead of waiting out the backoff', async () => {
    const runs = join(stateDir, `now-${Date.now()}`);
    const script = `const fs = require('node:fs');
      const n = fs.existsSync(${JSON.stringify(runs)}) ? Number(fs.readFileSync(${JSON.stringify(runs)}, 'utf8')) : 0;
      fs.writeFileSync(${JSON.stringify(runs)}, String(n + 1));
      ${READY} if (n === 0) setTimeout(() => process.exit(9), 50); else setInterval(() => {}, 1000);`;
    const { supervisor } = supervise(script, { restartMinMs: 60_000, restartMaxMs: 60_000 });
    await supervisor.start();
    await eventually(() => supervisor.status().state === 'crashed', 5000);
    expect(supervisor.status().crash).toMatchObject({ attempt: 1, backoffMs: 60_000 });
    const started = Date.now();
    const status = await supervisor.restart();
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(status).toMatchObject({ state: 'running', crash: null, restarts: 1 });
    expect(isProcessAlive(status.pid ?? 0)).toBe(true);
  });

  it('reports why a first start failed, and keeps trying', async () => {
    const { supervisor } = supervise(`console.error('skiff: port 6443 on 127.0.0.1 is already in use'); process.exit(1);`);
    await expect(supervisor.start()).rejects.toThrow('the engine exited with code 1: skiff: port 6443 on 127.0.0.1 is already in use');
    expect(supervisor.status()).toMatchObject({ state: 'crashed', message: expect.stringContaining('already in use; restarting in') as unknown });
    await eventually(() => supervisor.status().restarts >= 1, 5000);
  });
});
