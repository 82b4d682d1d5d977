import { spawn, type ChildProcess } from 'node:child_process';
import type { EngineCrash, EngineStatus } from '../contract/cluster';
import { isProcessAlive, liveRuntime, type EngineRuntime } from '../engine/runtime-file';
import type { EngineStatusSource } from './contract-handlers';

export interface EngineSupervisorOptions {
  stateDir: string;
  /** How to run `skiff engine start` (node + bin/skiff.js, or Electron as node + the CLI bundle). */
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Backoff after a crash: doubles from min to max; reset once the engine has run for `stableMs`. */
  restartMinMs?: number;
  restartMaxMs?: number;
  stableMs?: number;
  /** How long a starting engine may take to report ready. */
  startTimeoutMs?: number;
  /** How often an attached engine (one we did not start) is checked for liveness. */
  attachCheckMs?: number;
  /** Lines the engine prints, for a log. */
  onOutput?: (line: string) => void;
}

/**
 * Keeps the state dir's engine running: attaches to one that already runs, or starts `skiff engine start`
 * as a child process (a crash of the engine never takes the console down), restarts it after a crash with
 * backoff, and stops only the child it started.
 */
export class EngineSupervisor implements EngineStatusSource {
  private current: EngineStatus;
  private child: ChildProcess | null = null;
  private readonly listeners = new Set<(status: EngineStatus) => void>();
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private attachTimer: NodeJS.Timeout | null = null;
  private restartDelay: number;
  private startedAt = 0;

  constructor(private readonly options: EngineSupervisorOptions) {
    this.restartDelay = options.restartMinMs ?? 1000;
    this.current = {
      mode: 'managed',
      state: 'stopped',
      url: null,
      context: null,
      stateDir: options.stateDir,
      pid: null,
      restarts: 0,
      message: null,
      crash: null,
    };
  }

  status(): EngineStatus {
    return this.current;
  }

  onChange(listener: (status: EngineStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(patch: Partial<EngineStatus>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener(this.current);
  }

  /** Resolves once the engine answers (attached or started), or rejects when the first start fails. */
  async start(): Promise<EngineStatus> {
    this.stopping = false;
    const running = liveRuntime(this.options.stateDir);
    if (running !== undefined) {
      this.attach(running);
      return this.current;
    }
    await this.spawnEngine();
    return this.current;
  }

  private attach(runtime: EngineRuntime): void {
    this.set({ mode: 'attached', state: 'running', url: runtime.url, context: runtime.context ?? 'skiff', pid: runtime.pid, message: null, crash: null });
    // We do not own the process, so we cannot wait on it: a cheap signal-0 check notices when it goes away.
    this.attachTimer = setInterval(() => {
      if (isProcessAlive(runtime.pid)) return;
      if (this.attachTimer) clearInterval(this.attachTimer);
      this.attachTimer = null;
      if (this.stopping) return;
      this.set({ mode: 'managed', pid: null });
      this.scheduleRestart(`the engine (pid ${runtime.pid}) stopped; starting one`);
    }, this.options.attachCheckMs ?? 2000);
    this.attachTimer.unref();
  }

  private spawnEngine(): Promise<void> {
    const crash = this.current.crash === null ? null : { ...this.current.crash, retryAt: null, backoffMs: null };
    this.set({ mode: 'managed', state: this.current.restarts > 0 || crash !== null ? 'restarting' : 'starting', message: null, crash });
    const child = spawn(this.options.command, this.options.args, {
      env: this.options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: a Ctrl+C in the terminal reaches only us, and we stop the engine in order
      // (a second signal while it shuts down would kill it before it removes its runtime file).
      detached: process.platform !== 'win32',
    });
    this.child = child;
    let output = '';
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        if (error) reject(error);
        else resolve();
      };
      const timeout = setTimeout(() => {
        settle(new Error(`the engine did not report ready within ${this.options.startTimeoutMs ?? 30_000} ms`));
        child.kill('SIGKILL');
      }, this.options.startTimeoutMs ?? 30_000);
      const onData = (chunk: Buffer): void => {
        const textChunk = chunk.toString();
        output = (output + textChunk).slice(-8192);
        for (const line of textChunk.split('\n')) if (line.trim() !== '') this.options.onOutput?.(line);
        const url = /listening on (https:\/\/[^\s]+)/.exec(output)?.[1];
        const context = /\(context "([^"]+)"/.exec(output)?.[1];
        if (url && /ready in \d+ ms/.test(output) && this.current.state !== 'running') {
          this.startedAt = Date.now();
          this.set({ state: 'running', url, context: context ?? 'skiff', pid: child.pid ?? null, message: null, crash: null });
          settle();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('error', (error) => settle(error));
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        const why = signal ? `was killed (${signal})` : `exited with code ${code}`;
        const lastLine = output.trim().split('\n').at(-1) ?? '';
        settle(new Error(`the engine ${why}: ${lastLine}`));
        if (this.stopping) {
          // A stop or a restart asked for this exit: not a crash (an outage in progress stays on record).
          this.set({ state: 'stopped', pid: null, message: null });
          return;
        }
        const wasRunning = this.current.state === 'running';
        if (wasRunning && Date.now() - this.startedAt > (this.options.stableMs ?? 60_000)) this.restartDelay = this.options.restartMinMs ?? 1000;
        // Before it was ready, its last words say why it could not start; after, they are just its start-up report.
        this.scheduleRestart(`the engine ${why}${!wasRunning && lastLine ? `: ${lastLine}` : ''}`);
      });
    });
  }

  private scheduleRestart(reason: string): void {
    if (this.stopping || this.restartTimer !== null) return;
    const delay = this.restartDelay;
    this.restartDelay = Math.min(this.restartDelay * 2, this.options.restartMaxMs ?? 30_000);
    const now = Date.now();
    const previous = this.current.crash;
    const crash: EngineCrash = {
      reason,
      since: previous?.since ?? new Date(now).toISOString(),
      attempt: previous === null ? 1 : previous.attempt + 1,
      retryAt: new Date(now + delay).toISOString(),
      backoffMs: delay,
    };
    this.set({ state: 'crashed', pid: null, message: `${reason}; restarting in ${Math.round(delay / 100) / 10} s`, crash });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.stopping) return;
      this.set({ restarts: this.current.restarts + 1, state: 'restarting' });
      const running = liveRuntime(this.options.stateDir);
      if (running !== undefined) {
        this.attach(running);
        return;
      }
      this.spawnEngine().catch(() => {
        // the exit handler has recorded the failure and scheduled the next attempt
      });
    }, delay);
    this.restartTimer.unref();
  }

  /**
   * Restarts an engine we manage, at once (also the "Restart now" of a crashed one, skipping its backoff);
   * an attached one is left alone (the status says why).
   */
  async restart(): Promise<EngineStatus> {
    if (this.current.mode === 'attached') {
      this.set({ message: 'the engine was started outside this console; restart it where it runs' });
      return this.current;
    }
    const recovering = this.current.state === 'crashed';
    await this.stopChild();
    if (recovering) this.set({ restarts: this.current.restarts + 1 });
    this.stopping = false;
    this.restartDelay = this.options.restartMinMs ?? 1000;
    try {
      await this.spawnEngine();
    } catch {
      // recorded in the status; the exit handler schedules a retry
    }
    return this.current;
  }

  private async stopChild(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  }

  /** Stops the child we started (never an engine we attached to). */
  async stop(): Promise<void> {
    if (this.attachTimer) clearInterval(this.attachTimer);
    this.attachTimer = null;
    await this.stopChild();
    if (this.current.mode === 'attached') this.set({ state: 'stopped', message: 'detached', crash: null });
    else this.set({ state: 'stopped', pid: null, crash: null });
  }
}
