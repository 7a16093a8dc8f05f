// STARTTLS material: the configured certificate and key, or (development) a self-signed one made on
// first start in <data-dir>/tls and reused afterwards.
// @gongjik/kpki is imported first: it installs the Reflect shim that @peculiar/x509 needs.
import '@gongjik/kpki';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export interface TlsMaterial {
  readonly key: string;
  readonly cert: string;
  /** true when made here (self-signed, development) */
  readonly selfSigned: boolean;
}

/** Reads the configured key and certificate files (PEM). */
export function readTlsFiles(keyFile: string, certFile: string): TlsMaterial {
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), selfSigned: false };
}

/** The self-signed development certificate in `<dir>`, made (ECDSA P-256, 1 year) when missing. */
export async function ensureSelfSigned(dir: string, hostname: string, now: Date): Promise<TlsMaterial> {
  const keyFile = join(dir, 'smtp-key.pem');
  const certFile = join(dir, 'smtp-cert.pem');
  if (existsSync(keyFile) && existsSync(certFile))
    return { ...readTlsFiles(keyFile, certFile), selfSigned: true };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
        .toString('hex')
        .replace(/^[89a-f]/, '1'),
      name: `CN=${hostname}, O=Gongjik development (self-signed)`,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter: new Date(now.getTime() + 365 * 86_400_000),
      keys,
      signingAlgorithm: alg,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: hostname }]),
      ],
    },
    webcrypto as unknown as Crypto,
  );
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key =
    `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`.replace(
      /\n\n/g,
      '\n',
    );
  const certPem = cert.toString('pem');
  writeFileSync(keyFile, key, { mode: 0o600 });
  writeFileSync(certFile, `${certPem}\n`, { mode: 0o644 });
  return { key, cert: certPem, selfSigned: true };
}
