/** Routing of the pod streaming subresources through a real API server: plain requests and refused upgrades. */
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, eventually } from '../../test/harness';
import { startStreamsTestEnv, type StreamsTestEnv } from './streams-test-env';

function upgradeRequest(env: StreamsTestEnv, path: string, upgrade: string, protocol = 'v4.channel.k8s.io'): Promise<{ status: number; body: unknown; headers: IncomingMessage['headers'] }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${env.url}${path}`, {
      method: 'POST',
      ca: env.ca,
      headers: { Authorization: `Bearer ${env.token}`, Connection: 'Upgrade', Upgrade: upgrade, ...(protocol === '' ? {} : { 'X-Stream-Protocol-Version': protocol }) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown, headers: res.headers }));
    });
    req.on('upgrade', () => reject(new Error('upgraded')));
    req.on('error', reject);
    req.end();
  });
}

describe('pod stream routes', () => {
  let env: StreamsTestEnv;

  beforeAll(async () => {
    env = await startStreamsTestEnv();
    env.addPod('idle', { main: { id: await env.startContainer({ cmd: ['sleep', '3600'] }) } });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('answers exec, attach and portforward without an upgrade with 400 Upgrade request required', async () => {
    for (const sub of ['exec?command=ls&stdout=true', 'attach?stdout=true', 'portforward?ports=80']) {
      const r = await api(env, 'GET', `/api/v1/namespaces/default/pods/idle/${sub}`);
      expect(r.status).toBe(400);
      expect(r.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'Upgrade request required' });
    }
  });

  it('allows only GET on log', async () => {
    const r = await api(env, 'POST', '/api/v1/namespaces/default/pods/idle/log', { body: '{}' });
    expect(r.status).toBe(405);
  });

  it('refuses a SPDY exec or attach it cannot serve before upgrading, as the kubelet words it', async () => {
    const noProtocol = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/attach?stdout=true', 'SPDY/3.1', '');
    expect(noProtocol).toMatchObject({ status: 400, body: { kind: 'Status', reason: 'BadRequest', message: 'unable to upgrade: X-Stream-Protocol-Version is required' } });
    const v5Only = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/exec?command=ls&stdout=true', 'SPDY/3.1', 'v5.channel.k8s.io, channel.k8s.io');
    expect(v5Only).toMatchObject({
      status: 403,
      body: {
        reason: 'Forbidden',
        message: 'unable to upgrade: unable to negotiate protocol: client supports [v5.channel.k8s.io channel.k8s.io], server accepts [v4.channel.k8s.io v3.channel.k8s.io v2.channel.k8s.io]',
      },
      headers: { 'x-accepted-stream-protocol-versions': 'v4.channel.k8s.io, v3.channel.k8s.io, v2.channel.k8s.io' },
    });
    const noCommand = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/exec?stdout=true', 'SPDY/3.1');
    expect(noCommand).toMatchObject({ status: 400, body: { message: 'you must specify at least one command for the container' } });
    const wrongContainer = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/exec?command=ls&stdout=true&container=nope', 'SPDY/3.1');
    expect(wrongContainer).toMatchObject({ status: 400, body: { message: 'container nope is not valid for pod idle' } });
    const noPod = await upgradeRequest(env, '/api/v1/namespaces/default/pods/ghost/exec?command=ls&stdout=true', 'SPDY/3.1');
    expect(noPod.status).toBe(404);
    const other = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/exec?command=ls&stdout=true', 'h2c');
    expect(other).toMatchObject({ status: 400, body: { message: 'Upgrade request required' } });
    expect(env.streams.activeSessions()).toBe(0);
  });

  it('refuses a SPDY port-forward it cannot serve before upgrading', async () => {
    const wrongProtocol = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/portforward', 'SPDY/3.1');
    expect(wrongProtocol.status).toBe(403);
    expect(wrongProtocol.body).toMatchObject({ reason: 'Forbidden', message: expect.stringContaining('server accepts [portforward.k8s.io]') as unknown });
    const noPod = await upgradeRequest(env, '/api/v1/namespaces/default/pods/ghost/portforward', 'SPDY/3.1', 'portforward.k8s.io');
    expect(noPod.status).toBe(404);
    env.addPod('exited', { main: { id: await env.startContainer({ cmd: ['true'] }) } });
    await eventually(async () => !(await env.resolver.resolve('default', 'exited', undefined)).running);
    const noIp = await upgradeRequest(env, '/api/v1/namespaces/default/pods/exited/portforward', 'SPDY/3.1', 'portforward.k8s.io');
    expect(noIp).toMatchObject({ status: 400, body: { message: 'pod exited has no IP address yet' } });
  });

  it('answers a plain SPDY port-forward upgrade with 101, and garbage after it with GOAWAY', async () => {
    const { res, socket } = await new Promise<{ res: IncomingMessage; socket: Duplex }>((resolve, reject) => {
      const req = https.request(`${env.url}/api/v1/namespaces/default/pods/idle/portforward`, {
        method: 'POST',
        ca: env.ca,
        headers: { Authorization: `Bearer ${env.token}`, Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' },
      });
      req.on('upgrade', (r: IncomingMessage, sock: Duplex) => resolve({ res: r, socket: sock }));
      req.on('response', () => reject(new Error('not upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(res.statusCode).toBe(101);
    expect(res.headers).toMatchObject({ connection: 'Upgrade', upgrade: 'SPDY/3.1', 'x-stream-protocol-version': 'portforward.k8s.io' });
    expect(env.streams.activeSessions()).toBe(1);
    const answer: Buffer[] = [];
    socket.on('data', (d: Buffer) => answer.push(d));
    const closed = new Promise((r) => socket.on('close', r));
    socket.write('GET / HTTP/1.1\r\n\r\n');
    await closed;
    // GOAWAY, last good stream 0, status 1 (PROTOCOL_ERROR)
    expect(Buffer.concat(answer).toString('hex')).toBe('80030007000000080000000000000001');
    await eventually(() => env.streams.activeSessions() === 0);
  });
});
