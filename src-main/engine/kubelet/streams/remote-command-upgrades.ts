/**
 * pods/exec and pods/attach, in the two ways clients speak it:
 * - WebSocket v5.channel.k8s.io / v4.channel.k8s.io (kubectl 1.30+, client-node);
 * - `Upgrade: SPDY/3.1` with X-Stream-Protocol-Version v4/v3/v2.channel.k8s.io (kubectl 1.27-1.29, and newer
 *   ones when WebSocket is refused or KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false); kubectl has no SPDY-in-WebSocket
 *   tunnel for exec/attach, only for port-forward.
 * Both run the same session (remote-command-session.ts). Everything that can fail is checked before the
 * upgrade — options, protocol, container, Docker's exec — so the client gets a Status over plain HTTP rather
 * than a connection that opens and dies.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { WebSocketServer } from 'ws';
import type { ResourceRequest } from '../../api/request-info';
import { badRequest } from '../../status';
import type { RemoteProcess } from './remote-process';
import type { ContainerRef, ContainerResolver } from '../container-resolver';
import type { ActiveStreams } from './active-streams';
import { negotiateProtocol, parseProtocolHeader, REMOTE_COMMAND_PROTOCOLS } from './channel-protocol';
import { prepareAttach } from './docker-attach';
import { prepareExec } from './docker-exec';
import { parseRemoteCommandOptions, type RemoteCommandKind, type RemoteCommandOptions } from './exec-options';
import { internalErrorStatus } from './exec-status';
import { runRemoteCommand } from './remote-command-session';
import { SpdyCommandChannels } from './spdy-command-channels';
import { collectCommandStreams, errorStreamPayload, expectedStreamTypes, SPDY_REMOTE_COMMAND_PROTOCOLS, STREAM_CREATION_TIMEOUT_MS, StreamWaitError } from './spdy-command-streams';
import type { SpdyConnection } from './spdy/spdy-connection';
import { spdyOverSocket } from './spdy/spdy-wires';
import { noCommonStreamProtocol, unsupportedProtocols } from './upgrade-refusal';
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
    private readonly streamCreationTimeoutMs = STREAM_CREATION_TIMEOUT_MS,
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

  /** The same over `Upgrade: SPDY/3.1`: 101 with the chosen X-Stream-Protocol-Version, then the client's streams. */
  async handleSpdy(kind: RemoteCommandKind, req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    const opts = parseRemoteCommandOptions(query, kind);
    const offered = parseProtocolHeader(req.headers['x-stream-protocol-version']);
    const protocol = negotiateProtocol(offered, SPDY_REMOTE_COMMAND_PROTOCOLS);
    if (protocol === undefined) throw noCommonStreamProtocol(offered, SPDY_REMOTE_COMMAND_PROTOCOLS);
    const ref = await this.resolveRunning(info, opts);
    const proc = kind === 'exec' ? await prepareExec(this.docker, ref, opts) : await prepareAttach(this.docker, ref, opts);
    if (socket.destroyed || !socket.writable) return;
    socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${protocol}`, '', ''].join('\r\n'));
    this.runSpdy(spdyOverSocket(socket, head), protocol, opts, proc);
  }

  private runSpdy(conn: SpdyConnection, protocol: string, opts: RemoteCommandOptions, proc: RemoteProcess): void {
    // until the session owns the connection, shutdown must still reach it
    const untrack = this.active.add(() => conn.close());
    conn.onClose = () => untrack();
    collectCommandStreams(conn, expectedStreamTypes(opts, protocol), this.streamCreationTimeoutMs).then(
      (streams) => {
        untrack();
        runRemoteCommand(new SpdyCommandChannels(conn, streams, protocol), opts, proc, this.active);
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        const errorStream = err instanceof StreamWaitError ? err.errorStream : undefined;
        if (errorStream) {
          const payload = errorStreamPayload(internalErrorStatus(message), protocol);
          if (payload) errorStream.write(payload);
          errorStream.end();
        }
        conn.close();
      },
    );
  }

  /** The checks `handle` makes, for a request that will be refused anyway (no upgrade): the real problem comes first. */
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
