/**
 * The `skiff` command as users run it (`node bin/skiff.js …`): help, version, usage errors, and the engine's
 * start/status/stop life cycle with its clear errors (port in use, unwritable state dir, already running),
 * the kubeconfig merge, and a clean shutdown on SIGINT.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { removeDockerObjectsUnder } from '../engine/test/runtime-harness';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin', 'skiff.js');
const PKG_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Kubeconfig {
  'current-context'?: string;
  clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users: Array<{ name: string; user: { token?: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
}

describe('skiff CLI', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'skiff-cli-'));
  /** A private HOME and KUBECONFIG, so no test can touch the user's real ones. */
  const env = { ...process.env, HOME: join(tmp, 'home'), KUBECONFIG: join(tmp, 'home', 'kubeconfig'), SKIFF_STATE_DIR: join(tmp, 'default-state'), XDG_DATA_HOME: join(tmp, 'xdg') };
  const engines: ChildProcess[] = [];
  let n = 0;

  beforeAll(() => {
    mkdirSync(env.HOME, { recursive: true });
    if (!existsSync(join(ROOT, 'out', 'cli', 'skiff.cjs'))) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error('could not build the CLI bundle');
    }
  });

  afterEach(async () => {
    // no engine outlives its test
    for (const child of engines.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
      }
    }
  });

  afterAll(async () => {
    // engines create their Docker network at start: remove it with the state dirs
    await removeDockerObjectsUnder(tmp);
    rmSync(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  });

  function fresh(name: string): { stateDir: string; kubeconfig: string } {
    const dir = join(tmp, `${name}-${n++}`);
    return { stateDir: join(dir, 'state'), kubeconfig: join(dir, 'kubeconfig') };
  }

  function skiff(args: string[], timeoutMs = 30_000): Promise<Run> {
    return new Promise((res) => {
      const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (code) => {
        clearTimeout(timer);
        res({ code, stdout, stderr });
      });
    });
  }

  /** `skiff engine start` in the background; resolves once it reports ready. */
  function startEngine(stateDir: string, kubeconfig: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> }> {
    const child = spawn(process.execPath, [BIN, 'engine', 'start', '--state-dir', stateDir, '--port', '0', '--kubeconfig', kubeconfig, ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    engines.push(child);
    let out = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`engine did not start: ${out}`)), 20_000);
      const onData = (d: Buffer): void => {
        out += d.toString();
        const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
        // the last line of the start-up report: the kubeconfig and runtime file are written by then
        if (m && /ready in \d+ ms/.test(out)) {
          clearTimeout(timer);
          res({ child, url: m[1], output: () => out, exited });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      void exited.then((code) => {
        clearTimeout(timer);
        rej(new Error(`engine exited (${code}): ${out}`));
      });
    });
  }

  function getVersion(url: string, ca: string, token: string): Promise<{ status: number; gitVersion?: string }> {
    return new Promise((res, rej) => {
      const req = https.get(`${url}/version`, { ca, headers: { Authorization: `Bearer ${token}` } }, (r) => {
        let body = '';
        r.on('data', (c: Buffer) => (body += c.toString()));
        r.on('end', () => res({ status: r.statusCode ?? 0, gitVersion: (JSON.parse(body) as { gitVersion?: string }).gitVersion }));
      });
      req.on('error', rej);
    });
  }

  it('help prints the usage and exits 0; no command prints it and exits 2', async () => {
    for (const arg of ['help', '--help', '-h']) {
      const r = await skiff([arg]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage:');
      expect(r.stdout).toContain('skiff engine start [flags]');
      expect(r.stdout).toMatch(/--state-dir VALUE/);
      expect(r.stdout).toMatch(/--port N/);
    }
    const bare = await skiff([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Usage:');
  });

  it('version prints the package version', async () => {
    const r = await skiff(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(PKG_VERSION);
    expect((await skiff(['--version'])).stdout.trim()).toBe(PKG_VERSION);
  });

  it.each([
    [['frobnicate'], /skiff: unknown command "frobnicate"/],
    [['engine'], /engine needs a subcommand: start, status or stop/],
    [['engine', 'explode'], /unknown engine subcommand "explode"/],
    [['engine', 'start', '--prot', '1'], /unknown flag --prot \(known flags: --state-dir, --port, --kubeconfig, --context\)/],
    [['engine', 'status', '--port', '1'], /unknown flag --port/],
    [['engine', 'start', '--port', 'abc'], /flag --port must be a port number from 0 to 65535, not "abc"/],
    [['engine', 'start', '--port', '70000'], /flag --port must be a port number/],
    [['engine', 'start', '--port'], /flag --port needs a value/],
    [['engine', 'start', '--state-dir', ''], /flag --state-dir needs a non-empty value/],
    [['engine', 'start', 'extra'], /unexpected argument "extra"/],
    [['engine', 'start', '--context', 'has space'], /--context "has space" is not a valid name/],
  ])('usage error %j exits 2 with a message', async (args, message) => {
    const r = await skiff(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Run "skiff help" for usage.');
    expect(r.stdout).toBe('');
  });

  it('refuses a port that is in use with a clear error and exit 1', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const { stateDir, kubeconfig } = fresh('busy');
      const r = await skiff(['engine', 'start', '--state-dir', stateDir, '--port', String(port), '--kubeconfig', kubeconfig]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`skiff: port ${port} on 127.0.0.1 is already in use; choose another with --port N, or --port 0 for any free port`);
      // it left nothing behind: no runtime file, no lock, no kubeconfig entry
      expect(existsSync(join(stateDir, 'engine.json'))).toBe(false);
      expect(existsSync(join(stateDir, 'engine.pid'))).toBe(false);
      expect(existsSync(kubeconfig)).toBe(false);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses an unwritable state dir with a clear error and exit 1', async () => {
    // a path below a regular file can never be a directory, even for root
    const dir = join(tmp, `blocked-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'file'), 'not a directory');
    const stateDir = join(dir, 'file', 'sub');
    const r = await skiff(['engine', 'start', '--state-dir', stateDir, '--port', '0', '--kubeconfig', join(dir, 'kubeconfig')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`skiff: cannot use state dir ${stateDir}`);
    expect(r.stderr).toMatch(/ENOTDIR|EEXIST/);
    expect(existsSync(join(dir, 'kubeconfig'))).toBe(false);
  });

  it('status exits 3 when no engine runs', async () => {
    const { stateDir } = fresh('idle');
    const r = await skiff(['engine', 'status', '--state-dir', stateDir]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`not running (state dir ${stateDir})`);
    const stop = await skiff(['engine', 'stop', '--state-dir', stateDir]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('not running');
  });

  it('start, status (running, with the URL), a refused second start, stop', async () => {
    const { stateDir, kubeconfig } = fresh('life');
    const engine = await startEngine(stateDir, kubeconfig);
    const runtime = JSON.parse(readFileSync(join(stateDir, 'engine.json'), 'utf8')) as { pid: number; url: string };
    expect(runtime).toMatchObject({ pid: engine.child.pid, url: engine.url });

    const status = await skiff(['engine', 'status', '--state-dir', stateDir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`running: pid ${engine.child.pid}, ${engine.url}, version ${PKG_VERSION}`);
    expect(status.stdout).toContain(`kubeconfig: ${kubeconfig} (context "skiff")`);

    const second = await skiff(['engine', 'start', '--state-dir', stateDir, '--port', '0', '--kubeconfig', join(tmp, 'second-kubeconfig')]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`an engine is already running for this state dir (pid ${engine.child.pid}, ${engine.url})`);
    expect(second.stderr).toContain(`skiff engine stop --state-dir ${stateDir}`);
    expect(existsSync(join(tmp, 'second-kubeconfig'))).toBe(false);
    // the first one is untouched
    expect(engine.child.exitCode).toBeNull();
    expect(JSON.parse(readFileSync(join(stateDir, 'engine.json'), 'utf8'))).toMatchObject({ pid: engine.child.pid });

    const stop = await skiff(['engine', 'stop', '--state-dir', stateDir]);
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain(`stopped the engine (pid ${engine.child.pid})`);
    expect(await engine.exited).toBe(0);
    expect(engine.output()).toContain('SIGTERM: stopping the engine');
    const after = await skiff(['engine', 'status', '--state-dir', stateDir]);
    expect(after.code).toBe(3);
    expect(after.stdout).toContain('not running');
    expect(existsSync(join(stateDir, 'engine.json'))).toBe(false);
    expect(existsSync(join(stateDir, 'engine.pid'))).toBe(false);
  });

  it('merges its context into --kubeconfig with mode 0600, keeping another current context', async () => {
    const { stateDir, kubeconfig } = fresh('merge');
    mkdirSync(join(kubeconfig, '..'), { recursive: true });
    const existing = [
      '# my clusters',
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: other',
      '  cluster: {server: "https://other.example:6443"}',
      'users:',
      '- name: other',
      '  user: {token: other-token}',
      'contexts:',
      '- name: other',
      '  context: {cluster: other, user: other}',
      'current-context: other',
      '',
    ].join('\n');
    writeFileSync(kubeconfig, existing, { mode: 0o644 });
    const engine = await startEngine(stateDir, kubeconfig, ['--context', 'skiff-test']);
    expect(engine.output()).toContain(`kubeconfig: ${kubeconfig} (context "skiff-test")`);
    expect(engine.output()).not.toContain('now current');

    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const text = readFileSync(kubeconfig, 'utf8');
    expect(text).toContain('# my clusters');
    const cfg = parseYaml(text) as Kubeconfig;
    expect(cfg['current-context']).toBe('other');
    expect(cfg.contexts.map((c) => c.name).sort()).toEqual(['other', 'skiff-test']);
    expect(cfg.clusters.find((c) => c.name === 'other')?.cluster.server).toBe('https://other.example:6443');
    expect(cfg.users.find((u) => u.name === 'other')?.user.token).toBe('other-token');
    const cluster = cfg.clusters.find((c) => c.name === 'skiff-test')?.cluster;
    const token = cfg.users.find((u) => u.name === 'skiff-test')?.user.token;
    expect(cluster?.server).toBe(engine.url);
    expect(token).toBeTruthy();
    // the merged entry works: its CA verifies the server and its token is accepted
    const ca = Buffer.from(cluster?.['certificate-authority-data'] ?? '', 'base64').toString('utf8');
    const v = await getVersion(engine.url, ca, token ?? '');
    expect(v.status).toBe(200);
    expect(v.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    expect((await getVersion(engine.url, ca, 'wrong')).status).toBe(401);

    // with no current context, the engine's becomes current
    const second = fresh('merge-empty');
    const other = await startEngine(second.stateDir, second.kubeconfig);
    expect(other.output()).toContain('now current');
    expect((parseYaml(readFileSync(second.kubeconfig, 'utf8')) as Kubeconfig)['current-context']).toBe('skiff');
    expect(statSync(second.kubeconfig).mode & 0o777).toBe(0o600);
  });

  it('shuts down cleanly on SIGINT: exit 0, runtime file and lock removed, data kept for the next start', async () => {
    const { stateDir, kubeconfig } = fresh('sigint');
    const engine = await startEngine(stateDir, kubeconfig);
    expect(existsSync(join(stateDir, 'engine.json'))).toBe(true);
    const token = readFileSync(join(stateDir, 'token'), 'utf8').trim();
    const ca = readFileSync(join(stateDir, 'pki', 'ca.crt'), 'utf8');
    expect((await getVersion(engine.url, ca, token)).status).toBe(200);

    engine.child.kill('SIGINT');
    expect(await engine.exited).toBe(0);
    expect(engine.output()).toContain('SIGINT: stopping the engine');
    expect(existsSync(join(stateDir, 'engine.json'))).toBe(false);
    expect(existsSync(join(stateDir, 'engine.pid'))).toBe(false);

    // the same state dir starts again with the same credentials
    const again = await startEngine(stateDir, kubeconfig);
    expect(readFileSync(join(stateDir, 'token'), 'utf8').trim()).toBe(token);
    expect((await getVersion(again.url, ca, token)).status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
