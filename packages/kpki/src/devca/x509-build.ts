// Low-level builders of the development CA: RSA-2048 keys, names, serials, certificates and CRLs,
// with @peculiar/x509 over an injected WebCrypto.
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import * as x509 from '../x509.ts';
import type { Rdns } from './profiles.ts';
import type { Crypto, CryptoKey, CryptoKeyPair, RsaHashedKeyGenParams } from './webcrypto.ts';

export const signingAlgorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

const rsaKeyGen: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

export interface KeyMaterial {
  readonly keys: CryptoKeyPair;
  /** PKCS#8 DER of the private key. */
  readonly pkcs8: Uint8Array;
}

/** A fresh RSA-2048 key pair and its PKCS#8 encoding. */
export async function generateRsaKey(crypto: Crypto): Promise<KeyMaterial> {
  const keys = (await crypto.subtle.generateKey(rsaKeyGen, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { keys, pkcs8 };
}

/** Imports a CA's PKCS#8 RSA key for signing. */
export function importSigningKey(crypto: Crypto, pkcs8: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', new Uint8Array(pkcs8), rsaKeyGen, false, ['sign']);
}

/** An x509 Name whose DER order is the reverse of the RFC 4514 reading order. */
export function toName(rdns: Rdns): x509.Name {
  return new x509.Name([...rdns].reverse().map(([type, value]) => ({ [type]: [value] })));
}

/** A random positive 16-byte serial number, as lowercase hex (always 32 digits). */
export function randomSerial(crypto: Crypto): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `n` random decimal digits. */
export function randomDigits(crypto: Crypto, n: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(bytes, (b) => String(b % 10)).join('');
}

export function crlNumberExtension(n: number): x509.Extension {
  return new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(n)));
}

export interface CertificateSpec {
  readonly subject: x509.Name;
  readonly publicKey: CryptoKey;
  readonly issuer: {
    readonly name: x509.Name;
    readonly key: CryptoKey;
    readonly publicKey: x509.PublicKeyType;
  };
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: x509.Extension[];
}

/** Signs a certificate; adds subject and authority key identifiers. */
export async function signCertificate(crypto: Crypto, spec: CertificateSpec): Promise<Uint8Array> {
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: spec.serial,
      subject: spec.subject,
      issuer: spec.issuer.name,
      notBefore: spec.notBefore,
      notAfter: spec.notAfter,
      publicKey: spec.publicKey,
      signingKey: spec.issuer.key,
      signingAlgorithm,
      extensions: [
        ...spec.extensions,
        await x509.SubjectKeyIdentifierExtension.create(spec.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(spec.issuer.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  return new Uint8Array(cert.rawData);
}

export interface CrlSpec {
  readonly issuer: x509.Name;
  readonly key: CryptoKey;
  readonly issuerPublicKey: x509.PublicKeyType;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly crlNumber: number;
  readonly entries: readonly { serial: string; revokedAt: Date; reason: number }[];
}

/** Signs a v2 CRL with CRL number and authority key identifier. */
export async function signCrl(crypto: Crypto, spec: CrlSpec): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: spec.issuer,
      thisUpdate: spec.thisUpdate,
      nextUpdate: spec.nextUpdate,
      signingKey: spec.key,
      signingAlgorithm,
      entries: spec.entries.map((e) => ({
        serialNumber: e.serial,
        revocationDate: e.revokedAt,
        reason: e.reason,
      })),
      extensions: [
        await x509.AuthorityKeyIdentifierExtension.create(spec.issuerPublicKey, false, crypto),
        crlNumberExtension(spec.crlNumber),
      ],
    },
    crypto,
  );
  return new Uint8Array(crl.rawData);
}
