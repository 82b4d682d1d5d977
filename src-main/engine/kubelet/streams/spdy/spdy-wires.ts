/**
 * The two transports kubectl runs SPDY on: the raw socket after `101 Switching Protocols` / `Upgrade:
 * SPDY/3.1` (kubectl ≤1.30, and the fallback of newer ones), and binary WebSocket messages under the
 * subprotocol `SPDY/3.1+portforward.k8s.io` (kubectl 1.31+; client-go tools/portforward/tunneling_dialer.go),
 * where a message may hold part of a frame or several frames.
 */
import type { Duplex } from 'node:stream';
import { WebSocket, type RawData } from 'ws';
import { toBuffer } from '../websocket-command-channels';
import { SpdyConnection } from './spdy-connection';

/** Bytes buffered towards the client above which the connection reports congestion. */
const HIGH_WATER = 1024 * 1024;

/** SPDY on an upgraded socket; `head` holds bytes that arrived with the upgrade request. */
export function spdyOverSocket(socket: Duplex, head: Buffer): SpdyConnection {
  const conn = new SpdyConnection({
    write: (bytes) => socket.write(bytes),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    close: () => {
      socket.end();
      // a client that never reads must not keep the socket forever
      setTimeout(() => socket.destroy(), 5_000).unref();
    },
  });
  socket.on('drain', () => conn.wireDrained());
  socket.on('close', () => conn.wireClosed());
  socket.on('error', () => socket.destroy());
  // the client half-closing means it is gone for a port-forward
  socket.on('end', () => conn.wireClosed());
  if (head.length > 0) conn.receive(head);
  socket.on('data', (chunk: Buffer) => conn.receive(chunk));
  return conn;
}

/** SPDY inside binary WebSocket messages. */
export function spdyOverWebSocket(ws: WebSocket): SpdyConnection {
  const conn = new SpdyConnection({
    write: (bytes) => {
      if (ws.readyState !== WebSocket.OPEN) return true;
      ws.send(bytes, { binary: true }, () => {
        if (ws.bufferedAmount <= HIGH_WATER / 2) conn.wireDrained();
      });
      return ws.bufferedAmount <= HIGH_WATER;
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    close: () => {
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      setTimeout(() => ws.terminate(), 5_000).unref();
    },
  });
  ws.on('message', (raw: RawData, isBinary: boolean) => {
    if (isBinary) conn.receive(toBuffer(raw));
  });
  ws.on('error', () => undefined); // 'close' follows
  ws.on('close', () => conn.wireClosed());
  return conn;
}
