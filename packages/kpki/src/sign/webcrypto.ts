import { GongjikError } from '@gongjik/errors';
import { AsnConvert } from '@peculiar/asn1-schema';
import type { Certificate } from '@peculiar/asn1-x509';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { own } from '../cert/bytes.ts';
import { keyAlgorithmOf } from '../cert/key-algorithm.ts';

/** The WebCrypto object (`globalThis.crypto` in Node ≥ 20 and browsers); injectable everywhere. */
export type WebCrypto = typeof globalThis.crypto;
export type WebCryptoKey = typeof CryptoKey.prototype;

export function cryptoOf(crypto: WebCrypto | undefined): WebCrypto {
  return crypto ?? globalThis.crypto;
}

export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** How a certificate's key signs with WebCrypto. */
export interface PublicKeyScheme {
  readonly family: 'rsa' | 'ec';
  /** importKey() parameters, without the hash for ECDSA (it goes to sign/verify). */
  readonly importParams:
    | { name: 'RSASSA-PKCS1-v1_5'; hash: HashName }
    | { name: 'ECDSA'; namedCurve: string };
  /** Size in bytes of r and s for ECDSA. */
  readonly ecCoordinateBytes?: number;
}

const EC_SIZES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };

function unsupported(algorithm: string): GongjikError {
  return new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm });
}

/**
 * The WebCrypto scheme for a certificate's public key: RSA → RSASSA-PKCS1-v1_5 with `hash`; EC on
 * `allowedCurves` → ECDSA. Anything else (KCDSA, RSA-PSS keys, other curves) → ERR_PKI_ALGORITHM_UNSUPPORTED.
 */
export function schemeOfCertificate(
  cert: Certificate,
  hash: HashName = 'SHA-256',
  allowedCurves: readonly string[] = ['P-256'],
): PublicKeyScheme {
  const alg = keyAlgorithmOf(cert.tbsCertificate.subjectPublicKeyInfo);
  if (alg.name === 'rsa') return { family: 'rsa', importParams: { name: 'RSASSA-PKCS1-v1_5', hash } };
  if (alg.name === 'ec' && alg.namedCurve && allowedCurves.includes(alg.namedCurve)) {
    return {
      family: 'ec',
      importParams: { name: 'ECDSA', namedCurve: alg.namedCurve },
      ecCoordinateBytes: EC_SIZES[alg.namedCurve]!,
    };
  }
  throw unsupported(alg.namedCurve ? `${alg.oid} ${alg.namedCurve}` : alg.oid);
}

export function spkiOf(cert: Certificate): Uint8Array<ArrayBuffer> {
  return own(new Uint8Array(AsnConvert.serialize(cert.tbsCertificate.subjectPublicKeyInfo)));
}

/** Imports a certificate's public key for verification. */
export async function importCertificateKey(
  crypto: WebCrypto,
  cert: Certificate,
  scheme: PublicKeyScheme,
  extractable = false,
): Promise<WebCryptoKey> {
  try {
    return await crypto.subtle.importKey('spki', spkiOf(cert), scheme.importParams, extractable, ['verify']);
  } catch (err) {
    throw new GongjikError('ERR_PKI_CERT_MALFORMED', { reason: 'bad-public-key' }, { cause: err });
  }
}

/** Re-parses SPKI bytes (used to check what importKey sees). */
export function parseSpki(spki: Uint8Array): SubjectPublicKeyInfo {
  return AsnConvert.parse(spki, SubjectPublicKeyInfo);
}

function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.byteLength - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  if (trimmed[0]! & 0x80) {
    const out = new Uint8Array(trimmed.byteLength + 1);
    out.set(trimmed, 1);
    return out;
  }
  return trimmed;
}

/** WebCrypto's r‖s ECDSA signature → DER `Ecdsa-Sig-Value` (what CMS and X.509 carry). */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  const half = raw.byteLength / 2;
  const r = unsignedInteger(raw.subarray(0, half));
  const s = unsignedInteger(raw.subarray(half));
  const body = new Uint8Array(4 + r.byteLength + s.byteLength);
  body.set([0x02, r.byteLength], 0);
  body.set(r, 2);
  body.set([0x02, s.byteLength], 2 + r.byteLength);
  body.set(s, 4 + r.byteLength);
  const header = body.byteLength < 0x80 ? [0x30, body.byteLength] : [0x30, 0x81, body.byteLength];
  const out = new Uint8Array(header.length + body.byteLength);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/** DER `Ecdsa-Sig-Value` → r‖s of `size` bytes each; null when it is not one. */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array<ArrayBuffer> | null {
  let p = 0;
  const byte = () => (p < der.byteLength ? der[p++]! : -1);
  const length = (): number => {
    const first = byte();
    if (first < 0) return -1;
    if (first < 0x80) return first;
    if (first === 0x81) return byte();
    return -1;
  };
  if (byte() !== 0x30) return null;
  const seqLen = length();
  if (seqLen < 0 || p + seqLen !== der.byteLength) return null;
  const out = new Uint8Array(2 * size);
  for (let i = 0; i < 2; i++) {
    if (byte() !== 0x02) return null;
    const len = length();
    if (len <= 0 || p + len > der.byteLength) return null;
    let value = der.subarray(p, p + len);
    p += len;
    while (value.byteLength > 0 && value[0] === 0) value = value.subarray(1);
    if (value.byteLength > size) return null;
    out.set(value, (i + 1) * size - value.byteLength);
  }
  return p === der.byteLength ? out : null;
}
