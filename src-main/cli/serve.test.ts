/**
 * `skiff serve` as users run it: the URL with its token, refusals, the contract over WebSocket, and the
 * engine started as a supervised child (restarted after kill -9, stopped on exit) or attached when one runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { removeDockerObjectsUnder } from '../engine/test/runtime-harness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SkiffBridge } from '../contract/bridge';
import type { ContextList, EngineStatus } from '../contract/cluster';
import { createWebSocketBridge, type WebSocketBridge, type WebSocketLike } from '../../src-renderer/ws-bridge';
import { eventually } from '../engine/test/harness';
import { isProcessAlive, readRuntime } from '../engine/runtime-file';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin', 'skiff.js');

interface Running {
  child: ChildProcess;
  url: string;
  port: number;
  token: string;
  output: () => string;
  exited: Promise<number | null>;
}

describe('skiff serve', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'skiff-serve-'));
  const renderer = join(tmp, 'renderer');
  const env = { ...process.env, HOME: join(tmp, 'home'), KUBECONFIG: join(tmp, 'home', 'kubeconfig'), SKIFF_RENDERER_DIR: renderer, XDG_DATA_HOME: join(tmp, 'xdg') };
  const children: ChildProcess[] = [];
  const bridges: WebSocketBridge[] = [];
  let n = 0;

  beforeAll(() => {
    mkdirSync(env.HOME, { recursive: true });
    mkdirSync(renderer, { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Skiff</title>');
    if (!existsSync(join(ROOT, 'out', 'cli', 'skiff.cjs'))) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('could not build the CLI bundle');
    }
  });

  afterEach(async () => {
    for (const b of bridges.splice(0)) b.close();
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
  });

  afterAll(async () => {
    await removeDockerObjectsUnder(tmp);
    rmSync(tmp, { recursive: true, force: true });
  });

  function run(args: string[], ready: RegExp): Promise<Running> {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`not ready: ${out}`)), 30_000);
      const onData = (d: Buffer): void => {
        out += d.toString();
        const m = /(http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/.exec(out);
        if (m && ready.test(out)) {
          clearTimeout(timer);
          res({ child, url: m[1], port: Number(m[2]), token: m[3], output: () => out, exited });
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        rej(new Error(`exited (${code}): ${out}`));
      });
    });
  }

  function connect(s: Running): SkiffBridge {
    const bridge = createWebSocketBridge(
      `ws://127.0.0.1:${s.port}/ws?token=${s.token}`,
      (url) => new WebSocket(url, { headers: { Origin: `http://127.0.0.1:${s.port}` } }) as unknown as WebSocketLike,
    );
    bridges.push(bridge);
    return bridge;
  }

  function status(port: number, path: string): Promise<number> {
    return new Promise((res, rej) => {
      http.get({ host: '127.0.0.1', port, path }, (r) => {
        r.resume();
        res(r.statusCode ?? 0);
      }).on('error', rej);
    });
  }

  it('refuses bad flags as usage errors', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', 'abc'], { env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(stderr).toContain('flag --port must be a port number');
  });

  it('--no-engine: prints the URL, refuses requests without the token, answers the contract, exits cleanly', async () => {
    const s = await run(['serve', '--port', '0', '--no-engine'], /engine: disabled/);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=.{43}$/);
    expect(await status(s.port, '/')).toBe(403);
    expect(await status(s.port, `/?token=${s.token}`)).toBe(303);
    const bridge = connect(s);
    expect(await bridge.invoke('app.info')).toMatchObject({ ok: true, result: { transport: 'websocket' } });
    expect(await bridge.invoke('engine.status')).toMatchObject({ ok: true, result: { mode: 'disabled', state: 'disabled' } });
    expect(await bridge.invoke('contexts.retry', { context: '' })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('starts the engine as a child, lists its context first, restarts it after kill -9 and stops it on exit', async () => {
    const stateDir = join(tmp, `state-${n++}`);
    const s = await run(['serve', '--port', '0', '--state-dir', stateDir], /engine started/);
    const bridge = connect(s);
    const statuses: EngineStatus[] = [];
    bridge.subscribe('onEngineStatus', undefined, (e) => statuses.push(e));
    const lists: ContextList[] = [];
    bridge.subscribe('onContexts', undefined, (l) => lists.push(l));
    await eventually(() => statuses.some((e) => e.state === 'running'));
    const first = statuses.at(-1) as EngineStatus;
    expect(first).toMatchObject({ mode: 'managed', state: 'running', context: 'skiff', restarts: 0 });
    await eventually(() => lists.at(-1)?.contexts[0]?.name === 'skiff');
    expect(lists.at(-1)?.contexts[0]).toMatchObject({ isLocal: true, server: first.url });
    expect(await bridge.invoke('namespaces.list', { context: 'skiff' })).toMatchObject({ ok: true, result: expect.arrayContaining(['default', 'kube-system']) as unknown });

    process.kill(first.pid ?? 0, 'SIGKILL');
    await eventually(() => statuses.some((e) => e.state === 'crashed'), 10_000);
    expect(statuses.find((e) => e.state === 'crashed')?.message).toMatch(/killed \(SIGKILL\).*restarting in/);
    const again = await eventually(() => statuses.find((e) => e.state === 'running' && e.restarts === 1), 20_000);
    expect(again.pid).not.toBe(first.pid);
    expect(await bridge.invoke('namespaces.list', { context: 'skiff' })).toMatchObject({ ok: true });

    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(isProcessAlive(again.pid ?? 0)).toBe(false);
    expect(readRuntime(stateDir)).toBeUndefined();
  });

  it('attaches to an engine that already runs for the state dir, and leaves it running', async () => {
    const stateDir = join(tmp, `state-${n++}`);
    const engine = spawn(process.execPath, [BIN, 'engine', 'start', '--state-dir', stateDir, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(engine);
    let out = '';
    engine.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => /ready in \d+ ms/.test(out), 20_000);
    const s = await run(['serve', '--port', '0', '--state-dir', stateDir], /engine attached/);
    const bridge = connect(s);
    expect(await bridge.invoke('engine.status')).toMatchObject({ ok: true, result: { mode: 'attached', state: 'running', pid: engine.pid } });
    expect(await bridge.invoke('engine.restart')).toMatchObject({ ok: true, result: { mode: 'attached', message: expect.stringContaining('outside this console') as unknown } });
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(engine.exitCode).toBeNull();
    expect(readRuntime(stateDir)?.pid).toBe(engine.pid);
  });
});
