/**
 * grpc probes: one unary call of grpc.health.v1.Health/Check over plaintext HTTP/2 (node:http2, no gRPC
 * library): the request and response are a single length-prefixed protobuf message each, small enough to
 * encode by hand. Results and wording follow the kubelet's pkg/probe/grpc.
 */
import { connect, constants } from 'node:http2';
import { KUBERNETES_VERSION } from '../api/discovery';
import type { ProbeOutcome } from './probe-state';
import { dialErrorMessage, joinHostPort } from './probe-tcp';

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
const GRPC_UNIMPLEMENTED = 12;
const GRPC_CODE_NAMES: Record<number, string> = {
  1: 'Canceled', 2: 'Unknown', 3: 'InvalidArgument', 4: 'DeadlineExceeded', 5: 'NotFound', 7: 'PermissionDenied',
  8: 'ResourceExhausted', 9: 'FailedPrecondition', 13: 'Internal', 14: 'Unavailable', 16: 'Unauthenticated',
};

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v > 0x7f) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** A gRPC message frame holding HealthCheckRequest{service}. */
export function healthCheckRequest(service: string): Buffer {
  const name = Buffer.from(service, 'utf8');
  const body = name.length > 0 ? Buffer.concat([Buffer.from([0x0a]), varint(name.length), name]) : Buffer.alloc(0);
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

/** The ServingStatus of a HealthCheckResponse frame (0, UNKNOWN, when the field is absent). */
export function servingStatus(frame: Buffer): number | undefined {
  if (frame.length < 5 || frame[0] !== 0) return undefined;
  const body = frame.subarray(5, 5 + frame.readUInt32BE(1));
  let i = 0;
  let status = 0;
  while (i < body.length) {
    const tag = body[i++];
    let value = 0;
    let shift = 0;
    for (;;) {
      if (i >= body.length) return undefined;
      const b = body[i++];
      value |= (b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (tag === 0x08) status = value;
    else if ((tag & 7) !== 0) return undefined; // only varint fields are expected
  }
  return status;
}

/** Run one grpc health check against host:port within `timeoutMs`. */
export function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  const address = joinHostPort(host, port);
  const within = `${timeoutMs / 1000}s`;
  return new Promise((resolve) => {
    let connected = false;
    let settled = false;
    const session = connect(`http://${address}`);
    const finish = (result: ProbeOutcome['result'], output: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve({ result, output });
    };
    const timer = setTimeout(() => {
      if (connected) finish('failure', `timeout: health rpc did not complete within ${within}`);
      else finish('failure', `timeout: failed to connect service "${address}" within ${within}`);
    }, timeoutMs);
    session.once('connect', () => {
      connected = true;
    });
    const connectFailed = (err: unknown): void => finish('failure', `failed to connect service "${address}" within ${within}: ${dialErrorMessage(err, host, port)}`);
    session.once('error', connectFailed);

    const req = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: '/grpc.health.v1.Health/Check',
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      [constants.HTTP2_HEADER_TE]: 'trailers',
      [constants.HTTP2_HEADER_USER_AGENT]: `kube-probe/${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}`,
    });
    const chunks: Buffer[] = [];
    let grpcStatus: string | undefined;
    let grpcMessage = '';
    const readStatus = (headers: Record<string, unknown>): void => {
      if (typeof headers['grpc-status'] === 'string') grpcStatus = headers['grpc-status'];
      if (typeof headers['grpc-message'] === 'string') grpcMessage = decodeURIComponent(headers['grpc-message']);
    };
    req.on('response', (headers) => readStatus(headers));
    req.on('trailers', (headers) => readStatus(headers));
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', (err: Error & { cause?: unknown }) => {
      // a stream refused because the session never connected carries the dial error as its cause
      if (!connected) connectFailed(err.cause ?? err);
      else finish('failure', `error: health rpc probe failed: ${err.message}`);
    });
    req.once('end', () => {
      const code = Number(grpcStatus ?? '2');
      if (code === GRPC_UNIMPLEMENTED) {
        return finish('failure', `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${grpcMessage}`);
      }
      if (code !== 0) {
        return finish('failure', `error: health rpc probe failed: rpc error: code = ${GRPC_CODE_NAMES[code] ?? code} desc = ${grpcMessage}`);
      }
      const status = servingStatus(Buffer.concat(chunks));
      if (status === 1) return finish('success', 'service healthy');
      return finish('failure', `service unhealthy (responded with "${status === undefined ? 'malformed response' : (SERVING_STATUS[status] ?? String(status))}")`);
    });
    req.end(healthCheckRequest(service));
  });
}
