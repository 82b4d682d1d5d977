import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ErrorCode, fail } from '../contract/result';
import { clientFrame, WS_PATH, type ServerFrame } from '../contract/ws-protocol';
import type { CallDispatcher } from '../app/call-dispatcher';
import { contentSecurityPolicy } from '../app/content-security-policy';
import type { SubscriptionHandlers } from '../app/subscription-host';
import { createSubscriptionHost } from '../app/subscription-host';
import { readStaticFile, staticFilePath } from './static-files';

/** Cookies are shared by every port of a host, so each server names its own (two `skiff serve` side by side). */
export function tokenCookieName(port: number): string {
  return `skiff_token_${port}`;
}

/** Frames larger than this are refused (the largest input, YAML to apply, is bounded at 1 MiB of text). */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;
/** A client that lets this much pile up unread is cut off rather than growing our memory. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export interface WebServerOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  dispatch: CallDispatcher;
  subscriptions: SubscriptionHandlers;
  /** Defaults to 32 random bytes. */
  token?: string;
  onHandlerError?: (name: string, error: unknown) => void;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** The URL to open: carries the token once; the page then keeps it in an HttpOnly cookie. */
  readonly url: string;
  /** Open WebSocket connections (for tests). */
  readonly connections: number;
  stop(): Promise<void>;
}

function sameSecret(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined, cookie: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookie) return rest.join('=');
  }
  return undefined;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/**
 * Web mode: serves the built renderer and the contract over WebSocket on 127.0.0.1 only. Every request needs
 * the token (query or cookie) and, from a browser, our own Origin; the Host must be ours too, so a DNS
 * rebinding page cannot reach it under another name.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const csp = contentSecurityPolicy('production', 'header');
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  /** Why a request is refused, or null when it may pass. */
  function refusal(req: http.IncomingMessage, url: URL, requireOrigin: boolean): string | null {
    if (!allowedHosts().includes(req.headers.host ?? '')) return 'unexpected Host';
    const origin = req.headers.origin;
    if (origin !== undefined ? !allowedOrigins().includes(origin) : requireOrigin) return 'foreign or missing Origin';
    const given = url.searchParams.get('token') ?? cookieToken(req.headers.cookie, tokenCookieName(port));
    if (!sameSecret(given ?? undefined, token)) return 'missing or wrong token';
    return null;
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const refused = refusal(req, url, false);
      if (refused !== null) {
        res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
        res.end(`Forbidden: ${refused}. Open the URL that \`skiff serve\` printed.\n`);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', ...SECURITY_HEADERS });
        res.end();
        return;
      }
      if (url.searchParams.has('token')) {
        // Keep the token in a cookie the page's scripts cannot read, and take it out of the address bar.
        res.writeHead(303, {
          // Never `//host`: a path like `/.//evil.example` would otherwise redirect off-site.
          Location: `/${url.pathname.replace(/^\/+/, '')}`,
          'Set-Cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          'Cache-Control': 'no-store',
          ...SECURITY_HEADERS,
        });
        res.end();
        return;
      }
      const file = staticFilePath(options.rendererDir, url.pathname);
      const found = file === null ? null : await readStaticFile(file);
      if (found === null) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
        res.end('Not found\n');
        return;
      }
      res.writeHead(200, {
        'Content-Type': found.type,
        'Content-Length': found.body.length,
        'Content-Security-Policy': csp,
        'Cache-Control': found.type.startsWith('text/html') ? 'no-store' : 'no-cache',
        ...SECURITY_HEADERS,
      });
      res.end(req.method === 'HEAD' ? undefined : found.body);
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
      options.onHandlerError?.('http', error);
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refused = url.pathname !== WS_PATH ? 'not found' : refusal(req, url, true);
    if (refused !== null) {
      const status = refused === 'not found' ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refused}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveConnection(ws));
  });

  function serveConnection(ws: WebSocket): void {
    const send = (frame: ServerFrame): void => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
        ws.close(1008, 'client is not reading');
        return;
      }
      ws.send(JSON.stringify(frame));
    };
    const host = createSubscriptionHost(options.subscriptions, (message) => send({ type: 'subscription', ...message }), options.onHandlerError);
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, 30_000);
    ping.unref();
    ws.on('pong', () => (alive = true));
    ws.on('close', () => {
      clearInterval(ping);
      host.disposeAll();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'text frames only');
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        ws.close(1007, 'frames are JSON');
        return;
      }
      const frame = clientFrame(raw);
      if (!frame.ok) {
        // A call frame with a usable id gets its error as a result; anything else is a broken client.
        const id = (raw as { id?: unknown } | null)?.id;
        if ((raw as { type?: unknown } | null)?.type === 'call' && typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
          send({ type: 'result', id, result: fail(ErrorCode.invalidInput, frame.error.message) });
        } else {
          ws.close(1008, `bad frame: ${frame.error.message}`.slice(0, 120));
        }
        return;
      }
      const message = frame.result;
      if (message.type === 'call') {
        void options.dispatch(message.call, message.input).then((result) => send({ type: 'result', id: message.id, result }));
      } else if (message.type === 'subscribe') {
        host.subscribe(message.id, message.name, message.input);
      } else {
        host.unsubscribe(message.id);
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    get connections() {
      return wss.clients.size;
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
