import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../object';
import { ClusterDns, resolvConfNameservers } from './cluster-dns';
import { buildQuery, parseResponse, RCODE_FORMERR, RCODE_SERVFAIL, TYPE_A } from './dns-message';
import { createSocket } from 'node:dgram';

const objects: Record<string, KubeObject> = {
  'namespaces//default': { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
  'services/default/web': { apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { clusterIP: '10.96.0.20' } },
  'endpoints/default/web': { apiVersion: 'v1', kind: 'Endpoints', metadata: {}, subsets: [{ addresses: [{ ip: '172.18.0.2' }, { ip: '172.18.0.3' }] }] },
  'services/default/upstream-only': { apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { clusterIP: 'None' } },
  'endpoints/default/upstream-only': { apiVersion: 'v1', kind: 'Endpoints', metadata: {}, subsets: [{ addresses: [{ ip: '192.0.2.9' }] }] },
};
const source = { get: (r: string, ns: string, n: string): KubeObject | undefined => objects[`${r}/${ns}/${n}`] };

async function udpAsk(port: number, msg: Buffer): Promise<Buffer> {
  const s = createSocket('udp4');
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      s.on('message', resolve);
      s.on('error', reject);
      s.send(msg, port, '127.0.0.1');
      setTimeout(() => reject(new Error('no answer')), 2000);
    });
  } finally {
    s.close();
  }
}

describe('ClusterDns on 127.0.0.1', () => {
  const servers: ClusterDns[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });

  async function start(opts: Partial<ConstructorParameters<typeof ClusterDns>[0]> = {}): Promise<{ dns: ClusterDns; port: number }> {
    const dns = new ClusterDns({ source, host: '127.0.0.1', port: 0, upstreams: [], upstreamTimeoutMs: 300, ...opts });
    servers.push(dns);
    const { port } = await dns.start();
    return { dns, port };
  }

  it('answers a real resolver over UDP: round-robin A, NXDOMAIN, NODATA', async () => {
    const { port } = await start();
    const r = new Resolver();
    r.setServers([`127.0.0.1:${port}`]);
    const first = await r.resolve4('web.default.svc.cluster.local', { ttl: true });
    const second = await r.resolve4('WEB.default.svc.cluster.local');
    expect(first).toHaveLength(1);
    expect(first[0].ttl).toBe(0);
    expect(new Set([first[0].address, second[0]])).toEqual(new Set(['172.18.0.2', '172.18.0.3']));
    await expect(r.resolve4('nope.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(r.resolve6('web.default.svc.cluster.local')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('answers over TCP with a length prefix, several messages on one connection', async () => {
    const { port } = await start();
    const socket = connect(port, '127.0.0.1');
    const q1 = buildQuery(7, 'web.default.svc.cluster.local', TYPE_A);
    const q2 = buildQuery(8, 'web.default.svc.cluster.local', TYPE_A);
    const framed = (q: Buffer): Buffer => Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q]);
    const all = Buffer.concat([framed(q1), framed(q2)]);
    // split mid-message to prove reassembly
    socket.write(all.subarray(0, 5));
    setTimeout(() => socket.write(all.subarray(5)), 20);
    const replies: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      socket.on('error', reject);
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
          replies.push(buf.subarray(2, 2 + buf.readUInt16BE(0)));
          buf = buf.subarray(2 + buf.readUInt16BE(0));
        }
        if (replies.length === 2) resolve();
      });
    });
    socket.destroy();
    const parsed = replies.map((r) => parseResponse(r));
    expect(parsed.map((p) => p.id).sort()).toEqual([7, 8]);
    expect(parsed.flatMap((p) => p.answers.map((a) => a.data)).sort()).toEqual(['172.18.0.2', '172.18.0.3']);
  });

  it('forwards names outside the cluster domain to the upstream and relays its answer; SERVFAIL without one', async () => {
    // The "upstream" is another instance on loopback whose domain is example.test: no internet involved.
    const upstream = new ClusterDns({ source, host: '127.0.0.1', port: 0, domain: 'example.test', upstreams: [] });
    servers.push(upstream);
    const { port: upstreamPort } = await upstream.start();
    const { dns, port } = await start({ upstreams: [`127.0.0.1:${upstreamPort}`] });
    const r = new Resolver();
    r.setServers([`127.0.0.1:${port}`]);
    expect(await r.resolve4('upstream-only.default.svc.example.test')).toEqual(['192.0.2.9']);
    expect(dns.counters.forwarded).toBe(1);
    const { port: lonely } = await start({ upstreams: [] });
    const reply = parseResponse(await udpAsk(lonely, buildQuery(3, 'example.org', TYPE_A)));
    expect(reply.rcode).toBe(RCODE_SERVFAIL);
  });

  it('answers garbage with FORMERR and ignores responses', async () => {
    const { port } = await start();
    const bad = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([5, 97])]);
    const reply = parseResponse(await udpAsk(port, bad));
    expect(reply).toMatchObject({ id: 0x1234, rcode: RCODE_FORMERR });
    const asResponse = buildQuery(9, 'web.default.svc.cluster.local', TYPE_A);
    asResponse[2] |= 0x80;
    await expect(udpAsk(port, asResponse)).rejects.toThrow('no answer');
  });

  it('reports an address it cannot bind, and reads nameservers from resolv.conf text', async () => {
    const { port } = await start();
    const second = new ClusterDns({ source, host: '127.0.0.1', port, upstreams: [] });
    await expect(second.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(resolvConfNameservers('# c\nnameserver 10.0.0.2\nnameserver ::1\nsearch x\n nameserver 1.1.1.1 \n')).toEqual(['10.0.0.2', '1.1.1.1']);
  });
});
