import type { CryptoKey } from 'jose';
import { jwkThumbprint, type P256PublicJwk, toP256PublicJwk } from '../keys/jwk.ts';
import { parseJws, signJws, verifyJwsSignature } from '../keys/jws.ts';
import { safeEqual } from '../util/bytes.ts';
import { ensure, fail } from '../util/fail.ts';
import { boundedSkew, checkFreshness, epochSeconds } from '../util/time.ts';

/** A device-signed PIN proof: `typ: gjpin+jwt`, the device's public key in the `jwk` header. */
export const PIN_PROOF_TYP = 'gjpin+jwt';
export const PIN_PROOF_MAX_AGE_SECONDS = 120;

/** set: first PIN (with the issuance access token) · change: pv = current, npv = new · unlock */
export type PinAction = 'set' | 'change' | 'unlock';

export interface PinProofInput {
  action: PinAction;
  /** The issuer (`aud`). */
  audience: string;
  /** The server's single-use challenge nonce. */
  nonce: string;
  /** Verifier of the PIN entered (for `set`: the new PIN). */
  verifier: string;
  /** For `change`: verifier of the new PIN. */
  newVerifier?: string;
  deviceKey: { privateKey: CryptoKey; publicJwk: P256PublicJwk };
  now: Date;
}

/** Signs a PIN proof with the device key: `{aud, iat, nonce, act, pv[, npv]}`. */
export function createPinProof(input: PinProofInput): Promise<string> {
  const payload: Record<string, unknown> = {
    aud: input.audience,
    iat: epochSeconds(input.now),
    nonce: input.nonce,
    act: input.action,
    pv: input.verifier,
  };
  if (input.newVerifier !== undefined) payload.npv = input.newVerifier;
  return signJws(
    { typ: PIN_PROOF_TYP, jwk: toP256PublicJwk(input.deviceKey.publicJwk) },
    payload,
    input.deviceKey.privateKey,
  );
}

export interface ParsedPinProof {
  /** RFC 7638 thumbprint of the signing key: which card it is about. */
  jkt: string;
  jwk: P256PublicJwk;
  action: PinAction;
  nonce: string;
  verifier: string;
  newVerifier: string | undefined;
}

const VERIFIER = /^[A-Za-z0-9_-]{43}$/;

/** Reads a PIN proof without trusting it yet (the server then finds the card by `jkt`). */
export async function parsePinProof(proof: string): Promise<ParsedPinProof> {
  const jws = parseJws(proof, 'PIN proof', PIN_PROOF_TYP, 4096);
  const jwk = toP256PublicJwk(jws.header.jwk);
  const { act, nonce, pv, npv } = jws.payload;
  ensure(act === 'set' || act === 'change' || act === 'unlock', 'PIN proof act');
  ensure(typeof nonce === 'string' && nonce.length >= 16 && nonce.length <= 128, 'PIN proof nonce');
  ensure(typeof pv === 'string' && VERIFIER.test(pv), 'PIN proof pv');
  ensure(
    act === 'change' ? typeof npv === 'string' && VERIFIER.test(npv) : npv === undefined,
    'PIN proof npv',
  );
  return {
    jkt: await jwkThumbprint(jwk),
    jwk,
    action: act,
    nonce,
    verifier: pv,
    newVerifier: npv as string | undefined,
  };
}

/**
 * Checks a PIN proof against the card's device key, the issuer `aud`, the expected nonce and
 * freshness. Throws ERR_MID_DEVICE_PROOF_INVALID, ERR_MID_AUDIENCE_MISMATCH, ERR_MID_NONCE_MISMATCH,
 * ERR_MID_PROOF_EXPIRED, ERR_MID_TIME_INVALID.
 */
export async function verifyPinProof(
  proof: string,
  options: {
    deviceJwk: P256PublicJwk;
    audience: string;
    nonce: string;
    now: Date;
    clockSkewSeconds?: number;
  },
): Promise<void> {
  const jws = parseJws(proof, 'PIN proof', PIN_PROOF_TYP, 4096);
  const jwk = toP256PublicJwk(jws.header.jwk);
  const device = toP256PublicJwk(options.deviceJwk);
  if (jwk.x !== device.x || jwk.y !== device.y) fail('ERR_MID_DEVICE_PROOF_INVALID');
  if (!(await verifyJwsSignature(proof, device))) fail('ERR_MID_DEVICE_PROOF_INVALID');
  if (jws.payload.aud !== options.audience) fail('ERR_MID_AUDIENCE_MISMATCH');
  const nonce = jws.payload.nonce;
  if (typeof nonce !== 'string' || !safeEqual(nonce, options.nonce)) fail('ERR_MID_NONCE_MISMATCH');
  checkFreshness(
    jws.payload.iat,
    epochSeconds(options.now),
    PIN_PROOF_MAX_AGE_SECONDS,
    boundedSkew(options.clockSkewSeconds),
  );
}
