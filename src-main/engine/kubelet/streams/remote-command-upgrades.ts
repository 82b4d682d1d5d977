/**
 * pods/exec and pods/attach over WebSocket (v5.channel.k8s.io, v4.channel.k8s.io). Everything that can fail
 * is checked before the upgrade — options, subprotocol, container, Docker's exec — so the client gets a
 * Status over plain HTTP rather than a socket that opens and dies.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { WebSocketServer } from 'ws';
import type { ResourceRequest } from '../../api/request-info';
import { badRequest } from '../../status';
import type { ContainerRef, ContainerResolver } from '../container-resolver';
import type { ActiveStreams } from './active-streams';
import { negotiateProtocol, parseProtocolHeader, REMOTE_COMMAND_PROTOCOLS } from './channel-protocol';
import { prepareAttach } from './docker-attach';
import { prepareExec } from './docker-exec';
import { parseRemoteCommandOptions, type RemoteCommandKind, type RemoteCommandOptions } from './exec-options';
import { runRemoteCommand } from './remote-command-session';
import { unsupportedProtocols } from './upgrade-refusal';
import { WebSocketCommandChannels } from './websocket-command-channels';

/** Largest client message (stdin chunks from kubectl are 32 KiB). */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export class RemoteCommandUpgrades {
  private readonly wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols: (offered) => negotiateProtocol([...offered], REMOTE_COMMAND_PROTOCOLS) ?? false,
  });

  constructor(
    private readonly resolver: ContainerResolver,
    private readonly docker: Docker,
    private readonly active: ActiveStreams,
  ) {}

  /** Upgrade and run the session; throws StatusError (for the caller to refuse with) before upgrading. */
  async handle(kind: RemoteCommandKind, req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    const opts = parseRemoteCommandOptions(query, kind);
    const offered = parseProtocolHeader(req.headers['sec-websocket-protocol']);
    if (negotiateProtocol(offered, REMOTE_COMMAND_PROTOCOLS) === undefined) throw unsupportedProtocols(offered, REMOTE_COMMAND_PROTOCOLS);
    const ref = await this.resolveRunning(info, opts);
    const proc = kind === 'exec' ? await prepareExec(this.docker, ref, opts) : await prepareAttach(this.docker, ref, opts);
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => runRemoteCommand(new WebSocketCommandChannels(ws, opts), opts, proc, this.active));
  }

  /** The checks `handle` makes, for a request that will be refused anyway (SPDY): the real problem comes first. */
  async check(kind: RemoteCommandKind, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    await this.resolveRunning(info, parseRemoteCommandOptions(query, kind));
  }

  private async resolveRunning(info: ResourceRequest, opts: RemoteCommandOptions): Promise<ContainerRef> {
    const ref = await this.resolver.resolve(info.namespace, info.name, opts.container);
    // the kubelet looks only among running containers
    if (!ref.running) throw badRequest(`container not found ("${ref.name}")`);
    return ref;
  }
}
