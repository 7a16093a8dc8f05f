// OpenID4VP verifiers over HTTP (docs/mobile-id-protocol.md → "Presentations"): sign-in with the
// mobile ID and the library desk. Thin: validate → one domain call → map.
//   POST /api/v1/auth/mid/requests            the sign-in page asks (→ QR / deep link, matching code)
//   POST /api/v1/auth/mid/requests/:id/poll   … polls with its secret; answered → session cookie
//   POST /api/v1/mid/vp/login                 the wallet's direct_post answer (response_uri)
//   POST /api/v1/library/requests[/:id/poll]  the same for the library desk (→ the three claims)
//   POST /api/v1/mid/vp/library               the wallet's answer to the library
import { GongjikError } from '@gongjik/errors';
import { z } from 'zod';
import { finishMidLogin } from '../../domain/auth/mid-login.ts';
import {
  answerVpRequest,
  createVpRequest,
  LIBRARY_NAME,
  LIBRARY_VERIFIER,
  LOGIN_VERIFIER,
  pollVpRequest,
  type VerifierProfile,
} from '../../domain/mobile-id/presentations.ts';
import { findOidcClient, WEBMAIL_CLIENT_ID } from '../../domain/oidc/clients.ts';
import type { ServerDeps } from '../deps.ts';
import { oidcHostFor } from '../oidc.ts';
import { languageOf } from '../problem.ts';
import { type AnyRoute, defineRoute, type HandlerContext } from '../route.ts';
import { warningMessage, warningView } from './auth.ts';
import { setSessionCookie } from './sessions.ts';

const idParams = z.object({ id: z.string().uuid() });
const pollBody = z.strictObject({ secret: z.string().min(10).max(100) });
const createBody = z.strictObject({
  mode: z.enum(['cross-device', 'same-device']).default('cross-device'),
  /** the pending OIDC interaction this sign-in is for (its client's name is shown in the wallet) */
  interaction: z
    .string()
    .regex(/^[A-Za-z0-9_-]{10,64}$/)
    .optional(),
});
const directPostBody = z.object({
  vp_token: z.string().min(1).max(100_000),
  state: z.string().min(1).max(200),
});

const createdView = z.object({
  id: z.string(),
  secret: z.string().describe('only this browser has it; polling needs it'),
  walletLink: z.string().describe('deep link into the wallet PWA; also the QR code content'),
  requestUri: z.string().describe('the same request as openid4vp://?…'),
  matchCode: z.string().describe('shown on this page AND in the wallet'),
  verifierName: z.string(),
  expiresAt: z.string(),
});
const pendingView = z.object({
  status: z.literal('pending'),
  expiresAt: z.string(),
  lastError: z.string().nullable().describe('code of the last refused wallet answer'),
});

const accountView = z.object({
  id: z.string(),
  address: z.string(),
  realName: z.string(),
  agency: z.string().nullable(),
  department: z.string().nullable(),
});

type Ctx = HandlerContext<unknown, unknown, unknown>;

/** Polls set a session cookie: refuse a cross-site page (login CSRF) — browsers send Origin on POST. */
function assertOwnOrigin(ctx: Ctx, deps: ServerDeps): void {
  const origin = ctx.request.headers.origin;
  if (origin !== undefined && origin !== deps.config.publicOrigin)
    throw new GongjikError('ERR_AUTH_CSRF_REFUSED');
}

export function midVpRoutes(deps: ServerDeps): AnyRoute[] {
  const endpoints = () => ({ publicUrl: deps.config.publicUrl, walletUrl: deps.config.mobileId.walletUrl });
  const settings = () => ({
    issuer: deps.config.mobileId.issuer,
    statusTtlSeconds: deps.config.mobileId.statusTtlSeconds,
    statusValidSeconds: deps.config.mobileId.statusValidSeconds,
  });

  /** The name the wallet shows: the OIDC client the holder signs in to, else the webmail. */
  async function relyingPartyName(interaction: string | undefined): Promise<string> {
    let clientId = WEBMAIL_CLIENT_ID;
    if (interaction) {
      const provider = await oidcHostFor(deps).provider();
      const found = await provider.Interaction.find(interaction);
      if (!found) throw new GongjikError('ERR_OIDC_INTERACTION_NOT_FOUND');
      clientId = String(found.params.client_id);
    }
    const client = await findOidcClient(deps.db, clientId);
    return client?.clientName ?? '공직 메일 (Gongjik mail)';
  }

  const directPost = (profile: VerifierProfile, url: string, summary: string) =>
    defineRoute({
      method: 'POST',
      url,
      summary,
      description:
        'OpenID4VP 1.0 response_uri (response_mode=direct_post), form-encoded `vp_token` (JSON) and `state`. ' +
        'Refusals keep their code: ERR_MID_NONCE_REPLAYED (answered before), ERR_MID_AUDIENCE_MISMATCH, ' +
        'ERR_MID_NONCE_MISMATCH, ERR_MID_VP_REQUEST_EXPIRED, ERR_MID_STATUS_SUSPENDED / _INVALID, ' +
        'ERR_MID_DISCLOSURE_EXCESSIVE, ERR_MID_DISCLOSURE_INVALID, ERR_MID_KEY_BINDING_MISSING, ERR_MID_UNLOCK_REQUIRED …',
      tags: ['mobile-id (verifier)'],
      auth: 'none',
      body: directPostBody,
      response: z.object({}),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        await answerVpRequest(deps.db, {
          profile,
          settings: settings(),
          form: new URLSearchParams({ vp_token: ctx.body.vp_token, state: ctx.body.state }),
          now: ctx.now,
          ip: ctx.ip,
        });
        return {};
      },
    });

  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/mid/requests',
      summary: 'Sign-in with the mobile ID: a new OpenID4VP request (QR code / deep link + matching code)',
      description:
        'Single use, 3 minutes. The answer carries a secret only this browser holds; poll with it. ' +
        'With `interaction`, the wallet shows the OIDC client the holder signs in to.',
      tags: ['auth'],
      auth: 'none',
      body: createBody,
      response: createdView,
      status: 201,
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        const clientName = await relyingPartyName(ctx.body.interaction);
        const r = await createVpRequest(deps.db, {
          profile: LOGIN_VERIFIER,
          endpoints: endpoints(),
          clientName,
          mode: ctx.body.mode,
          now: ctx.now,
          ip: ctx.ip,
        });
        return {
          id: r.id,
          secret: r.secret,
          walletLink: r.walletLink,
          requestUri: r.requestUri,
          matchCode: r.matchCode,
          verifierName: clientName,
          expiresAt: r.expiresAt,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/mid/requests/:id/poll',
      summary: 'Sign-in with the mobile ID: pending, or — once the wallet answered — the session (cookie)',
      description:
        'Answered: the session starts (method mobile-id; same answer as certificate login), once. ' +
        'Again → ERR_MID_VP_REQUEST_USED; late → ERR_MID_VP_REQUEST_EXPIRED.',
      tags: ['auth'],
      auth: 'none',
      params: idParams,
      body: pollBody,
      response: z.union([
        pendingView,
        z.object({
          status: z.literal('done'),
          account: accountView,
          csrfToken: z.string(),
          session: z.object({ id: z.string(), expiresAt: z.string() }),
          warnings: z.array(warningView),
        }),
      ]),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        assertOwnOrigin(ctx, deps);
        const r = await pollVpRequest(deps.db, {
          purpose: 'login',
          id: ctx.params.id,
          secret: ctx.body.secret,
          now: ctx.now,
        });
        if (r.status === 'pending') return r;
        const login = await finishMidLogin(deps.db, r.row, {
          now: ctx.now,
          policy: deps.config.sessions,
          warningDays: deps.config.retirement.warningDays,
          ip: ctx.ip,
          userAgent: ctx.request.headers['user-agent'] ?? null,
        });
        setSessionCookie(deps, ctx.reply, login.session);
        return {
          status: 'done' as const,
          account: login.account,
          csrfToken: login.session.csrfToken,
          session: { id: login.session.session.id, expiresAt: login.session.session.expiresAt },
          warnings: login.warnings.map((w) => ({
            ...w,
            message: warningMessage(w, languageOf(ctx.request)),
          })),
        };
      },
    }),
    directPost(LOGIN_VERIFIER, LOGIN_VERIFIER.responsePath, 'Sign-in with the mobile ID: the wallet answers'),
    defineRoute({
      method: 'POST',
      url: '/api/v1/library/requests',
      summary: 'Library desk: a new OpenID4VP request for name, agency and employee number only',
      tags: ['library'],
      auth: 'none',
      body: createBody.omit({ interaction: true }),
      response: createdView,
      status: 201,
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        const name = LIBRARY_NAME[languageOf(ctx.request)];
        const r = await createVpRequest(deps.db, {
          profile: LIBRARY_VERIFIER,
          endpoints: endpoints(),
          clientName: LIBRARY_NAME.ko,
          mode: ctx.body.mode,
          now: ctx.now,
          ip: ctx.ip,
        });
        return {
          id: r.id,
          secret: r.secret,
          walletLink: r.walletLink,
          requestUri: r.requestUri,
          matchCode: r.matchCode,
          verifierName: name,
          expiresAt: r.expiresAt,
        };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/library/requests/:id/poll',
      summary: 'Library desk: pending, or the verified name, agency and employee number (once)',
      tags: ['library'],
      auth: 'none',
      params: idParams,
      body: pollBody,
      response: z.union([
        pendingView,
        z.object({
          status: z.literal('done'),
          claims: z.object({
            name: z.string(),
            agency: z.object({ name: z.string(), code: z.string() }),
            employee_number: z.string(),
          }),
          verifiedAt: z.string(),
        }),
      ]),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        assertOwnOrigin(ctx, deps);
        const r = await pollVpRequest(deps.db, {
          purpose: 'library',
          id: ctx.params.id,
          secret: ctx.body.secret,
          now: ctx.now,
        });
        if (r.status === 'pending') return r;
        return {
          status: 'done' as const,
          claims: r.row.claims as never,
          verifiedAt: (r.row.responded_at ?? ctx.now).toISOString(),
        };
      },
    }),
    directPost(LIBRARY_VERIFIER, LIBRARY_VERIFIER.responsePath, 'Library desk: the wallet answers'),
  ];
}
