import { findIssuerKey, type IssuerJwks } from '../keys/jwk.ts';
import { parseJws, signJws, verifyJwsSignature } from '../keys/jws.ts';
import type { IssuerKey } from '../keys/keys.ts';
import { isObject, safeEqual } from '../util/bytes.ts';
import { fail } from '../util/fail.ts';
import { epochSeconds, isNumericDate } from '../util/time.ts';

/**
 * The unlock token: issuer-signed proof that the holder of device key `cnf.jkt` entered the right
 * PIN (checked by the server) at `iat`; valid until `exp`. Header `{alg: ES256, typ: "gju+jwt",
 * kid}`, payload `{iss, iat, exp, cnf: {jkt}}`. Wallets attach it to gate QRs (third segment) and
 * to KB-JWTs (`unlock` claim); verifiers that require it refuse presentations without it.
 */
export const UNLOCK_TOKEN_TYP = 'gju+jwt';
export const MAX_UNLOCK_TOKEN_LENGTH = 1024;

export interface IssueUnlockTokenInput {
  issuer: string;
  issuerKey: IssuerKey;
  /** RFC 7638 thumbprint of the card's device key. */
  deviceJkt: string;
  now: Date;
  lifetimeSeconds: number;
}

export function issueUnlockToken(input: IssueUnlockTokenInput): Promise<string> {
  if (!(input.lifetimeSeconds > 0)) throw new RangeError('lifetimeSeconds');
  const iat = epochSeconds(input.now);
  return signJws(
    { typ: UNLOCK_TOKEN_TYP, kid: input.issuerKey.kid },
    { iss: input.issuer, iat, exp: iat + input.lifetimeSeconds, cnf: { jkt: input.deviceJkt } },
    input.issuerKey.privateKey,
  );
}

/** Reads an unlock token's claims without verifying it (wallet: when does it expire?). */
export function readUnlockToken(token: string): { iat: number; exp: number; jkt: string } {
  const jws = parseJws(token, 'unlock token', UNLOCK_TOKEN_TYP, MAX_UNLOCK_TOKEN_LENGTH);
  const { iat, exp, cnf } = jws.payload;
  if (!isNumericDate(iat) || !isNumericDate(exp) || !isObject(cnf) || typeof cnf.jkt !== 'string') {
    fail('ERR_MID_MALFORMED', { part: 'unlock token' });
  }
  return { iat, exp, jkt: cnf.jkt };
}

export interface UnlockCheck {
  issuerKeys: IssuerJwks;
  /** Thumbprint of the presenting credential's `cnf.jwk`. */
  deviceJkt: string;
  now: Date;
  /** Tolerance for clocks (seconds, default 60). */
  clockSkewSeconds?: number;
}

/**
 * Verifies an unlock token (WebCrypto). Missing, foreign (another device key) or unreadable →
 * ERR_MID_UNLOCK_REQUIRED; bad issuer signature → ERR_MID_SIGNATURE_INVALID; past `exp` →
 * ERR_MID_UNLOCK_EXPIRED. Returns `exp`.
 */
export async function verifyUnlockToken(token: unknown, check: UnlockCheck): Promise<number> {
  const claims = unlockPrecheck(token, check);
  if (!(await verifyJwsSignature(token as string, claims.issuerJwk))) fail('ERR_MID_SIGNATURE_INVALID');
  return unlockPostcheck(claims, check);
}

/** The checks before the signature (shared with the synchronous gate path). */
export function unlockPrecheck(token: unknown, check: UnlockCheck) {
  if (typeof token !== 'string' || token.length === 0) fail('ERR_MID_UNLOCK_REQUIRED');
  let jws: ReturnType<typeof parseJws>;
  try {
    jws = parseJws(token, 'unlock token', UNLOCK_TOKEN_TYP, MAX_UNLOCK_TOKEN_LENGTH);
  } catch {
    fail('ERR_MID_UNLOCK_REQUIRED');
  }
  const issuerJwk = findIssuerKey(check.issuerKeys, jws.header.kid);
  return { jws, issuerJwk };
}

/** The checks after the signature: device binding and time. */
export function unlockPostcheck({ jws }: { jws: ReturnType<typeof parseJws> }, check: UnlockCheck): number {
  const { iat, exp, cnf } = jws.payload;
  if (!isObject(cnf) || typeof cnf.jkt !== 'string' || !safeEqual(cnf.jkt, check.deviceJkt)) {
    fail('ERR_MID_UNLOCK_REQUIRED');
  }
  if (!isNumericDate(iat) || !isNumericDate(exp)) fail('ERR_MID_MALFORMED', { part: 'unlock token' });
  const now = epochSeconds(check.now);
  if (iat > now + (check.clockSkewSeconds ?? 60)) fail('ERR_MID_TIME_INVALID');
  if (exp <= now) fail('ERR_MID_UNLOCK_EXPIRED');
  return exp;
}
