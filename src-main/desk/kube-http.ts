import type { KubeConfig } from '@kubernetes/client-node';
import https from 'node:https';
import http from 'node:http';
import { credentialsError, explainWithClientCertificate } from './cluster-error';

/** An HTTP failure from the API server, shaped as toClusterError expects (statusCode + Status body). */
export class KubeHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
  ) {
    const message = typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
      ? (body as { message: string }).message
      : `HTTP ${statusCode}`;
    super(message);
    this.name = 'KubeHttpError';
  }
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  /** Default 30 s: a cluster that accepts the connection but never answers must not hang a call. */
  timeoutMs?: number;
}

/** Bodies larger than this are refused (a list of tens of thousands of objects fits). */
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

/**
 * One request to the API server of `kc`'s current context, authenticated exactly as client-node does it
 * (certificates, tokens, exec plugins), returning the raw JSON: the console shows objects as the server
 * sent them, not as client-node's model classes re-serialize them.
 */
export async function kubeRequest(kc: KubeConfig, request: KubeRequest): Promise<unknown> {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error(`context "${kc.getCurrentContext()}" has no cluster`);
  const url = new URL(cluster.server.replace(/\/+$/, '') + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
  const options: https.RequestOptions = { method: request.method, headers: { Accept: 'application/json' } };
  try {
    await kc.applyToHTTPSOptions(options);
  } catch (error) {
    throw credentialsError(kc.getCurrentUser(), error);
  }
  // A failure while presenting an expired client certificate is reported as that, not as a bare 401 or alert.
  const explain = (error: unknown): unknown => explainWithClientCertificate(error, options.cert);
  const headers = options.headers as Record<string, string | number>;
  if (request.body !== undefined) {
    headers['Content-Type'] = request.contentType ?? 'application/json';
    headers['Content-Length'] = Buffer.byteLength(request.body);
  }
  const transport = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, rejectRaw) => {
    const reject = (error: unknown): void => rejectRaw(explain(error));
    const req = transport.request(url, { ...options, timeout: request.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          req.destroy(new Error(`response from ${url.host} is larger than ${MAX_RESPONSE_BYTES} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = text === '' ? null : JSON.parse(text);
        } catch {
          // not JSON (a proxy's HTML error page): keep the text
        }
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve(parsed);
        else reject(new KubeHttpError(status, parsed));
      });
    });
    req.on('timeout', () => {
      const error = new Error(`no answer from ${url.host} within ${request.timeoutMs ?? 30_000} ms`);
      (error as NodeJS.ErrnoException).code = 'ETIMEDOUT';
      req.destroy(error);
    });
    req.on('error', reject);
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}
