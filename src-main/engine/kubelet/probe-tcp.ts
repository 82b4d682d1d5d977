/** tcpSocket probes, and the Go-style wording of dial errors that the TCP and HTTP probes share. */
import { connect } from 'node:net';
import { isPlainObject } from '../object';
import type { ProbeOutcome } from './probe-state';

/** Go's net.JoinHostPort. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const CONNECT_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connect: connection refused',
  EHOSTUNREACH: 'connect: no route to host',
  ENETUNREACH: 'connect: network is unreachable',
  EADDRNOTAVAIL: 'connect: cannot assign requested address',
};

/** A dial failure as Go reports it: `dial tcp 10.0.0.5:8080: connect: connection refused`. */
export function dialErrorMessage(err: unknown, host: string, port: number): string {
  const code = isPlainObject(err) && typeof err.code === 'string' ? err.code : '';
  const address = joinHostPort(host, port);
  if (code in CONNECT_ERRORS) return `dial tcp ${address}: ${CONNECT_ERRORS[code]}`;
  if (code === 'ETIMEDOUT') return `dial tcp ${address}: i/o timeout`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `dial tcp: lookup ${host}: no such host`;
  if (code === 'ECONNRESET') return `read tcp ${address}: read: connection reset by peer`;
  return `dial tcp ${address}: ${err instanceof Error ? err.message : String(err)}`;
}

/** Success when a TCP connection to host:port opens within the timeout. */
export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const finish = (outcome: ProbeOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ result: 'failure', output: `dial tcp ${joinHostPort(host, port)}: i/o timeout` }), timeoutMs);
    socket.once('connect', () => finish({ result: 'success', output: '' }));
    socket.once('error', (err) => finish({ result: 'failure', output: dialErrorMessage(err, host, port) }));
  });
}
