// Shared benchmark helpers: percentiles, a table printer, an HTTPS client for the engine, process control.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[i];
}

export function fmt(n, digits = 1) {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

/** Print rows as a Markdown table (also valid for docs/benchmarks.md). */
export function printTable(title, headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(line(headers));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}

export function writeResults(name, data) {
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ name, date: new Date().toISOString(), node: process.version, ...data }, null, 2) + '\n');
  console.log(`\nresults written to ${file}`);
}

/** Start `skiff engine start` as a child process; resolves when its URL is printed. */
export function startEngineProcess(stateDir, extraArgs = [], env = {}) {
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'skiff.js'), 'engine', 'start', '--state-dir', stateDir, '--port', '0', '--kubeconfig', join(stateDir, 'kubeconfig'), ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && !child.__resolved) {
        child.__resolved = true;
        resolve({ child, url: m[1], t0 });
      }
    });
    child.stderr.on('data', (d) => (out += d.toString()));
    child.on('exit', (code) => {
      if (!child.__resolved) reject(new Error(`engine exited with ${code}: ${out}`));
    });
  });
}

export function engineClient(stateDir, url) {
  const ca = readFileSync(join(stateDir, 'pki', 'ca.crt'), 'utf8');
  const token = readFileSync(join(stateDir, 'token'), 'utf8').trim();
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64, ca });
  const request = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = https.request(
        `${url}${path}`,
        {
          method,
          agent,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(data ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  return { request, agent, ca, token };
}

export function podManifest(name, labels = { app: 'bench' }) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'busybox:local', command: ['sh', '-c', 'sleep 3600'], ports: [{ containerPort: 80 }] }] },
  };
}

/** Import a TypeScript module of the project (bundled on the fly with esbuild), e.g. the test-image builder. */
export async function importTs(relPath) {
  const { build } = await import('esbuild');
  const { mkdtempSync } = await import('node:fs');
  // Bundle inside the project so the bundle's external requires (dockerode, better-sqlite3) resolve.
  const cache = join(ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const out = join(mkdtempSync(join(cache, 'skiff-bench-ts-')), 'mod.cjs');
  await build({ entryPoints: [join(ROOT, relPath)], bundle: true, platform: 'node', format: 'cjs', outfile: out, external: ['better-sqlite3', 'dockerode', '@peculiar/x509', 'reflect-metadata'], logLevel: 'error' });
  const { createRequire } = await import('node:module');
  return createRequire(join(ROOT, 'package.json'))(out);
}

/** Run a command and resolve with its stdout (rejects with stderr on a non-zero exit). */
export function sh(cmd, args, env = {}, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err}`))));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/**
 * Which data path carries an engine's Service traffic: "kernel" while its own nat chain (chainPrefix of its
 * cluster id) holds a DNAT rule (to `destination` when given), else "user space".
 */
export async function forwardingPath(stateDir, destination) {
  const { chainPrefix } = await importTs('src-main/engine/lb/kernel-forwarding.ts');
  const out = `-A ${chainPrefix(readFileSync(join(stateDir, 'cluster-id'), 'utf8').trim())}-OUT `;
  const nat = await sh('iptables-save', ['-t', 'nat']).catch(() => '');
  const dnat = destination ? `-j DNAT --to-destination ${destination}` : '-j DNAT';
  return nat.split('\n').some((l) => l.startsWith(out) && l.includes(dnat)) ? 'kernel' : 'user space';
}
