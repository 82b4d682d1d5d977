/**
 * Refusing an HTTP upgrade with a Status body (any non-101 answer): kubectl decodes the Status and prints
 * `Error from server (<reason>): <message>`; kubectl 1.30+ also takes a non-101 WebSocket answer as the cue
 * to retry over SPDY, where the same checks refuse the same way.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { badRequest, forbidden, internalError, StatusError } from '../../status';

/** A refusal that also sets response headers. */
export class HeaderedStatusError extends StatusError {
  constructor(
    status: StatusError,
    readonly headers: Record<string, string>,
  ) {
    super(status.code, status.reason, status.message, status.details);
  }
}

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
  const extra = se instanceof HeaderedStatusError ? { ...se.headers, ...headers } : headers;
  const lines = [
    `HTTP/1.1 ${se.code} ${STATUS_CODES[se.code] ?? se.reason}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-cache, private',
    'Connection: close',
    ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** No subprotocol in common: the client offered nothing the server speaks. */
export function unsupportedProtocols(offered: readonly string[], supported: readonly string[]): StatusError {
  return badRequest(`unable to upgrade: requested protocol(s) are not supported: [${offered.join(' ')}]; supports [${supported.join(' ')}]`);
}

/**
 * SPDY without a stream protocol in common (apimachinery httpstream.Handshake): 403 with the accepted ones in
 * X-Accepted-Stream-Protocol-Versions. No X-Stream-Protocol-Version at all is a 400.
 */
export function noCommonStreamProtocol(offered: readonly string[], supported: readonly string[]): StatusError {
  if (offered.length === 0) return badRequest('unable to upgrade: X-Stream-Protocol-Version is required');
  return new HeaderedStatusError(forbidden(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${supported.join(' ')}]`), {
    'X-Accepted-Stream-Protocol-Versions': supported.join(', '),
  });
}

/** exec/attach/portforward requested without any upgrade. */
export function upgradeRequired(): StatusError {
  return badRequest('Upgrade request required');
}
