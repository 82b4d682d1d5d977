import { createServer, type Http2Server } from 'node:http2';
import { createServer as createNetServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grpcProbe, healthCheckRequest, servingStatus } from './probe-grpc';

function frame(body: number[]): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, Buffer.from(body)]);
}

/** A tiny gRPC health server: service "" is SERVING, "down" NOT_SERVING, "broken" fails with INTERNAL. */
function healthServer(): Http2Server {
  const server = createServer();
  server.on('stream', (stream, headers) => {
    if (headers[':path'] !== '/grpc.health.v1.Health/Check') {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'unknown service' }, { endStream: true });
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const req = Buffer.concat(chunks);
      const service = req.length > 7 ? req.subarray(7).toString('utf8') : '';
      if (service === 'hang') return;
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers(service === 'broken' ? { 'grpc-status': '13', 'grpc-message': 'db%20down' } : { 'grpc-status': '0' }));
      stream.end(service === 'broken' ? Buffer.alloc(0) : frame(service === 'down' ? [0x08, 0x02] : [0x08, 0x01]));
    });
  });
  return server;
}

describe('grpcProbe', () => {
  const server = healthServer();
  let port = 0;
  let closedPort = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    const other = createNetServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    closedPort = (other.address() as { port: number }).port;
    await new Promise<void>((r) => other.close(() => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('succeeds when the service is SERVING', async () => {
    expect(await grpcProbe('127.0.0.1', port, '', 1000)).toEqual({ result: 'success', output: 'service healthy' });
  });

  it('fails with the kubelet wording otherwise', async () => {
    expect(await grpcProbe('127.0.0.1', port, 'down', 1000)).toEqual({ result: 'failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    expect(await grpcProbe('127.0.0.1', port, 'broken', 1000)).toEqual({ result: 'failure', output: 'error: health rpc probe failed: rpc error: code = Internal desc = db down' });
    expect((await grpcProbe('127.0.0.1', port, 'hang', 300)).output).toBe('timeout: health rpc did not complete within 0.3s');
    expect((await grpcProbe('127.0.0.1', closedPort, '', 1000)).output).toBe(
      `failed to connect service "127.0.0.1:${closedPort}" within 1s: dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    );
  });

  it('encodes the request and decodes the response', () => {
    expect([...healthCheckRequest('')]).toEqual([0, 0, 0, 0, 0]);
    expect([...healthCheckRequest('ab')]).toEqual([0, 0, 0, 0, 4, 0x0a, 2, 0x61, 0x62]);
    expect(servingStatus(frame([0x08, 0x01]))).toBe(1);
    expect(servingStatus(frame([]))).toBe(0);
    expect(servingStatus(Buffer.from([1]))).toBeUndefined();
  });
});
