import { findIssuerKey, type IssuerJwks } from '../keys/jwk.ts';
import { parseJws, signJws, verifyJwsSignature } from '../keys/jws.ts';
import type { IssuerKey } from '../keys/keys.ts';
import { ensure, fail } from '../util/fail.ts';
import { boundedSkew, epochSeconds, isNumericDate } from '../util/time.ts';
import { MAX_STATUS_LIST_ENTRIES, StatusList } from './status-list.ts';

export const STATUS_LIST_TYP = 'statuslist+jwt';
/** Largest status list token read (a 2^20-entry list that does not compress at all fits). */
export const MAX_STATUS_LIST_TOKEN_LENGTH = 1_000_000;

/** A status list whose token was verified: what gates and verifiers cache. */
export interface VerifiedStatusList {
  uri: string;
  list: StatusList;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  /** Seconds a cache may keep it before fetching again. */
  ttl: number;
}

export interface SignStatusListInput {
  list: StatusList;
  /** The URI the token is published at (its `sub`). */
  uri: string;
  issuerKey: IssuerKey;
  /** Optional `iss`. */
  issuer?: string;
  now: Date;
  /** `ttl` claim: how long relying parties may cache it (seconds). */
  ttlSeconds: number;
  /** `exp` − `iat` (seconds): after this the list must not be used at all. */
  validSeconds: number;
}

/** Signs a status list token JWT (`typ: statuslist+jwt`). */
export async function signStatusListToken(input: SignStatusListInput): Promise<string> {
  if (!(input.ttlSeconds > 0) || !(input.validSeconds >= input.ttlSeconds)) throw new RangeError('ttl/valid');
  const iat = epochSeconds(input.now);
  const payload: Record<string, unknown> = {
    sub: input.uri,
    iat,
    exp: iat + input.validSeconds,
    ttl: input.ttlSeconds,
    status_list: await input.list.toClaim(),
  };
  if (input.issuer !== undefined) payload.iss = input.issuer;
  return signJws({ typ: STATUS_LIST_TYP, kid: input.issuerKey.kid }, payload, input.issuerKey.privateKey);
}

export interface VerifyStatusListOptions {
  issuerKeys: IssuerJwks;
  /** The URI it was fetched from: must equal `sub`. */
  uri: string;
  now: Date;
  clockSkewSeconds?: number;
  maxEntries?: number;
}

/** Verifies a status list token and decodes its list. */
export async function verifyStatusListToken(
  token: string,
  options: VerifyStatusListOptions,
): Promise<VerifiedStatusList> {
  const jws = parseJws(token, 'status list token', STATUS_LIST_TYP, MAX_STATUS_LIST_TOKEN_LENGTH);
  const key = findIssuerKey(options.issuerKeys, jws.header.kid);
  if (!(await verifyJwsSignature(token, key))) fail('ERR_MID_SIGNATURE_INVALID');
  const { sub, iat, exp, ttl, status_list } = jws.payload;
  ensure(sub === options.uri, 'status list sub');
  ensure(isNumericDate(iat) && isNumericDate(exp) && exp > iat, 'status list iat/exp');
  ensure(isNumericDate(ttl) && ttl > 0, 'status list ttl');
  const now = epochSeconds(options.now);
  const skew = boundedSkew(options.clockSkewSeconds);
  if (iat > now + skew) fail('ERR_MID_TIME_INVALID');
  if (exp <= now) fail('ERR_MID_STATUS_LIST_STALE');
  const list = await StatusList.fromClaim(status_list, options.maxEntries ?? MAX_STATUS_LIST_ENTRIES);
  return { uri: sub, list, iat, exp, ttl };
}
