import { type ParsedJws, parseJws } from '../keys/jws.ts';
import { ensure } from '../util/fail.ts';

/**
 * The gate QR (documented in the package README):
 *
 *   <gate credential>~<device proof>
 *
 * - gate credential: compact JWS, header `{alg: ES256, typ: "gjg+jwt", kid}` signed by the issuer;
 *   payload `{iss, sub, agc, nbf, exp, cnf: {jwk}, status: {status_list: {idx, uri}}}`.
 * - device proof: compact JWS, header `{alg: ES256, typ: "gjp+jwt"}` signed by the device key in
 *   `cnf.jwk`; payload `{aud, iat, nonce, cth}` where `aud` is the gate group, `nonce` 128 random
 *   bits and `cth` the base64url of the first 16 bytes of SHA-256 over the credential text (binding
 *   the proof to that credential).
 * - optionally a third segment, the issuer's unlock token (`gju+jwt`, see unlock/token.ts): proof
 *   that the holder entered the PIN (checked by the server) recently. Gates configured with
 *   `requireUnlock` refuse a QR without a valid one.
 */
export const GATE_CREDENTIAL_TYP = 'gjg+jwt';
export const GATE_PROOF_TYP = 'gjp+jwt';
/** A device proof is accepted for this many seconds after its `iat`. */
export const GATE_PROOF_MAX_AGE_SECONDS = 30;
/** Tolerance for a phone clock ahead of the gate's. */
export const GATE_CLOCK_SKEW_SECONDS = 5;
export const MAX_GATE_QR_LENGTH = 2048;
export const CTH_BYTES = 16;

export interface ParsedGatePresentation {
  credentialText: string;
  credential: ParsedJws;
  proof: ParsedJws;
  /** The unlock token, when the wallet attached one (verified only when the gate requires it). */
  unlockText: string | undefined;
}

/** Splits and decodes a gate QR; nothing is verified yet. */
export function parseGatePresentation(qr: unknown): ParsedGatePresentation {
  ensure(typeof qr === 'string' && qr.length <= MAX_GATE_QR_LENGTH, 'gate QR');
  const parts = qr.trim().split('~');
  ensure(parts.length === 2 || parts.length === 3, 'gate QR');
  const [credentialText, proofText, unlockText] = parts as [string, string, string | undefined];
  return {
    credentialText,
    credential: parseJws(credentialText, 'gate credential', GATE_CREDENTIAL_TYP),
    proof: parseJws(proofText, 'gate proof', GATE_PROOF_TYP),
    unlockText,
  };
}
