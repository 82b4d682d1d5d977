/**
 * WebSocket port-forward to a busybox httpd in a real container, through @kubernetes/client-node. kubectl's
 * SPDY port-forward is tested in spdy-port-forward.test.ts.
 */
import http from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import * as k8s from '@kubernetes/client-node';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/harness';
import { decodeFrame } from './channel-protocol';
import { startStreamsTestEnv, type StreamsTestEnv } from './streams-test-env';

function httpGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('pods/portforward', () => {
  let env: StreamsTestEnv;
  let kc: k8s.KubeConfig;
  let local: Server | undefined;

  beforeAll(async () => {
    env = await startStreamsTestEnv();
    const web = await env.startContainer({ cmd: ['httpd', '-f', '-p', '8080', '-h', '/var/www'] });
    env.addPod('web', { main: { id: web } });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(env.kubeconfig);
  });
  afterAll(async () => {
    await new Promise<void>((r) => (local ? local.close(() => r()) : r()));
    await env?.stop();
  });

  it('client-node PortForward carries an HTTP request to the pod and back', async () => {
    const forward = new k8s.PortForward(kc);
    const sockets: WebSocket[] = [];
    local = createServer((socket) => {
      void forward.portForward('default', 'web', [8080], socket, null, socket).then((ws) => sockets.push(ws as WebSocket));
    });
    await new Promise<void>((r) => local?.listen(0, '127.0.0.1', () => r()));
    const port = (local.address() as AddressInfo).port;
    // two requests, two WebSockets: the first closes when httpd closes its connection
    expect(await httpGet(port)).toEqual({ status: 200, body: 'hello from skiff-test\n' });
    expect(await httpGet(port)).toEqual({ status: 200, body: 'hello from skiff-test\n' });
    await eventually(() => env.streams.activeSessions() === 0);
  });

  it('prefixes both channels with the port and reports a refused connection on the error channel', async () => {
    const frames: Array<[number, Buffer]> = [];
    const code = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${env.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/web/portforward?ports=8081`, ['v5.channel.k8s.io', 'v4.channel.k8s.io'], {
        ca: env.ca,
        headers: { Authorization: `Bearer ${env.token}` },
      });
      ws.on('message', (d: Buffer) => {
        const f = decodeFrame(d);
        if (f) frames.push([f.channel, f.payload]);
      });
      ws.on('open', () => expect(ws.protocol).toBe('v4.channel.k8s.io'));
      ws.on('close', resolve);
      ws.on('error', reject);
    });
    expect(code).toBe(1000);
    expect(frames.slice(0, 2)).toEqual([
      [0, Buffer.from([0x91, 0x1f])],
      [1, Buffer.from([0x91, 0x1f])],
    ]);
    const ip = (await env.resolver.resolve('default', 'web', undefined)).podIP;
    expect(frames[2][0]).toBe(1);
    expect(frames[2][1].toString()).toMatch(new RegExp(`^error forwarding port 8081 to pod [0-9a-f]{12}, uid : dial tcp ${ip.replace(/\./g, '\\.')}:8081: connect: connection refused$`));
  });

  it('client-node PortForward hands the error text to its error stream', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let errText = '';
    err.on('data', (d: Buffer) => (errText += d.toString()));
    await new k8s.PortForward(kc).portForward('default', 'web', [8081], out, err, new PassThrough());
    await eventually(() => errText.includes('connection refused'));
  });

  it('refuses a missing port before upgrading', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${env.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/web/portforward`, ['v4.channel.k8s.io'], {
        ca: env.ca,
        headers: { Authorization: `Bearer ${env.token}` },
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('upgraded')));
      ws.on('error', reject);
    });
    expect(status).toBe(400);
  });
});
