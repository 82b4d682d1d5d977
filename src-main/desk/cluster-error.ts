import type { ClusterError, ClusterErrorCode } from '../contract/cluster';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** An error we raise ourselves with a known classification. */
export class DeskError extends Error {
  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'DeskError';
  }
}

interface StatusBody {
  message?: unknown;
  reason?: unknown;
  details?: { causes?: unknown };
}

function parseStatusBody(body: unknown): StatusBody | null {
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : null;
    } catch {
      return null;
    }
  }
  return typeof body === 'object' && body !== null ? (body as StatusBody) : null;
}

function causesOf(status: StatusBody | null): { field: string; message: string }[] {
  const raw = status?.details?.causes;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((cause: unknown) => {
    if (typeof cause !== 'object' || cause === null) return [];
    const { field, message } = cause as { field?: unknown; message?: unknown };
    return [{ field: typeof field === 'string' ? field : '', message: typeof message === 'string' ? message : '' }];
  });
}

/** Walks `cause` chains: fetch wraps the socket error that carries the errno code. */
function systemCode(error: unknown): string | null {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function httpStatus(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (typeof statusCode === 'number') return statusCode;
  if (typeof code === 'number' && code >= 100 && code < 600) return code;
  return null;
}

function codeForStatus(status: number): ClusterErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 400 || status === 422) return 'invalid';
  if (status === 504 || status === 408) return 'timeout';
  return 'error';
}

/**
 * Turns whatever client-node threw (an ApiException with a Status body, a fetch error with an errno code,
 * a watch error with statusCode) into a specific, readable ClusterError.
 */
export function toClusterError(error: unknown, server: string | null): ClusterError {
  const base = { server, status: null, causes: [] };
  if (error instanceof DeskError) return { ...base, code: error.code, message: error.message, status: error.status };
  const status = httpStatus(error);
  if (status !== null) {
    const body = parseStatusBody((error as { body?: unknown }).body);
    const serverMessage = typeof body?.message === 'string' && body.message !== '' ? body.message : null;
    const code = codeForStatus(status);
    const where = server ?? 'the cluster';
    let message: string;
    if (code === 'unauthorized') {
      message = `${where} refused the credentials (401 Unauthorized): they are missing, invalid or expired${serverMessage ? ` — ${serverMessage}` : ''}`;
    } else if (code === 'forbidden') {
      message = `not allowed (403 Forbidden)${serverMessage ? `: ${serverMessage}` : ''}`;
    } else {
      message = serverMessage ?? `${where} answered ${status}${error instanceof Error && error.message ? `: ${error.message.split('\n')[0]}` : ''}`;
    }
    return { ...base, code, message, status, causes: causesOf(body) };
  }
  const sys = systemCode(error);
  const text = error instanceof Error ? error.message : String(error);
  if (sys !== null && UNREACHABLE_CODES.has(sys)) {
    return { ...base, code: 'unreachable', message: `cannot reach ${server ?? 'the cluster'} (${sys}): is the cluster running?` };
  }
  if (sys === 'ETIMEDOUT' || sys === 'UND_ERR_CONNECT_TIMEOUT' || (error as { name?: unknown })?.name === 'TimeoutError') {
    return { ...base, code: 'timeout', message: `${server ?? 'the cluster'} did not answer in time` };
  }
  if (sys !== null && (TLS_CODES.has(sys) || sys.startsWith('ERR_TLS') || sys.startsWith('ERR_SSL'))) {
    return { ...base, code: 'tls', message: `the certificate of ${server ?? 'the cluster'} is not trusted (${sys})` };
  }
  return { ...base, code: 'error', message: text.split('\n')[0] || 'unknown error' };
}

/** Errors worth retrying by themselves (the cluster may come back); the others need the user. */
export function isRetryable(error: ClusterError): boolean {
  return error.code === 'unreachable' || error.code === 'timeout' || (error.code === 'error' && (error.status === null || error.status >= 500));
}

/** An Error carrying a ClusterError, so call handlers can throw and transports keep the classification. */
export class ClusterCallError extends Error {
  constructor(readonly clusterError: ClusterError) {
    super(clusterError.message);
    this.name = 'ClusterCallError';
  }
}
