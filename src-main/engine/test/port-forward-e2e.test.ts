/**
 * `kubectl port-forward` end to end: the whole engine (API server, controllers, kubelet on real Docker) and
 * real kubectl 1.33 (SPDY tunnelled in WebSocket) and 1.30 (plain SPDY), to a Deployment's pod directly, by
 * Deployment, and through a Service whose targetPort is a port name.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { eventually } from './harness';
import { isPodReady, startRuntimeEngine, type RuntimeEngine } from './runtime-harness';
import { TEST_IMAGE } from './test-images';

const KUBECTL_TUNNEL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const KUBECTL_PLAIN_SPDY = '/usr/lib/google-cloud-sdk/bin/kubectl.1.30';
/** `seq 1 200000` on the pod: about 1.3 MiB that the test can rebuild byte for byte. */
const BIG = Array.from({ length: 200_000 }, (_, i) => `${i + 1}\n`).join('');

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('kubectl port-forward end to end (real engine, real Docker)', () => {
  let e: RuntimeEngine;
  const children: ChildProcessWithoutNullStreams[] = [];
  let podName = '';

  async function forward(bin: string, target: string, port: string): Promise<number> {
    const child = spawn(bin, ['port-forward', target, `:${port}`], { env: { ...process.env, KUBECONFIG: e.kubeconfig, HOME: e.stateDir } });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const m = await eventually(() => /Forwarding from 127\.0\.0\.1:(\d+)/.exec(out) ?? (child.exitCode !== null ? Promise.reject(new Error(err)) : undefined), 20_000);
    return Number(m[1]);
  }

  beforeAll(async () => {
    e = await startRuntimeEngine();
    await e.ok(
      ['apply', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: 'web',
                  image: TEST_IMAGE,
                  command: ['sh', '-c', 'mkdir -p /www && echo hello > /www/index.html && seq 1 200000 > /www/big && exec httpd -f -p 8080 -h /www'],
                  ports: [{ name: 'http', containerPort: 8080 }],
                },
              ],
            },
          },
        },
      }),
    );
    await e.ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }));
    await e.ok(['rollout', 'status', 'deploy/web', '--timeout=90s']);
    const pods = await eventually(async () => (await e.json<{ items: KubeObject[] }>(['get', 'pods', '-l', 'app=web'])).items.filter(isPodReady));
    podName = pods[0].metadata.name ?? '';
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.kill('SIGTERM');
      if (c.exitCode === null) await new Promise((r) => c.once('exit', r));
    }
  });
  afterAll(async () => {
    await e?.stop();
  });

  for (const [label, bin] of [
    ['1.33 (tunnel)', KUBECTL_TUNNEL],
    ['1.30 (plain SPDY)', KUBECTL_PLAIN_SPDY],
  ]) {
    it(`kubectl ${label}: pod, deploy/ and svc/ with a named targetPort`, async () => {
      const direct = await forward(bin, `pod/${podName}`, '8080');
      const byDeploy = await forward(bin, 'deploy/web', '8080');
      const bySvc = await forward(bin, 'svc/web', '80');
      const bodies = await Promise.all([get(direct, '/big'), get(byDeploy, '/big'), get(bySvc, '/big'), get(bySvc, '/')]);
      expect(bodies.slice(0, 3).map((b) => b === BIG)).toEqual([true, true, true]);
      expect(bodies[3]).toBe('hello\n');
    });
  }
});
