import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ContextList } from '../contract/cluster';
import type { CallError } from '../contract/result';
import { createWebSocketBridge, type WebSocketLike } from '../../src-renderer/ws-bridge';
import { createCallDispatcher } from '../app/call-dispatcher';
import { createCallHandlers, createSubscriptionHandlers, disabledEngine } from '../app/contract-handlers';
import { Desk } from '../desk/desk';
import { eventually } from '../engine/test/harness';
import { staticFilePath } from './static-files';
import type { WebServer } from './web-server';
import { startWebServer } from './web-server';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

/** Opens a WebSocket and says how it went: open, or refused with the HTTP status. */
function tryWebSocket(url: string, headers: Record<string, string>): Promise<{ open: true; ws: WebSocket } | { open: false; status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ open: false, status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', () => resolve({ open: false, status: 0 }));
  });
}

describe('web mode server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-web-'));
  let desk: Desk;
  let server: WebServer;
  let origin: string;

  async function start(port = 0, token?: string): Promise<WebServer> {
    const engine = disabledEngine();
    return startWebServer({
      rendererDir: join(dir, 'renderer'),
      port,
      token,
      dispatch: createCallDispatcher(createCallHandlers(desk, engine, { version: '9.9.9', transport: 'websocket', platform: process.platform })),
      subscriptions: createSubscriptionHandlers(desk, engine),
    });
  }

  beforeAll(async () => {
    mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Skiff</title>');
    writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    writeFileSync(
      join(dir, 'kubeconfig'),
      'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: far\n  context: {cluster: c, user: u}\n',
    );
    desk = new Desk({ kubeconfigPaths: () => [join(dir, 'kubeconfig')], retryMinMs: 100 });
    server = await start();
    origin = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.stop();
    await desk?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a loopback URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses HTTP requests without the token, with a wrong one, from a foreign Origin or Host', async () => {
    expect((await get(server.port, '/')).status).toBe(403);
    expect((await get(server.port, '/assets/app.js')).status).toBe(403);
    expect((await get(server.port, '/?token=wrong')).status).toBe(403);
    expect((await get(server.port, `/?token=${server.token}x`)).status).toBe(403);
    const cookie = `skiff_token_${server.port}=${server.token}`;
    expect((await get(server.port, '/', { Cookie: cookie, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(server.port, '/', { Cookie: cookie, Origin: `http://127.0.0.1:${server.port + 1}` })).status).toBe(403);
    expect((await get(server.port, '/', { Cookie: cookie, Host: `evil.example:${server.port}` })).status).toBe(403);
  });

  it('trades the token for an HttpOnly cookie, then serves the renderer with a strict CSP', async () => {
    const first = await get(server.port, `/?token=${server.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(first.headers['set-cookie']?.[0]).toBe(`skiff_token_${server.port}=${server.token}; HttpOnly; SameSite=Strict; Path=/`);
    const cookie = `skiff_token_${server.port}=${server.token}`;
    const page = await get(server.port, '/', { Cookie: cookie, Origin: origin });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Skiff</title>');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const script = await get(server.port, '/assets/app.js', { Cookie: cookie });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(server.port, '/%2e%2e/secret.txt', { Cookie: cookie })).status).toBe(404);
    expect((await get(server.port, '/nope.js', { Cookie: cookie })).status).toBe(404);
    // the token redirect stays on this server
    expect((await get(server.port, `/.//evil.example/?token=${server.token}`)).headers.location).toBe('/evil.example/');
  });

  it('never resolves a static path outside the renderer', () => {
    expect(staticFilePath('/r', '/')).toBe('/r/index.html');
    expect(staticFilePath('/r', '/%2e%2e/etc/passwd')).toBeNull();
    expect(staticFilePath('/r', '/a%00b')).toBeNull();
    expect(staticFilePath('/r', '/..%5c..%5cx')).toBeNull();
    expect(staticFilePath('/r', '/%E0%A4%A')).toBeNull();
  });

  it('refuses WebSocket upgrades without the token, without or with a foreign Origin', async () => {
    const ws = `ws://127.0.0.1:${server.port}/ws`;
    expect(await tryWebSocket(ws, { Origin: origin })).toEqual({ open: false, status: 403 });
    expect(await tryWebSocket(`${ws}?token=${server.token}`, { Origin: 'http://evil.example' })).toEqual({ open: false, status: 403 });
    expect(await tryWebSocket(`${ws}?token=${server.token}`, {})).toEqual({ open: false, status: 403 });
    expect(await tryWebSocket(`ws://127.0.0.1:${server.port}/other?token=${server.token}`, { Origin: origin })).toEqual({ open: false, status: 404 });
    const accepted = await tryWebSocket(ws, { Origin: origin, Cookie: `skiff_token_${server.port}=${server.token}` });
    expect(accepted.open).toBe(true);
    if (accepted.open) accepted.ws.close();
  });

  it('answers the contract over WebSocket, validating every input', async () => {
    const bridge = createWebSocketBridge(
      `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
      (url) => new WebSocket(url, { headers: { Origin: origin } }) as unknown as WebSocketLike,
    );
    try {
      expect(await bridge.invoke('app.version')).toEqual({ ok: true, result: { version: '9.9.9' } });
      expect(await bridge.invoke('engine.status')).toMatchObject({ ok: true, result: { mode: 'disabled' } });
      const bad = await bridge.invoke('deployments.scale', { context: 'far', namespace: 'default', name: 'web', replicas: -1 });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'replicas: expected an integer from 0 to 10000' } });
      const unknown = await (bridge.invoke as (c: string, i?: unknown) => Promise<unknown>)('app.shutdown');
      expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
      // A cluster error keeps its classification across the socket.
      const far = await bridge.invoke('namespaces.list', { context: 'far' });
      expect(far).toMatchObject({ ok: false, error: { code: 'unreachable' } });

      const errors: CallError[] = [];
      bridge.subscribe('onResources', { context: 'far', kind: 'widgets' } as never, () => {}, (e) => errors.push(e));
      await eventually(() => errors.length === 1);
      expect(errors[0]).toMatchObject({ code: 'invalid-input' });

      const lists: ContextList[] = [];
      const stop = bridge.subscribe('onContexts', undefined, (list) => lists.push(list));
      await eventually(() => lists.length > 0);
      expect(lists[0].contexts.map((c) => c.name)).toEqual(['far']);
      stop();
    } finally {
      bridge.close();
    }
  });

  it('ends every subscription of a connection when it closes (no feed outlives its page)', async () => {
    const bridge = createWebSocketBridge(
      `ws://127.0.0.1:${server.port}/ws?token=${server.token}`,
      (url) => new WebSocket(url, { headers: { Origin: origin } }) as unknown as WebSocketLike,
    );
    const events: unknown[] = [];
    bridge.subscribe('onResources', { context: 'far', kind: 'pods' }, (e) => events.push(e));
    bridge.subscribe('onResources', { context: 'far', kind: 'nodes' }, (e) => events.push(e));
    await eventually(() => desk.openHandles().feeds === 2 && events.length >= 2);
    bridge.close();
    await eventually(() => desk.openHandles().feeds === 0 && server.connections === 0);
  });

  it('closes a connection that sends malformed frames, but answers a malformed call', async () => {
    const opened = await tryWebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { Origin: origin });
    if (!opened.open) throw new Error('did not open');
    const ws = opened.ws;
    const replies: unknown[] = [];
    ws.on('message', (d: Buffer) => replies.push(JSON.parse(d.toString())));
    ws.send(JSON.stringify({ type: 'call', id: 1, call: 'app.version', input: undefined, extra: true }));
    await eventually(() => replies.length === 1);
    expect(replies[0]).toMatchObject({ type: 'result', id: 1, result: { ok: false, error: { code: 'invalid-input' } } });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1007);
  });

  it('the browser client reconnects and re-subscribes after the server comes back', async () => {
    const own = await start(0);
    const port = own.port;
    const bridge = createWebSocketBridge(
      `ws://127.0.0.1:${port}/ws?token=${own.token}`,
      (url) => new WebSocket(url, { headers: { Origin: `http://127.0.0.1:${port}` } }) as unknown as WebSocketLike,
      { retryMinMs: 50, retryMaxMs: 200 },
    );
    const lists: ContextList[] = [];
    const states: string[] = [];
    bridge.onTransportState((s) => states.push(s));
    bridge.subscribe('onContexts', undefined, (list) => lists.push(list));
    const logErrors: CallError[] = [];
    bridge.subscribe(
      'onLogs',
      { context: 'far', namespace: 'default', target: { kind: 'pod', pod: 'p' }, follow: true, previous: false, timestamps: false },
      () => {},
      (e) => logErrors.push(e),
    );
    await eventually(() => lists.length === 1);
    await own.stop();
    // a log stream does not silently start over (it would repeat lines): it ends, for the page to reopen
    await eventually(() => logErrors.length === 1);
    expect(logErrors[0]).toMatchObject({ code: 'disconnected' });
    await eventually(() => states.at(-1) === 'connecting');
    expect(await bridge.invoke('app.version')).toMatchObject({ ok: false });
    const again = await start(port, own.token);
    try {
      await eventually(() => lists.length === 2, 5000);
      expect(states).toContain('open');
      expect(await bridge.invoke('app.version')).toMatchObject({ ok: true });
    } finally {
      bridge.close();
      await again.stop();
    }
  });
});
