import { describe, expect, it } from 'vitest';
import { DeskError, isRetryable, toClusterError } from './cluster-error';
import { KubeHttpError } from './kube-http';

const server = 'https://10.0.0.1:6443';

describe('toClusterError', () => {
  it('names the server of a refused connection, through fetch cause chains', () => {
    const socket = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const fetchError = Object.assign(new Error('request to https://10.0.0.1:6443/api failed'), { cause: socket });
    expect(toClusterError(fetchError, server)).toMatchObject({
      code: 'unreachable',
      server,
      message: 'cannot reach https://10.0.0.1:6443 (ECONNREFUSED): is the cluster running?',
    });
    expect(toClusterError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), server).code).toBe('unreachable');
  });

  it('says that credentials are invalid or expired on 401, with the server message', () => {
    const error = new KubeHttpError(401, { kind: 'Status', message: 'token has expired' });
    expect(toClusterError(error, server)).toMatchObject({
      code: 'unauthorized',
      status: 401,
      message: 'https://10.0.0.1:6443 refused the credentials (401 Unauthorized): they are missing, invalid or expired — token has expired',
    });
  });

  it('keeps the server message and field causes of a 422, and classifies other statuses', () => {
    const body = JSON.stringify({ kind: 'Status', message: 'Deployment.apps "x" is invalid', details: { causes: [{ field: 'spec.replicas', message: 'must be >= 0' }] } });
    expect(toClusterError(Object.assign(new Error('HTTP-Code: 422'), { code: 422, body }), server)).toMatchObject({
      code: 'invalid',
      message: 'Deployment.apps "x" is invalid',
      causes: [{ field: 'spec.replicas', message: 'must be >= 0' }],
    });
    expect(toClusterError(new KubeHttpError(403, { message: 'nope' }), server)).toMatchObject({ code: 'forbidden', message: 'not allowed (403 Forbidden): nope' });
    expect(toClusterError(new KubeHttpError(404, null), server).code).toBe('not-found');
    expect(toClusterError(new KubeHttpError(409, { message: 'changed' }), server).code).toBe('conflict');
    expect(toClusterError(Object.assign(new Error('Gateway Timeout'), { statusCode: 504 }), server).code).toBe('timeout');
  });

  it('recognises TLS trust failures and timeouts', () => {
    expect(toClusterError(Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), server)).toMatchObject({
      code: 'tls',
      message: 'the certificate of https://10.0.0.1:6443 is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)',
    });
    expect(toClusterError(Object.assign(new Error('slow'), { code: 'ETIMEDOUT' }), server).code).toBe('timeout');
  });

  it('keeps our own classification and falls back to the first line of anything else', () => {
    expect(toClusterError(new DeskError('config', 'no context named "x"'), null)).toMatchObject({ code: 'config', message: 'no context named "x"' });
    expect(toClusterError(new Error('first\nsecond'), server)).toMatchObject({ code: 'error', message: 'first' });
    expect(toClusterError('plain', null)).toMatchObject({ code: 'error', message: 'plain' });
  });

  it('retries what may come back by itself', () => {
    expect(isRetryable(toClusterError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), server))).toBe(true);
    expect(isRetryable(toClusterError(new KubeHttpError(401, null), server))).toBe(false);
    expect(isRetryable(toClusterError(new KubeHttpError(503, null), server))).toBe(true);
  });
});
