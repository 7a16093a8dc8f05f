import type { IssuerJwks } from '../keys/jwk.ts';
import { type VerifiedSdJwt, verifySdJwtPresentation } from '../sd-jwt/verify.ts';
import type { SeenCache } from '../seen-cache.ts';
import type { StatusListSource } from '../status-list/check.ts';
import { isObject, safeEqual } from '../util/bytes.ts';
import { ensure, fail } from '../util/fail.ts';
import { requestedClaimNames } from './dcql.ts';
import type { AuthorizationRequest } from './request.ts';

/** What the wallet posts to `response_uri` (form fields; `vp_token` is JSON text there). */
export interface VpResponse {
  vp_token: Record<string, string[]>;
  state: string;
}

/** Form body for `direct_post`. */
export function vpResponseForm(response: VpResponse): URLSearchParams {
  return new URLSearchParams({ vp_token: JSON.stringify(response.vp_token), state: response.state });
}

/** Reads a `direct_post` body (verifier side). */
export function parseVpResponseForm(body: URLSearchParams): VpResponse {
  const state = body.get('state');
  const raw = body.get('vp_token');
  ensure(state !== null && raw !== null && raw.length <= 100_000, 'vp response');
  let token: unknown;
  try {
    token = JSON.parse(raw);
  } catch {
    ensure(false, 'vp_token');
  }
  ensure(isObject(token), 'vp_token');
  for (const v of Object.values(token))
    ensure(Array.isArray(v) && v.every((x) => typeof x === 'string'), 'vp_token');
  return { vp_token: token as Record<string, string[]>, state };
}

export interface VerifyVpOptions {
  issuerKeys: IssuerJwks;
  now: Date;
  statusLists?: StatusListSource;
  /** Refuses a nonce used before (the verifier also deletes its pending request). */
  seenCache?: SeenCache;
  clockSkewSeconds?: number;
  /** Require the issuer's unlock token in each KB-JWT (see VerifySdJwtOptions.requireUnlock). */
  requireUnlock?: boolean;
}

/**
 * Checks a `vp_token` response against the request it answers: `state`, one presentation per
 * credential query, each bound to `client_id` (aud) and the request `nonce`, of an accepted `vct`,
 * disclosing exactly the claims the DCQL query asked for (more is ERR_MID_DISCLOSURE_EXCESSIVE).
 */
export async function verifyVpResponse(
  response: VpResponse,
  request: AuthorizationRequest,
  options: VerifyVpOptions,
): Promise<Record<string, VerifiedSdJwt>> {
  if (!safeEqual(response.state, request.state)) fail('ERR_MID_STATE_MISMATCH');
  const ids = request.dcql_query.credentials.map((c) => c.id);
  const extra = Object.keys(response.vp_token).filter((k) => !ids.includes(k));
  ensure(extra.length === 0, 'vp_token');
  const out: Record<string, VerifiedSdJwt> = {};
  for (const query of request.dcql_query.credentials) {
    const presentations = response.vp_token[query.id];
    if (!presentations || presentations.length === 0) fail('ERR_MID_CLAIM_MISSING', { claims: [query.id] });
    ensure(presentations.length === 1, 'vp_token');
    const verified = await verifySdJwtPresentation(presentations[0]!, {
      issuerKeys: options.issuerKeys,
      now: options.now,
      audience: request.client_id,
      nonce: request.nonce,
      requiredClaims: requestedClaimNames(query),
      ...(options.statusLists ? { statusLists: options.statusLists } : {}),
      ...(options.seenCache ? { seenCache: options.seenCache } : {}),
      ...(options.clockSkewSeconds !== undefined ? { clockSkewSeconds: options.clockSkewSeconds } : {}),
      ...(options.requireUnlock ? { requireUnlock: true } : {}),
    });
    if (!query.meta.vct_values.includes(verified.vct)) fail('ERR_MID_TYPE_INVALID', { expected: 'vct' });
    out[query.id] = verified;
  }
  return out;
}
