/**
 * httpGet probes as the kubelet makes them: GET scheme://host:port/path with the probe's headers plus
 * `User-Agent: kube-probe/<version>` and `Accept: *\/*` unless given; HTTPS without certificate checks;
 * redirects followed on the same host (up to 10), a redirect elsewhere counts as success; 200-399 succeeds.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { KUBERNETES_VERSION } from '../api/discovery';
import { isPlainObject } from '../object';
import type { ProbeOutcome } from './probe-state';
import { dialErrorMessage, joinHostPort } from './probe-tcp';

export interface HttpProbeTarget {
  scheme: 'HTTP' | 'HTTPS';
  host: string;
  port: number;
  path: string;
  headers: Array<{ name: string; value: string }>;
}

const MAX_REDIRECTS = 10;

/** The URL the kubelet requests (formatURL). */
export function probeUrl(t: Pick<HttpProbeTarget, 'scheme' | 'host' | 'port' | 'path'>): URL {
  const path = t.path.startsWith('/') ? t.path : `/${t.path}`;
  return new URL(`${t.scheme.toLowerCase()}://${joinHostPort(t.host, t.port)}${path}`);
}

/** Request headers: the probe's own (repeats allowed), then the kubelet's defaults for what is missing. */
export function probeHeaders(headers: HttpProbeTarget['headers']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const h of headers) {
    const key = h.name.toLowerCase();
    (out[key] ??= []).push(h.value);
  }
  out['user-agent'] ??= [`kube-probe/${KUBERNETES_VERSION.major}.${KUBERNETES_VERSION.minor}`];
  out.accept ??= ['*/*'];
  out.connection = ['close'];
  return out;
}

type Exchange = { status: number; location: string | undefined } | { error: string };

function goUrl(url: URL): string {
  return url.href;
}

function errorText(err: unknown, url: URL): string {
  const code = isPlainObject(err) && typeof err.code === 'string' ? err.code : '';
  if (code === 'ECONNRESET' && err instanceof Error && /socket hang up/.test(err.message)) return `Get "${goUrl(url)}": EOF`;
  return `Get "${goUrl(url)}": ${dialErrorMessage(err, url.hostname.replace(/^\[|\]$/g, ''), Number(url.port) || (url.protocol === 'https:' ? 443 : 80))}`;
}

function exchange(url: URL, headers: Record<string, string[]>, signal: AbortSignal): Promise<Exchange> {
  return new Promise((resolve) => {
    const host = headers.host?.[0];
    const reqHeaders: Record<string, string[] | string> = { ...headers };
    if (host !== undefined) reqHeaders.host = host;
    const options = { method: 'GET', headers: reqHeaders, agent: false as const, signal, rejectUnauthorized: false };
    const onResponse = (res: IncomingMessage): void => {
      res.resume(); // the body is not needed; drain it so the socket closes
      resolve({ status: res.statusCode ?? 0, location: typeof res.headers.location === 'string' ? res.headers.location : undefined });
    };
    const req = url.protocol === 'https:' ? httpsRequest(url, options, onResponse) : httpRequest(url, options, onResponse);
    req.once('error', (err) => resolve({ error: signal.aborted ? '' : errorText(err, url) }));
    req.end();
  });
}

/** Run one httpGet probe within `timeoutMs` (redirects included, like Go's Client.Timeout). */
export async function httpProbe(target: HttpProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const first = probeUrl(target);
  const headers = probeHeaders(target.headers);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let url = first;
    for (let redirects = 0; ; redirects++) {
      const r = await exchange(url, headers, controller.signal);
      if (controller.signal.aborted) {
        return { result: 'failure', output: `Get "${goUrl(first)}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
      }
      if ('error' in r) return { result: 'failure', output: r.error };
      if (r.status >= 300 && r.status < 400 && r.location !== undefined) {
        const next = new URL(r.location, url);
        // a redirect to another host ends the probe as a success with a warning, as the kubelet does
        if (next.hostname !== first.hostname) return { result: 'success', output: 'Probe terminated redirects' };
        if (redirects + 1 >= MAX_REDIRECTS) return { result: 'failure', output: `Get "${goUrl(next)}": stopped after ${MAX_REDIRECTS} redirects` };
        url = next;
        continue;
      }
      if (r.status >= 200 && r.status < 400) return { result: 'success', output: '' };
      return { result: 'failure', output: `HTTP probe failed with statuscode: ${r.status}` };
    }
  } finally {
    clearTimeout(timer);
  }
}
