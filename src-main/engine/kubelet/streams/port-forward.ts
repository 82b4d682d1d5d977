/**
 * pods/portforward over WebSocket, as @kubernetes/client-node's PortForward speaks it (`?ports=8080`,
 * v4.channel.k8s.io). kubectl's SPDY port-forward, plain or tunnelled in WebSocket, is refused with a Status.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ResourceRequest } from '../../api/request-info';
import { badRequest } from '../../status';
import type { ContainerResolver } from '../container-resolver';
import type { ActiveStreams } from './active-streams';
import { negotiateProtocol, parseProtocolHeader, PORT_FORWARD_PROTOCOLS, SPDY_TUNNEL_PROTOCOL } from './channel-protocol';
import { parsePortForwardPorts } from './port-forward-options';
import { runPortForwardSession } from './port-forward-session';
import { portForwardNeedsWebSocket, unsupportedProtocols } from './upgrade-refusal';

const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export class PortForwardUpgrades {
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => negotiateProtocol([...offered], PORT_FORWARD_PROTOCOLS) ?? false,
  });

  constructor(
    private readonly resolver: ContainerResolver,
    private readonly active: ActiveStreams,
  ) {}

  /** Upgrade and forward; throws StatusError (for the caller to refuse with) before upgrading. */
  async handle(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    const offered = parseProtocolHeader(req.headers['sec-websocket-protocol']);
    if (negotiateProtocol(offered, PORT_FORWARD_PROTOCOLS) === undefined) {
      if (offered.includes(SPDY_TUNNEL_PROTOCOL)) throw portForwardNeedsWebSocket();
      throw unsupportedProtocols(offered, PORT_FORWARD_PROTOCOLS);
    }
    const ports = parsePortForwardPorts(query);
    const ref = await this.resolver.resolve(info.namespace, info.name, undefined);
    if (ref.podIP === '') throw badRequest(`pod ${info.name} has no IP address yet`);
    if (socket.destroyed) return;
    const target = { host: ref.podIP, ports, podLabel: ref.sandboxId };
    this.wss.handleUpgrade(req, socket, head, (ws) => runPortForwardSession(ws, target, this.active));
  }
}
