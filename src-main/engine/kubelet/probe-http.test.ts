import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreatePki } from '../pki';
import { httpProbe, probeHeaders, probeUrl, type HttpProbeTarget } from './probe-http';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}
const close = (server: Server): Promise<void> => new Promise((r) => server.close(() => r()));

describe('httpProbe', () => {
  let seen: IncomingHttpHeaders = {};
  const server = createServer((req, res) => {
    seen = req.headers;
    const url = req.url ?? '/';
    if (url === '/ok') return res.end('fine');
    if (url === '/fail') return res.writeHead(500).end();
    if (url === '/found') return res.writeHead(302, { location: '/ok' }).end();
    if (url === '/to-fail') return res.writeHead(301, { location: '/fail' }).end();
    if (url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (url === '/elsewhere') return res.writeHead(302, { location: 'http://other.invalid/' }).end();
    if (url === '/hang') return; // never answers
    if (url === '/drop') return req.socket.destroy();
    res.writeHead(404).end();
  });
  let port = 0;
  let closedPort = 0;
  const target = (path: string, over: Partial<HttpProbeTarget> = {}): HttpProbeTarget => ({ scheme: 'HTTP', host: '127.0.0.1', port, path, headers: [], ...over });

  beforeAll(async () => {
    port = await listen(server);
    const other = createServer();
    closedPort = await listen(other);
    await close(other);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await close(server);
  });

  it('succeeds on 2xx and sends the kubelet headers', async () => {
    expect(await httpProbe(target('/ok'), 1000)).toEqual({ result: 'success', output: '' });
    expect(seen['user-agent']).toMatch(/^kube-probe\/1\.\d+$/);
    expect(seen.accept).toBe('*/*');
    expect(seen.connection).toBe('close');
  });

  it('passes the probe headers, Host and User-Agent overrides included', async () => {
    await httpProbe(target('ok', { headers: [{ name: 'X-Probe', value: 'yes' }, { name: 'Host', value: 'example.test' }, { name: 'User-Agent', value: 'mine' }] }), 1000);
    expect(seen['x-probe']).toBe('yes');
    expect(seen.host).toBe('example.test');
    expect(seen['user-agent']).toBe('mine');
  });

  it('fails on 4xx/5xx with the status code', async () => {
    expect(await httpProbe(target('/fail'), 1000)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    expect(await httpProbe(target('/missing'), 1000)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 404' });
  });

  it('follows same-host redirects, judges the final answer, gives up after 10', async () => {
    expect((await httpProbe(target('/found'), 1000)).result).toBe('success');
    expect(await httpProbe(target('/to-fail'), 1000)).toEqual({ result: 'failure', output: 'HTTP probe failed with statuscode: 500' });
    expect(await httpProbe(target('/loop'), 2000)).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${port}/loop": stopped after 10 redirects` });
  });

  it('counts a redirect to another host as success without following it', async () => {
    expect(await httpProbe(target('/elsewhere'), 1000)).toEqual({ result: 'success', output: 'Probe terminated redirects' });
  });

  it('words refused connections, timeouts and dropped connections like Go', async () => {
    expect(await httpProbe(target('/', { port: closedPort }), 1000)).toEqual({
      result: 'failure',
      output: `Get "http://127.0.0.1:${closedPort}/": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
    const started = Date.now();
    expect(await httpProbe(target('/hang'), 300)).toEqual({
      result: 'failure',
      output: `Get "http://127.0.0.1:${port}/hang": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
    });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await httpProbe(target('/drop'), 1000)).toEqual({ result: 'failure', output: `Get "http://127.0.0.1:${port}/drop": EOF` });
  });

  it('speaks HTTPS without verifying the certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-tls-'));
    try {
      const pki = await loadOrCreatePki(dir);
      const tls = createHttpsServer({ cert: pki.serverCert, key: pki.serverKey }, (_req, res) => res.end('ok'));
      const tlsPort = await listen(tls);
      try {
        expect(await httpProbe(target('/', { scheme: 'HTTPS', port: tlsPort }), 2000)).toEqual({ result: 'success', output: '' });
      } finally {
        await close(tls);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    }
  });

  it('builds the URL and headers as the kubelet does', () => {
    expect(probeUrl({ scheme: 'HTTPS', host: '::1', port: 8443, path: 'healthz?x=1' }).href).toBe('https://[::1]:8443/healthz?x=1');
    expect(probeHeaders([{ name: 'Accept', value: 'application/json' }, { name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }])).toMatchObject({
      accept: ['application/json'],
      'x-a': ['1', '2'],
    });
  });
});
