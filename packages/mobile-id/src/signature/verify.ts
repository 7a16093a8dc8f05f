import { type ErrorCode, type ErrorDetails, GongjikError, isGongjikError } from '@gongjik/errors';
import { type IssuerJwks, jwkThumbprint, type P256PublicJwk, toP256PublicJwk } from '../keys/jwk.ts';
import { parseJws, verifyJwsSignature } from '../keys/jws.ts';
import { KB_JWT_TYP, splitSdJwt } from '../sd-jwt/format.ts';
import { type VerifiedSdJwt, verifySdJwtPresentation } from '../sd-jwt/verify.ts';
import { checkStatus } from '../status-list/check.ts';
import type { StatusReference } from '../status-list/reference.ts';
import { STATUS_LIST_TYP, type VerifiedStatusList, verifyStatusListToken } from '../status-list/token.ts';
import { readUnlockToken } from '../unlock/token.ts';
import { isObject } from '../util/bytes.ts';
import { sha256B64u } from '../util/hash.ts';
import { boundedSkew, epochSeconds, isNumericDate } from '../util/time.ts';
import {
  MAX_SIGNATURE_BUNDLE_BYTES,
  SIGNATURE_AUDIENCE,
  SIGNATURE_BUNDLE_TYPE,
  SIGNATURE_BUNDLE_VERSION,
  SIGNATURE_TYP,
  SIGNER_CLAIMS,
  type SignatureBundle,
} from './sign.ts';

export interface VerifySignatureOptions {
  /** The trusted issuer's keys (its JWKS). A credential signed by any other key is refused. */
  issuerKeys: IssuerJwks;
  /** The expected `iss`, when known. */
  issuer?: string;
  /** When the verification happens (the signing time must not lie after it). */
  now: Date;
  /** SHA-256 (hex) of the document in hand: must equal the signed one. */
  documentSha256?: string;
  clockSkewSeconds?: number;
  /** Require the issuer's unlock token (the PIN was confirmed). Default true. */
  requireUnlock?: boolean;
}

export interface SignerView {
  name: string;
  employeeNumber: string;
  agency: string;
  agencyCode?: string;
}

export interface VerifiedSignature {
  title: string;
  sha256: string;
  reason?: string;
  requestId: string;
  /** Who asked for the signature (the work system's client id). */
  audience: string;
  /** Signing time (seconds since the epoch), from the device signature, bounded by the status evidence. */
  signedAt: number;
  signer: SignerView;
  issuer: string;
  /** RFC 7638 thumbprint of the device key that signed (which card it was). */
  deviceJkt: string;
  /** The card's status at signing time, from the issuer-signed status list in the bundle. */
  card: {
    status: 'VALID';
    /** When the issuer signed the status list used as evidence (seconds). */
    statusIssuedAt: number;
    statusRef: StatusReference;
    validUntil: number;
  };
  /** When the holder's PIN was checked by the issuer (the unlock token's `iat`). */
  pinConfirmedAt?: number;
  /** True when `documentSha256` was given and matched. */
  documentMatched: boolean;
}

function refuse(code: ErrorCode, details: ErrorDetails = {}, cause?: unknown): never {
  throw new GongjikError(code, details, cause === undefined ? undefined : { cause });
}

const codeOf = (err: unknown) => (isGongjikError(err) ? err.code : undefined);

/** Reads a bundle from its file text (JSON) or a parsed object; anything else is "tampered". */
export function parseSignatureBundle(input: unknown): SignatureBundle {
  let value = input;
  if (typeof input === 'string') {
    if (input.length > MAX_SIGNATURE_BUNDLE_BYTES) refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'size' });
    try {
      value = JSON.parse(input);
    } catch (err) {
      refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'json' }, err);
    }
  }
  if (!isObject(value) || value.type !== SIGNATURE_BUNDLE_TYPE) refuse('ERR_SIGN_FILE_UNKNOWN');
  if (typeof input !== 'string' && JSON.stringify(value).length > MAX_SIGNATURE_BUNDLE_BYTES)
    refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'size' });
  if (value.v !== SIGNATURE_BUNDLE_VERSION) refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'version' });
  for (const part of ['signature', 'presentation'] as const) {
    if (typeof value[part] !== 'string') refuse('ERR_SIGN_BUNDLE_TAMPERED', { part });
  }
  if (typeof value.status !== 'string') refuse('ERR_SIGN_STATUS_EVIDENCE_INVALID');
  return value as unknown as SignatureBundle;
}

function holderKeyOf(presentation: string): P256PublicJwk {
  const payload = parseJws(splitSdJwt(presentation).jwt, 'SD-JWT').payload;
  if (!isObject(payload.cnf)) refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'cnf' });
  return toP256PublicJwk(payload.cnf.jwk);
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function signerOf(claims: Record<string, unknown>): SignerView {
  const agency = claims.agency;
  if (isObject(agency)) {
    return {
      name: text(claims.name),
      employeeNumber: text(claims.employee_number),
      agency: text(agency.name),
      ...(typeof agency.code === 'string' ? { agencyCode: agency.code } : {}),
    };
  }
  return { name: text(claims.name), employeeNumber: text(claims.employee_number), agency: text(agency) };
}

/**
 * Verifies a signature bundle and says who signed, when, and whether the card was valid then.
 * Pure: no network, no clock (the issuer keys and `now` are given). Refusals, each with its code:
 * - ERR_SIGN_DOCUMENT_CHANGED — the document in hand is not the signed one;
 * - ERR_SIGN_BUNDLE_TAMPERED — any signature or binding inside the bundle does not hold;
 * - ERR_SIGN_ISSUER_UNKNOWN — the credential is not signed by a trusted issuer key;
 * - ERR_SIGN_CARD_NOT_VALID — suspended, invalid (lost, locked, revoked) or expired at signing time;
 * - ERR_SIGN_STATUS_EVIDENCE_INVALID / _STALE — the status list is missing, not the issuer's, or
 *   was not current at signing time (signed more than its `ttl` before, or expired);
 * - ERR_SIGN_PIN_NOT_FRESH — no issuer unlock token valid at signing time (no PIN);
 * - ERR_SIGN_TIME_INVALID — signed "in the future".
 */
export async function verifySignatureBundle(
  input: unknown,
  options: VerifySignatureOptions,
): Promise<VerifiedSignature> {
  const bundle = parseSignatureBundle(input);
  const skew = boundedSkew(options.clockSkewSeconds);

  // 1. The device signature over what was signed.
  let payload: Record<string, unknown>;
  try {
    payload = parseJws(bundle.signature, 'signature', SIGNATURE_TYP).payload;
  } catch (err) {
    refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'signature' }, err);
  }
  const { title, sha256, iat, rid, aud, reason } = payload;
  if (
    typeof title !== 'string' ||
    typeof sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(sha256) ||
    typeof rid !== 'string' ||
    typeof aud !== 'string' ||
    (reason !== undefined && typeof reason !== 'string') ||
    !isNumericDate(iat)
  ) {
    refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'signature' });
  }
  if (iat > epochSeconds(options.now) + skew) refuse('ERR_SIGN_TIME_INVALID');
  let holderKey: P256PublicJwk;
  try {
    holderKey = holderKeyOf(bundle.presentation);
  } catch (err) {
    refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'presentation' }, err);
  }
  if (!(await verifyJwsSignature(bundle.signature, holderKey)))
    refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'signature' });

  // 2. The credential: the issuer's, valid at signing time, bound to this very signature.
  const signedAtDate = new Date(iat * 1000);
  let presented: VerifiedSdJwt;
  try {
    presented = await verifySdJwtPresentation(bundle.presentation, {
      issuerKeys: options.issuerKeys,
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
      now: signedAtDate,
      audience: SIGNATURE_AUDIENCE,
      nonce: await sha256B64u(bundle.signature),
      requiredClaims: SIGNER_CLAIMS,
      requireUnlock: options.requireUnlock ?? true,
      clockSkewSeconds: skew,
    });
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ERR_MID_ISSUER_UNKNOWN') refuse('ERR_SIGN_ISSUER_UNKNOWN', {}, err);
    if (code === 'ERR_MID_CREDENTIAL_EXPIRED') refuse('ERR_SIGN_CARD_NOT_VALID', { status: 'EXPIRED' }, err);
    if (code === 'ERR_MID_CREDENTIAL_NOT_YET_VALID')
      refuse('ERR_SIGN_CARD_NOT_VALID', { status: 'NOT_YET_VALID' }, err);
    if (code === 'ERR_MID_UNLOCK_REQUIRED' || code === 'ERR_MID_UNLOCK_EXPIRED')
      refuse('ERR_SIGN_PIN_NOT_FRESH', {}, err);
    refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'presentation' }, err);
  }
  if (presented.holderJwk.x !== holderKey.x || presented.holderJwk.y !== holderKey.y)
    refuse('ERR_SIGN_BUNDLE_TAMPERED', { part: 'cnf' });

  // 3. Evidence of the card's status at signing time: the issuer's status list, current then.
  let list: VerifiedStatusList;
  try {
    const header = parseJws(bundle.status, 'status', STATUS_LIST_TYP, MAX_SIGNATURE_BUNDLE_BYTES);
    if (header.payload.iss !== undefined && header.payload.iss !== presented.issuer)
      refuse('ERR_SIGN_STATUS_EVIDENCE_INVALID');
    list = await verifyStatusListToken(bundle.status, {
      issuerKeys: options.issuerKeys,
      uri: presented.status.uri,
      now: signedAtDate,
      clockSkewSeconds: skew,
    });
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ERR_SIGN_STATUS_EVIDENCE_INVALID') throw err;
    if (code === 'ERR_MID_STATUS_LIST_STALE' || code === 'ERR_MID_TIME_INVALID')
      refuse('ERR_SIGN_STATUS_EVIDENCE_STALE', {}, err);
    refuse('ERR_SIGN_STATUS_EVIDENCE_INVALID', {}, err);
  }
  if (iat - list.iat > list.ttl + skew) refuse('ERR_SIGN_STATUS_EVIDENCE_STALE');
  try {
    checkStatus({ status_list: presented.status }, list, iat);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ERR_MID_STATUS_SUSPENDED') refuse('ERR_SIGN_CARD_NOT_VALID', { status: 'SUSPENDED' }, err);
    if (code === 'ERR_MID_STATUS_INVALID') refuse('ERR_SIGN_CARD_NOT_VALID', { status: 'INVALID' }, err);
    if (code === 'ERR_MID_STATUS_LIST_STALE') refuse('ERR_SIGN_STATUS_EVIDENCE_STALE', {}, err);
    refuse('ERR_SIGN_STATUS_EVIDENCE_INVALID', {}, err);
  }

  // 4. The document in hand.
  let documentMatched = false;
  if (options.documentSha256 !== undefined) {
    if (options.documentSha256.toLowerCase() !== sha256) refuse('ERR_SIGN_DOCUMENT_CHANGED');
    documentMatched = true;
  }

  let pinConfirmedAt: number | undefined;
  const kb = splitSdJwt(bundle.presentation).kbJwt;
  if (kb !== undefined) {
    const unlock = parseJws(kb, 'KB-JWT', KB_JWT_TYP).payload.unlock;
    if (typeof unlock === 'string') pinConfirmedAt = readUnlockToken(unlock).iat;
  }

  return {
    title,
    sha256,
    ...(typeof reason === 'string' ? { reason } : {}),
    requestId: rid,
    audience: aud,
    signedAt: iat,
    signer: signerOf(presented.claims),
    issuer: presented.issuer,
    deviceJkt: await jwkThumbprint(holderKey),
    card: {
      status: 'VALID',
      statusIssuedAt: list.iat,
      statusRef: presented.status,
      validUntil: presented.exp,
    },
    ...(pinConfirmedAt !== undefined ? { pinConfirmedAt } : {}),
    documentMatched,
  };
}

/** SHA-256 (lowercase hex) of a document's bytes, WebCrypto (the page and the CLI hash the same way). */
export async function documentSha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const d = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}
