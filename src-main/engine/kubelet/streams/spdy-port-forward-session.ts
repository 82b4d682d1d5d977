/**
 * kubectl's port-forward over one SPDY connection, as the kubelet serves it (kubelet
 * pkg/cri/streaming/portforward/httpstream.go): for every local TCP connection kubectl opens an `error`
 * stream and a `data` stream carrying the same `port` and `requestid` headers. The pair is forwarded to
 * podIP:port; a dial error is written as text on the error stream; when the target closes, both streams
 * are closed (FIN). Any number of pairs share the connection, which lives until kubectl goes away.
 */
import { connect, type Socket } from 'node:net';
import { dialErrorMessage } from '../probe-tcp';
import type { ActiveStreams } from './active-streams';
import { RST_PROTOCOL_ERROR } from './spdy/spdy-frames';
import { headerValue } from './spdy/spdy-header-block';
import type { SpdyConnection, SpdyStream } from './spdy/spdy-connection';

/** How long the second stream of a pair may lag the first (the kubelet's streamCreationTimeout). */
const PAIR_TIMEOUT_MS = 30_000;

export interface SpdyPortForwardTarget {
  host: string;
  /** how errors name the pod (the kubelet's CRI streaming server uses the sandbox id) */
  podLabel: string;
}

interface StreamPair {
  port: number;
  error?: SpdyStream;
  data?: SpdyStream;
  timer: NodeJS.Timeout;
}

/** The pairing key: `requestid`, or for clients without it (pre-1.6), derived from the stream ids. */
function requestIdOf(stream: SpdyStream, type: string): string {
  const id = headerValue(stream.headers, 'requestid');
  if (id !== '') return id;
  return String(type === 'error' ? stream.id : stream.id - 2);
}

function parsePort(value: string): number | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 0xffff ? port : undefined;
}

export function runSpdyPortForward(conn: SpdyConnection, target: SpdyPortForwardTarget, active: ActiveStreams): void {
  const pairs = new Map<string, StreamPair>();
  const sockets = new Set<Socket>();

  const untrack = active.add(() => conn.close());
  conn.onClose = () => {
    untrack();
    for (const p of pairs.values()) clearTimeout(p.timer);
    pairs.clear();
    for (const s of sockets) s.destroy();
    sockets.clear();
  };

  conn.onStream = (stream) => {
    const type = headerValue(stream.headers, 'streamtype');
    const port = parsePort(headerValue(stream.headers, 'port'));
    if ((type !== 'error' && type !== 'data') || port === undefined) {
      stream.reset(RST_PROTOCOL_ERROR);
      return;
    }
    stream.reply();
    const key = requestIdOf(stream, type);
    let pair = pairs.get(key);
    if (!pair) {
      const timer = setTimeout(() => {
        pairs.delete(key);
        pair?.error?.write(Buffer.from(`timed out waiting for streams of request ${key}`));
        pair?.error?.end();
        pair?.data?.reset();
      }, PAIR_TIMEOUT_MS);
      timer.unref();
      pair = { port, timer };
      pairs.set(key, pair);
    }
    if (pair[type] !== undefined) {
      stream.reset(RST_PROTOCOL_ERROR);
      return;
    }
    pair[type] = stream;
    if (pair.error && pair.data) {
      clearTimeout(pair.timer);
      pairs.delete(key);
      forward(pair.error, pair.data, pair.port);
    }
  };

  function forward(errorStream: SpdyStream, dataStream: SpdyStream, port: number): void {
    const socket = connect({ host: target.host, port });
    socket.setNoDelay(true);
    sockets.add(socket);
    let connected = false;
    let failed = false;

    socket.on('connect', () => {
      connected = true;
    });
    socket.on('data', (chunk: Buffer) => {
      if (!dataStream.write(chunk)) {
        socket.pause();
        conn.onceDrained(() => socket.resume());
      }
    });
    socket.on('end', () => dataStream.end());
    socket.on('error', (err) => {
      if (failed) return;
      failed = true;
      if (!connected) errorStream.write(Buffer.from(`error forwarding port ${port} to pod ${target.podLabel}, uid : ${dialErrorMessage(err, target.host, port)}`));
    });
    socket.on('close', () => {
      sockets.delete(socket);
      dataStream.end();
      errorStream.end();
    });

    // a target that reads slowly stops the whole connection's input (as spdystream's unbuffered channels do)
    let inputPaused = false;
    const resumeInput = (): void => {
      if (!inputPaused) return;
      inputPaused = false;
      conn.resumeInput();
    };
    socket.on('drain', resumeInput);
    socket.on('close', resumeInput);
    dataStream.onData = (chunk) => {
      if (socket.destroyed) return;
      if (!socket.write(chunk) && !inputPaused) {
        inputPaused = true;
        conn.pauseInput();
      }
    };
    // kubectl is done sending: half-close towards the target and keep reading its answer
    dataStream.onEnd = () => {
      if (!socket.destroyed) socket.end();
    };
    dataStream.onReset = () => socket.destroy();
    errorStream.onReset = () => socket.destroy();
  }
}
