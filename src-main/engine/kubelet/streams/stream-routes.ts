/**
 * Dispatch of the pod streaming subresources: GET log to PodLogs; upgrades of exec/attach/portforward to
 * their handlers. Exec, attach and port-forward are each served over WebSocket and SPDY/3.1 alike.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { UpgradeHandler } from '../../api/api-server';
import type { ResourceRequest } from '../../api/request-info';
import type { PodStreamHandlers } from '../../api/rest-handler';
import { notFound } from '../../status';
import type { RemoteCommandUpgrades } from './remote-command-upgrades';
import type { PodLogs } from './pod-logs';
import type { PortForwardUpgrades } from './port-forward';
import { refuseUpgrade, upgradeKind, upgradeRequired } from './upgrade-refusal';

export class PodStreamRoutes implements PodStreamHandlers, UpgradeHandler {
  constructor(
    private readonly logs: PodLogs,
    private readonly remote: RemoteCommandUpgrades,
    private readonly portForward: PortForwardUpgrades,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    if (info.subresource === 'log') return this.logs.serve(req, res, info, query);
    req.resume();
    return Promise.reject(upgradeRequired());
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): void {
    // Node drops its own error listener on upgrade; until ws takes the socket, an error must not crash us.
    socket.on('error', () => socket.destroy());
    this.route(req, socket, head, info, query).catch((err: unknown) => refuseUpgrade(socket, err));
  }

  private async route(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    const kind = upgradeKind(req);
    const sub = info.subresource;
    if (sub === 'portforward') {
      if (kind === 'other') throw upgradeRequired();
      return this.portForward.handle(req, socket, head, info, query);
    }
    if (sub !== 'exec' && sub !== 'attach') throw notFound('', `pods/${sub}`, info.name);
    if (kind === 'websocket') return this.remote.handle(sub, req, socket, head, info, query);
    if (kind === 'spdy') return this.remote.handleSpdy(sub, req, socket, head, info, query);
    // no upgrade: the real problem (no such container, …) comes before "Upgrade request required"
    await this.remote.check(sub, info, query);
    throw upgradeRequired();
  }
}
