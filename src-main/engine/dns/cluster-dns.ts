/**
 * The engine's DNS service for pods: answers cluster names from ClusterNames and forwards everything else
 * to the host's resolvers (/etc/resolv.conf), over UDP and TCP on one address.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { ClusterNames, type ClusterNameSource } from './cluster-names';
import {
  buildResponse,
  DnsFormatError,
  packetId,
  parseQuery,
  RCODE_FORMERR,
  RCODE_NOERROR,
  RCODE_NOTIMP,
  RCODE_NXDOMAIN,
  RCODE_SERVFAIL,
  TYPE_A,
  TYPE_ANY,
} from './dns-message';
import { DnsServer } from './dns-server';

export interface ClusterDnsOptions {
  source: ClusterNameSource;
  host: string;
  /** default 53 */
  port?: number;
  domain?: string;
  /** upstream resolvers "ip" or "ip:port"; default: the nameservers of /etc/resolv.conf */
  upstreams?: string[];
  upstreamTimeoutMs?: number;
  /** seconds for pod IP answers; default 0 so every connection asks again and sees the current ready endpoints */
  ttl?: number;
  /** whether ClusterIPs are routable now (then Service names answer their ClusterIP); default never */
  clusterIpsRoutable?: () => boolean;
}

/** IPv4 nameservers of a resolv.conf text. */
export function resolvConfNameservers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m && isIPv4(m[1])) out.push(m[1]);
  }
  return out;
}

function hostUpstreams(): string[] {
  try {
    return resolvConfNameservers(readFileSync('/etc/resolv.conf', 'utf8'));
  } catch {
    return [];
  }
}

function splitHostPort(s: string): { host: string; port: number } {
  const i = s.lastIndexOf(':');
  return i > 0 ? { host: s.slice(0, i), port: Number(s.slice(i + 1)) } : { host: s, port: 53 };
}

export class ClusterDns {
  readonly names: ClusterNames;
  private readonly server: DnsServer;
  private readonly upstreams: Array<{ host: string; port: number }>;
  private readonly ttl: number;
  private readonly timeoutMs: number;
  /** answered queries by outcome (tests, benchmarks) */
  readonly counters = { cluster: 0, nxdomain: 0, forwarded: 0, failed: 0 };

  constructor(opts: ClusterDnsOptions) {
    this.names = new ClusterNames(opts.source, opts.domain, opts.clusterIpsRoutable);
    this.ttl = opts.ttl ?? 0;
    this.timeoutMs = opts.upstreamTimeoutMs ?? 2000;
    const port = opts.port ?? 53;
    // Never forward to ourselves (a loop).
    this.upstreams = (opts.upstreams ?? hostUpstreams()).map(splitHostPort).filter((u) => !(u.host === opts.host && u.port === port));
    this.server = new DnsServer({ host: opts.host, port, handle: (msg) => this.handle(msg) });
  }

  /** Bind UDP and TCP; rejects (EADDRINUSE, EACCES, EADDRNOTAVAIL) when the address cannot be had. */
  start(): Promise<{ host: string; port: number }> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The response to one DNS message, or undefined to stay silent (it was a response, or garbage). */
  async handle(msg: Buffer): Promise<Buffer | undefined> {
    let query;
    try {
      query = parseQuery(msg);
    } catch (err) {
      if (!(err instanceof DnsFormatError)) throw err;
      const id = packetId(msg);
      if (id === undefined || msg.length < 12 || (msg[2] & 0x80) !== 0) return undefined;
      return buildResponse({ id, opcode: (msg[2] >> 3) & 0xf, recursionDesired: (msg[2] & 1) !== 0 }, { rcode: RCODE_FORMERR });
    }
    if (query.isResponse) return undefined;
    if (query.opcode !== 0) return buildResponse(query, { rcode: RCODE_NOTIMP });
    if (query.questionCount !== 1) return buildResponse(query, { rcode: RCODE_FORMERR });
    const { name, type } = query.question;
    const wantsAddress = type === TYPE_A || type === TYPE_ANY;
    const answer = this.names.resolve(name, wantsAddress);
    switch (answer.kind) {
      case 'addresses':
        this.counters.cluster++;
        return buildResponse(query, { rcode: RCODE_NOERROR, authoritative: true, answers: answer.addresses.map((ip) => ({ name, type: TYPE_A, ttl: answer.ttl ?? this.ttl, data: ip })) });
      case 'nodata':
        this.counters.cluster++;
        return buildResponse(query, { rcode: RCODE_NOERROR, authoritative: true });
      case 'nxdomain':
        this.counters.nxdomain++;
        return buildResponse(query, { rcode: RCODE_NXDOMAIN, authoritative: true });
      case 'forward': {
        const reply = await this.forward(msg);
        if (reply) {
          this.counters.forwarded++;
          return reply;
        }
        this.counters.failed++;
        return buildResponse(query, { rcode: RCODE_SERVFAIL });
      }
    }
  }

  /** The first upstream answer to the query as sent, or undefined when none answers in time. */
  private async forward(msg: Buffer): Promise<Buffer | undefined> {
    for (const u of this.upstreams) {
      const reply = await udpExchange(msg, u.host, u.port, this.timeoutMs);
      if (reply) return reply;
    }
    return undefined;
  }
}

function udpExchange(msg: Buffer, host: string, port: number, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const id = msg.readUInt16BE(0);
    let done = false;
    const finish = (reply: Buffer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('error', () => finish(undefined));
    socket.on('message', (reply) => {
      if (reply.length >= 2 && reply.readUInt16BE(0) === id) finish(reply);
    });
    socket.send(msg, port, host, (err) => {
      if (err) finish(undefined);
    });
  });
}
