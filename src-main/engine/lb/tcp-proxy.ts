/**
 * One listening port of the service load balancer: accepts on 127.0.0.1:<port> and pipes each connection
 * to the next READY backend (round-robin), trying the following one when a connect fails. Bytes are piped
 * by streams (no per-byte JavaScript); requests are counted as HTTP request lines seen in the client's
 * chunks (one native indexOf per chunk), or as one per connection for other protocols.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Backend {
  ip: string;
  port: number;
  namespace: string;
  pod: string;
}

export interface ProxyCounters {
  addRequests(namespace: string, pod: string, n: number): void;
  addBytes(namespace: string, pod: string, bytesIn: number, bytesOut: number): void;
}

const CONNECT_TIMEOUT_MS = 1000;
const HTTP_MARKS = [Buffer.from(' HTTP/1.1\r\n'), Buffer.from(' HTTP/1.0\r\n')];

function countRequestLines(chunk: Buffer): number {
  let n = 0;
  for (const mark of HTTP_MARKS) {
    let i = chunk.indexOf(mark);
    while (i >= 0) {
      n++;
      i = chunk.indexOf(mark, i + mark.length);
    }
  }
  return n;
}

export class TcpProxy {
  private server: Server | undefined;
  private backends: Backend[] = [];
  private turn = 0;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly counters: ProxyCounters,
    /** which clients are served (by remote address); default all */
    private readonly accept: (remote: string) => boolean = () => true,
  ) {}

  /** Replace the backends (ready endpoints); connections in flight keep theirs. */
  setBackends(backends: Backend[]): void {
    this.backends = backends;
  }

  get backendCount(): number {
    return this.backends.length;
  }

  get backendList(): readonly Backend[] {
    return this.backends;
  }

  get listening(): boolean {
    return this.server !== undefined;
  }

  /** Listen; rejects with the listen error (EADDRINUSE when the port is taken). */
  async listen(): Promise<void> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (client) => this.onClient(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.host, port: this.port, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }

  private onClient(client: Socket): void {
    this.track(client);
    client.on('error', () => client.destroy());
    const candidates = this.backends;
    if (candidates.length === 0 || !this.accept(client.remoteAddress ?? '')) {
      client.destroy();
      return;
    }
    const first = this.turn++ % candidates.length;
    this.tryBackend(client, candidates, first, 0);
  }

  private tryBackend(client: Socket, candidates: Backend[], first: number, attempt: number): void {
    if (client.destroyed) return;
    if (attempt >= candidates.length) {
      client.destroy();
      return;
    }
    const backend = candidates[(first + attempt) % candidates.length];
    const upstream = connect({ host: backend.ip, port: backend.port, allowHalfOpen: true, noDelay: true });
    this.track(upstream);
    let connected = false;
    upstream.setTimeout(CONNECT_TIMEOUT_MS, () => {
      if (!connected) upstream.destroy(new Error('connect timeout'));
    });
    upstream.once('error', () => {
      if (!connected) {
        upstream.destroy();
        this.tryBackend(client, candidates, first, attempt + 1);
      } else {
        client.destroy();
      }
    });
    upstream.once('connect', () => {
      connected = true;
      upstream.setTimeout(0);
      this.pipe(client, upstream, backend);
    });
  }

  private pipe(client: Socket, upstream: Socket, backend: Backend): void {
    let requests = 0;
    client.on('data', (chunk: Buffer) => {
      const n = countRequestLines(chunk);
      if (n > 0) {
        requests += n;
        this.counters.addRequests(backend.namespace, backend.pod, n);
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.on('error', () => client.destroy());
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => {
      if (!client.writableEnded) client.end();
      // a non-HTTP connection counts as one request
      if (requests === 0) this.counters.addRequests(backend.namespace, backend.pod, 1);
      this.counters.addBytes(backend.namespace, backend.pod, upstream.bytesWritten, upstream.bytesRead);
    });
    client.resume();
  }
}
