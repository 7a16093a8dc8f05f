// Routes added for the admin portal's OIDC and agency screens, and the wallet's server-bound
// biometric unlock (WebAuthn). Thin: validate → one domain call.
import { z } from 'zod';
import { updateAgency } from '../../domain/directory/agencies.ts';
import { CARD_STATE_NAMES, midCounts, REQUEST_STATE_NAMES } from '../../domain/mobile-id/counts.ts';
import { midSettings } from '../../domain/mobile-id/settings.ts';
import {
  authenticationOptions,
  registerCredential,
  registrationOptions,
  unlockWithWebauthn,
} from '../../domain/mobile-id/webauthn.ts';
import {
  rotateOidcClientSecret,
  setOidcClientDisabled,
  updateOidcClient,
} from '../../domain/oidc/client-admin.ts';
import { CLIENT_ID_PATTERN } from '../../domain/oidc/clients.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute, type HandlerContext } from '../route.ts';
import { agencyView, code, securityOfficer } from '../schemas.ts';
import { oidcClientView } from './oidc.ts';

type Ctx = HandlerContext<unknown, unknown, unknown>;
const change = (ctx: Ctx, actor = ctx.auth.actor) => ({ actor, now: ctx.now, ip: ctx.ip });
const uri = z.string().min(1).max(2000);
const clientParams = z.object({ clientId: z.string().regex(CLIENT_ID_PATTERN) });
const jkt = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
/** A WebAuthn response as the browser's toJSON() gives it; checked in depth by the domain. */
const webauthnResponse = z
  .object({ id: z.string().max(1024), rawId: z.string().max(1024), type: z.literal('public-key') })
  .passthrough();

export function portalRoutes(deps: ServerDeps): AnyRoute[] {
  const settings = () => midSettings(deps.config);
  const wallet = ['mobile-id (wallet)'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/mobile-id/counts',
      summary: 'How many mobile-ID requests and cards are in each state',
      tags: ['admin'],
      auth: 'admin',
      response: z.object({
        requests: z.object(Object.fromEntries(REQUEST_STATE_NAMES.map((s) => [s, z.number()]))),
        cards: z.object(Object.fromEntries(CARD_STATE_NAMES.map((s) => [s, z.number()]))),
      }),
      handler: () => midCounts(deps.db),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/admin/agencies/:agencyCode',
      summary:
        'Rename an agency, change its mobile-ID adoption flag or set its security officer (보안담당관)',
      description:
        'People of an agency that has not adopted the mobile ID are refused requests (ERR_MID_AGENCY_NOT_ADOPTED); cards already issued stay. securityOfficer null removes the officer; its officials see it in GET /api/v1/support.',
      tags: ['admin'],
      auth: 'admin',
      params: z.object({ agencyCode: code }),
      body: z.strictObject({
        name: z.string().min(1).max(100).optional(),
        mobileIdAdopted: z.boolean().optional(),
        securityOfficer: z.strictObject(securityOfficer.shape).nullable().optional(),
      }),
      response: z.object({ agency: agencyView, changed: z.boolean() }),
      handler: (ctx) => updateAgency(deps.db, ctx.params.agencyCode, ctx.body, change(ctx)),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/admin/oidc/clients/:clientId',
      summary: 'Edit an OpenID Connect client: name, redirect URIs, consent, refresh tokens',
      tags: ['oidc'],
      auth: 'admin',
      params: clientParams,
      body: z.strictObject({
        clientName: z.string().min(1).max(200).optional(),
        redirectUris: z.array(uri).min(1).max(20).optional(),
        postLogoutRedirectUris: z.array(uri).max(20).optional(),
        requireConsent: z.boolean().optional(),
        allowRefresh: z.boolean().optional(),
      }),
      response: z.object({ client: oidcClientView }),
      handler: async (ctx) => ({
        client: await updateOidcClient(deps.db, ctx.params.clientId, ctx.body, change(ctx)),
      }),
    }),
    ...(['disable', 'enable'] as const).map((action) =>
      defineRoute({
        method: 'POST',
        url: `/api/v1/admin/oidc/clients/:clientId/${action}`,
        summary:
          action === 'disable'
            ? 'Disable an OpenID Connect client: it signs nobody in and its tokens stop working'
            : 'Enable a disabled OpenID Connect client again',
        tags: ['oidc'],
        auth: 'admin',
        params: clientParams,
        response: z.object({ client: oidcClientView, changed: z.boolean() }),
        handler: (ctx) =>
          setOidcClientDisabled(deps.db, ctx.params.clientId, action === 'disable', change(ctx)),
      }),
    ),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/oidc/clients/:clientId/secret',
      summary: 'Rotate a confidential client’s secret (shown once; the old one stops working at once)',
      tags: ['oidc'],
      auth: 'admin',
      params: clientParams,
      response: z.object({ client: oidcClientView, clientSecret: z.string() }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return rotateOidcClientSecret(deps.db, ctx.params.clientId, change(ctx));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/webauthn/register/options',
      summary: 'Biometric enrolment, step 1: the PIN (a PIN proof, counted) → WebAuthn registration options',
      tags: wallet,
      auth: 'none',
      body: z.strictObject({ proof: z.string().min(1).max(4096) }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return registrationOptions(deps.db, ctx.body.proof, settings(), change(ctx, 'wallet'));
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/webauthn/register',
      summary:
        'Biometric enrolment, step 2: the platform credential, bound to the card (replaces an earlier one)',
      tags: wallet,
      auth: 'none',
      status: 201,
      body: z.strictObject({ jkt, response: webauthnResponse }),
      handler: (ctx) => registerCredential(deps.db, ctx.body, settings(), change(ctx, 'wallet')),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/webauthn/unlock/options',
      summary: 'Biometric unlock, step 1: a single-use challenge for the card’s credential',
      tags: wallet,
      auth: 'none',
      body: z.strictObject({ jkt }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return authenticationOptions(deps.db, ctx.body.jkt, settings(), ctx.now);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/webauthn/unlock',
      summary:
        'Biometric unlock, step 2: a verified assertion (user verified) → the unlock token a PIN gives',
      description:
        'Refused: ERR_MID_WEBAUTHN_CHALLENGE (unknown, used, expired or another card’s challenge), ERR_MID_WEBAUTHN_UNKNOWN_CREDENTIAL, ERR_MID_WEBAUTHN_INVALID (counted like a wrong PIN; the limit locks the card).',
      tags: wallet,
      auth: 'none',
      body: z.strictObject({ jkt, response: webauthnResponse }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return unlockWithWebauthn(deps.db, ctx.body, settings(), change(ctx, 'wallet'));
      },
    }),
  ];
}
