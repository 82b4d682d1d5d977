import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { badRequest } from '../../status';
import { noCommonStreamProtocol, refuseUpgrade, unsupportedProtocols, upgradeKind } from './upgrade-refusal';

function req(upgrade: string | undefined): IncomingMessage {
  return { headers: upgrade === undefined ? {} : { upgrade } } as IncomingMessage;
}

describe('upgrade refusal', () => {
  it('tells WebSocket from SPDY', () => {
    expect(upgradeKind(req('websocket'))).toBe('websocket');
    expect(upgradeKind(req('WebSocket'))).toBe('websocket');
    expect(upgradeKind(req('SPDY/3.1'))).toBe('spdy');
    expect(upgradeKind(req('h2c'))).toBe('other');
    expect(upgradeKind(req(undefined))).toBe('other');
  });

  it('writes a Status as a complete HTTP response', async () => {
    const socket = new PassThrough();
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    refuseUpgrade(socket, badRequest('nope'), { 'X-Accepted-Stream-Protocol-Versions': 'v5.channel.k8s.io' });
    await new Promise((r) => socket.on('end', r));
    const text = Buffer.concat(chunks).toString();
    const [head, body] = text.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(head).toContain('Content-Type: application/json');
    expect(head).toContain('X-Accepted-Stream-Protocol-Versions: v5.channel.k8s.io');
    expect(JSON.parse(body)).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'nope', reason: 'BadRequest', code: 400 });
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
  });

  it('words the protocol errors', () => {
    expect(unsupportedProtocols(['a', 'b'], ['v5.channel.k8s.io']).message).toBe('unable to upgrade: requested protocol(s) are not supported: [a b]; supports [v5.channel.k8s.io]');
    expect(noCommonStreamProtocol([], ['v4.channel.k8s.io'])).toMatchObject({ code: 400, message: 'unable to upgrade: X-Stream-Protocol-Version is required' });
    expect(noCommonStreamProtocol(['v5.channel.k8s.io'], ['v4.channel.k8s.io', 'v3.channel.k8s.io'])).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'unable to upgrade: unable to negotiate protocol: client supports [v5.channel.k8s.io], server accepts [v4.channel.k8s.io v3.channel.k8s.io]',
      headers: { 'X-Accepted-Stream-Protocol-Versions': 'v4.channel.k8s.io, v3.channel.k8s.io' },
    });
  });
});
