// The mobile ID over HTTP (docs/mobile-id-protocol.md). Thin: validate → one domain call → map.
// - public (the wallet, verifiers): issuer metadata, JWKS, offers, token, nonce, credential,
//   preview, status lists, PIN challenge, PIN, unlock;
// - HR (API key) and admin (token): requests, cancel, a person's card, suspend/resume/revoke;
// - admin only: SMS outbox, decisions on behalf of a named head, status-list overview, jobs, keys;
// - session (portal): the holder's own card, the head's approval queue and decisions.
import { GongjikError } from '@gongjik/errors';
import { parseTokenRequest } from '@gongjik/mobile-id';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ChangeContext } from '../../domain/db.ts';
import { findPerson } from '../../domain/directory/people.ts';
import { actOnCard, type CardAction } from '../../domain/mobile-id/cards.ts';
import {
  authorizationServerMetadata,
  issuanceInfo,
  issueCredential,
  issuerMetadata,
  nonceResponse,
} from '../../domain/mobile-id/issuance.ts';
import { runMobileIdJobs } from '../../domain/mobile-id/jobs.ts';
import { getIssuerKeyring, rotateIssuerKey } from '../../domain/mobile-id/keys.ts';
import { redeemOffer, serveOffer } from '../../domain/mobile-id/offers.ts';
import { overviewByEmployeeNumber, overviewOf } from '../../domain/mobile-id/overview.ts';
import { pinChallenge, setOrChangePin, unlockCard } from '../../domain/mobile-id/pin.ts';
import {
  approvalQueue,
  cancelRequest,
  createRequest,
  decideRequest,
  getRequest,
  listRequests,
  REQUEST_REASONS,
} from '../../domain/mobile-id/requests.ts';
import { midSettings } from '../../domain/mobile-id/settings.ts';
import { listSms } from '../../domain/mobile-id/sms.ts';
import { publishStatusList, statusListOverview } from '../../domain/mobile-id/status-lists.ts';
import type { ServerDeps } from '../deps.ts';
import { languageOf, problemOf } from '../problem.ts';
import { type AnyRoute, defineRoute, type HandlerContext } from '../route.ts';
import { employeeNumberParams } from '../schemas.ts';

type Ctx = HandlerContext<unknown, unknown, unknown>;
const change = (ctx: Ctx, actor = ctx.auth.actor): ChangeContext => ({ actor, now: ctx.now, ip: ctx.ip });

const REQUEST_STATES = [
  'requested',
  'approved',
  'rejected',
  'offered',
  'issued',
  'expired',
  'cancelled',
] as const;
const CARD_STATES = ['active', 'suspended', 'locked', 'revoked'] as const;

const requestView = z.object({
  id: z.string(),
  kind: z.enum(['first', 'reissue']),
  reason: z.string(),
  state: z.enum(REQUEST_STATES),
  employeeNumber: z.string(),
  realName: z.string(),
  agencyCode: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedByEmployee: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  identityCheckedAt: z.string().nullable(),
  offeredAt: z.string().nullable(),
  offerExpiresAt: z.string().nullable(),
  issuedAt: z.string().nullable(),
  expiredAt: z.string().nullable(),
  cancelledBy: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});

const cardView = z.object({
  id: z.string(),
  employeeNumber: z.string(),
  state: z.enum(CARD_STATES),
  revokeReason: z.string().nullable(),
  status: z.object({ listId: z.number(), idx: z.number(), uri: z.string() }),
  deviceKeyThumbprint: z.string(),
  issuedAt: z.string(),
  validUntil: z.string(),
  stateChangedAt: z.string(),
  stateChangedBy: z.string(),
  reissueDueAt: z.string().nullable(),
  pinSet: z.boolean(),
  pinFailures: z.number(),
  lastUnlockAt: z.string().nullable(),
});

const overview = z.object({
  employeeNumber: z.string(),
  realName: z.string(),
  ineligible: z.string().nullable().describe('the code a request would be refused with, or null'),
  card: cardView.nullable(),
  history: z.array(cardView),
  requests: z.array(requestView),
});

const requestIdParams = z.object({ id: z.uuid() });
const newRequestBody = z.strictObject({
  employeeNumber: employeeNumberParams.shape.employeeNumber,
  reason: z.enum(REQUEST_REASONS).optional(),
});
const listQuery = z.object({
  employeeNumber: z.string().max(32).optional(),
  state: z.enum(REQUEST_STATES).optional(),
  agency: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const cancelBody = z.strictObject({ reason: z.string().min(1).max(200).optional() }).optional();
const noteBody = z.strictObject({ note: z.string().min(1).max(500).optional() }).optional();
const proofBody = z.strictObject({ proof: z.string().min(1).max(4096) });

function bearerOf(request: FastifyRequest): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return m?.[1];
}

const OAUTH_ERRORS: Record<string, string> = {
  ERR_MID_OFFER_UNKNOWN: 'invalid_grant',
  ERR_MID_OFFER_EXPIRED: 'invalid_grant',
  ERR_MID_OFFER_USED: 'invalid_grant',
  ERR_MID_TX_CODE_INVALID: 'invalid_grant',
  ERR_MID_TX_CODE_LOCKED: 'invalid_grant',
  ERR_MID_TOKEN_INVALID: 'invalid_token',
  ERR_MID_NONCE_MISMATCH: 'invalid_nonce',
  ERR_MID_DEVICE_PROOF_INVALID: 'invalid_proof',
  ERR_MID_AUDIENCE_MISMATCH: 'invalid_proof',
  ERR_MID_PROOF_EXPIRED: 'invalid_proof',
  ERR_MID_TIME_INVALID: 'invalid_proof',
  ERR_MID_KEY_INVALID: 'invalid_proof',
  ERR_MID_TYPE_INVALID: 'invalid_proof',
  ERR_MID_DEVICE_KEY_MISMATCH: 'invalid_proof',
  ERR_MID_MALFORMED: 'invalid_request',
  ERR_INPUT_INVALID: 'invalid_request',
};

/**
 * OpenID4VCI / OAuth endpoints answer errors as `{error, error_description}` (RFC 6749 §5.2) —
 * plus our problem members (`code`, `details`…), so the wallet can tell the refusals apart.
 */
async function oauth(ctx: Ctx, run: () => Promise<unknown>): Promise<unknown> {
  ctx.reply.header('cache-control', 'no-store');
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof GongjikError) || err.status >= 500) throw err;
    const problem = problemOf(err, languageOf(ctx.request), ctx.request.id);
    const error = OAUTH_ERRORS[err.code] ?? (err.status === 401 ? 'invalid_token' : 'invalid_request');
    // RFC 6749 §5.2 / OpenID4VCI: 400 for every error but a bad access token (401).
    const status = error === 'invalid_token' ? 401 : 400;
    if (status === 401) ctx.reply.header('www-authenticate', `Bearer error="invalid_token"`);
    ctx.reply.code(status).header('content-type', 'application/json; charset=utf-8');
    return { error, error_description: problem.detail, ...problem, status };
  }
}

export function mobileIdPublicRoutes(deps: ServerDeps): AnyRoute[] {
  const settings = () => midSettings(deps.config);
  const issuer = deps.config.mobileId.issuer;
  const tags = ['mobile-id (wallet)'];
  return [
    defineRoute({
      method: 'GET',
      url: '/.well-known/openid-credential-issuer',
      summary: 'OpenID4VCI credential issuer metadata (with Gongjik PIN/unlock extension members)',
      tags,
      auth: 'none',
      handler: async () => issuerMetadata(issuer),
    }),
    defineRoute({
      method: 'GET',
      url: '/.well-known/oauth-authorization-server',
      summary:
        'Authorization server metadata (RFC 8414): the token endpoint of the pre-authorized code grant',
      tags,
      auth: 'none',
      handler: async () => authorizationServerMetadata(issuer),
    }),
    defineRoute({
      method: 'GET',
      url: '/.well-known/jwt-vc-issuer',
      summary: 'SD-JWT VC issuer metadata: the issuer’s public keys',
      tags,
      auth: 'none',
      handler: async (ctx) => ({ issuer, jwks: (await getIssuerKeyring(deps.db, ctx.now)).jwks }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/mid/jwks',
      summary: 'The issuer’s public keys (JWKS): credentials, status lists, unlock tokens',
      tags,
      auth: 'none',
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'public, max-age=300');
        return (await getIssuerKeyring(deps.db, ctx.now)).jwks;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/mid/offers/:offerId',
      summary: 'A credential offer by reference (the install link’s credential_offer_uri)',
      description:
        'Answers until the offer is redeemed (then invalid_grant / ERR_MID_OFFER_USED) or expires.',
      tags,
      auth: 'none',
      params: z.object({ offerId: z.string().max(64) }),
      handler: (ctx) => oauth(ctx, () => serveOffer(deps.db, ctx.params.offerId, issuer, ctx.now)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/token',
      summary: 'Token endpoint: pre-authorized code + one-time code (tx_code) → access token',
      description:
        'Form-encoded (grant_type=urn:ietf:params:oauth:grant-type:pre-authorized_code). A wrong tx_code counts; at the limit the offer is cancelled (ERR_MID_TX_CODE_LOCKED). Reuse → ERR_MID_OFFER_USED; expired → ERR_MID_OFFER_EXPIRED.',
      tags,
      auth: 'none',
      handler: (ctx) =>
        oauth(ctx, async () => {
          const body = ctx.request.body;
          if (typeof body !== 'object' || body === null)
            throw new GongjikError('ERR_INPUT_INVALID', { field: 'body' });
          const form = new URLSearchParams(
            Object.entries(body as Record<string, unknown>).filter(([, v]) => typeof v === 'string') as [
              string,
              string,
            ][],
          );
          return redeemOffer(deps.db, parseTokenRequest(form), change(ctx, 'wallet'));
        }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/nonce',
      summary: 'Nonce endpoint: a fresh single-use c_nonce (5 minutes)',
      tags,
      auth: 'none',
      handler: (ctx) => oauth(ctx, () => nonceResponse(deps.db, ctx.now)),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/credential',
      summary:
        'Credential endpoint: gongjik_official_id (dc+sd-jwt) or gongjik_gate, bound to the proof’s key',
      tags,
      auth: 'none',
      handler: (ctx) =>
        oauth(ctx, () =>
          issueCredential(
            deps.db,
            bearerOf(ctx.request),
            ctx.request.body,
            settings(),
            change(ctx, 'wallet'),
          ),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/mid/preview',
      summary: 'The identity the card will carry (Bearer access token), for the holder to confirm',
      tags,
      auth: 'none',
      handler: (ctx) => oauth(ctx, () => issuanceInfo(deps.db, bearerOf(ctx.request), ctx.now)),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/mid/status/:listId',
      summary: 'A Token Status List (application/statuslist+jwt), re-signed when an entry changes',
      description:
        'Cache-Control max-age equals the token’s ttl; ETag changes with every entry change (If-None-Match → 304). Online checkers should revalidate (no-cache) to see changes at once.',
      tags,
      auth: 'none',
      params: z.object({
        listId: z.coerce
          .number()
          .int()
          .min(1)
          .max(2 ** 31 - 1),
      }),
      handler: async (ctx) => {
        const s = settings();
        const published = await publishStatusList(deps.db, ctx.params.listId, s, ctx.now);
        if (!published) throw new GongjikError('ERR_RESOURCE_NOT_FOUND');
        const etag = `"${ctx.params.listId}-${published.version}-${published.iat.getTime()}"`;
        ctx.reply
          .header('cache-control', `public, max-age=${published.ttlSeconds}`)
          .header('etag', etag)
          .header('last-modified', published.iat.toUTCString())
          .header('expires', new Date(published.iat.getTime() + published.ttlSeconds * 1000).toUTCString());
        if (ctx.request.headers['if-none-match'] === etag) {
          ctx.reply.code(304);
          return undefined;
        }
        ctx.reply.header('content-type', 'application/statuslist+jwt');
        return published.token;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/pin/challenge',
      summary: 'A single-use nonce for a PIN proof, and the card’s PBKDF2 salt and iterations',
      tags,
      auth: 'none',
      body: z.strictObject({ jkt: z.string().max(64) }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return pinChallenge(deps.db, ctx.body.jkt, ctx.now);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/pin',
      summary: 'Set the first PIN (with the issuance access token) or change it (with the current PIN)',
      tags,
      auth: 'none',
      body: proofBody,
      handler: async (ctx) =>
        setOrChangePin(deps.db, ctx.body.proof, bearerOf(ctx.request), settings(), change(ctx, 'wallet')),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/unlock',
      summary: 'Unlock with the PIN: an unlock token for gate QRs and presentations',
      description: `Wrong PINs are counted; the ${deps.config.mobileId.pinMaxFailures}th locks the card (status INVALID, ERR_MID_PIN_LOCKED).`,
      tags,
      auth: 'none',
      body: proofBody,
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return unlockCard(deps.db, ctx.body.proof, settings(), change(ctx, 'wallet'));
      },
    }),
  ];
}

/** Requests and cards for HR (auth 'hr', prefix /api/v1/hr) and administrators (auth 'admin'). */
export function mobileIdManageRoutes(
  deps: ServerDeps,
  prefix: string,
  auth: 'hr' | 'admin',
  tag: string,
): AnyRoute[] {
  const issuer = deps.config.mobileId.issuer;
  const cardAction = (action: CardAction, summary: string) =>
    defineRoute({
      method: 'POST',
      url: `${prefix}/people/:employeeNumber/mobile-id/${action}`,
      summary,
      tags: [tag],
      auth,
      params: employeeNumberParams,
      response: z.object({ card: cardView, changed: z.boolean() }),
      handler: (ctx) => actOnCard(deps.db, ctx.params.employeeNumber, action, change(ctx), issuer),
    });
  return [
    defineRoute({
      method: 'POST',
      url: `${prefix}/mobile-id/requests`,
      summary: 'Request a mobile ID (first issue or reissue) for a person; the head of department decides',
      description:
        'Refused: ERR_MID_AGENCY_NOT_ADOPTED, ERR_MID_PERSON_NOT_ELIGIBLE (retired, on leave), ERR_MID_NO_MOBILE, ERR_MID_REQUEST_OPEN.',
      tags: [tag],
      auth,
      status: 201,
      body: newRequestBody,
      response: requestView,
      handler: (ctx) => createRequest(deps.db, ctx.body, change(ctx)),
    }),
    defineRoute({
      method: 'GET',
      url: `${prefix}/mobile-id/requests`,
      summary: 'List requests, newest first',
      tags: [tag],
      auth,
      query: listQuery,
      response: z.object({ requests: z.array(requestView) }),
      handler: async (ctx) => ({
        requests: await listRequests(deps.db, {
          employeeNumber: ctx.query.employeeNumber,
          state: ctx.query.state,
          agencyCode: ctx.query.agency,
          limit: ctx.query.limit,
        }),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: `${prefix}/mobile-id/requests/:id`,
      summary: 'One request: state, timestamps and actors',
      tags: [tag],
      auth,
      params: requestIdParams,
      response: requestView,
      handler: (ctx) => getRequest(deps.db, ctx.params.id),
    }),
    defineRoute({
      method: 'POST',
      url: `${prefix}/mobile-id/requests/:id/cancel`,
      summary: 'Withdraw an open request (its install link stops working)',
      tags: [tag],
      auth,
      params: requestIdParams,
      body: cancelBody,
      response: requestView,
      handler: (ctx) => cancelRequest(deps.db, ctx.params.id, ctx.body?.reason ?? null, change(ctx)),
    }),
    defineRoute({
      method: 'GET',
      url: `${prefix}/people/:employeeNumber/mobile-id`,
      summary: 'A person’s mobile ID: live card, history and requests',
      tags: [tag],
      auth,
      params: employeeNumberParams,
      response: overview,
      handler: (ctx) => overviewByEmployeeNumber(deps.db, ctx.params.employeeNumber, issuer),
    }),
    cardAction('suspend', 'Suspend the live card at once (lost phone): status SUSPENDED'),
    cardAction('resume', 'Reactivate a suspended card (phone found): status VALID'),
    cardAction('revoke', 'Revoke the live card for good: status INVALID'),
  ];
}

export function mobileIdAdminRoutes(deps: ServerDeps): AnyRoute[] {
  const settings = () => midSettings(deps.config);
  const decide = (approve: boolean) =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/admin/mobile-id/requests/:id/${approve ? 'approve' : 'reject'}`,
      summary: `${approve ? 'Approve' : 'Reject'} on behalf of a named head of department (CLI, automation)`,
      description:
        'The named person must be a head who may decide (same rules as the portal: not their own card, their department or, for a head, the parent). Audited with the admin as actor and the head named.',
      tags: ['admin'],
      auth: 'admin',
      params: requestIdParams,
      body: z.strictObject({
        approverEmployeeNumber: employeeNumberParams.shape.employeeNumber,
        note: z.string().min(1).max(500).optional(),
      }),
      response: requestView,
      handler: async (ctx) =>
        decideRequest(
          deps.db,
          ctx.params.id,
          await findPerson(deps.db, ctx.body.approverEmployeeNumber),
          { approve, note: ctx.body.note ?? null },
          settings(),
          change(ctx),
        ),
    });
  return [
    ...mobileIdManageRoutes(deps, '/api/v1/admin', 'admin', 'admin'),
    decide(true),
    decide(false),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/sms-outbox',
      summary: 'Text messages (the outbox provider’s deliveries; the webhook provider’s queue)',
      description: 'Newest first. Bodies hold install links and one-time codes: administrators only.',
      tags: ['admin'],
      auth: 'admin',
      query: z.object({
        to: z.string().max(20).optional(),
        ref: z.string().max(100).optional(),
        state: z.enum(['stored', 'pending', 'sending', 'sent', 'failed']).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
      }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return { messages: await listSms(deps.db, ctx.query) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/mobile-id/status-lists',
      summary: 'Status lists: size, allocated entries, cards by state',
      tags: ['admin'],
      auth: 'admin',
      handler: async () => ({ lists: await statusListOverview(deps.db) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/mobile-id/jobs/run',
      summary: 'Run the mobile-ID jobs now: expire offers, send pre-approved offers, deliver SMS',
      tags: ['admin'],
      auth: 'admin',
      handler: (ctx) => runMobileIdJobs(deps.db, settings(), ctx.now),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/mobile-id/issuer-keys/rotate',
      summary: 'Make a new active issuer key (the previous stays published)',
      tags: ['admin'],
      auth: 'admin',
      handler: (ctx) => rotateIssuerKey(deps.db, change(ctx)),
    }),
  ];
}

/** The portal (cookie session): the holder's own card and the head's approvals. */
export function mobileIdSessionRoutes(deps: ServerDeps): AnyRoute[] {
  const issuer = deps.config.mobileId.issuer;
  const tags = ['mobile-id (portal)'];
  const me = (ctx: Ctx) => {
    const person = ctx.auth.session?.person;
    if (!person) throw new GongjikError('ERR_MID_CARD_UNKNOWN');
    return person;
  };
  const mine = (action: CardAction, summary: string) =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/mid/me/${action}`,
      summary,
      tags,
      auth: 'session',
      response: z.object({ card: cardView, changed: z.boolean() }),
      handler: (ctx) => actOnCard(deps.db, me(ctx).employee_number, action, change(ctx), issuer),
    });
  const decide = (approve: boolean) =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/mid/requests/:id/${approve ? 'approve' : 'reject'}`,
      summary: `${approve ? 'Approve' : 'Reject'} a request as the head of the requester’s department`,
      description:
        'Refused: ERR_MID_SELF_APPROVAL (own card), ERR_MID_NOT_DEPARTMENT_HEAD, ERR_MID_REQUEST_STATE, ERR_MID_IDENTITY_MISMATCH. Approval sends the install link and the one-time code.',
      tags,
      auth: 'session',
      params: requestIdParams,
      body: noteBody,
      response: requestView,
      handler: (ctx) =>
        decideRequest(
          deps.db,
          ctx.params.id,
          me(ctx),
          { approve, note: ctx.body?.note ?? null },
          midSettings(deps.config),
          change(ctx),
        ),
    });
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/mid/me',
      summary: 'My mobile ID: live card, history and requests',
      tags,
      auth: 'session',
      response: overview,
      handler: (ctx) => overviewOf(deps.db, me(ctx), issuer),
    }),
    mine('suspend', 'Report my phone lost: my card is SUSPENDED at once'),
    mine('resume', 'Reactivate my suspended card'),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/me/reissue',
      summary: 'Ask for a reissue (new phone, app deleted, PIN locked); my head of department decides',
      tags,
      auth: 'session',
      status: 201,
      body: z.strictObject({
        reason: z.enum(['phone-change', 'app-deleted', 'pin-locked', 'lost', 'other']),
      }),
      response: requestView,
      handler: (ctx) =>
        createRequest(
          deps.db,
          { employeeNumber: me(ctx).employee_number, reason: ctx.body.reason },
          change(ctx),
        ),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/mid/approvals',
      summary: 'My approval queue as head of department, and my recent decisions',
      tags,
      auth: 'session',
      response: z.object({ pending: z.array(requestView), decided: z.array(requestView) }),
      handler: (ctx) => approvalQueue(deps.db, me(ctx)),
    }),
    decide(true),
    decide(false),
  ];
}

/** Every mobile-ID route (one line in server.ts allRoutes). */
export function mobileIdRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    ...mobileIdPublicRoutes(deps),
    ...mobileIdManageRoutes(deps, '/api/v1/hr', 'hr', 'hr'),
    ...mobileIdAdminRoutes(deps),
    ...mobileIdSessionRoutes(deps),
  ];
}
