/**
 * `kubectl exec` and `kubectl attach` over SPDY/3.1 against real Docker containers: kubectl 1.27 and 1.29
 * (SPDY is all they speak for exec) and 1.33 with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false; then the
 * protocol itself with a bare SPDY client (TTY and resize, v2, engine shutdown).
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, run } from '../../test/harness';
import { SpdyTestClient } from './spdy/spdy-test-client';
import { pinnedKubectl, startStreamsTestEnv, type StreamsTestEnv } from './streams-test-env';

/** `seq 1 250000`: about 1.6 MiB, every byte known. */
const BIG = Array.from({ length: 250_000 }, (_, i) => `${i + 1}\n`).join('');
const SPDY_UPGRADE = /^POST SPDY\/3\.1 (v5\.channel\.k8s\.io, )?v4\.channel\.k8s\.io, v3\.channel\.k8s\.io, v2\.channel\.k8s\.io, channel\.k8s\.io$/;

const CLIENTS: Array<{ name: string; minor: number; env: NodeJS.ProcessEnv }> = [
  { name: 'kubectl 1.27', minor: 27, env: {} },
  { name: 'kubectl 1.29', minor: 29, env: {} },
  { name: 'kubectl 1.33 with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false', minor: 33, env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' } },
];

interface SpdySession {
  res: IncomingMessage;
  socket: Duplex;
  client: SpdyTestClient;
  closed: Promise<void>;
}

/** Upgrade to SPDY/3.1 the way client-go does, and put a SPDY client on the socket. */
function spdyUpgrade(env: StreamsTestEnv, path: string, protocols: string[]): Promise<SpdySession> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${env.url}${path}`, {
      method: 'POST',
      ca: env.ca,
      headers: { Authorization: `Bearer ${env.token}`, Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': protocols },
    });
    req.on('upgrade', (res: IncomingMessage, socket: Duplex) => {
      const client = new SpdyTestClient((b) => socket.write(b));
      socket.on('data', (b: Buffer) => client.push(b));
      const closed = new Promise<void>((r) => socket.on('close', () => r()));
      resolve({ res, socket, client, closed });
    });
    req.on('response', (res: IncomingMessage) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => reject(new Error(`${res.statusCode} ${body}`)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('kubectl exec and attach over SPDY', () => {
  let env: StreamsTestEnv;

  beforeAll(async () => {
    env = await startStreamsTestEnv();
    const [shell, main, side, ticker] = await Promise.all([
      env.startContainer({ cmd: ['sleep', '3600'] }),
      env.startContainer({ cmd: ['sh', '-c', 'echo i-am-main > /tmp/name; exec sleep 3600'] }),
      env.startContainer({ cmd: ['sh', '-c', 'echo i-am-side > /tmp/name; exec sleep 3600'] }),
      env.startContainer({ cmd: ['sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick-$i; echo tock-$i >&2; sleep 0.2; done'] }),
    ]);
    env.addPod('shell', { main: { id: shell } });
    env.addPod('two', { main: { id: main }, side: { id: side } });
    env.addPod('ticker', { main: { id: ticker } });
  });
  afterAll(async () => {
    await env?.stop();
  });

  for (const c of CLIENTS) {
    describe(c.name, () => {
      const kubectl = (args: string[], input?: string): ReturnType<StreamsTestEnv['kubectl']> => env.kubectl(pinnedKubectl(c.minor), args, { env: c.env, input });

      it('keeps stdout and stderr apart and exits with the command\'s code', async () => {
        env.upgradeLog.length = 0;
        const r = await kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
        expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n' });
        expect(env.upgradeLog).toHaveLength(1);
        expect(env.upgradeLog[0]).toMatch(SPDY_UPGRADE);
        expect(await kubectl(['exec', 'shell', '--', 'true'])).toEqual({ code: 0, stdout: '', stderr: '' });
      });

      it('pipes stdin (-i), a body over 1 MiB byte for byte, and output over 1 MiB', async () => {
        expect(await kubectl(['exec', '-i', 'shell', '--', 'cat'], 'hi\nthere\n')).toEqual({ code: 0, stdout: 'hi\nthere\n', stderr: '' });
        const big = await kubectl(['exec', '-i', 'shell', '--', 'cat'], BIG);
        expect(big.code).toBe(0);
        expect(big.stdout.length).toBe(BIG.length);
        expect(big.stdout === BIG).toBe(true);
        const counted = await kubectl(['exec', '-i', 'shell', '--', 'wc', '-c'], BIG);
        expect(counted.stdout.trim()).toBe(String(BIG.length));
        const out = await kubectl(['exec', 'shell', '--', 'seq', '1', '250000']);
        expect(out.stdout === BIG).toBe(true);
      });

      it('selects the container with -c', async () => {
        expect((await kubectl(['exec', 'two', '-c', 'side', '--', 'cat', '/tmp/name'])).stdout).toBe('i-am-side\n');
        expect((await kubectl(['exec', 'two', '-c', 'main', '--', 'cat', '/tmp/name'])).stdout).toBe('i-am-main\n');
      });

      it('fails clearly: unknown container, a command that does not exist', async () => {
        const unknown = await kubectl(['exec', 'shell', '-c', 'nope', '--', 'true']);
        expect(unknown).toEqual({ code: 1, stdout: '', stderr: 'Error from server (BadRequest): container nope is not valid for pod shell\n' });
        const missing = await kubectl(['exec', 'shell', '--', 'no-such-command']);
        expect(missing.code).toBe(127);
        expect(missing.stdout).toBe('');
        expect(missing.stderr).toContain('exec: "no-such-command": executable file not found in $PATH');
        expect(missing.stderr).toContain('command terminated with exit code 127');
      });

      it('attaches to a running container\'s output', async () => {
        env.upgradeLog.length = 0;
        const child = spawn(pinnedKubectl(c.minor), ['--cache-dir', join(env.dir, 'kcache'), 'attach', 'ticker'], {
          env: { ...process.env, KUBECONFIG: env.kubeconfig, HOME: env.dir, ...c.env },
        });
        const out = { stdout: '', stderr: '' };
        child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
        const exited = new Promise((r) => child.on('exit', r));
        try {
          await eventually(() => /tick-\d+\n.*tick-\d+\n/s.test(out.stdout) && /tock-\d+\n/.test(out.stderr), 15_000);
          expect(env.streams.activeSessions()).toBe(1);
          expect(env.upgradeLog).toHaveLength(1);
          expect(env.upgradeLog[0]).toMatch(SPDY_UPGRADE);
        } finally {
          child.kill('SIGTERM');
          await exited;
        }
        await eventually(() => env.streams.activeSessions() === 0);
        // attach only listens: the container runs on
        const info = await env.docker.getContainer((await env.resolver.resolve('default', 'ticker', undefined)).id).inspect();
        expect(info.State.Running).toBe(true);
      });

      it('runs with a terminal under exec -it (script(1) gives kubectl a pty)', async () => {
        const flags = Object.entries(c.env).map(([k, v]) => `${k}=${v ?? ''} `).join('');
        // size script's pty first: kubectl sends that size on the resize stream
        const cmd = `stty cols 97 rows 33; ${flags}${pinnedKubectl(c.minor)} --cache-dir ${join(env.dir, 'kcache')} exec -it shell -- sh -c 'test -t 0 && test -t 1 && echo tty; sleep 0.5; stty size'`;
        env.upgradeLog.length = 0;
        const r = await run('/usr/bin/script', ['-qec', cmd, '/dev/null'], { KUBECONFIG: env.kubeconfig, HOME: env.dir }, '');
        expect(r.code).toBe(0);
        expect(r.stdout).toContain('tty\r\n');
        expect(r.stdout).toContain('33 97\r\n');
        expect(env.upgradeLog).toHaveLength(1);
        expect(env.upgradeLog[0]).toMatch(SPDY_UPGRADE);
      });
    });
  }

  describe('the protocol, with a bare SPDY client', () => {
    const EXEC = '/api/v1/namespaces/default/pods/shell/exec';

    it('v4 with a TTY: 101 names the protocol, the resize stream sizes the terminal, the Status ends it', async () => {
      const s = await spdyUpgrade(env, `${EXEC}?command=sh&command=-c&command=sleep%200.5;%20stty%20size&stdin=true&stdout=true&tty=true`, ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io']);
      expect(s.res.statusCode).toBe(101);
      expect(s.res.headers).toMatchObject({ connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'v4.channel.k8s.io' });
      await s.client.open(1, [['streamtype', 'error']]);
      await s.client.open(3, [['streamtype', 'stdin']]);
      await s.client.open(5, [['streamtype', 'stdout']]);
      await s.client.open(7, [['streamtype', 'resize']]);
      s.client.data(7, '{"Width":100,"Height":30}\n');
      s.client.ping(1);
      await s.closed;
      await s.client.settled();
      expect(s.client.failure).toBeUndefined();
      expect([1, 3, 5, 7].map((id) => s.client.streams.get(id)?.replied)).toEqual([true, true, true, true]);
      expect(s.client.pings).toEqual([1]);
      expect(s.client.text(5)).toContain('30 100');
      expect(s.client.text(1)).toBe('{"metadata":{},"status":"Success"}');
      expect(s.client.goAway?.status).toBe(0);
      await s.client.close();
      await eventually(() => env.streams.activeSessions() === 0);
    });

    it('v2: no resize stream; a failure is plain text on the error stream', async () => {
      const s = await spdyUpgrade(env, `${EXEC}?command=sh&command=-c&command=echo%20x;%20exit%205&stdout=true&stderr=true`, ['v2.channel.k8s.io']);
      expect(s.res.headers['x-stream-protocol-version']).toBe('v2.channel.k8s.io');
      await s.client.open(1, [['streamtype', 'error']]);
      await s.client.open(3, [['streamtype', 'stdout']]);
      await s.client.open(5, [['streamtype', 'stderr']]);
      await s.closed;
      await s.client.settled();
      expect(s.client.text(3)).toBe('x\n');
      expect(s.client.text(1)).toBe('command terminated with non-zero exit code: error executing command [sh -c echo x; exit 5], exit code 5');
      await s.client.close();
    });

    it('engine shutdown ends a SPDY exec (while waiting for streams, and while running)', async () => {
      const waiting = await spdyUpgrade(env, `${EXEC}?command=sleep&command=60&stdout=true`, ['v4.channel.k8s.io']);
      const running = await spdyUpgrade(env, `${EXEC}?command=sleep&command=60&stdout=true`, ['v4.channel.k8s.io']);
      await running.client.open(1, [['streamtype', 'error']]);
      await running.client.open(3, [['streamtype', 'stdout']]);
      await eventually(() => env.streams.activeSessions() === 2);
      env.streams.stop();
      expect(env.streams.activeSessions()).toBe(0);
      await Promise.all([waiting.closed, running.closed]);
      await waiting.client.close();
      await running.client.close();
    });
  });
});
