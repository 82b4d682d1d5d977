/**
 * Every acknowledged write survives kill -9 of the engine process: a burst of concurrent creates is cut
 * short by SIGKILL, the engine is started again on the same state dir, and every create that got a 201 is
 * there, with the resourceVersion still monotonic.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from './harness';
import { removeDockerObjectsUnder } from './runtime-harness';

const ROOT = resolve(__dirname, '../../..');
const BIN = join(ROOT, 'bin', 'skiff.js');

function startProcess(stateDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'engine', 'start', '--state-dir', stateDir, '--port', '0', '--kubeconfig', join(stateDir, 'kubeconfig')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((res, rej) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) res({ child, url: m[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => rej(new Error(`engine exited (${code}): ${out}`)));
  });
}

describe('durability', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'skiff-durable-'));
  let child: ChildProcess | undefined;

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'out', 'cli', 'skiff.cjs'))) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('could not build the CLI bundle');
    }
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await removeDockerObjectsUnder(stateDir);
    rmSync(stateDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  it('keeps every acknowledged write across kill -9', async () => {
    const first = await startProcess(stateDir);
    child = first.child;
    const te = { url: first.url, token: readFileSync(join(stateDir, 'token'), 'utf8').trim(), ca: readFileSync(join(stateDir, 'pki', 'ca.crt'), 'utf8') };
    const acked: Array<{ name: string; rv: number }> = [];
    let stop = false;
    let n = 0;
    const worker = async (): Promise<void> => {
      while (!stop) {
        const name = `cm-${n++}`;
        try {
          const r = await api(te, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { n: String(n) } }) });
          if (r.status === 201) acked.push({ name, rv: Number((r.json() as { metadata: { resourceVersion: string } }).metadata.resourceVersion) });
        } catch {
          return; // the connection died with the engine
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // kill in the middle of the burst
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await new Promise((r) => child?.once('exit', r) ?? r(undefined));
    expect(acked.length).toBeGreaterThanOrEqual(300);

    const second = await startProcess(stateDir);
    child = second.child;
    const te2 = { ...te, url: second.url };
    const list = (await api(te2, 'GET', '/api/v1/namespaces/default/configmaps')).json() as { metadata: { resourceVersion: string }; items: Array<{ metadata: { name: string } }> };
    const names = new Set(list.items.map((i) => i.metadata.name));
    const missing = acked.filter((a) => !names.has(a.name));
    expect(missing).toEqual([]);
    const maxAcked = Math.max(...acked.map((a) => a.rv));
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(maxAcked);
    const created = await api(te2, 'POST', '/api/v1/namespaces/default/configmaps', { body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-restart' } }) });
    expect(created.status).toBe(201);
    expect(Number((created.json() as { metadata: { resourceVersion: string } }).metadata.resourceVersion)).toBeGreaterThan(maxAcked);
    child.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
  });
});
