import type { CryptoKey } from 'jose';
import { type P256PublicJwk, toP256PublicJwk } from '../keys/jwk.ts';
import { parseJws, signJws, verifyJwsSignature } from '../keys/jws.ts';
import { safeEqual } from '../util/bytes.ts';
import { fail } from '../util/fail.ts';
import { boundedSkew, checkFreshness, epochSeconds } from '../util/time.ts';
import { PROOF_TYP } from './types.ts';

export const PROOF_MAX_AGE_SECONDS = 300;

export interface CreateProofInput {
  /** The credential issuer identifier (`aud`). */
  issuer: string;
  /** The `c_nonce` from the nonce endpoint. */
  nonce: string;
  deviceKey: { privateKey: CryptoKey; publicJwk: P256PublicJwk };
  now: Date;
  /** `iss`: omitted for anonymous pre-authorized access. */
  clientId?: string;
}

/** The key proof (`typ: openid4vci-proof+jwt`, `jwk` header) of a credential request. */
export function createProofJwt(input: CreateProofInput): Promise<string> {
  const payload: Record<string, unknown> = {
    aud: input.issuer,
    iat: epochSeconds(input.now),
    nonce: input.nonce,
  };
  if (input.clientId !== undefined) payload.iss = input.clientId;
  return signJws(
    { typ: PROOF_TYP, jwk: toP256PublicJwk(input.deviceKey.publicJwk) },
    payload,
    input.deviceKey.privateKey,
  );
}

export interface VerifyProofOptions {
  issuer: string;
  /** The `c_nonce` the issuer handed out (the issuer also makes it single-use). */
  nonce: string;
  now: Date;
  maxAgeSeconds?: number;
  clockSkewSeconds?: number;
}

/**
 * Validates a proof JWT and returns the holder's key: `typ`, ES256, a public `jwk` header (no
 * `kid`/`x5c`), signature, `aud` = issuer, `nonce` = c_nonce, `iat` fresh.
 */
export async function verifyProofJwt(proofJwt: string, options: VerifyProofOptions): Promise<P256PublicJwk> {
  const jws = parseJws(proofJwt, 'proof', PROOF_TYP);
  if (jws.header.kid !== undefined || jws.header.x5c !== undefined)
    fail('ERR_MID_MALFORMED', { part: 'proof header' });
  const jwk = toP256PublicJwk(jws.header.jwk);
  if (!(await verifyJwsSignature(proofJwt, jwk))) fail('ERR_MID_DEVICE_PROOF_INVALID');
  const { aud, nonce, iat } = jws.payload;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(options.issuer)) fail('ERR_MID_AUDIENCE_MISMATCH');
  if (typeof nonce !== 'string' || !safeEqual(nonce, options.nonce)) fail('ERR_MID_NONCE_MISMATCH');
  checkFreshness(
    iat,
    epochSeconds(options.now),
    options.maxAgeSeconds ?? PROOF_MAX_AGE_SECONDS,
    boundedSkew(options.clockSkewSeconds),
  );
  return jwk;
}
