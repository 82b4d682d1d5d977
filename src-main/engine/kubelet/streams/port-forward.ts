/**
 * pods/portforward, in the three ways clients speak it:
 * - @kubernetes/client-node: WebSocket `?ports=8080` with v4.channel.k8s.io (port-forward-session.ts);
 * - kubectl 1.31+: WebSocket with `SPDY/3.1+portforward.k8s.io`, SPDY frames inside binary messages;
 * - kubectl ≤1.30 (and newer ones when the tunnel is refused or disabled): `Upgrade: SPDY/3.1` with
 *   `X-Stream-Protocol-Version: portforward.k8s.io`, then SPDY on the raw socket.
 * The SPDY ways carry no `ports`: kubectl names the port on every stream pair (spdy-port-forward-session.ts).
 * Bad requests (unknown pod, no pod IP, no common protocol) are refused with a Status before upgrading.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ResourceRequest } from '../../api/request-info';
import { badRequest, forbidden } from '../../status';
import type { ContainerResolver } from '../container-resolver';
import type { ActiveStreams } from './active-streams';
import { negotiateProtocol, parseProtocolHeader, PORT_FORWARD_PROTOCOLS, SPDY_TUNNEL_PROTOCOL } from './channel-protocol';
import { parsePortForwardPorts } from './port-forward-options';
import { runPortForwardSession } from './port-forward-session';
import { spdyOverSocket, spdyOverWebSocket } from './spdy/spdy-wires';
import { runSpdyPortForward } from './spdy-port-forward-session';
import { unsupportedProtocols, upgradeKind } from './upgrade-refusal';

const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** The stream protocol of kubectl's SPDY port-forward (X-Stream-Protocol-Version). */
export const SPDY_PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** Every WebSocket subprotocol served, best first. */
const WEBSOCKET_PROTOCOLS: readonly string[] = [...PORT_FORWARD_PROTOCOLS, SPDY_TUNNEL_PROTOCOL];

interface PodTarget {
  host: string;
  podLabel: string;
}

export class PortForwardUpgrades {
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => negotiateProtocol([...offered], PORT_FORWARD_PROTOCOLS) ?? false,
  });

  /**
   * ws refuses `SPDY/3.1+portforward.k8s.io` as a subprotocol ('/' is no token character, RFC 6455 §4.1), so
   * the tunnel's handshake has its own server: the header is swapped for a token before ws parses it, and
   * the answer names the protocol kubectl asked for, exactly.
   */
  private readonly tunnelWss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: () => SPDY_TUNNEL_PROTOCOL,
  });

  constructor(
    private readonly resolver: ContainerResolver,
    private readonly active: ActiveStreams,
  ) {}

  /** Upgrade and forward; throws StatusError (for the caller to refuse with) before upgrading. */
  async handle(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    if (upgradeKind(req) === 'spdy') return this.handleSpdy(req, socket, head, info);
    const offered = parseProtocolHeader(req.headers['sec-websocket-protocol']);
    const protocol = negotiateProtocol(offered, WEBSOCKET_PROTOCOLS);
    if (protocol === undefined) throw unsupportedProtocols(offered, WEBSOCKET_PROTOCOLS);
    if (protocol === SPDY_TUNNEL_PROTOCOL) {
      const target = await this.target(info);
      if (socket.destroyed) return;
      req.headers['sec-websocket-protocol'] = 'spdy-tunnel';
      this.tunnelWss.handleUpgrade(req, socket, head, (ws) => runSpdyPortForward(spdyOverWebSocket(ws), target, this.active));
      return;
    }
    const ports = parsePortForwardPorts(query);
    const target = await this.target(info);
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => runPortForwardSession(ws, { ...target, ports }, this.active));
  }

  private async handleSpdy(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest): Promise<void> {
    const offered = parseProtocolHeader(req.headers['x-stream-protocol-version']);
    // no header at all is the oldest clients' way; the kubelet (httpstream.Handshake) accepts it too
    if (offered.length > 0 && !offered.includes(SPDY_PORT_FORWARD_PROTOCOL)) {
      throw forbidden(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${SPDY_PORT_FORWARD_PROTOCOL}]`);
    }
    const target = await this.target(info);
    if (socket.destroyed || !socket.writable) return;
    const lines = ['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1'];
    if (offered.length > 0) lines.push(`X-Stream-Protocol-Version: ${SPDY_PORT_FORWARD_PROTOCOL}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    runSpdyPortForward(spdyOverSocket(socket, head), target, this.active);
  }

  private async target(info: ResourceRequest): Promise<PodTarget> {
    const ref = await this.resolver.resolve(info.namespace, info.name, undefined);
    if (ref.podIP === '') throw badRequest(`pod ${info.name} has no IP address yet`);
    return { host: ref.podIP, podLabel: ref.sandboxId };
  }
}
