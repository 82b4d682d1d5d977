/** Routing of the pod streaming subresources through a real API server: plain requests and refused upgrades. */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../../test/harness';
import { startStreamsTestEnv, type StreamsTestEnv } from './streams-test-env';

function upgradeRequest(env: StreamsTestEnv, path: string, upgrade: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${env.url}${path}`, {
      method: 'POST',
      ca: env.ca,
      headers: { Authorization: `Bearer ${env.token}`, Connection: 'Upgrade', Upgrade: upgrade, 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
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

  it('refuses SPDY exec and attach after the same checks as WebSocket', async () => {
    const attach = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/attach?stdout=true', 'SPDY/3.1');
    expect(attach.status).toBe(400);
    expect(attach.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: expect.stringMatching(/^attach over SPDY\/3.1 is not supported/) as unknown });
    const wrongContainer = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/exec?command=ls&stdout=true&container=nope', 'SPDY/3.1');
    expect(wrongContainer).toMatchObject({ status: 400, body: { message: 'container nope is not valid for pod idle' } });
    const noPod = await upgradeRequest(env, '/api/v1/namespaces/default/pods/ghost/exec?command=ls&stdout=true', 'SPDY/3.1');
    expect(noPod.status).toBe(404);
    const other = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/exec?command=ls&stdout=true', 'h2c');
    expect(other).toMatchObject({ status: 400, body: { message: 'Upgrade request required' } });
  });

  it('refuses SPDY port-forward', async () => {
    const r = await upgradeRequest(env, '/api/v1/namespaces/default/pods/idle/portforward', 'SPDY/3.1');
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ message: expect.stringContaining('port-forward over SPDY/3.1') as unknown });
  });
});
