import { PortForward } from '@kubernetes/client-node';
import net from 'node:net';
import type { PortForwardInput } from '../contract/inputs';
import type { PortForwardEvent } from '../contract/observability';
import { toClusterError } from './cluster-error';
import type { ContextClient } from './context-registry';
import { objectPath } from './kind-catalog';
import { kubeRequest } from './kube-http';
import { toServiceRow } from './rows/network-rows';
import type { ForwardTarget } from './service-detail';
import { forwardTarget, forwardTargetFromPods, selectedPods } from './service-detail';

/** Connections one forward carries at once (each is a WebSocket to the API server). */
const MAX_CONNECTIONS = 64;

interface Closable {
  close(): void;
}

/**
 * "Open in browser" for a Service port: a listener on 127.0.0.1 (an ephemeral port) whose every connection is
 * carried to a ready pod behind the Service through the API server's port-forward (client-node's WebSocket
 * PortForward), like `kubectl port-forward svc/...`. The pod is chosen again for each connection, so the
 * forward survives a rollout. `stop()` closes the listener and every connection.
 */
export class PortForwardSession {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly upstreams = new Set<Closable>();
  private stopped = false;
  private lastTarget: ForwardTarget | null = null;

  constructor(
    private readonly client: ContextClient,
    private readonly input: PortForwardInput,
    private readonly emit: (event: PortForwardEvent) => void,
  ) {}

  get connections(): number {
    return this.sockets.size;
  }

  private async target(): Promise<ForwardTarget> {
    const { namespace, service, port } = this.input;
    const svc = toServiceRow(await kubeRequest(this.client.config, { method: 'GET', path: objectPath('services', namespace, service) }));
    const endpoints = await kubeRequest(this.client.config, { method: 'GET', path: objectPath('endpoints', namespace, service) }).catch(() => null);
    try {
      this.lastTarget = forwardTarget(service, svc.ports, endpoints, port);
    } catch (error) {
      // No Endpoints with a ready address (some clusters keep none): choose among the selected pods.
      const pods = await selectedPods(this.client, namespace, svc.selector);
      if (pods.length === 0) throw error;
      this.lastTarget = forwardTargetFromPods(service, svc.ports, pods, port);
    }
    return this.lastTarget;
  }

  async start(): Promise<void> {
    try {
      const first = await this.target();
      if (this.stopped) return;
      const server = net.createServer((socket) => void this.carry(socket));
      server.maxConnections = MAX_CONNECTIONS;
      this.server = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
      if (this.stopped) {
        server.close();
        return;
      }
      const localPort = (server.address() as net.AddressInfo).port;
      this.emit({ type: 'ready', url: `http://127.0.0.1:${localPort}/`, localPort, pod: first.pod, podPort: first.podPort });
    } catch (error) {
      if (!this.stopped) {
        this.emit({ type: 'error', error: toClusterError(error, this.client.server) });
        this.stop('the forward could not start');
      }
    }
  }

  private async carry(socket: net.Socket): Promise<void> {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    try {
      const target = await this.target().catch((error: unknown) => {
        if (this.lastTarget === null) throw error;
        return this.lastTarget;
      });
      if (this.stopped || socket.destroyed) return;
      const forward = new PortForward(this.client.config, true);
      const ws = await forward.portForward(this.input.namespace, target.pod, [target.podPort], socket, null, socket);
      const upstream = typeof ws === 'function' ? ws() : ws;
      if (upstream === null) throw new Error('the port-forward did not open');
      this.upstreams.add(upstream);
      const done = (): void => {
        this.upstreams.delete(upstream);
        socket.destroy();
      };
      upstream.on('close', done);
      upstream.on('error', done);
      socket.on('close', () => upstream.close());
      if (this.stopped) upstream.close();
    } catch (error) {
      socket.destroy();
      if (!this.stopped) this.emit({ type: 'error', error: toClusterError(error, this.client.server) });
    }
  }

  stop(reason = 'stopped'): void {
    if (this.stopped) return;
    this.stopped = true;
    this.server?.close();
    for (const upstream of this.upstreams) upstream.close();
    for (const socket of this.sockets) socket.destroy();
    this.upstreams.clear();
    this.sockets.clear();
    this.emit({ type: 'closed', reason });
  }
}
