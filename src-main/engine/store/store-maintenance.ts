/**
 * Keeps WAL checkpoints and history pruning off the request path: a worker thread with its own SQLite
 * connection moves the WAL into the database file (the only step that fsyncs) and deletes expired watch
 * history, while the main connection only appends to the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const prune = db.prepare('DELETE FROM events WHERE rv <= ?');
const fs = require('node:fs');
const walFile = workerData.file + '-wal';
let pruneTo = 0;
let pruned = 0;
parentPort.on('message', (m) => {
  if (m.type === 'prune') pruneTo = Math.max(pruneTo, m.rv);
  if (m.type === 'stop') { try { db.close(); } catch {} process.exit(0); }
});
setInterval(() => {
  try {
    if (pruneTo > pruned) { prune.run(pruneTo); pruned = pruneTo; }
    let walSize = 0;
    try { walSize = fs.statSync(walFile).size; } catch {}
    // Under a sustained burst a passive checkpoint never catches up; past the cap, make writers wait once.
    db.pragma(walSize > workerData.walCapBytes ? 'wal_checkpoint(RESTART)' : 'wal_checkpoint(PASSIVE)');
  } catch {
    // busy or closing: next round
  }
}, workerData.intervalMs);
`;

function driverPath(): string {
  // Works both in the CommonJS bundle and under the test runner's ES modules.
  const req = typeof require === 'function' ? require : createRequire(`${process.cwd()}/package.json`);
  return req.resolve('better-sqlite3');
}

export class StoreMaintenance {
  private worker: Worker | undefined;

  constructor(file: string, intervalMs = 1000) {
    try {
      this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver: driverPath(), intervalMs, walCapBytes: 256 * 1024 * 1024 } });
      this.worker.unref();
      this.worker.on('error', () => {
        this.worker = undefined;
      });
    } catch {
      this.worker = undefined;
    }
  }

  /** Whether maintenance runs in the background (else the caller checkpoints inline). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  pruneThrough(rv: number): void {
    this.worker?.postMessage({ type: 'prune', rv });
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage({ type: 'stop' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    await w.terminate().catch(() => undefined);
  }
}
