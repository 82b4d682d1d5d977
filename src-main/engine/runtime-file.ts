/**
 * The running engine of a state dir: an exclusive pid lock and a small JSON file that `skiff engine
 * status|stop` and the desktop app read to find (and attach to) it.
 */
import { closeSync, existsSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface EngineRuntime {
  pid: number;
  port: number;
  url: string;
  version: string;
  startedAt: string;
  kubeconfig?: string;
  context?: string;
}

const LOCK = 'engine.pid';
const RUNTIME = 'engine.json';

export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class EngineAlreadyRunning extends Error {
  constructor(
    readonly pid: number,
    readonly runtime: EngineRuntime | undefined,
  ) {
    super(`an engine is already running for this state dir (pid ${pid}${runtime ? `, ${runtime.url}` : ''})`);
  }
}

/** Take the state dir's lock for this process; a lock left by a dead process is taken over. */
export function acquireLock(stateDir: string): () => void {
  const file = join(stateDir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (isProcessAlive(pid) && pid !== process.pid) throw new EngineAlreadyRunning(pid, readRuntime(stateDir));
      try {
        unlinkSync(file);
      } catch {
        // raced with another starter; try again
      }
    }
  }
  throw new Error(`could not take the engine lock ${file}`);
}

export function writeRuntime(stateDir: string, rt: EngineRuntime): void {
  const file = join(stateDir, RUNTIME);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(rt, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

export function removeRuntime(stateDir: string): void {
  try {
    unlinkSync(join(stateDir, RUNTIME));
  } catch {
    // not there
  }
}

/** The runtime file if it parses; undefined when missing or garbage. */
export function readRuntime(stateDir: string): EngineRuntime | undefined {
  const file = join(stateDir, RUNTIME);
  if (!existsSync(file)) return undefined;
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof v !== 'object' || v === null) return undefined;
    const r = v as Record<string, unknown>;
    if (typeof r.pid !== 'number' || typeof r.port !== 'number' || typeof r.url !== 'string') return undefined;
    return {
      pid: r.pid,
      port: r.port,
      url: r.url,
      version: typeof r.version === 'string' ? r.version : '',
      startedAt: typeof r.startedAt === 'string' ? r.startedAt : '',
      kubeconfig: typeof r.kubeconfig === 'string' ? r.kubeconfig : undefined,
      context: typeof r.context === 'string' ? r.context : undefined,
    };
  } catch {
    return undefined;
  }
}

/** The live engine of a state dir, if its process is alive. */
export function liveRuntime(stateDir: string): EngineRuntime | undefined {
  const rt = readRuntime(stateDir);
  return rt && isProcessAlive(rt.pid) ? rt : undefined;
}
