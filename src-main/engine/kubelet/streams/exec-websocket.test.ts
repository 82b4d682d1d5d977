/** exec and attach over WebSocket against real Docker containers, driven by real kubectl and client-node. */
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, run } from '../../test/harness';
import { decodeFrame, encodeFrame } from './channel-protocol';
import { DEFAULT_KUBECTL, pinnedKubectl, startStreamsTestEnv, type StreamsTestEnv } from './streams-test-env';

interface RawSession {
  protocol: string;
  frames: Array<[number, string]>;
  closeCode: number;
}

/** A bare WebSocket client: connect, send frames, collect what comes back until the server closes. */
function rawSession(env: StreamsTestEnv, path: string, protocols: string[], send: (ws: WebSocket) => void = () => undefined): Promise<RawSession> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${env.url.replace('https', 'wss')}${path}`, protocols, { ca: env.ca, headers: { Authorization: `Bearer ${env.token}` } });
    const frames: Array<[number, string]> = [];
    ws.on('open', () => send(ws));
    ws.on('message', (data: Buffer) => {
      const f = decodeFrame(data);
      if (f) frames.push([f.channel, f.payload.toString()]);
    });
    ws.on('close', (code) => resolve({ protocol: ws.protocol, frames, closeCode: code }));
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => reject(new Error(`${res.statusCode} ${body}`)));
    });
    ws.on('error', reject);
  });
}

const EXEC = '/api/v1/namespaces/default/pods/shell/exec';

describe('pods/exec and pods/attach', () => {
  let env: StreamsTestEnv;
  let kc: k8s.KubeConfig;

  beforeAll(async () => {
    env = await startStreamsTestEnv();
    const [shell, attached, stopped] = await Promise.all([
      env.startContainer({ cmd: ['sleep', '3600'] }),
      env.startContainer({ cmd: ['sh', '-c', 'while read l; do echo got:$l; done'], openStdin: true }),
      env.startContainer({ cmd: ['true'] }),
    ]);
    env.addPod('shell', { main: { id: shell } });
    env.addPod('attached', { main: { id: attached } });
    env.addPod('stopped', { main: { id: stopped } });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(env.kubeconfig);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it.each([30, 31, 32, 33])('kubectl 1.%i pipes stdin through cat', async (minor) => {
    const r = await env.kubectl(pinnedKubectl(minor), ['exec', '-i', 'shell', '--', 'cat'], { input: 'hi\nthere\n' });
    expect(r).toMatchObject({ code: 0, stdout: 'hi\nthere\n', stderr: '' });
  });

  it('kubectl exec propagates the exit code and keeps stdout and stderr apart', async () => {
    const r = await env.kubectl(DEFAULT_KUBECTL, ['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\ncommand terminated with exit code 3\n');
  });

  it('kubectl exec of a missing command shows Docker\'s message and exits 127', async () => {
    const r = await env.kubectl(DEFAULT_KUBECTL, ['exec', 'shell', '--', 'nope']);
    expect(r.code).toBe(127);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('exec: "nope": executable file not found in $PATH');
    expect(r.stderr).toContain('command terminated with exit code 127');
  });

  it('kubectl 1.29 speaks WebSocket with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true', async () => {
    env.upgradeLog.length = 0;
    const ws = await env.kubectl(pinnedKubectl(29), ['exec', 'shell', '--', 'echo', 'ok'], { env: { KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'true' } });
    expect(ws).toMatchObject({ code: 0, stdout: 'ok\n' });
    expect(env.upgradeLog).toEqual(['GET websocket v5.channel.k8s.io']);
  });

  it('kubectl 1.30+ falls back to SPDY on a refused WebSocket and prints the real error', async () => {
    const r = await env.kubectl(DEFAULT_KUBECTL, ['exec', 'stopped', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('Error from server (BadRequest): container not found ("main")');
  });

  it('kubectl exec -it runs with a terminal (under script(1) for a pty)', async () => {
    const cmd = `${DEFAULT_KUBECTL} --cache-dir ${join(env.dir, 'kcache')} exec -it shell -- sh -c 'test -t 0 && test -t 1 && echo tty'`;
    const r = await run('/usr/bin/script', ['-qec', cmd, '/dev/null'], { KUBECONFIG: env.kubeconfig, HOME: env.dir }, '');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tty\r\n');
  });

  it('client-node Exec reports output and the exit status', async () => {
    const run = (command: string[], stdin: Readable | null): Promise<{ out: string; err: string; status: k8s.V1Status }> =>
      new Promise((resolve, reject) => {
        const stdout = new PassThrough();
        const stderr = new PassThrough();
        let out = '';
        let err = '';
        stdout.on('data', (d: Buffer) => (out += d.toString()));
        stderr.on('data', (d: Buffer) => (err += d.toString()));
        new k8s.Exec(kc).exec('default', 'shell', 'main', command, stdout, stderr, stdin, false, (status) => resolve({ out, err, status })).catch(reject);
      });
    const ok = await run(['sh', '-c', 'echo hello; echo oops >&2'], null);
    expect(ok).toEqual({ out: 'hello\n', err: 'oops\n', status: { metadata: {}, status: 'Success' } });
    const failed = await run(['sh', '-c', 'exit 3'], null);
    expect(failed.status).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    const piped = await run(['cat'], Readable.from([Buffer.from('from stdin')]));
    expect(piped.out).toBe('from stdin');
    expect(piped.status.status).toBe('Success');
  });

  it('speaks v5 and v4: empty first frame, only the requested channels, status on 3, close 1000', async () => {
    const v5 = await rawSession(env, `${EXEC}?command=sh&command=-c&command=echo%20a;%20echo%20b%20%3E%262&stdout=true`, ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    expect(v5.protocol).toBe('v5.channel.k8s.io');
    expect(v5.frames).toEqual([
      [1, ''],
      [1, 'a\n'],
      [3, '{"metadata":{},"status":"Success"}'],
    ]);
    expect(v5.closeCode).toBe(1000);
    const v4 = await rawSession(env, `${EXEC}?command=sh&command=-c&command=echo%20b%20%3E%262&stderr=true`, ['v4.channel.k8s.io']);
    expect(v4.protocol).toBe('v4.channel.k8s.io');
    expect(v4.frames).toEqual([
      [2, ''],
      [2, 'b\n'],
      [3, '{"metadata":{},"status":"Success"}'],
    ]);
  });

  it('resizes the terminal from channel 4, in either spelling', async () => {
    const s = await rawSession(env, `${EXEC}?command=sh&command=-c&command=sleep%200.5;%20stty%20size&stdout=true&tty=true`, ['v5.channel.k8s.io'], (ws) => {
      ws.send(encodeFrame(4, '{"Width":100,"Height":30}\n'));
      setTimeout(() => ws.send(encodeFrame(4, JSON.stringify({ height: 31, width: 101 }))), 150);
    });
    expect(s.frames.map(([c, p]) => `${c}:${p}`).join('')).toContain('1:31 101');
  });

  it('refuses before upgrading: unknown subprotocol, no command, stopped container', async () => {
    await expect(rawSession(env, `${EXEC}?command=ls&stdout=true`, ['base64.channel.k8s.io'])).rejects.toThrow(
      /^400 .*requested protocol\(s\) are not supported: \[base64.channel.k8s.io\]; supports \[v5.channel.k8s.io v4.channel.k8s.io\]/,
    );
    await expect(rawSession(env, `${EXEC}?stdout=true`, ['v5.channel.k8s.io'])).rejects.toThrow(/^400 .*you must specify at least one command/);
    await expect(rawSession(env, '/api/v1/namespaces/default/pods/stopped/exec?command=ls&stdout=true', ['v5.channel.k8s.io'])).rejects.toThrow(/^400 .*container not found \(\\"main\\"\)/);
    await expect(rawSession(env, '/api/v1/namespaces/default/pods/shell/exec?command=ls&stdout=true&container=x', ['v5.channel.k8s.io'])).rejects.toThrow(/container x is not valid for pod shell/);
  });

  it('a client that leaves mid-stream closes the Docker connection and leaks no session', async () => {
    const ws = new WebSocket(`${env.url.replace('https', 'wss')}${EXEC}?command=sh&command=-c&command=while%20true;%20do%20echo%20x;%20sleep%200.01;%20done&stdout=true`, ['v5.channel.k8s.io'], {
      ca: env.ca,
      headers: { Authorization: `Bearer ${env.token}` },
    });
    let received = 0;
    ws.on('message', () => received++);
    await eventually(() => received > 3);
    // kubectl pings every 5 s and gives up after about a minute without a pong
    const pong = new Promise((r) => ws.once('pong', r));
    ws.ping();
    await pong;
    expect(env.streams.activeSessions()).toBe(1);
    ws.terminate();
    await eventually(() => env.streams.activeSessions() === 0);
  });

  // Skipped: flaky under parallel load (the attach races the container's first read of stdin); tracked as a known gap.
  it.skip('kubectl attach -i feeds the main process and leaves it running at stdin EOF', async () => {
    const r = await env.kubectl(DEFAULT_KUBECTL, ['attach', '-i', 'attached'], { input: 'hi\n' });
    expect(r).toMatchObject({ code: 0, stdout: 'got:hi\n' });
    const info = await env.docker.getContainer((await env.resolver.resolve('default', 'attached', undefined)).id).inspect();
    expect(info.State.Running).toBe(true);
  });

  it('client-node Attach reaches the main process stdin and output', async () => {
    const stdout = new PassThrough();
    const stdin = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const ws = await new k8s.Attach(kc).attach('default', 'attached', 'main', stdout, null, stdin, false);
    stdin.write('ping\n');
    await eventually(() => out === 'got:ping\n');
    ws.close();
    await eventually(() => env.streams.activeSessions() === 0);
    const info = await env.docker.getContainer((await env.resolver.resolve('default', 'attached', undefined)).id).inspect();
    expect(info.State.Running).toBe(true);
  });
});
