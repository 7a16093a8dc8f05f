// OpenID Connect administration (Bearer admin token): register, list and remove relying parties,
// rotate the provider's keys. Plus the one public read the sign-in page needs: which work system
// is asking (GET /api/v1/oidc/interactions/:uid).
import { GongjikError } from '@gongjik/errors';
import { z } from 'zod';
import {
  CLIENT_ID_PATTERN,
  findOidcClient,
  listOidcClients,
  registerOidcClient,
  removeOidcClient,
} from '../../domain/oidc/clients.ts';
import type { ServerDeps } from '../deps.ts';
import { oidcHostFor } from '../oidc.ts';
import { type AnyRoute, defineRoute } from '../route.ts';

const uri = z.string().min(1).max(2000);

export const oidcClientBody = z.object({
  clientId: z.string().regex(CLIENT_ID_PATTERN).optional(),
  clientName: z.string().min(1).max(200),
  redirectUris: z.array(uri).min(1).max(20),
  postLogoutRedirectUris: z.array(uri).max(20).optional(),
  tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post', 'none']).optional(),
  requireConsent: z.boolean().optional(),
  allowRefresh: z.boolean().optional(),
  idTokenSignedResponseAlg: z.enum(['ES256', 'RS256']).optional(),
});

export const oidcClientView = z.object({
  clientId: z.string(),
  clientName: z.string(),
  tokenEndpointAuthMethod: z.enum(['client_secret_basic', 'client_secret_post', 'none']),
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  requireConsent: z.boolean(),
  allowRefresh: z.boolean(),
  idTokenSignedResponseAlg: z.enum(['ES256', 'RS256']),
  firstParty: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
});

export function oidcRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/oidc/clients',
      summary: 'Register an OpenID Connect client (a work system); its secret is shown once',
      description:
        'Redirect URIs are matched exactly and must be https (http only for localhost). ' +
        '`tokenEndpointAuthMethod: none` registers a public client (no secret). PKCE (S256) is required of every client.',
      tags: ['oidc'],
      auth: 'admin',
      status: 201,
      body: oidcClientBody,
      response: z.object({ client: oidcClientView, clientSecret: z.string().nullable() }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return registerOidcClient(deps.db, ctx.body, { actor: ctx.auth.actor, now: ctx.now, ip: ctx.ip });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/oidc/clients',
      summary: 'List the registered OpenID Connect clients (never their secrets)',
      tags: ['oidc'],
      auth: 'admin',
      response: z.object({ clients: z.array(oidcClientView) }),
      handler: async () => ({ clients: await listOidcClients(deps.db) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/admin/oidc/clients/:clientId',
      summary: 'Remove an OpenID Connect client and delete its codes and tokens',
      tags: ['oidc'],
      auth: 'admin',
      params: z.object({ clientId: z.string().regex(CLIENT_ID_PATTERN) }),
      handler: async (ctx) => {
        await removeOidcClient(deps.db, ctx.params.clientId, {
          actor: ctx.auth.actor,
          now: ctx.now,
          ip: ctx.ip,
        });
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/oidc/keys/rotate',
      summary: 'Rotate the provider’s signing and cookie keys (old keys stay published for 7 days)',
      tags: ['oidc'],
      auth: 'admin',
      response: z.object({
        created: z.array(z.string()),
        retired: z.array(z.string()),
        removed: z.array(z.string()),
      }),
      handler: (ctx) => oidcHostFor(deps).rotateKeys({ actor: ctx.auth.actor, now: ctx.now, ip: ctx.ip }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/oidc/interactions/:uid',
      summary: 'Which work system a pending OIDC sign-in is for (shown by the sign-in page)',
      tags: ['oidc'],
      auth: 'none',
      params: z.object({ uid: z.string().regex(/^[A-Za-z0-9_-]{10,64}$/) }),
      response: z.object({ clientId: z.string(), clientName: z.string(), prompt: z.string() }),
      handler: async (ctx) => {
        const provider = await oidcHostFor(deps).provider();
        const interaction = await provider.Interaction.find(ctx.params.uid);
        if (!interaction) throw new GongjikError('ERR_OIDC_INTERACTION_NOT_FOUND');
        const clientId = String(interaction.params.client_id);
        const client = await findOidcClient(deps.db, clientId);
        if (!client) throw new GongjikError('ERR_OIDC_INTERACTION_NOT_FOUND');
        ctx.reply.header('cache-control', 'no-store');
        return { clientId, clientName: client.clientName, prompt: interaction.prompt.name };
      },
    }),
  ];
}
