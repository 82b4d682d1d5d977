/**
 * `kubectl port-forward` against the engine with real kubectl binaries: 1.33 over the SPDY-in-WebSocket
 * tunnel (its default), 1.30 over plain SPDY/3.1 (its default), each also the other way round by
 * KUBECTL_PORT_FORWARD_WEBSOCKETS, and every kubectl 1.27-1.33 once, to a busybox httpd in a real container.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness';
import { pinnedKubectl, startStreamsTestEnv, type StreamsTestEnv } from './streams-test-env';

/** `seq 1 250000`: about 1.6 MiB, deterministic, so the test knows every byte. */
const BIG_BODY = Array.from({ length: 250_000 }, (_, i) => `${i + 1}\n`).join('');
const INDEX_BODY = 'hello from skiff-test\n';

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

interface Forward {
  child: ChildProcessWithoutNullStreams;
  out: { stdout: string; stderr: string };
  localPort: number;
  exited: Promise<number | null>;
}

describe('kubectl port-forward (SPDY)', () => {
  let env: StreamsTestEnv;
  const forwards: Forward[] = [];

  async function portForward(bin: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Forward> {
    const child = spawn(bin, ['--cache-dir', join(env.dir, 'kcache'), 'port-forward', ...args], {
      env: { ...process.env, KUBECONFIG: env.kubeconfig, HOME: env.dir, ...extraEnv },
    });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const forward: Forward = { child, out, localPort: 0, exited };
    forwards.push(forward);
    const match = await eventually(() => /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(out.stdout) ?? (child.exitCode !== null ? Promise.reject(new Error(`kubectl exited: ${out.stderr}`)) : undefined), 20_000);
    forward.localPort = Number(match[1]);
    return forward;
  }

  beforeAll(async () => {
    env = await startStreamsTestEnv();
    const web = await env.startContainer({ cmd: ['sh', '-c', 'seq 1 250000 > /var/www/big && exec httpd -f -p 8080 -h /var/www'] });
    env.addPod('web', { main: { id: web } }, { app: 'web' });
    env.addObject('services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
  });
  afterEach(async () => {
    for (const f of forwards.splice(0)) {
      f.child.kill('SIGTERM');
      await f.exited;
    }
    await eventually(() => env.streams.activeSessions() === 0);
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function fetchConcurrently(port: number): Promise<void> {
    const results = await Promise.all([httpGet(port, '/big'), httpGet(port, '/'), httpGet(port, '/big'), httpGet(port, '/'), httpGet(port, '/big')]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const i of [0, 2, 4]) {
      expect(results[i].body.length).toBe(BIG_BODY.length);
      expect(results[i].body === BIG_BODY).toBe(true);
    }
    expect(results[1].body).toBe(INDEX_BODY);
    expect(results[3].body).toBe(INDEX_BODY);
  }

  const TUNNEL = 'GET websocket SPDY/3.1+portforward.k8s.io';
  const PLAIN = 'POST SPDY/3.1 portforward.k8s.io';
  const cases: Array<{ name: string; bin: string; env: NodeJS.ProcessEnv; upgrade: string }> = [
    { name: 'kubectl 1.33 (SPDY tunnelled in WebSocket)', bin: pinnedKubectl(33), env: {}, upgrade: TUNNEL },
    { name: 'kubectl 1.30 (plain SPDY/3.1)', bin: pinnedKubectl(30), env: {}, upgrade: PLAIN },
    { name: 'kubectl 1.33 with the tunnel disabled (plain SPDY/3.1)', bin: pinnedKubectl(33), env: { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }, upgrade: PLAIN },
    { name: 'kubectl 1.30 with the tunnel enabled (SPDY tunnelled in WebSocket)', bin: pinnedKubectl(30), env: { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'true' }, upgrade: TUNNEL },
  ];

  for (const c of cases) {
    it(`${c.name}: pod/web, concurrent requests including a body over 1 MiB`, async () => {
      env.upgradeLog.length = 0;
      const f = await portForward(c.bin, ['pod/web', ':8080'], c.env);
      await eventually(() => env.upgradeLog.length > 0);
      expect(env.upgradeLog).toEqual([c.upgrade]);
      await fetchConcurrently(f.localPort);
      // the connection stays up for later connections
      expect(await httpGet(f.localPort, '/')).toEqual({ status: 200, body: INDEX_BODY });
      expect(f.child.exitCode).toBe(null);
      expect(f.out.stdout).toContain('Handling connection for');
    });
  }

  for (const minor of [33, 30]) {
    it(`kubectl 1.${minor}: a port nothing listens on gives kubectl the kubelet's error; other forwards carry on`, async () => {
      const good = await portForward(pinnedKubectl(minor), ['pod/web', ':8080']);
      const bad = await portForward(pinnedKubectl(minor), ['pod/web', ':8081']);
      await expect(httpGet(bad.localPort, '/')).rejects.toThrow();
      const ip = (await env.resolver.resolve('default', 'web', undefined)).podIP;
      await eventually(() => bad.out.stderr.includes('an error occurred forwarding'));
      expect(bad.out.stderr).toContain(`error forwarding port 8081 to pod `);
      expect(bad.out.stderr).toContain(`dial tcp ${ip}:8081: connect: connection refused`);
      // client-go's handleConnection closes the whole SPDY connection after any error-stream message, so
      // kubectl ends the forward ("lost connection to pod"), exactly as against a real kubelet
      expect(await bad.exited).toBe(1);
      expect(bad.out.stderr).toContain('lost connection to pod');
      // the engine dropped that session and nothing else: the other forward and new ones still work
      expect(await httpGet(good.localPort, '/')).toEqual({ status: 200, body: INDEX_BODY });
      await eventually(() => env.streams.activeSessions() === 1);
      const again = await portForward(pinnedKubectl(minor), ['pod/web', ':8080']);
      expect(await httpGet(again.localPort, '/')).toEqual({ status: 200, body: INDEX_BODY });
    });
  }

  it('every kubectl 1.27-1.33 forwards (SPDY up to 1.30, the tunnel from 1.31)', async () => {
    for (let minor = 27; minor <= 33; minor++) {
      env.upgradeLog.length = 0;
      const f = await portForward(pinnedKubectl(minor), ['pod/web', ':8080']);
      expect(await httpGet(f.localPort, '/big')).toEqual({ status: 200, body: BIG_BODY });
      expect(env.upgradeLog, `kubectl 1.${minor}`).toEqual([minor >= 31 ? TUNNEL : PLAIN]);
      f.child.kill('SIGTERM');
      await f.exited;
    }
  });

  it('kubectl 1.33: svc/web maps the Service port to the pod target port', async () => {
    const f = await portForward(pinnedKubectl(33), ['svc/web', ':80']);
    expect(f.out.stdout).toMatch(/Forwarding from 127\.0\.0\.1:\d+ -> 8080/);
    await fetchConcurrently(f.localPort);
  });

  it('kubectl 1.30: svc/web over plain SPDY', async () => {
    const f = await portForward(pinnedKubectl(30), ['svc/web', ':80']);
    await fetchConcurrently(f.localPort);
  });

  it('engine shutdown ends SPDY sessions of both transports, and kubectl notices', async () => {
    const tunnel = await portForward(pinnedKubectl(33), ['pod/web', ':8080']);
    const plain = await portForward(pinnedKubectl(30), ['pod/web', ':8080']);
    expect(await httpGet(tunnel.localPort, '/')).toEqual({ status: 200, body: INDEX_BODY });
    expect(await httpGet(plain.localPort, '/')).toEqual({ status: 200, body: INDEX_BODY });
    expect(env.streams.activeSessions()).toBe(2);
    env.streams.stop();
    expect(env.streams.activeSessions()).toBe(0);
    expect(await tunnel.exited).toBe(1);
    expect(await plain.exited).toBe(1);
    expect(plain.out.stderr).toContain('lost connection to pod');
  });
});
