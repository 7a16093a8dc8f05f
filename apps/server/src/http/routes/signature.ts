// Electronic signatures over HTTP (DESIGN flow 10). Thin: validate → one domain call → map.
// - work systems (HTTP Basic with a registered OIDC client's id and secret): ask, poll;
// - the wallet (device proofs, the bundle itself): pending list, complete, decline;
// - everyone: the trust material for verifying GPKI (CMS) signatures.
import { z } from 'zod';
import type { ChangeContext } from '../../domain/db.ts';
import { midSettings } from '../../domain/mobile-id/settings.ts';
import {
  completeSignatureRequest,
  createSignatureRequest,
  DEFAULT_REQUEST_SECONDS,
  declineSignatureRequest,
  getSignatureRequest,
  MAX_REQUEST_SECONDS,
  MIN_REQUEST_SECONDS,
  pendingForWallet,
} from '../../domain/signature/requests.ts';
import { trustMaterial } from '../../domain/signature/trust-material.ts';
import { authenticateWorkSystem } from '../../domain/signature/work-system.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute, type HandlerContext } from '../route.ts';
import { employeeNumberParams } from '../schemas.ts';

type Ctx = HandlerContext<unknown, unknown, unknown>;
const change = (ctx: Ctx, actor: string): ChangeContext => ({ actor, now: ctx.now, ip: ctx.ip });
const tags = ['signature'];

const requestStatus = z.object({
  id: z.string(),
  state: z.enum(['pending', 'signed', 'declined', 'expired']),
  employeeNumber: z.string(),
  title: z.string(),
  sha256: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  answeredAt: z.string().nullable(),
  signedAt: z.string().nullable(),
  bundle: z.record(z.string(), z.unknown()).nullable().describe('the signature bundle once signed'),
});

const newRequest = z.strictObject({
  employeeNumber: employeeNumberParams.shape.employeeNumber,
  title: z.string().min(1).max(500),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/),
  reason: z.string().min(1).max(500).optional(),
  expiresInSeconds: z.number().int().min(MIN_REQUEST_SECONDS).max(MAX_REQUEST_SECONDS).optional(),
  callbackUrl: z
    .string()
    .max(2000)
    .optional()
    .describe(
      "POSTed {id, state} once answered (then poll); same origin as one of the client's redirect URIs",
    ),
});

const idParams = z.object({ id: z.uuid() });
const proofBody = z.strictObject({ proof: z.string().min(1).max(2048) });

async function workSystem(deps: ServerDeps, ctx: Ctx) {
  try {
    return await authenticateWorkSystem(deps.db, ctx.request.headers.authorization);
  } catch (err) {
    ctx.reply.header('www-authenticate', 'Basic realm="gongjik-signature"');
    throw err;
  }
}

export function signatureRoutes(deps: ServerDeps): AnyRoute[] {
  const settings = () => midSettings(deps.config);
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/sign/requests',
      summary: 'A work system asks a person to sign a document (title + SHA-256) with the mobile ID',
      description: `HTTP Basic with the work system's OIDC client_id and client_secret. The request expires after expiresInSeconds (default ${DEFAULT_REQUEST_SECONDS}, at most ${MAX_REQUEST_SECONDS}); poll GET /api/v1/sign/requests/{id} for the bundle (callbackUrl, when given, is POSTed {id, state} as a hint to poll).`,
      tags,
      auth: 'none',
      body: newRequest,
      response: requestStatus,
      status: 201,
      handler: async (ctx) => {
        const client = await workSystem(deps, ctx);
        return createSignatureRequest(deps.db, client, ctx.body, change(ctx, `client:${client.clientId}`));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sign/requests/:id',
      summary: 'The state of a signature request, with the bundle once signed (the requesting system only)',
      tags,
      auth: 'none',
      params: idParams,
      response: requestStatus,
      handler: async (ctx) => {
        const client = await workSystem(deps, ctx);
        ctx.reply.header('cache-control', 'no-store');
        return getSignatureRequest(deps.db, client, ctx.params.id, ctx.now);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/sign/pending',
      summary: 'The wallet lists the signature requests waiting for its card (device proof gjsl+jwt)',
      tags,
      auth: 'none',
      body: proofBody,
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return { requests: await pendingForWallet(deps.db, ctx.body.proof, settings(), ctx.now) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/sign/requests/:id/complete',
      summary: 'The wallet delivers the signature bundle for a request',
      tags,
      auth: 'none',
      params: idParams,
      body: z.strictObject({ bundle: z.record(z.string(), z.unknown()) }),
      handler: async (ctx) =>
        completeSignatureRequest(deps.db, ctx.params.id, ctx.body.bundle, settings(), change(ctx, 'wallet')),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/mid/sign/requests/:id/decline',
      summary: 'The holder declines a signature request',
      tags,
      auth: 'none',
      params: idParams,
      body: proofBody,
      handler: async (ctx) =>
        declineSignatureRequest(deps.db, ctx.params.id, ctx.body.proof, settings(), change(ctx, 'wallet')),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/sign/trust',
      summary: 'Trust roots, intermediates and CRLs for verifying GPKI (CMS) signatures',
      tags,
      auth: 'none',
      response: z.object({
        anchors: z.array(z.string()),
        intermediates: z.array(z.string()),
        crls: z.array(z.string()),
      }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'public, max-age=60');
        return trustMaterial(deps.config.auth.trustDir);
      },
    }),
  ];
}
