/**
 * The engine's TLS material: a CA and a server certificate for 127.0.0.1/localhost (ECDSA P-256), made on
 * first start and kept in the state dir, plus the bearer token.
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EnginePki {
  caCert: string;
  serverCert: string;
  serverKey: string;
  token: string;
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function writeSecret(file: string, data: string): void {
  writeFileSync(file, data, { mode: 0o600 });
  chmodSync(file, 0o600);
}

async function generate(dir: string): Promise<void> {
  // Loaded only on first start: certificate generation is not on the hot path of later starts.
  await import('reflect-metadata'); // @peculiar/x509's dependency injection needs the Reflect API
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const subtle = webcrypto.subtle;
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(Date.now() + 10 * 365 * 24 * 60 * 60 * 1000);
  const caKeys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
    name: 'CN=skiff-ca,O=Skiff',
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16).toString('hex').replace(/^[89a-f]/, '1'),
    subject: 'CN=skiff-apiserver',
    issuer: ca.subject,
    notBefore,
    notAfter,
    signingKey: caKeys.privateKey,
    publicKey: serverKeys.publicKey,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  writeSecret(join(dir, 'ca.key'), toPem(await subtle.exportKey('pkcs8', caKeys.privateKey), 'PRIVATE KEY'));
  writeFileSync(join(dir, 'ca.crt'), ca.toString('pem') + '\n');
  writeSecret(join(dir, 'server.key'), toPem(await subtle.exportKey('pkcs8', serverKeys.privateKey), 'PRIVATE KEY'));
  writeFileSync(join(dir, 'server.crt'), server.toString('pem') + '\n');
}

/** Load the PKI and token of a state dir, creating what is missing. */
export async function loadOrCreatePki(stateDir: string): Promise<EnginePki> {
  const dir = join(stateDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = ['ca.crt', 'server.crt', 'server.key'].map((f) => join(dir, f));
  if (!files.every((f) => existsSync(f))) await generate(dir);
  const tokenFile = join(stateDir, 'token');
  if (!existsSync(tokenFile)) writeSecret(tokenFile, randomBytes(32).toString('base64url') + '\n');
  return {
    caCert: readFileSync(files[0], 'utf8'),
    serverCert: readFileSync(files[1], 'utf8'),
    serverKey: readFileSync(files[2], 'utf8'),
    token: readFileSync(tokenFile, 'utf8').trim(),
  };
}
