import type { CryptoKey } from 'jose';
import { jwkThumbprint, type P256PublicJwk, toP256PublicJwk } from '../keys/jwk.ts';
import { parseJws, signJws, verifyJwsSignature } from '../keys/jws.ts';
import { fail } from '../util/fail.ts';
import { boundedSkew, checkFreshness, epochSeconds } from '../util/time.ts';

/**
 * The wallet's proof for reading its pending signature requests: a JWS by the device key
 * (`typ: gjsl+jwt`, the public key in the `jwk` header) over `{aud: issuer, iat}`, valid 60 s.
 * It only reads (titles and hashes addressed to this card), so no server nonce round trip.
 */
export const SIGN_LIST_PROOF_TYP = 'gjsl+jwt';
export const SIGN_LIST_PROOF_MAX_AGE_SECONDS = 60;

export function createSignListProof(input: {
  audience: string;
  deviceKey: { privateKey: CryptoKey; publicJwk: P256PublicJwk };
  now: Date;
}): Promise<string> {
  return signJws(
    { typ: SIGN_LIST_PROOF_TYP, jwk: toP256PublicJwk(input.deviceKey.publicJwk) },
    { aud: input.audience, iat: epochSeconds(input.now) },
    input.deviceKey.privateKey,
  );
}

/** Reads the proof's key thumbprint (the server then finds the card by it). */
export async function signListProofJkt(proof: unknown): Promise<string> {
  const jws = parseJws(proof, 'list proof', SIGN_LIST_PROOF_TYP, 2048);
  return jwkThumbprint(toP256PublicJwk(jws.header.jwk));
}

/** Verifies the proof against the card's stored device key, the audience and its age. */
export async function verifySignListProof(
  proof: string,
  check: { deviceJwk: P256PublicJwk; audience: string; now: Date; clockSkewSeconds?: number },
): Promise<void> {
  const jws = parseJws(proof, 'list proof', SIGN_LIST_PROOF_TYP, 2048);
  if (!(await verifyJwsSignature(proof, toP256PublicJwk(check.deviceJwk))))
    fail('ERR_MID_DEVICE_PROOF_INVALID');
  if (jws.payload.aud !== check.audience) fail('ERR_MID_AUDIENCE_MISMATCH');
  checkFreshness(
    jws.payload.iat,
    epochSeconds(check.now),
    SIGN_LIST_PROOF_MAX_AGE_SECONDS,
    boundedSkew(check.clockSkewSeconds),
  );
}
