/**
 * Refusing an HTTP upgrade with a Status body (any non-101 answer): kubectl decodes the Status and prints
 * `Error from server (<reason>): <message>`; kubectl 1.30+ also takes a non-101 WebSocket answer as the cue
 * to retry over SPDY, which for exec/attach is refused the same way.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, internalError, StatusError } from '../../status';

export type UpgradeKind = 'websocket' | 'spdy' | 'other';

export function upgradeKind(req: IncomingMessage): UpgradeKind {
  const upgrade = (req.headers.upgrade ?? '').toLowerCase();
  if (upgrade.split(',').some((p) => p.trim() === 'websocket')) return 'websocket';
  if (upgrade.includes('spdy/')) return 'spdy';
  return 'other';
}

/** Write `err` as a plain HTTP response on the not-yet-upgraded socket and close it. */
export function refuseUpgrade(socket: Duplex, err: unknown, headers: Record<string, string> = {}): void {
  const se = err instanceof StatusError ? err : internalError(err instanceof Error ? err.message : String(err));
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(se.toStatus());
  const lines = [
    `HTTP/1.1 ${se.code} ${STATUS_CODES[se.code] ?? se.reason}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-cache, private',
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** No subprotocol in common: the client offered nothing the server speaks. */
export function unsupportedProtocols(offered: readonly string[], supported: readonly string[]): StatusError {
  return badRequest(`unable to upgrade: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${supported.join(' ')}]`);
}

/** exec or attach over SPDY/3.1 (kubectl 1.27-1.29, or 1.30+ after WebSocket failed). */
export function spdyNotSupported(subresource: string): StatusError {
  return badRequest(
    `${subresource} over SPDY/3.1 is not supported by this server; it speaks the WebSocket protocol v5.channel.k8s.io: use kubectl 1.30 or newer (or set KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true with kubectl 1.29)`,
  );
}

/** exec/attach/portforward requested without any upgrade. */
export function upgradeRequired(): StatusError {
  return badRequest('Upgrade request required');
}
