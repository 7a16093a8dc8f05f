// OpenID4VP 1.0 presentation requests for the verifiers the server runs itself: sign-in with the
// mobile ID (a second method beside the certificate; DESIGN flow 9) and the library card (flow
// 11). The browser that asks gets the request (QR / deep link), a matching code and a secret; the
// wallet answers by direct_post with `state`; the browser polls with its secret and takes the
// verified result once. One row per request in mid_vp_requests.
import type { MidVpMode, MidVpPurpose, MidVpRequest } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import {
  type AuthorizationRequest,
  authorizationRequestUri,
  checkStatus,
  createAuthorizationRequest,
  jwkThumbprint,
  officialIdQuery,
  parseVpResponseForm,
  redirectUriClientId,
  type VerifiedSdJwt,
  VP_SCHEME,
  verifyStatusListToken,
  verifyVpResponse,
  vpMatchCode,
} from '@gongjik/mobile-id';
import { sql } from 'kysely';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db.ts';
import { randomToken, sha256Hex } from '../secrets.ts';
import { getIssuerKeyring } from './keys.ts';
import { publishStatusList, statusListUri } from './status-lists.ts';

/** How long a request can be answered: long enough to unlock the phone, short enough to be stale. */
export const VP_REQUEST_TTL_MS = 3 * 60_000;
/** Refused answers a request takes before it stops accepting any. */
export const VP_MAX_ATTEMPTS = 5;
/** New requests per client address and minute (an agency's offices may share one NAT address). */
export const VP_MAX_REQUESTS_PER_MINUTE = 60;

/** What a verifier asks for, and where the wallet answers. */
export interface VerifierProfile {
  readonly purpose: MidVpPurpose;
  /** path of the direct_post endpoint (the client_id is `redirect_uri:<public URL><path>`) */
  readonly responsePath: string;
  /** the top-level claims the DCQL query asks for — and the only ones accepted */
  readonly claims: readonly string[];
  /** the DCQL credential query id */
  readonly queryId: string;
}

/** Sign-in: enough to tell who it is; the card record (found by the device key) names the account. */
export const LOGIN_VERIFIER: VerifierProfile = {
  purpose: 'login',
  responsePath: '/api/v1/mid/vp/login',
  claims: ['name', 'employee_number'],
  queryId: 'official_id',
};

/** The Sejong government complex library: name, agency and employee number — nothing else. */
export const LIBRARY_VERIFIER: VerifierProfile = {
  purpose: 'library',
  responsePath: '/api/v1/mid/vp/library',
  claims: ['name', 'agency', 'employee_number'],
  queryId: 'library_card',
};

export const LIBRARY_NAME = { ko: '정부세종청사 도서관', en: 'Sejong Government Complex Library' } as const;

export interface VpEndpoints {
  /** the server's public URL (no trailing slash) */
  readonly publicUrl: string;
  /** the wallet PWA's origin (same-device deep links and QR codes open it) */
  readonly walletUrl: string;
}

export interface CreatedVpRequest {
  readonly id: string;
  /** only the asking browser has it: polling and finishing need it */
  readonly secret: string;
  readonly request: AuthorizationRequest;
  /** `openid4vp://?…` (any OpenID4VP wallet, or pasted into ours) */
  readonly requestUri: string;
  /** `<wallet>/present?…` — the deep link and the QR code (a phone camera opens the wallet PWA) */
  readonly walletLink: string;
  readonly matchCode: string;
  readonly expiresAt: string;
}

/** The OpenID4VP client_id of a verifier: `redirect_uri:` + its direct_post endpoint. */
export function verifierClientId(profile: VerifierProfile, publicUrl: string): string {
  return redirectUriClientId(`${publicUrl}${profile.responsePath}`);
}

/** Starts a presentation request; the browser shows the QR / deep link and the matching code. */
export async function createVpRequest(
  db: Db,
  input: {
    profile: VerifierProfile;
    endpoints: VpEndpoints;
    /** the relying party the holder signs in to (or the library), shown in the wallet */
    clientName: string;
    mode: MidVpMode;
    now: Date;
    ttlMs?: number;
    /** the asking browser's address; at most `maxPerMinute` (VP_MAX_REQUESTS_PER_MINUTE) a minute */
    ip?: string | null;
    maxPerMinute?: number;
  },
): Promise<CreatedVpRequest> {
  const { profile, endpoints, now } = input;
  const ip = input.ip ?? null;
  if (ip !== null) {
    const since = new Date(now.getTime() - 60_000);
    const recent = await db
      .selectFrom('mid_vp_requests')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('first')])
      .where('ip', '=', ip)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(recent.n) >= (input.maxPerMinute ?? VP_MAX_REQUESTS_PER_MINUTE)) {
      const first = recent.first ? new Date(recent.first).getTime() : now.getTime();
      const retryAfter = Math.max(1, Math.ceil((first + 60_000 - now.getTime()) / 1000));
      throw new GongjikError('ERR_MID_VP_RATE_LIMITED', { retryAfter });
    }
  }
  const responseUri = `${endpoints.publicUrl}${profile.responsePath}`;
  const request = createAuthorizationRequest({
    clientId: redirectUriClientId(responseUri),
    responseUri,
    dcqlQuery: officialIdQuery(profile.claims, profile.queryId),
    clientName: input.clientName.slice(0, 100),
  });
  const secret = randomToken('gjv');
  const expiresAt = new Date(now.getTime() + (input.ttlMs ?? VP_REQUEST_TTL_MS));
  const row = await db
    .insertInto('mid_vp_requests')
    .values({
      purpose: profile.purpose,
      state_hash: sha256Hex(request.state),
      request: JSON.stringify(request),
      secret_hash: sha256Hex(secret),
      mode: input.mode,
      ip,
      created_at: now,
      expires_at: expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    secret,
    request,
    requestUri: authorizationRequestUri(request, VP_SCHEME),
    walletLink: authorizationRequestUri(request, `${endpoints.walletUrl}/present`),
    matchCode: await vpMatchCode(request),
    expiresAt: expiresAt.toISOString(),
  };
}

export interface AcceptedPresentation {
  readonly requestId: string;
  readonly cardId: string;
  readonly accountId: string | null;
  readonly personId: string;
  readonly claims: Record<string, unknown>;
}

/**
 * The wallet's direct_post answer to one of `profile`'s requests. Verifies, in order: the request
 * (by `state`: known, this verifier's, not answered, not expired, attempts left), the presentation
 * against it (issuer signature, KB-JWT signed by the device key over this presentation, `aud` =
 * client_id, `nonce`, freshness, exactly the requested claims — more is
 * ERR_MID_DISCLOSURE_EXCESSIVE — and the issuer's unlock token: the holder entered the
 * server-checked PIN), the status list entry VALID, and the live card record (device key and
 * status entry, state active). The first accepted answer wins (one UPDATE … WHERE responded_at IS
 * NULL); any later one is ERR_MID_NONCE_REPLAYED. A refused answer is counted and its code kept for
 * the asking page.
 */
export async function answerVpRequest(
  db: Db,
  input: {
    profile: VerifierProfile;
    /** the issuer and its status-list timings (MobileIdConfig) */
    settings: StatusSettings;
    form: URLSearchParams;
    now: Date;
    ip?: string | null;
  },
): Promise<AcceptedPresentation> {
  const { profile, now } = input;
  const response = parseVpResponseForm(input.form);
  const row = await db
    .selectFrom('mid_vp_requests')
    .selectAll()
    .where('state_hash', '=', sha256Hex(response.state))
    .where('purpose', '=', profile.purpose)
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_MID_VP_REQUEST_UNKNOWN');
  if (row.responded_at) throw new GongjikError('ERR_MID_NONCE_REPLAYED');
  if (row.expires_at.getTime() <= now.getTime()) throw new GongjikError('ERR_MID_VP_REQUEST_EXPIRED');
  if (row.attempts >= VP_MAX_ATTEMPTS) throw new GongjikError('ERR_MID_VP_TOO_MANY_ATTEMPTS');
  const request = row.request as unknown as AuthorizationRequest;
  try {
    const verified = await verifyPresentation(db, input.settings, profile, response, request, now);
    const card = await liveCard(db, verified, input.settings.issuer);
    const claims: Record<string, unknown> = {};
    for (const name of profile.claims) {
      if (canonical(verified.claims[name]) !== canonical(card.claims[name]))
        throw new GongjikError('ERR_MID_VP_CLAIMS_MISMATCH');
      claims[name] = verified.claims[name];
    }
    const taken = await db
      .updateTable('mid_vp_requests')
      .set({
        responded_at: now,
        card_id: card.id,
        account_id: card.accountId,
        // sign-in keeps nothing but the account; the library desk shows the three claims once
        claims: profile.purpose === 'library' ? JSON.stringify(claims) : null,
        last_error: null,
      })
      .where('id', '=', row.id)
      .where('responded_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('id')
      .executeTakeFirst();
    if (!taken) throw new GongjikError('ERR_MID_NONCE_REPLAYED');
    await audit(db, {
      at: now,
      actor: `mid-card:${card.id}`,
      action: `mid.present.${profile.purpose}`,
      target: `mid-vp:${row.id}`,
      details: { disclosed: verified.disclosed },
      ip: input.ip ?? null,
    });
    return { requestId: row.id, cardId: card.id, accountId: card.accountId, personId: card.personId, claims };
  } catch (err) {
    if (err instanceof GongjikError && err.code !== 'ERR_MID_NONCE_REPLAYED') {
      await db
        .updateTable('mid_vp_requests')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: err.code }))
        .where('id', '=', row.id)
        .where('responded_at', 'is', null)
        .execute();
      await audit(db, {
        at: now,
        actor: 'anonymous',
        action: `mid.present.${profile.purpose}`,
        target: `mid-vp:${row.id}`,
        outcome: 'refused',
        code: err.code,
        ip: input.ip ?? null,
      });
    }
    throw err;
  }
}

export interface StatusSettings {
  readonly issuer: string;
  readonly statusTtlSeconds: number;
  readonly statusValidSeconds: number;
}

async function verifyPresentation(
  db: Db,
  settings: StatusSettings,
  profile: VerifierProfile,
  response: ReturnType<typeof parseVpResponseForm>,
  request: AuthorizationRequest,
  now: Date,
): Promise<VerifiedSdJwt> {
  const issuer = settings.issuer;
  const ring = await getIssuerKeyring(db, now);
  const verified = await verifyVpResponse(response, request, {
    issuerKeys: ring.jwks,
    now,
    // the holder must have unlocked the card with the PIN the issuer checks (DESIGN flow 7)
    requireUnlock: true,
  });
  const presented = verified[profile.queryId];
  if (!presented) throw new GongjikError('ERR_MID_CLAIM_MISSING', { claims: [profile.queryId] });
  if (presented.issuer !== issuer) throw new GongjikError('ERR_MID_ISSUER_UNKNOWN');
  // The status list as any verifier sees it: published (re-signed when an entry changed) and verified.
  const listId = statusListIdOf(presented.status.uri, issuer);
  const published = listId === null ? undefined : await publishStatusList(db, listId, settings, now);
  if (!published) throw new GongjikError('ERR_MID_STATUS_UNKNOWN');
  const list = await verifyStatusListToken(published.token, {
    issuerKeys: ring.jwks,
    uri: presented.status.uri,
    now,
  });
  checkStatus({ status_list: presented.status }, list, Math.floor(now.getTime() / 1000));
  return presented;
}

function statusListIdOf(uri: string, issuer: string): number | null {
  const prefix = statusListUri(issuer, 0).slice(0, -1);
  if (!uri.startsWith(prefix)) return null;
  const rest = uri.slice(prefix.length);
  return /^[1-9][0-9]{0,8}$/.test(rest) ? Number(rest) : null;
}

/** JSON with object keys sorted (jsonb does not keep the issuer's key order). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

/** The card the presentation was made with: same device key and status entry, and still active. */
async function liveCard(db: Db, verified: VerifiedSdJwt, issuer: string) {
  const jkt = await jwkThumbprint(verified.holderJwk);
  const listId = statusListIdOf(verified.status.uri, issuer);
  const card = await db
    .selectFrom('mid_cards as c')
    .innerJoin('people as p', 'p.id', 'c.person_id')
    .leftJoin('accounts as a', 'a.person_id', 'p.id')
    .select(['c.id', 'c.state', 'c.claims', 'c.person_id', 'a.id as account_id'])
    .where('c.device_jkt', '=', jkt)
    .where('c.status_list_id', '=', listId ?? -1)
    .where('c.status_idx', '=', verified.status.idx)
    .executeTakeFirst();
  if (!card) throw new GongjikError('ERR_MID_VP_CARD_UNKNOWN');
  // The list said VALID a moment ago; the row is the source of truth (no TTL in between).
  if (card.state === 'suspended') throw new GongjikError('ERR_MID_STATUS_SUSPENDED');
  if (card.state !== 'active') throw new GongjikError('ERR_MID_STATUS_INVALID');
  return {
    id: card.id,
    claims: card.claims as Record<string, unknown>,
    personId: card.person_id,
    accountId: card.account_id,
  };
}

export type PollResult =
  | { readonly status: 'pending'; readonly expiresAt: string; readonly lastError: string | null }
  | { readonly status: 'done'; readonly row: MidVpRequest };

/**
 * The asking browser's poll. Pending → its expiry and the last refusal's code (so the page can say
 * "the wallet's answer was refused: card suspended"). Answered → the row, taken ONCE (consumed_at
 * set by one UPDATE), so a second poll with the same secret gets ERR_MID_VP_REQUEST_USED.
 */
export async function pollVpRequest(
  db: Db,
  input: { purpose: MidVpPurpose; id: string; secret: string; now: Date },
): Promise<PollResult> {
  if (!/^[0-9a-f-]{36}$/.test(input.id)) throw new GongjikError('ERR_MID_VP_REQUEST_UNKNOWN');
  const row = await db
    .selectFrom('mid_vp_requests')
    .selectAll()
    .where('id', '=', input.id)
    .where('purpose', '=', input.purpose)
    .where('secret_hash', '=', sha256Hex(input.secret))
    .executeTakeFirst();
  if (!row) throw new GongjikError('ERR_MID_VP_REQUEST_UNKNOWN');
  if (row.consumed_at) throw new GongjikError('ERR_MID_VP_REQUEST_USED');
  if (!row.responded_at) {
    if (row.expires_at.getTime() <= input.now.getTime()) {
      if (row.last_error && row.attempts >= VP_MAX_ATTEMPTS)
        throw new GongjikError('ERR_MID_VP_TOO_MANY_ATTEMPTS');
      throw new GongjikError('ERR_MID_VP_REQUEST_EXPIRED');
    }
    return { status: 'pending', expiresAt: row.expires_at.toISOString(), lastError: row.last_error };
  }
  const taken = await db
    .updateTable('mid_vp_requests')
    .set({ consumed_at: input.now })
    .where('id', '=', row.id)
    .where('consumed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!taken) throw new GongjikError('ERR_MID_VP_REQUEST_USED');
  return { status: 'done', row: taken };
}

/** Deletes requests that ended more than an hour ago (called by the mobile-ID jobs). */
export async function pruneVpRequests(db: Db, now: Date): Promise<number> {
  const r =
    await sql`delete from mid_vp_requests where expires_at < ${new Date(now.getTime() - 3_600_000)}::timestamptz`.execute(
      db,
    );
  return Number(r.numAffectedRows ?? 0);
}
