/** Test support: a real engine on a free port with its own state dir and kubeconfig, and a real kubectl. */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type EngineOptions, type RuntimeOptions } from '../engine';
import { mergeEngineContext } from '../kubeconfig';

export interface TestEngine {
  engine: Engine;
  stateDir: string;
  kubeconfig: string;
  url: string;
  token: string;
  ca: string;
  stop(): Promise<void>;
}

export interface TestEngineOptions {
  historySize?: number;
  /** run pods on Docker (default: API only) */
  runtime?: boolean | RuntimeOptions;
  /** run the workload controllers (default: as runtime) */
  workloads?: boolean;
  /** reuse a state dir (engine restart tests); it is removed by stop() all the same */
  stateDir?: string;
  /**
   * further engine options (metrics interval, HPA sync period, pod traffic, routable ClusterIPs). ClusterIPs
   * are off unless asked for: engines of parallel tests must not put addresses on the host's lo.
   */
  engine?: Pick<EngineOptions, 'metrics' | 'hpaSyncMs' | 'podTraffic' | 'clusterIps' | 'kernelForwarding'>;
}

export async function startTestEngine(opts: TestEngineOptions = {}): Promise<TestEngine> {
  const stateDir = opts.stateDir ?? mkdtempSync(join(tmpdir(), 'skiff-test-'));
  const runtime = opts.runtime ?? false;
  const engine = await Engine.start({
    stateDir,
    port: 0,
    skiffVersion: 'test',
    historySize: opts.historySize,
    runtime,
    workloads: opts.workloads ?? runtime !== false,
    clusterIps: false,
    ...opts.engine,
  });
  const kubeconfig = join(stateDir, 'kubeconfig');
  mergeEngineContext(kubeconfig, { name: 'skiff', server: engine.url, caCert: engine.pki.caCert, token: engine.pki.token });
  return {
    engine,
    stateDir,
    kubeconfig,
    url: engine.url,
    token: engine.pki.token,
    ca: engine.pki.caCert,
    async stop() {
      await engine.stop();
      rmSync(stateDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    },
  };
}

/** kubectl binaries to test: the one on PATH and every version-pinned kubectl.1.* beside it. */
export function kubectlBinaries(): Array<{ name: string; path: string }> {
  const out: Array<{ name: string; path: string }> = [];
  const onPath = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
  if (onPath) out.push({ name: 'kubectl', path: onPath });
  const dir = '/usr/lib/google-cloud-sdk/bin';
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).sort()) {
      if (/^kubectl\.1\.\d+$/.test(f)) out.push({ name: f, path: join(dir, f) });
    }
  }
  return out;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}, input?: string, timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(bin, args, { env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((err as unknown as { code: number }).code) : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (input !== undefined) {
      child.stdin?.end(input);
    }
  });
}

/** A kubectl bound to a test engine's kubeconfig, with its own discovery cache. */
export function kubectl(bin: string, te: TestEngine) {
  const cacheDir = mkdtempSync(join(te.stateDir, 'kcache-'));
  const env = { KUBECONFIG: te.kubeconfig, HOME: te.stateDir, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'true' };
  return (args: string[], input?: string) => run(bin, ['--cache-dir', cacheDir, ...args], env, input);
}

/** Start `kubectl ... -w` style long-running commands; returns the process and its accumulated stdout. */
export function spawnKubectl(bin: string, te: TestEngine, args: string[]) {
  const child = spawn(bin, args, { env: { ...process.env, KUBECONFIG: te.kubeconfig, HOME: te.stateDir } });
  const state = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (state.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (state.stderr += d.toString()));
  return { child, state };
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/** A raw HTTPS request to the engine (token by default). */
export function api(te: Pick<TestEngine, 'url' | 'token' | 'ca'>, method: string, path: string, opts: { body?: string | Buffer; contentType?: string; token?: string | null; accept?: string } = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    const token = opts.token === undefined ? te.token : opts.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (opts.body !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(opts.body);
    }
    if (opts.accept) headers.Accept = opts.accept;
    const req = https.request(`${te.url}${path}`, { method, headers, ca: te.ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Poll until `fn` returns a truthy value or the time runs out. */
type Falsy = undefined | null | false | 0 | '';

export async function eventually<T>(fn: () => Promise<T | Falsy> | T | Falsy, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
