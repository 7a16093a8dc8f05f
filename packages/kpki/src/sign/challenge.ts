import { GongjikError } from '@gongjik/errors';
import type { Certificate } from '@peculiar/asn1-x509';
import { own } from '../cert/bytes.ts';
import { type CertificateInput, parseCertificate } from '../cert/parse.ts';
import { inspectPrivateKey, type PrivateKeyAlgorithm } from './private-key.ts';
import {
  cryptoOf,
  ecdsaDerToRaw,
  importCertificateKey,
  type PublicKeyScheme,
  schemeOfCertificate,
  type WebCrypto,
  type WebCryptoKey,
} from './webcrypto.ts';

/** Longest signature we look at (RSA-8192 is 1024 bytes). */
const MAX_SIGNATURE_BYTES = 1024;

export interface CryptoOption {
  readonly crypto?: WebCrypto;
}

function signParams(key: WebCryptoKey): { name: 'RSASSA-PKCS1-v1_5' } | { name: 'ECDSA'; hash: 'SHA-256' } {
  const name = key.algorithm.name;
  if (name === 'RSASSA-PKCS1-v1_5') return { name };
  if (name === 'ECDSA') return { name, hash: 'SHA-256' };
  throw new GongjikError('ERR_PKI_ALGORITHM_UNSUPPORTED', { algorithm: name });
}

/**
 * Signs a login challenge with a key from `importPrivateKey`: RSASSA-PKCS1-v1_5 SHA-256 (signature
 * as long as the modulus) or ECDSA P-256 SHA-256 (64 bytes r‖s, as WebCrypto makes it).
 */
export async function signChallenge(
  key: WebCryptoKey,
  challenge: Uint8Array,
  options: CryptoOption = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const signature = await cryptoOf(options.crypto).subtle.sign(signParams(key), key, own(challenge));
  return new Uint8Array(signature);
}

/** A certificate's public key, imported once, for verifying many challenges. */
export interface ChallengeVerifier {
  readonly scheme: PublicKeyScheme;
  readonly key: WebCryptoKey;
  readonly certificate: Certificate;
}

/**
 * Prepares verification of challenges signed by a certificate's key. RSA and EC P-256 only;
 * otherwise ERR_PKI_ALGORITHM_UNSUPPORTED.
 */
export async function prepareChallengeVerifier(
  cert: CertificateInput,
  options: CryptoOption = {},
): Promise<ChallengeVerifier> {
  const { cert: certificate } = parseCertificate(cert);
  const scheme = schemeOfCertificate(certificate, 'SHA-256', ['P-256']);
  const key = await importCertificateKey(cryptoOf(options.crypto), certificate, scheme);
  return { scheme, key, certificate };
}

/**
 * Verifies a login challenge signature against the certificate's key. ECDSA signatures may be r‖s
 * (WebCrypto) or DER. Wrong signature → ERR_PKI_SIGNATURE_INVALID; unsupported key →
 * ERR_PKI_ALGORITHM_UNSUPPORTED. Pass a ChallengeVerifier to skip re-importing the key.
 */
export async function verifyChallenge(
  cert: CertificateInput | ChallengeVerifier,
  challenge: Uint8Array,
  signature: Uint8Array,
  options: CryptoOption = {},
): Promise<void> {
  const crypto = cryptoOf(options.crypto);
  const verifier =
    typeof cert === 'object' && 'scheme' in cert ? cert : await prepareChallengeVerifier(cert, { crypto });
  let sig: Uint8Array | null = signature;
  if (signature.byteLength === 0 || signature.byteLength > MAX_SIGNATURE_BYTES) sig = null;
  let params: { name: 'RSASSA-PKCS1-v1_5' } | { name: 'ECDSA'; hash: 'SHA-256' } = {
    name: 'RSASSA-PKCS1-v1_5',
  };
  if (sig && verifier.scheme.family === 'ec') {
    params = { name: 'ECDSA', hash: 'SHA-256' };
    const size = verifier.scheme.ecCoordinateBytes!;
    if (sig.byteLength !== 2 * size) sig = ecdsaDerToRaw(sig, size);
  }
  const ok = sig !== null && (await crypto.subtle.verify(params, verifier.key, own(sig), own(challenge)));
  if (!ok) throw new GongjikError('ERR_PKI_SIGNATURE_INVALID', {});
}

interface PublicJwkParts {
  readonly kty?: string;
  readonly n?: string;
  readonly e?: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
}

function jwkPublicParts(jwk: PublicJwkParts): string {
  return jwk.kty === 'RSA' ? `RSA:${jwk.n}:${jwk.e}` : `EC:${jwk.crv}:${jwk.x}:${jwk.y}`;
}

/**
 * Proves that a decrypted private key belongs to the certificate (same public key), without signing.
 * Different key → ERR_PKI_KEY_CERT_MISMATCH.
 */
export async function assertKeyMatchesCertificate(
  pkcs8: Uint8Array,
  cert: CertificateInput,
  options: CryptoOption & { readonly keyAlgorithm?: PrivateKeyAlgorithm } = {},
): Promise<void> {
  const crypto = cryptoOf(options.crypto);
  const info = inspectPrivateKey(pkcs8, options.keyAlgorithm);
  const { cert: certificate } = parseCertificate(cert);
  const scheme = schemeOfCertificate(certificate, 'SHA-256', ['P-256']);
  if (scheme.family !== info.family) throw new GongjikError('ERR_PKI_KEY_CERT_MISMATCH', {});
  let privateJwk: PublicJwkParts;
  try {
    const key = await crypto.subtle.importKey('pkcs8', info.pkcs8, info.params, true, ['sign']);
    privateJwk = await crypto.subtle.exportKey('jwk', key);
  } catch (err) {
    throw new GongjikError('ERR_PKI_KEY_FILE_MALFORMED', {}, { cause: err });
  }
  const publicKey = await importCertificateKey(crypto, certificate, scheme, true);
  const publicJwk = await crypto.subtle.exportKey('jwk', publicKey);
  if (jwkPublicParts(privateJwk) !== jwkPublicParts(publicJwk)) {
    throw new GongjikError('ERR_PKI_KEY_CERT_MISMATCH', {});
  }
}
