import {
  findIssuerKey,
  type IssuerJwks,
  jwkThumbprint,
  type P256PublicJwk,
  toP256PublicJwk,
} from '../keys/jwk.ts';
import { parseJws, verifyJwsSignature } from '../keys/jws.ts';
import type { SeenCache } from '../seen-cache.ts';
import { checkStatus, type StatusListSource } from '../status-list/check.ts';
import { readStatusClaim, type StatusReference } from '../status-list/reference.ts';
import { verifyUnlockToken } from '../unlock/token.ts';
import { isObject, safeEqual } from '../util/bytes.ts';
import { ensure, fail } from '../util/fail.ts';
import { sha256B64u } from '../util/hash.ts';
import { boundedSkew, checkFreshness, checkValidity, epochSeconds } from '../util/time.ts';
import { type Disclosure, parseDisclosure } from './disclosure.ts';
import { KB_JWT_TYP, SD_ALG, SD_JWT_VC_TYP, splitSdJwt } from './format.ts';

/** Default age limit of a Key Binding JWT. */
export const KB_JWT_MAX_AGE_SECONDS = 300;
const MAX_DEPTH = 8;

export interface VerifySdJwtOptions {
  issuerKeys: IssuerJwks;
  now: Date;
  /** Expected KB-JWT `aud` (the verifier's client_id). */
  audience: string;
  /** Expected KB-JWT `nonce` (the one this verifier handed out). */
  nonce: string;
  /** Expected `iss` and `vct`, when the verifier knows them. */
  issuer?: string;
  vct?: string;
  /**
   * Top-level claims the verifier asked for. When given, a presentation that discloses a claim
   * outside this list is refused with ERR_MID_DISCLOSURE_EXCESSIVE (unless `allowExtraClaims`), and
   * one missing a listed claim with ERR_MID_CLAIM_MISSING.
   */
  requiredClaims?: readonly string[];
  allowExtraClaims?: boolean;
  /** Cached status lists; when given, the credential must be VALID in them. */
  statusLists?: StatusListSource;
  /** Single-use nonces: when given, a KB-JWT nonce seen before is refused (ERR_MID_NONCE_REPLAYED). */
  seenCache?: SeenCache;
  clockSkewSeconds?: number;
  kbMaxAgeSeconds?: number;
  /**
   * Require the issuer's unlock token in the KB-JWT (`unlock`), bound to `cnf.jwk` and unexpired
   * (ERR_MID_UNLOCK_REQUIRED, ERR_MID_UNLOCK_EXPIRED): the holder entered the server-checked PIN.
   */
  requireUnlock?: boolean;
}

export interface VerifiedSdJwt {
  issuer: string;
  vct: string;
  /** Always-visible claims plus the disclosed ones (no `_sd`, `_sd_alg`). */
  claims: Record<string, unknown>;
  /** Names of the top-level claims that were disclosed. */
  disclosed: string[];
  holderJwk: P256PublicJwk;
  status: StatusReference;
  iat: number;
  nbf: number | undefined;
  exp: number;
  kbIat: number;
  /** `exp` of the verified unlock token (with `requireUnlock`). */
  unlockExp?: number;
}

/**
 * Verifies an SD-JWT VC presentation with key binding: issuer signature (JWKS by `kid`), `typ`,
 * validity (`iat`/`nbf`/`exp` with bounded skew), every disclosure digest referenced exactly once
 * (no unused or duplicate disclosures), KB-JWT signature by `cnf.jwk`, `sd_hash`, `aud`, `nonce`,
 * KB-JWT freshness, optionally the requested claim set, the status list and nonce replay.
 */
export async function verifySdJwtPresentation(
  presentation: string,
  options: VerifySdJwtOptions,
): Promise<VerifiedSdJwt> {
  const now = epochSeconds(options.now);
  const skew = boundedSkew(options.clockSkewSeconds);
  const split = splitSdJwt(presentation);
  if (split.kbJwt === undefined) fail('ERR_MID_KEY_BINDING_MISSING');

  // 1. The issuer's signature over the credential.
  const jws = parseJws(split.jwt, 'SD-JWT', SD_JWT_VC_TYP);
  const issuerJwk = findIssuerKey(options.issuerKeys, jws.header.kid);
  if (!(await verifyJwsSignature(split.jwt, issuerJwk))) fail('ERR_MID_SIGNATURE_INVALID');
  const payload = jws.payload;

  // 2. What the issuer said, and when.
  ensure(payload._sd_alg === undefined || payload._sd_alg === SD_ALG, '_sd_alg');
  ensure(typeof payload.iss === 'string', 'iss');
  ensure(typeof payload.vct === 'string', 'vct');
  if (options.issuer !== undefined && payload.iss !== options.issuer) fail('ERR_MID_ISSUER_UNKNOWN');
  if (options.vct !== undefined && payload.vct !== options.vct)
    fail('ERR_MID_TYPE_INVALID', { expected: 'vct' });
  checkValidity(payload, now, skew);
  ensure(isObject(payload.cnf), 'cnf');
  const holderJwk = toP256PublicJwk(payload.cnf.jwk);
  const status = readStatusClaim(payload.status);

  // 3. Disclosures: each digest referenced exactly once.
  const disclosures = await Promise.all(split.disclosures.map(parseDisclosure));
  const byDigest = new Map<string, Disclosure>();
  for (const d of disclosures) {
    if (byDigest.has(d.digest)) fail('ERR_MID_DISCLOSURE_INVALID', { reason: 'duplicate' });
    byDigest.set(d.digest, d);
  }
  const used = new Set<string>();
  const claims = expand(payload, byDigest, used, 0) as Record<string, unknown>;
  if (used.size !== byDigest.size) fail('ERR_MID_DISCLOSURE_INVALID', { reason: 'unused' });
  const topLevel = new Set<string>();
  for (const digest of Array.isArray(payload._sd) ? payload._sd : []) {
    const d = byDigest.get(digest as string);
    if (d?.name !== undefined) topLevel.add(d.name);
  }
  const disclosed = [...topLevel];

  // 4. Key binding: signed by the device key, over exactly this presentation, for us, now.
  const kb = parseJws(split.kbJwt, 'KB-JWT', KB_JWT_TYP);
  if (!(await verifyJwsSignature(split.kbJwt, holderJwk))) fail('ERR_MID_DEVICE_PROOF_INVALID');
  const { sd_hash, aud, nonce, iat } = kb.payload;
  ensure(typeof sd_hash === 'string', 'sd_hash');
  if (!safeEqual(sd_hash, await sha256B64u(split.withoutKb))) fail('ERR_MID_SD_HASH_MISMATCH');
  if (aud !== options.audience) fail('ERR_MID_AUDIENCE_MISMATCH');
  if (typeof nonce !== 'string' || !safeEqual(nonce, options.nonce)) fail('ERR_MID_NONCE_MISMATCH');
  checkFreshness(iat, now, options.kbMaxAgeSeconds ?? KB_JWT_MAX_AGE_SECONDS, skew);
  const unlockExp = options.requireUnlock
    ? await verifyUnlockToken(kb.payload.unlock, {
        issuerKeys: options.issuerKeys,
        deviceJkt: await jwkThumbprint(holderJwk),
        now: options.now,
        clockSkewSeconds: skew,
      })
    : undefined;

  // 5. Only what was asked for.
  if (options.requiredClaims) {
    const wanted = new Set(options.requiredClaims);
    const extra = disclosed.filter((n) => !wanted.has(n));
    if (extra.length && !options.allowExtraClaims) {
      fail('ERR_MID_DISCLOSURE_EXCESSIVE', { claims: extra.map(safeName) });
    }
    const missing = [...wanted].filter((n) => claims[n] === undefined);
    if (missing.length) fail('ERR_MID_CLAIM_MISSING', { claims: missing.map(safeName) });
  }

  // 6. Still valid according to the issuer, and not seen before.
  if (options.statusLists) checkStatus(payload.status, options.statusLists, now);
  if (options.seenCache) {
    const key = `kb:${options.nonce}`;
    if (options.seenCache.has(key, now)) fail('ERR_MID_NONCE_REPLAYED');
    options.seenCache.add(key, now + (options.kbMaxAgeSeconds ?? KB_JWT_MAX_AGE_SECONDS) + skew);
  }

  const { _sd: _1, _sd_alg: _2, ...visible } = claims;
  return {
    issuer: payload.iss,
    vct: payload.vct,
    claims: visible,
    disclosed,
    holderJwk,
    status,
    iat: payload.iat as number,
    nbf: payload.nbf as number | undefined,
    exp: payload.exp as number,
    kbIat: iat as number,
    ...(unlockExp === undefined ? {} : { unlockExp }),
  };
}

/** Replaces `_sd` digests and `{"...": digest}` array elements by the disclosed values. */
function expand(
  value: unknown,
  byDigest: Map<string, Disclosure>,
  used: Set<string>,
  depth: number,
): unknown {
  ensure(depth <= MAX_DEPTH, 'nesting');
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value) {
      if (isObject(item) && Object.hasOwn(item, '...')) {
        ensure(Object.keys(item).length === 1 && typeof item['...'] === 'string', 'array disclosure');
        const d = take(item['...'], byDigest, used);
        if (d === undefined) continue;
        if (d.name !== undefined) fail('ERR_MID_DISCLOSURE_INVALID', { reason: 'shape' });
        out.push(expand(d.value, byDigest, used, depth + 1));
      } else {
        out.push(expand(item, byDigest, used, depth + 1));
      }
    }
    return out;
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '_sd') continue;
    out[k] = depth === 0 && k === 'cnf' ? v : expand(v, byDigest, used, depth + 1);
  }
  if (value._sd !== undefined) {
    ensure(Array.isArray(value._sd) && value._sd.every((x) => typeof x === 'string'), '_sd');
    for (const digest of value._sd as string[]) {
      const d = take(digest, byDigest, used);
      if (d === undefined) continue;
      if (d.name === undefined) fail('ERR_MID_DISCLOSURE_INVALID', { reason: 'shape' });
      if (Object.hasOwn(out, d.name)) fail('ERR_MID_DISCLOSURE_INVALID', { reason: 'name' });
      out[d.name] = expand(d.value, byDigest, used, depth + 1);
    }
  }
  return out;
}

function take(digest: string, byDigest: Map<string, Disclosure>, used: Set<string>): Disclosure | undefined {
  const d = byDigest.get(digest);
  if (d === undefined) return undefined;
  if (used.has(digest)) fail('ERR_MID_DISCLOSURE_INVALID', { reason: 'duplicate' });
  used.add(digest);
  return d;
}

/** Claim names echoed in errors: ours are short snake_case; anything else is masked. */
function safeName(name: string): string {
  return /^[a-z][a-z0-9_]{0,31}$/.test(name) ? name : '?';
}
