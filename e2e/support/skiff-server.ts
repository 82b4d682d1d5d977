import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { ensureTestImage } from '../../src-main/engine/test/test-images';
import { removeForwardingRules } from '../../src-main/engine/lb/kernel-forwarding';

const projectRoot = path.resolve(__dirname, '..', '..');
const LABEL_CLUSTER = 'dev.skiff.cluster';

/** The context that points at a port nothing listens on: the console must say so and keep the others working. */
export const UNREACHABLE_CONTEXT = 'unreachable';

/** `skiff serve` with its own state dir, HOME and kubeconfig, on the real engine and Docker. */
export interface SkiffServer {
  url: string;
  stateDir: string;
  stop(): Promise<void>;
}

/** A kubeconfig with one context whose server refuses connections. */
export function brokenKubeconfig(): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: nowhere',
    '    cluster:',
    '      server: https://127.0.0.1:1',
    '      insecure-skip-tls-verify: true',
    'users:',
    '  - name: nobody',
    '    user:',
    '      token: not-a-real-token',
    'contexts:',
    `  - name: ${UNREACHABLE_CONTEXT}`,
    '    context:',
    '      cluster: nowhere',
    '      user: nobody',
    'current-context: unreachable',
    '',
  ].join('\n');
}

/** Every Docker object labelled with the engine's cluster id (pods, sandboxes, networks, volumes). */
export async function removeClusterObjects(docker: Docker, clusterId: string): Promise<void> {
  const filters = JSON.stringify({ label: [`${LABEL_CLUSTER}=${clusterId}`] });
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  // the kernel path's iptables rules, left when the engine was killed (none where iptables is not ours to use)
  await removeForwardingRules(clusterId).catch(() => undefined);
}

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number, output: string[]): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const match = output.join('').match(pattern);
      if (match !== null) {
        cleanup();
        resolve(match);
        return true;
      }
      return false;
    };
    const onData = (): void => void check();
    const onExit = (code: number | null): void => {
      cleanup();
      reject(new Error(`skiff serve exited (${code}) before printing ${pattern}:\n${output.join('')}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${pattern}:\n${output.join('')}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
    check();
  });
}

export async function startSkiffServer(): Promise<SkiffServer> {
  if (!existsSync(path.join(projectRoot, 'out', 'renderer', 'index.html'))) throw new Error('run `npm run build` before the e2e specs');
  const docker = new Docker();
  await ensureTestImage(docker);
  const root = await mkdtemp(path.join(os.tmpdir(), 'skiff-e2e-'));
  const stateDir = path.join(root, 'state');
  const home = path.join(root, 'home');
  const kubeconfig = path.join(root, 'kubeconfig.yaml');
  await writeFile(kubeconfig, brokenKubeconfig(), { mode: 0o600 });
  const output: string[] = [];
  const child = spawn(process.execPath, [path.join(projectRoot, 'bin', 'skiff.js'), 'serve', '--port', '0', '--state-dir', stateDir], {
    cwd: projectRoot,
    env: { ...process.env, HOME: home, KUBECONFIG: kubeconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    const idFile = path.join(stateDir, 'cluster-id');
    if (existsSync(idFile)) await removeClusterObjects(docker, readFileSync(idFile, 'utf8').trim());
    await rm(root, { recursive: true, force: true });
  };
  try {
    const [, url] = await waitForOutput(child, /(http:\/\/127\.0\.0\.1:\d+\/\S*token=\S+)/, 60_000, output);
    await waitForOutput(child, /engine (?:started|attached)/, 90_000, output);
    return { url, stateDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
