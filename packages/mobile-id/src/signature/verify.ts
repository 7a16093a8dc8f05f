import { type IssuerJwks, type P256PublicJwk, toP256PublicJwk } from '../keys/jwk.ts';
import { parseJws, verifyJwsSignature } from '../keys/jws.ts';
import { splitSdJwt } from '../sd-jwt/format.ts';
import { verifySdJwtPresentation } from '../sd-jwt/verify.ts';
import { checkStatus, type StatusListSource } from '../status-list/check.ts';
import type { StatusReference } from '../status-list/reference.ts';
import { isObject } from '../util/bytes.ts';
import { ensure, fail } from '../util/fail.ts';
import { sha256B64u } from '../util/hash.ts';
import { boundedSkew, epochSeconds, isNumericDate } from '../util/time.ts';
import { SIGNATURE_AUDIENCE, SIGNATURE_TYP, SIGNER_CLAIMS, type SignatureBundle } from './sign.ts';

export interface VerifySignatureOptions {
  issuerKeys: IssuerJwks;
  /** When the verification happens (the signing time must not lie after it). */
  now: Date;
  /** SHA-256 (hex) of the document in hand: must equal the signed one. */
  documentSha256?: string;
  /** Current status lists: reported as `statusNow` (or the refusal) when given. */
  statusLists?: StatusListSource;
  clockSkewSeconds?: number;
}

export interface VerifiedSignature {
  title: string;
  sha256: string;
  /** Signing time claimed by the device (seconds since the epoch). */
  signedAt: number;
  signer: Record<string, unknown>;
  /** The credential was within its validity and correctly bound at `signedAt`. */
  credentialValidAtSigning: true;
  status: StatusReference;
  /** 'VALID' when current status lists were given and the entry is valid now. */
  statusNow?: 'VALID';
}

/**
 * Verifies a signature bundle: the credential presentation (issuer signature, validity at signing
 * time, key binding to this exact signature), the device signature by the credential's `cnf` key,
 * and optionally the document hash and the current status.
 */
export async function verifySignatureBundle(
  bundle: SignatureBundle,
  options: VerifySignatureOptions,
): Promise<VerifiedSignature> {
  ensure(isObject(bundle) && bundle.v === 1, 'signature bundle');
  const jws = parseJws(bundle.signature, 'signature', SIGNATURE_TYP);
  const { title, sha256, iat } = jws.payload;
  ensure(
    typeof title === 'string' && typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256),
    'signature',
  );
  ensure(isNumericDate(iat), 'signature iat');
  const skew = boundedSkew(options.clockSkewSeconds);
  if (iat > epochSeconds(options.now) + skew) fail('ERR_MID_TIME_INVALID');

  // The device signature first (with the key the presentation names), so a changed signature
  // reads as such; the presentation check below then proves the issuer bound that key.
  const claimedKey = holderKeyOf(bundle.presentation);
  if (!(await verifyJwsSignature(bundle.signature, claimedKey))) fail('ERR_MID_DEVICE_PROOF_INVALID');
  const presented = await verifySdJwtPresentation(bundle.presentation, {
    issuerKeys: options.issuerKeys,
    now: new Date(iat * 1000),
    audience: SIGNATURE_AUDIENCE,
    nonce: await sha256B64u(bundle.signature),
    requiredClaims: SIGNER_CLAIMS,
    clockSkewSeconds: skew,
  });
  if (presented.holderJwk.x !== claimedKey.x || presented.holderJwk.y !== claimedKey.y) {
    fail('ERR_MID_DEVICE_PROOF_INVALID');
  }
  if (options.documentSha256 !== undefined && options.documentSha256.toLowerCase() !== sha256) {
    fail('ERR_MID_DOCUMENT_MISMATCH');
  }
  const result: VerifiedSignature = {
    title,
    sha256,
    signedAt: iat,
    signer: presented.claims,
    credentialValidAtSigning: true,
    status: presented.status,
  };
  if (options.statusLists) {
    checkStatus({ status_list: presented.status }, options.statusLists, epochSeconds(options.now));
    result.statusNow = 'VALID';
  }
  return result;
}

function holderKeyOf(presentation: unknown): P256PublicJwk {
  const payload = parseJws(splitSdJwt(presentation).jwt, 'SD-JWT').payload;
  ensure(isObject(payload.cnf), 'cnf');
  return toP256PublicJwk(payload.cnf.jwk);
}
