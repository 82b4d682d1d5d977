/**
 * Credential failures over real TLS: HTTPS servers with their own CA that ask for client certificates
 * (`openssl s_server`, which answers an expired one with TLS alert 45 as nginx or Envoy do; Node's own
 * server, which hangs up instead; one that answers 401 as kube-apiserver does), and client certificates (one
 * expired) made with @peculiar/x509. Plus credential plugins that really run.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import * as x509 from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExpiredCredentialsError, expiredCertificate, toClusterError } from './cluster-error';
import { ContextRegistry } from './context-registry';
import { kubeRequest } from './kube-http';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 24 * 60 * 60 * 1000;

interface Issued {
  cert: string;
  key: string;
}

function pem(der: ArrayBuffer, label: string): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

const serial = (): string => randomBytes(8).toString('hex').replace(/^[89a-f]/, '1');

async function makeCa(): Promise<{ ca: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=test-ca',
    notBefore: new Date(Date.now() - 10 * DAY),
    notAfter: new Date(Date.now() + 10 * DAY),
    keys,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { ca, keys };
}

async function issue(
  authority: { ca: x509.X509Certificate; keys: CryptoKeyPair },
  subject: string,
  usage: 'server' | 'client',
  notBefore: Date,
  notAfter: Date,
): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: authority.ca.subject,
    notBefore,
    notAfter,
    signingKey: authority.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      ...(usage === 'server' ? [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])] : []),
    ],
  });
  return { cert: cert.toString('pem'), key: pem(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY') };
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function listen(server: https.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`https://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

describe('credential failures over real TLS', () => {
  let caPem = '';
  let expired: Issued;
  let valid: Issued;
  let strictUrl = '';
  let resettingUrl = '';
  let openssl: ChildProcess | null = null;
  let lenientUrl = '';
  const servers: https.Server[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'skiff-creds-'));
  let expiredNotAfter: Date;

  beforeAll(async () => {
    const authority = await makeCa();
    caPem = authority.ca.toString('pem');
    const serverCert = await issue(authority, 'CN=apiserver', 'server', new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    expiredNotAfter = new Date(Math.floor((Date.now() - DAY) / 1000) * 1000);
    expired = await issue(authority, 'CN=jane,O=dev', 'client', new Date(Date.now() - 3 * DAY), expiredNotAfter);
    valid = await issue(authority, 'CN=joe,O=dev', 'client', new Date(Date.now() - DAY), new Date(Date.now() + DAY));
    const version = JSON.stringify({ gitVersion: 'v1.30.0' });
    // Verifies client certificates in the handshake and sends TLS alert 45 "certificate expired" for an expired one.
    for (const [file, text] of [['ca.crt', caPem], ['server.crt', serverCert.cert], ['server.key', serverCert.key]]) writeFileSync(join(dir, file), text);
    strictUrl = await startOpenSslServer(['-cert', join(dir, 'server.crt'), '-key', join(dir, 'server.key'), '-CAfile', join(dir, 'ca.crt'), '-Verify', '1', '-verify_return_error', '-www']);
    // Node's server verifies too, but destroys the connection without flushing its alert: the client sees a reset.
    const resetting = https.createServer({ key: serverCert.key, cert: serverCert.cert, ca: [caPem], requestCert: true, rejectUnauthorized: true }, (_req, res) => res.end(version));
    // As kube-apiserver does: the handshake completes, a certificate it cannot verify is answered with 401.
    const lenient = https.createServer({ key: serverCert.key, cert: serverCert.cert, ca: [caPem], requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const socket = req.socket as TLSSocket;
      if (!socket.authorized) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
        return;
      }
      res.end(version);
    });
    servers.push(resetting, lenient);
    resettingUrl = await listen(resetting);
    lenientUrl = await listen(lenient);
  });

  /** `openssl s_server` on a free port (printed as "ACCEPT [::]:PORT"); stopped in afterAll. */
  function startOpenSslServer(args: string[]): Promise<string> {
    const child = spawn('openssl', ['s_server', '-accept', '0', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    openssl = child;
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`openssl s_server did not start: ${output}`)), 10_000);
      child.once('error', reject);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const port = /ACCEPT .*:(\d+)/.exec(output)?.[1];
        if (port !== undefined) {
          clearTimeout(timer);
          resolve(`https://127.0.0.1:${port}`);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    });
  }

  afterAll(async () => {
    if (openssl !== null && openssl.exitCode === null) {
      const exited = new Promise((resolve) => openssl?.once('exit', resolve));
      openssl.kill('SIGTERM');
      await exited;
    }
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  function config(server: string, user: Record<string, unknown>, trustCa = true): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server, ...(trustCa ? { caData: b64(caPem) } : {}), skipTLSVerify: false }],
      users: [{ name: 'jane', ...user }],
      contexts: [{ name: 'ctx', cluster: 'c', user: 'jane' }],
      currentContext: 'ctx',
    });
    return kc;
  }
  const withCert = (issued: Issued): Record<string, unknown> => ({ certData: b64(issued.cert), keyData: b64(issued.key) });

  async function failure(kc: KubeConfig): Promise<unknown> {
    try {
      await kubeRequest(kc, { method: 'GET', path: '/version', timeoutMs: 10_000 });
    } catch (error) {
      return error;
    }
    throw new Error('the request succeeded');
  }

  it('reads the notAfter of a client certificate', () => {
    expect(expiredCertificate(expired.cert)).toEqual({ subject: 'CN=jane, O=dev', notAfter: expiredNotAfter });
    expect(expiredCertificate(valid.cert)).toBeNull();
    expect(expiredCertificate('not a certificate')).toBeNull();
    expect(expiredCertificate(undefined)).toBeNull();
  });

  it('valid client certificates are accepted by every server (the setup itself works)', async () => {
    // openssl's -www answers any GET with its status page.
    await expect(kubeRequest(config(strictUrl, withCert(valid)), { method: 'GET', path: '/version' })).resolves.toContain('<HTML>');
    await expect(kubeRequest(config(resettingUrl, withCert(valid)), { method: 'GET', path: '/version' })).resolves.toEqual({ gitVersion: 'v1.30.0' });
    await expect(kubeRequest(config(lenientUrl, withCert(valid)), { method: 'GET', path: '/version' })).resolves.toEqual({ gitVersion: 'v1.30.0' });
  });

  it('the TLS alert "certificate expired" for an expired client certificate is expired credentials, not an untrusted server', async () => {
    const error = await failure(config(strictUrl, withCert(expired)));
    expect(error).toBeInstanceOf(ExpiredCredentialsError);
    // What the server really sent: OpenSSL's reading of TLS alert 45.
    const cause = (error as ExpiredCredentialsError).cause as NodeJS.ErrnoException;
    expect(cause.code).toBe('ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED');
    expect(toClusterError(error, strictUrl)).toMatchObject({
      code: 'expired',
      message: `the client certificate (CN=jane, O=dev) expired on ${expiredNotAfter.toISOString()}; ${strictUrl} refused it. Renew the credentials in the kubeconfig, then Retry`,
    });
    // The alert alone (a certificate we cannot read, as a plugin may hand over) says the same thing.
    expect(toClusterError(cause, strictUrl)).toMatchObject({ code: 'expired', message: expect.stringContaining('TLS alert "certificate expired"') as unknown });
  });

  it('a server that hangs up on the expired certificate without an alert: the certificate in hand says it expired', async () => {
    const error = await failure(config(resettingUrl, withCert(expired)));
    expect(['ECONNRESET', 'EPIPE', 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED']).toContain(((error as ExpiredCredentialsError).cause as NodeJS.ErrnoException).code);
    expect(toClusterError(error, resettingUrl)).toMatchObject({ code: 'expired', message: expect.stringContaining(`expired on ${expiredNotAfter.toISOString()}`) as unknown });
  });

  it('a 401 while presenting an expired client certificate is expired credentials, with the status', async () => {
    const error = await failure(config(lenientUrl, withCert(expired)));
    expect(toClusterError(error, lenientUrl)).toMatchObject({
      code: 'expired',
      status: 401,
      message: `the client certificate (CN=jane, O=dev) expired on ${expiredNotAfter.toISOString()}; ${lenientUrl} answered 401 Unauthorized. Renew the credentials in the kubeconfig, then Retry`,
    });
    // A 401 for a token is still "rejected or expired": nothing says the token expired.
    expect(toClusterError(await failure(config(lenientUrl, { token: 'nope' })), lenientUrl)).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('a server we do not trust stays a TLS error, even with an expired client certificate', async () => {
    for (const [url, issued] of [
      [strictUrl, valid],
      [lenientUrl, valid],
      [lenientUrl, expired],
    ] as const) {
      const classified = toClusterError(await failure(config(url, withCert(issued), false)), url);
      expect(classified.code).toBe('tls');
      // Which of the two depends on whether the server sends its CA along (openssl does).
      expect(classified.message).toMatch(new RegExp(`^the certificate of ${url} is not trusted \\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\\)$`));
    }
  });

  it('the context check reports expired credentials as the context status; Retry after renewal connects', async () => {
    const file = join(dir, 'kubeconfig.yaml');
    const write = (issued: Issued): void =>
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          `clusters: [{name: c, cluster: {server: "${lenientUrl}", certificate-authority-data: ${b64(caPem)}}}]`,
          `users: [{name: jane, user: {client-certificate-data: ${b64(issued.cert)}, client-key-data: ${b64(issued.key)}}}]`,
          'contexts: [{name: ctx, context: {cluster: c, user: jane}}]',
          'current-context: ctx',
          '',
        ].join('\n'),
      );
    write(expired);
    const registry = new ContextRegistry({ paths: () => [file] });
    expect(await registry.check('ctx')).toMatchObject({ state: 'error', error: { code: 'expired', server: lenientUrl, status: 401 } });
    write(valid);
    registry.reload();
    expect(await registry.check('ctx')).toMatchObject({ state: 'connected', serverVersion: 'v1.30.0' });
  });

  describe('credential plugins', () => {
    const plugin = (script: string): Record<string, unknown> => ({
      exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: ['-e', script], interactiveMode: 'Never' },
    });

    it('a plugin that fails names the user, the command and what it printed', async () => {
      const error = await failure(config(lenientUrl, plugin("console.error('error: the SSO session has expired; run: aws sso login'); process.exit(255)")));
      const classified = toClusterError(error, lenientUrl);
      expect(classified.code).toBe('config');
      expect(classified.message).toMatch(/^the credential plugin of user "jane" \(.*node.* -e .*\) failed: it said: error: the SSO session has expired; run: aws sso login$/);
    });

    it('a plugin that is not installed, or prints no ExecCredential, says so', async () => {
      const missing = toClusterError(await failure(config(lenientUrl, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'skiff-no-such-plugin', args: ['token'] } })), lenientUrl);
      expect(missing).toMatchObject({
        code: 'config',
        message: 'the credential plugin of user "jane" (skiff-no-such-plugin token) failed: "skiff-no-such-plugin" was not found: install it or put it on PATH',
      });
      const garbage = toClusterError(await failure(config(lenientUrl, plugin("console.log('<html>login</html>')"))), lenientUrl);
      expect(garbage.code).toBe('config');
      expect(garbage.message).toContain('failed: it did not print an ExecCredential');
      const silent = toClusterError(await failure(config(lenientUrl, plugin('process.exit(1)'))), lenientUrl);
      expect(silent.message).toContain('failed: it exited with an error and printed nothing');
    });

    it('a plugin that hands over a working token connects (the wrapper changes nothing when it works)', async () => {
      const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { clientCertificateData: valid.cert, clientKeyData: valid.key } });
      await expect(kubeRequest(config(lenientUrl, plugin(`console.log(${JSON.stringify(credential)})`)), { method: 'GET', path: '/version' })).resolves.toEqual({ gitVersion: 'v1.30.0' });
    });
  });
});
