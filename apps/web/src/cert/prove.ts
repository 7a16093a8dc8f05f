// Proving possession of a certificate's key, entirely in the browser: the key file is decrypted with
// the password here (kpki), checked against the certificate, imported as a non-extractable WebCrypto
// key, and used to sign the server's challenge. Only the certificate and the signature are sent.
import {
  assertKeyMatchesCertificate,
  decryptKeyFile,
  importPrivateKey,
  signChallenge,
  type WebCryptoKey,
} from '@gongjik/kpki';
import {
  type CertificateProof,
  type Challenge,
  type ChallengePurpose,
  requestChallenge,
} from '../api/auth.ts';
import { toBase64Url } from '../api/base64url.ts';
import type { ApiClient } from '../api/http.ts';
import { ClientError } from '../errors/client-error.ts';

export interface UnlockedCertificate {
  /** The certificate, DER. */
  readonly certificate: Uint8Array;
  /** Non-extractable signing key. */
  readonly key: WebCryptoKey;
}

/**
 * Decrypts the key file with the password and imports the key. No network: a wrong password fails
 * here with ERR_PKI_BAD_PASSWORD, a key of another certificate with ERR_PKI_KEY_CERT_MISMATCH.
 */
export async function unlockCertificate(
  certificate: Uint8Array,
  keyFile: Uint8Array,
  password: string,
): Promise<UnlockedCertificate> {
  const decrypted = await decryptKeyFile(keyFile, password);
  try {
    await assertKeyMatchesCertificate(decrypted.pkcs8, certificate);
    const key = await importPrivateKey(decrypted.pkcs8, decrypted.keyAlgorithm, { extractable: false });
    return { certificate, key };
  } finally {
    decrypted.pkcs8.fill(0);
    decrypted.original.fill(0);
    decrypted.randomNum?.fill(0);
  }
}

/** The bytes signed for a challenge (docs/auth-protocol.md): four lines, no trailing newline. */
export function challengeMessage(challenge: Pick<Challenge, 'origin' | 'challengeId' | 'nonce'>): Uint8Array {
  const text = ['gongjik-login:v1', challenge.origin, challenge.challengeId, challenge.nonce].join('\n');
  return new TextEncoder().encode(text);
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin && new URL(a).origin !== 'null';
  } catch {
    return false;
  }
}

/**
 * Asks the server for a challenge and signs it. Refuses (without signing) a challenge for another
 * purpose or bound to another origin than this page's — a signature for another site is never made.
 */
export async function proveCertificate(
  api: ApiClient,
  unlocked: UnlockedCertificate,
  purpose: ChallengePurpose,
  pageOrigin: string,
): Promise<CertificateProof> {
  const challenge = await requestChallenge(api, purpose);
  if (challenge.purpose !== purpose) throw new ClientError('error.purposeMismatch');
  if (!sameOrigin(challenge.origin, pageOrigin))
    throw new ClientError('error.originMismatch', { origin: challenge.origin.slice(0, 100) });
  const signature = await signChallenge(unlocked.key, challengeMessage(challenge));
  return {
    challengeId: challenge.challengeId,
    certificate: toBase64Url(unlocked.certificate),
    signature: toBase64Url(signature),
  };
}
