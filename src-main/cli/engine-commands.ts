/** `skiff engine start|status|stop`. */
import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join, resolve } from 'node:path';
import { Engine } from '../engine/engine';
import { defaultKubeconfigPath, mergeEngineContext } from '../engine/kubeconfig';
import { acquireLock, EngineAlreadyRunning, isProcessAlive, liveRuntime, readRuntime, removeRuntime, writeRuntime } from '../engine/runtime-file';
import { parseFlags, UsageError, type FlagSpec } from './args';
import { defaultStateDir } from './paths';

export const DEFAULT_PORT = 6443;

export const START_FLAGS = {
  'state-dir': { type: 'string', description: 'where the engine keeps its state (default: the user data dir)' },
  port: { type: 'port', description: `HTTPS port on 127.0.0.1 (default ${DEFAULT_PORT}, or a free one if taken; 0 = any free port)` },
  kubeconfig: { type: 'string', description: 'kubeconfig file to merge the context into (default: $KUBECONFIG or ~/.kube/config)' },
  context: { type: 'string', description: 'name of the context, cluster and user (default "skiff")' },
} satisfies FlagSpec;

export const STATE_FLAGS = {
  'state-dir': { type: 'string', description: 'the engine state dir (default: the user data dir)' },
} satisfies FlagSpec;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function prepareStateDir(dir: string): string {
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true, mode: 0o700 });
    accessSync(abs, constants.W_OK | constants.R_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CliError(`cannot use state dir ${abs}: ${e.code ?? ''} ${e.message.replace(/^[A-Z]+: /, '')}`.trim());
  }
  return abs;
}

function isAddrInUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'EADDRINUSE';
}

const CONTEXT_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.@]*[A-Za-z0-9])?$/;

/** Runs until SIGINT/SIGTERM. Resolves with the exit code. */
export async function engineStart(argv: string[], io: Io, version: string): Promise<number> {
  const t0 = performance.now();
  const flags = parseFlags(argv, START_FLAGS);
  const context = flags.context ?? 'skiff';
  if (!CONTEXT_NAME.test(context) || context.length > 253) {
    throw new UsageError(`--context ${JSON.stringify(context)} is not a valid name (letters, digits, '-', '_', '.', '@')`);
  }
  const stateDir = prepareStateDir(flags['state-dir'] ?? defaultStateDir());
  const kubeconfig = resolve(flags.kubeconfig ?? defaultKubeconfigPath());
  let release: () => void;
  try {
    release = acquireLock(stateDir);
  } catch (err) {
    if (err instanceof EngineAlreadyRunning) throw new CliError(`${err.message}; stop it with: skiff engine stop --state-dir ${stateDir}`);
    throw new CliError(`cannot lock state dir ${stateDir}: ${(err as Error).message}`);
  }
  let engine: Engine;
  try {
    const requested = flags.port;
    try {
      engine = await Engine.start({ stateDir, port: requested ?? DEFAULT_PORT, skiffVersion: version, log: (line) => io.out(line) });
    } catch (err) {
      if (!isAddrInUse(err)) throw err;
      if (requested !== undefined) {
        throw new CliError(`port ${requested} on 127.0.0.1 is already in use; choose another with --port N, or --port 0 for any free port`);
      }
      engine = await Engine.start({ stateDir, port: 0, skiffVersion: version, log: (line) => io.out(line) });
      io.out(`port ${DEFAULT_PORT} is in use; using port ${engine.port} instead`);
    }
  } catch (err) {
    release();
    if (err instanceof CliError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EACCES' || e.code === 'EROFS' || e.code === 'ENOTDIR' || e.code === 'EPERM') {
      throw new CliError(`cannot use state dir ${stateDir}: ${e.message}`);
    }
    throw new CliError(`the engine failed to start: ${e.message}`);
  }
  let madeCurrent = false;
  try {
    madeCurrent = mergeEngineContext(kubeconfig, { name: context, server: engine.url, caCert: engine.pki.caCert, token: engine.pki.token }).madeCurrent;
  } catch (err) {
    await engine.stop();
    release();
    throw new CliError(`cannot write kubeconfig ${kubeconfig}: ${(err as Error).message}`);
  }
  writeRuntime(stateDir, {
    pid: process.pid,
    port: engine.port,
    url: engine.url,
    version,
    startedAt: new Date().toISOString(),
    kubeconfig,
    context,
  });
  io.out(`Skiff engine ${version} listening on ${engine.url}`);
  io.out(`state: ${stateDir}`);
  io.out(`kubeconfig: ${kubeconfig} (context "${context}"${madeCurrent ? ', now current' : ''})`);
  io.out(`ready in ${Math.round(performance.now() - t0)} ms — try: kubectl --context ${context} get namespaces`);
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      io.out(`${signal}: stopping the engine`);
      engine
        .stop()
        .catch((e: unknown) => io.err(`error while stopping: ${(e as Error).message}`))
        .finally(() => {
          removeRuntime(stateDir);
          release();
          resolveExit(0);
        });
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
}

function probeReady(url: string, caFile: string): Promise<boolean> {
  return new Promise((res) => {
    let ca: string;
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch {
      res(false);
      return;
    }
    const req = https.get(`${url}/readyz`, { ca, timeout: 2000 }, (r) => {
      r.resume();
      res(r.statusCode === 200);
    });
    req.on('error', () => res(false));
    req.on('timeout', () => {
      req.destroy();
      res(false);
    });
  });
}

/** Exit 0 when running and ready, 3 when not running (LSB convention). */
export async function engineStatus(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, STATE_FLAGS);
  const stateDir = resolve(flags['state-dir'] ?? defaultStateDir());
  const rt = liveRuntime(stateDir);
  if (!rt) {
    io.out(`not running (state dir ${stateDir})`);
    return 3;
  }
  const ready = await probeReady(rt.url, join(stateDir, 'pki', 'ca.crt'));
  io.out(`${ready ? 'running' : 'starting (not ready)'}: pid ${rt.pid}, ${rt.url}, version ${rt.version}, since ${rt.startedAt}`);
  if (rt.kubeconfig) io.out(`kubeconfig: ${rt.kubeconfig} (context "${rt.context ?? 'skiff'}")`);
  io.out(`state: ${stateDir}`);
  return ready ? 0 : 1;
}

export async function engineStop(argv: string[], io: Io): Promise<number> {
  const flags = parseFlags(argv, STATE_FLAGS);
  const stateDir = resolve(flags['state-dir'] ?? defaultStateDir());
  const rt = readRuntime(stateDir);
  if (!rt || !isProcessAlive(rt.pid)) {
    io.out(`not running (state dir ${stateDir})`);
    return 0;
  }
  process.kill(rt.pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!isProcessAlive(rt.pid)) {
      io.out(`stopped the engine (pid ${rt.pid})`);
      return 0;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new CliError(`the engine (pid ${rt.pid}) did not stop within 20 s`);
}
