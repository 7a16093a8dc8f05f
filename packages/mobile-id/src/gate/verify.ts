import type { CryptoKey } from 'jose';
import {
  findIssuerKey,
  type IssuerJwks,
  jwkThumbprint,
  type P256PublicJwk,
  toP256PublicJwk,
} from '../keys/jwk.ts';
import type { SeenCache } from '../seen-cache.ts';
import { checkStatus, type StatusListSource } from '../status-list/check.ts';
import type { StatusReference } from '../status-list/reference.ts';
import { unlockPostcheck, unlockPrecheck } from '../unlock/token.ts';
import { b64u, isObject, safeEqual, utf8 } from '../util/bytes.ts';
import { ensure, fail } from '../util/fail.ts';
import { checkFreshness, checkValidity, epochSeconds } from '../util/time.ts';
import {
  CTH_BYTES,
  GATE_CLOCK_SKEW_SECONDS,
  GATE_PROOF_MAX_AGE_SECONDS,
  type ParsedGatePresentation,
  parseGatePresentation,
} from './format.ts';

export interface GateVerifyOptions {
  /** Cached issuer JWKS. */
  issuerKeys: IssuerJwks;
  /** Cached, verified status list(s). */
  statusList: StatusListSource;
  /** This gate's group: the proof's `aud` must equal it. */
  gateGroup: string;
  now: Date;
  /** The gate's memory of used nonces (replay refusal). */
  seenCache: SeenCache;
  /** Expected `iss`, when the gate knows it. */
  issuer?: string;
  proofMaxAgeSeconds?: number;
  clockSkewSeconds?: number;
  /**
   * Require the issuer's unlock token (third QR segment) bound to the credential's device key and
   * not expired: a copy of the wallet's storage then cannot pass the gate without the server-checked
   * PIN. Gongjik gates set this. Refusals: ERR_MID_UNLOCK_REQUIRED, ERR_MID_UNLOCK_EXPIRED.
   */
  requireUnlock?: boolean;
}

/** The facts a gate decides on (zone policy: agency, building, time window) and logs. */
export interface GateFacts {
  issuer: string;
  subject: string;
  agencyCode: string;
  credentialExp: number;
  status: StatusReference;
  proofIat: number;
  nonce: string;
  gateGroup: string;
  /** `exp` of the verified unlock token (only when the gate requires one). */
  unlockExp?: number;
}

// The checks between signature steps are shared by the async (WebCrypto) and sync (node:crypto) paths.

export interface GateStep1 {
  parsed: ParsedGatePresentation;
  issuerJwk: P256PublicJwk;
}

export function gateStep1(qr: unknown, options: GateVerifyOptions): GateStep1 {
  const parsed = parseGatePresentation(qr);
  return { parsed, issuerJwk: findIssuerKey(options.issuerKeys, parsed.credential.header.kid) };
}

/** After the issuer signature: credential claims and validity; returns the device key. */
export function gateStep2(step: GateStep1, options: GateVerifyOptions): P256PublicJwk {
  const c = step.parsed.credential.payload;
  ensure(typeof c.iss === 'string' && typeof c.sub === 'string' && typeof c.agc === 'string', 'gate claims');
  if (options.issuer !== undefined && c.iss !== options.issuer) fail('ERR_MID_ISSUER_UNKNOWN');
  checkValidity(c, epochSeconds(options.now), options.clockSkewSeconds ?? GATE_CLOCK_SKEW_SECONDS);
  ensure(isObject(c.cnf), 'cnf');
  return toP256PublicJwk(c.cnf.jwk);
}

/** When the gate requires an unlock: the token's checks before its signature (undefined otherwise). */
export function gateUnlockStep1(step: GateStep1, options: GateVerifyOptions) {
  if (!options.requireUnlock) return undefined;
  return unlockPrecheck(step.parsed.unlockText, {
    issuerKeys: options.issuerKeys,
    deviceJkt: '',
    now: options.now,
  });
}

/** After the unlock token's signature: bound to this device key (thumbprint `jkt`), not expired. */
export function gateUnlockStep2(
  pre: ReturnType<typeof unlockPrecheck>,
  deviceJkt: string,
  options: GateVerifyOptions,
): number {
  return unlockPostcheck(pre, {
    issuerKeys: options.issuerKeys,
    deviceJkt,
    now: options.now,
    clockSkewSeconds: options.clockSkewSeconds ?? GATE_CLOCK_SKEW_SECONDS,
  });
}

/** After the device signature: binding, audience, freshness, replay, status. */
export function gateStep3(step: GateStep1, cthDigest: Uint8Array, options: GateVerifyOptions): GateFacts {
  const c = step.parsed.credential.payload;
  const p = step.parsed.proof.payload;
  const now = epochSeconds(options.now);
  const skew = options.clockSkewSeconds ?? GATE_CLOCK_SKEW_SECONDS;
  const maxAge = options.proofMaxAgeSeconds ?? GATE_PROOF_MAX_AGE_SECONDS;
  ensure(typeof p.cth === 'string', 'gate proof cth');
  if (!safeEqual(p.cth, b64u(cthDigest.subarray(0, CTH_BYTES)))) fail('ERR_MID_DEVICE_PROOF_INVALID');
  if (p.aud !== options.gateGroup) fail('ERR_MID_GATE_GROUP_MISMATCH');
  checkFreshness(p.iat, now, maxAge, skew);
  const nonce = p.nonce;
  ensure(typeof nonce === 'string' && nonce.length >= 16 && nonce.length <= 64, 'gate proof nonce');
  const key = `gate:${nonce}`;
  if (options.seenCache.has(key, now)) fail('ERR_MID_NONCE_REPLAYED');
  options.seenCache.add(key, (p.iat as number) + maxAge + skew + 1);
  const status = checkStatus(c.status, options.statusList, now);
  return {
    issuer: c.iss as string,
    subject: c.sub as string,
    agencyCode: c.agc as string,
    credentialExp: c.exp as number,
    status,
    proofIat: p.iat as number,
    nonce,
    gateGroup: options.gateGroup,
  };
}

/**
 * Verifies a gate QR offline (WebCrypto; works in the browser kiosk). Returns the decision facts
 * or throws: ERR_MID_MALFORMED, ERR_MID_TYPE_INVALID, ERR_MID_ISSUER_UNKNOWN,
 * ERR_MID_SIGNATURE_INVALID (issuer), ERR_MID_CREDENTIAL_EXPIRED / _NOT_YET_VALID,
 * ERR_MID_DEVICE_PROOF_INVALID (forged or foreign proof), ERR_MID_GATE_GROUP_MISMATCH,
 * ERR_MID_PROOF_EXPIRED, ERR_MID_TIME_INVALID, ERR_MID_NONCE_REPLAYED, ERR_MID_STATUS_SUSPENDED,
 * ERR_MID_STATUS_INVALID, ERR_MID_STATUS_UNKNOWN, ERR_MID_STATUS_LIST_STALE.
 * In Node, `verifyGatePresentationSync` from `@gongjik/mobile-id/node` is the fast path.
 */
export async function verifyGatePresentation(qr: string, options: GateVerifyOptions): Promise<GateFacts> {
  const step = gateStep1(qr, options);
  const { credential, proof } = step.parsed;
  if (!(await webCryptoVerify(step.issuerJwk, utf8(credential.signingInput), credential.signature))) {
    fail('ERR_MID_SIGNATURE_INVALID');
  }
  const deviceJwk = gateStep2(step, options);
  if (!(await webCryptoVerify(deviceJwk, utf8(proof.signingInput), proof.signature))) {
    fail('ERR_MID_DEVICE_PROOF_INVALID');
  }
  let unlockExp: number | undefined;
  const unlock = gateUnlockStep1(step, options);
  if (unlock) {
    const { issuerJwk, jws } = unlock;
    if (!(await webCryptoVerify(issuerJwk, utf8(jws.signingInput), jws.signature))) {
      fail('ERR_MID_SIGNATURE_INVALID');
    }
    unlockExp = gateUnlockStep2(unlock, await jwkThumbprint(deviceJwk), options);
  }
  const digest = new Uint8Array(
    await globalThis.crypto.subtle.digest('SHA-256', utf8(step.parsed.credentialText)),
  );
  const facts = gateStep3(step, digest, options);
  return unlockExp === undefined ? facts : { ...facts, unlockExp };
}

const importedKeys = new Map<string, Promise<CryptoKey>>();

async function webCryptoVerify(
  jwk: P256PublicJwk,
  data: Uint8Array<ArrayBuffer>,
  signature: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const id = `${jwk.x}.${jwk.y}`;
  let key = importedKeys.get(id);
  if (!key) {
    key = globalThis.crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    if (importedKeys.size >= 256) importedKeys.clear();
    importedKeys.set(id, key);
  }
  const k = await key.catch(() => {
    importedKeys.delete(id);
    return fail('ERR_MID_KEY_INVALID');
  });
  return globalThis.crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, k, signature, data);
}
