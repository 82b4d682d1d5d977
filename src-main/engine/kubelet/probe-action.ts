/** A probe's handler (exec, httpGet, tcpSocket, grpc) parsed from the container spec, named ports resolved. */
import { asArray, asNumber, asObject, asString } from '../registry/json-access';

export type ProbeAction =
  | { type: 'exec'; command: string[] }
  | { type: 'http'; scheme: 'HTTP' | 'HTTPS'; host: string | undefined; port: number; path: string; headers: Array<{ name: string; value: string }> }
  | { type: 'tcp'; host: string | undefined; port: number }
  | { type: 'grpc'; port: number; service: string }
  /** the probe cannot run (unknown named port, no handler): every attempt errors with this text */
  | { type: 'invalid'; error: string };

/**
 * A probe port: a number, or a container port name (or a number written as a string), as the kubelet's
 * ResolveContainerPort does. Returns the port or an error text.
 */
export function resolvePort(port: unknown, container: Record<string, unknown> | undefined): number | string {
  let n = asNumber(port);
  const name = asString(port);
  if (n === undefined && name !== undefined) {
    for (const raw of asArray(container?.ports) ?? []) {
      const p = asObject(raw);
      if (p && asString(p.name) === name) n = asNumber(p.containerPort);
    }
    if (n === undefined && /^\d+$/.test(name)) n = Number(name);
    if (n === undefined) return `port "${name}" not found in container "${asString(container?.name) ?? ''}"`;
  }
  if (n === undefined || !Number.isInteger(n) || n <= 0 || n >= 65536) return `invalid port number: ${String(port)}`;
  return n;
}

/** The handler of a probe. */
export function probeAction(probe: Record<string, unknown>, container?: Record<string, unknown>): ProbeAction {
  const exec = asObject(probe.exec);
  if (exec) return { type: 'exec', command: (asArray(exec.command) ?? []).map((c) => String(c)) };
  const http = asObject(probe.httpGet);
  if (http) {
    const port = resolvePort(http.port, container);
    if (typeof port === 'string') return { type: 'invalid', error: port };
    const headers = (asArray(http.httpHeaders) ?? []).flatMap((h) => {
      const o = asObject(h);
      return o ? [{ name: asString(o.name) ?? '', value: asString(o.value) ?? '' }] : [];
    });
    return {
      type: 'http',
      scheme: asString(http.scheme)?.toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP',
      host: asString(http.host) || undefined,
      port,
      path: asString(http.path) || '/',
      headers,
    };
  }
  const tcp = asObject(probe.tcpSocket);
  if (tcp) {
    const port = resolvePort(tcp.port, container);
    if (typeof port === 'string') return { type: 'invalid', error: port };
    return { type: 'tcp', host: asString(tcp.host) || undefined, port };
  }
  const grpc = asObject(probe.grpc);
  if (grpc) {
    const port = resolvePort(grpc.port, container);
    if (typeof port === 'string') return { type: 'invalid', error: port };
    return { type: 'grpc', port, service: asString(grpc.service) ?? '' };
  }
  return { type: 'invalid', error: 'probe has no handler (exec, httpGet, tcpSocket or grpc)' };
}
