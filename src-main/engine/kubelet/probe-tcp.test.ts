import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialErrorMessage, joinHostPort, tcpProbe } from './probe-tcp';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

describe('tcpProbe', () => {
  const server = createServer((s) => s.end());
  let port = 0;
  let closedPort = 0;
  beforeAll(async () => {
    port = await listen(server);
    const other = createServer();
    closedPort = await listen(other);
    await new Promise<void>((r) => other.close(() => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('succeeds when the port accepts', async () => {
    expect(await tcpProbe('127.0.0.1', port, 1000)).toEqual({ result: 'success', output: '' });
  });

  it('fails with Go wording when the port refuses', async () => {
    expect(await tcpProbe('127.0.0.1', closedPort, 1000)).toEqual({ result: 'failure', output: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused` });
  });

  it('words errors as Go does', () => {
    expect(dialErrorMessage({ code: 'EHOSTUNREACH' }, '10.0.0.5', 80)).toBe('dial tcp 10.0.0.5:80: connect: no route to host');
    expect(dialErrorMessage({ code: 'ENOTFOUND' }, 'nohost', 80)).toBe('dial tcp: lookup nohost: no such host');
    expect(dialErrorMessage(new Error('weird'), '::1', 80)).toBe('dial tcp [::1]:80: weird');
    expect(joinHostPort('fe80::1', 8080)).toBe('[fe80::1]:8080');
  });
});
