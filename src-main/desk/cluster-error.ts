import { X509Certificate } from 'node:crypto';
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

/** OpenSSL's reading of the server's TLS alert 45 ("certificate expired"): our client certificate is past its notAfter. */
const CLIENT_CERT_EXPIRED_ALERT = 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED';

/** OpenSSL's code for a TLS alert the server sent ("ERR_SSL_TLSV1_ALERT_…", "ERR_SSL_SSLV3_ALERT_…"). */
function isTlsAlert(code: string | null): boolean {
  return code !== null && code.startsWith('ERR_SSL_') && code.includes('ALERT');
}

/** A client certificate past its notAfter: whom it names and when it expired. */
export interface ExpiredCertificate {
  subject: string;
  notAfter: Date;
}

/** The client certificate (PEM) if it is past its notAfter at `now`; null when valid, absent or unparsable. */
export function expiredCertificate(pem: unknown, now: number = Date.now()): ExpiredCertificate | null {
  if (typeof pem !== 'string' && !Buffer.isBuffer(pem)) return null;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return null;
  }
  const notAfter = new Date(cert.validTo);
  if (Number.isNaN(notAfter.getTime()) || notAfter.getTime() >= now) return null;
  return { subject: cert.subject.replace(/\n/g, ', '), notAfter };
}

/** A request failed while it presented a client certificate that has expired: that is the reason to report. */
export class ExpiredCredentialsError extends Error {
  constructor(
    readonly certificate: ExpiredCertificate,
    override readonly cause: unknown,
  ) {
    super(`the client certificate expired on ${certificate.notAfter.toISOString()}`);
    this.name = 'ExpiredCredentialsError';
  }
}

/**
 * A failure the client certificate may explain: the server answered 401, sent a TLS alert, or hung up during
 * the handshake. Not a refused connection (it never saw the certificate) nor a server certificate we distrust.
 */
function mayBeAboutClientCertificate(error: unknown): boolean {
  if (httpStatus(error) === 401) return true;
  const sys = systemCode(error);
  return sys === 'ECONNRESET' || sys === 'EPIPE' || isTlsAlert(sys);
}

/** `error`, or the expired client certificate it presented when that explains it (kubectl would just say "401"). */
export function explainWithClientCertificate(error: unknown, clientCertificate: unknown, now: number = Date.now()): unknown {
  if (error instanceof ExpiredCredentialsError || !mayBeAboutClientCertificate(error)) return error;
  const expired = expiredCertificate(clientCertificate, now);
  return expired === null ? error : new ExpiredCredentialsError(expired, error);
}

/** How a user's credentials are obtained, for messages: a credential plugin, an auth provider, or the kubeconfig itself. */
export interface UserCredentials {
  name: string;
  exec?: { command?: string; args?: string[] } | null;
  authProvider?: { name?: string } | null;
}

/**
 * Loading the credentials failed before any request (client-node's applyToHTTPSOptions): a credential
 * plugin that is missing, exits with an error or prints no ExecCredential, or a certificate file that cannot
 * be read. A 'config' error naming the user and what failed; Retry re-reads the kubeconfig and runs it again.
 */
export function credentialsError(user: UserCredentials | null, error: unknown): DeskError {
  const text = error instanceof Error ? error.message.trim() : String(error).trim();
  const who = user === null ? 'the context\'s user' : `user "${user.name}"`;
  const exec = user?.exec ?? null;
  if (exec !== null && exec !== undefined) {
    const command = exec.command ?? '';
    const shown = [command, ...(exec.args ?? [])].join(' ').slice(0, 200);
    let why: string;
    if (systemCode(error) === 'ENOENT') why = `"${command}" was not found: install it or put it on PATH`;
    else if (error instanceof SyntaxError) why = `it did not print an ExecCredential (${text.split('\n')[0]})`;
    else if (text === '') why = 'it exited with an error and printed nothing';
    else why = `it said: ${text.split('\n').filter((line) => line.trim() !== '').slice(0, 3).join(' ').slice(0, 500)}`;
    return new DeskError('config', `the credential plugin of ${who} (${shown}) failed: ${why}`);
  }
  if (user?.authProvider?.name !== undefined) {
    return new DeskError('config', `the auth provider "${user.authProvider.name}" of ${who} failed: ${text.split('\n')[0] || 'no reason given'}`);
  }
  return new DeskError('config', `the credentials of ${who} cannot be loaded: ${text.split('\n')[0] || 'no reason given'}`);
}

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
  if (error instanceof ExpiredCredentialsError) {
    const { subject, notAfter } = error.certificate;
    const how = httpStatus(error.cause) === 401 ? `${server ?? 'the cluster'} answered 401 Unauthorized` : `${server ?? 'the cluster'} refused it`;
    return {
      ...base,
      code: 'expired',
      status: httpStatus(error.cause),
      message: `the client certificate (${subject}) expired on ${notAfter.toISOString()}; ${how}. Renew the credentials in the kubeconfig, then Retry`,
    };
  }
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
  if (sys === CLIENT_CERT_EXPIRED_ALERT) {
    return {
      ...base,
      code: 'expired',
      message: `${server ?? 'the cluster'} refused the client certificate: it has expired (TLS alert "certificate expired"). Renew the credentials in the kubeconfig, then Retry`,
    };
  }
  if (sys === 'CERT_HAS_EXPIRED') {
    return { ...base, code: 'tls', message: `the certificate of ${server ?? 'the cluster'} has expired (CERT_HAS_EXPIRED): the server must renew it` };
  }
  if (isTlsAlert(sys)) {
    return { ...base, code: 'tls', message: `${server ?? 'the cluster'} ended the TLS handshake (${sys}): it may not accept the client certificate` };
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
