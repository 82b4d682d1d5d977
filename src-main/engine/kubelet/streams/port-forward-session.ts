/**
 * One WebSocket port-forward (v4.channel.k8s.io, as the kubelet serves it): for the i-th port, channel 2i
 * carries data and 2i+1 errors; each starts with a [channel, port lo, port hi] frame. One TCP connection
 * per port to the pod IP; the socket closes once every target connection has closed.
 */
import { connect, type Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import { dialErrorMessage } from '../probe-tcp';
import type { ActiveStreams } from './active-streams';
import { decodeFrame, portChannels, portPrefixFrame } from './channel-protocol';
import { FrameSender } from './frame-sender';
import { toBuffer } from './websocket-command-channels';

export interface PortForwardTarget {
  host: string;
  ports: number[];
  /** how errors name the pod (the kubelet's CRI streaming server uses the sandbox id) */
  podLabel: string;
}

export function runPortForwardSession(ws: WebSocket, target: PortForwardTarget, active: ActiveStreams): void {
  const sender = new FrameSender(ws);
  const sockets: Socket[] = [];
  let open = target.ports.length;
  let closed = false;

  const untrack = active.add(() => ws.terminate());
  ws.on('error', () => undefined); // 'close' follows
  ws.on('close', () => {
    closed = true;
    untrack();
    for (const s of sockets) s.destroy();
  });

  target.ports.forEach((port, i) => {
    const { data, error } = portChannels(i);
    ws.send(portPrefixFrame(data, port));
    ws.send(portPrefixFrame(error, port));
    const socket = connect({ host: target.host, port });
    sockets.push(socket);
    socket.on('data', (chunk: Buffer) => sender.send(data, chunk, socket));
    socket.on('error', (err) => {
      sender.send(error, `error forwarding port ${port} to pod ${target.podLabel}, uid : ${dialErrorMessage(err, target.host, port)}`);
    });
    socket.on('close', () => {
      open--;
      if (open === 0 && !closed) ws.close(1000);
    });
  });

  ws.on('message', (raw: RawData, isBinary: boolean) => {
    if (!isBinary || closed) return;
    const frame = decodeFrame(toBuffer(raw));
    // error channels (odd) carry nothing from the client
    if (!frame || frame.channel % 2 !== 0 || frame.payload.length === 0) return;
    const socket = sockets[frame.channel / 2];
    if (!socket || socket.destroyed || !socket.writable) return;
    if (!socket.write(frame.payload)) {
      ws.pause();
      socket.once('drain', () => ws.resume());
    }
  });
}
