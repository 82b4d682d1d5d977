/**
 * A DNS transport: UDP datagrams and TCP (two-byte length prefix, RFC 1035 4.2.2) on one address, each
 * message handed to `handle`. Oversized UDP answers are truncated to the header with TC set, so the client
 * retries over TCP.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';

const MAX_UDP_RESPONSE = 512;
const MAX_TCP_CONNECTIONS = 256;
const TCP_IDLE_MS = 10_000;

export interface DnsServerOptions {
  host: string;
  /** 0 picks a free port (the same for UDP and TCP when possible) */
  port: number;
  handle(msg: Buffer): Promise<Buffer | undefined>;
}

export class DnsServer {
  private udp: UdpSocket | undefined;
  private tcp: Server | undefined;
  private readonly connections = new Set<Socket>();

  constructor(private readonly opts: DnsServerOptions) {}

  async start(): Promise<{ host: string; port: number }> {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.opts.port, this.opts.host, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    this.udp = udp;
    const port = udp.address().port;
    udp.on('error', () => undefined);
    udp.on('message', (msg, rinfo) => {
      void this.answer(msg).then((reply) => {
        if (!reply) return;
        const out = reply.length > MAX_UDP_RESPONSE ? truncated(reply) : reply;
        udp.send(out, rinfo.port, rinfo.address, () => undefined);
      });
    });
    const tcp = createServer((socket) => this.onConnection(socket));
    tcp.maxConnections = MAX_TCP_CONNECTIONS;
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, this.opts.host, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      udp.close();
      this.udp = undefined;
      throw err;
    }
    this.tcp = tcp;
    return { host: this.opts.host, port };
  }

  async stop(): Promise<void> {
    this.udp?.close();
    this.udp = undefined;
    for (const c of this.connections) c.destroy();
    const tcp = this.tcp;
    this.tcp = undefined;
    if (tcp) await new Promise<void>((r) => tcp.close(() => r()));
  }

  private async answer(msg: Buffer): Promise<Buffer | undefined> {
    try {
      return await this.opts.handle(msg);
    } catch {
      return undefined;
    }
  }

  private onConnection(socket: Socket): void {
    this.connections.add(socket);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => undefined);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const len = pending.readUInt16BE(0);
        if (pending.length < 2 + len) break;
        const msg = pending.subarray(2, 2 + len);
        pending = pending.subarray(2 + len);
        void this.answer(Buffer.from(msg)).then((reply) => {
          if (!reply || socket.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length, 0);
          socket.write(Buffer.concat([prefix, reply]));
        });
      }
    });
  }
}

/** The header and question of a response, with TC set and no records. */
function truncated(reply: Buffer): Buffer {
  const out = Buffer.from(reply.subarray(0, 12));
  out[2] |= 0x02;
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  // keep the question count at 0 as well: the client matches on id and retries over TCP
  out.writeUInt16BE(0, 4);
  return out;
}
