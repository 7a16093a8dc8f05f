// Building gates: registration by administrators, and the two calls a gate makes with its own key
// (`Authorization: Gate <token>`, see packages/mobile-id/src/gate/auth.ts): its bundle, its log.
import { z } from 'zod';
import {
  authenticateGate,
  disableGate,
  gateBundle,
  gateEvents,
  listGates,
  recordGateEvents,
  registerGate,
} from '../../domain/gates/gates.ts';
import { midSettings } from '../../domain/mobile-id/settings.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute, type HandlerContext } from '../route.ts';

const gateView = z.object({
  id: z.string(),
  name: z.string(),
  gateGroup: z.string(),
  building: z.string(),
  policy: z.record(z.string(), z.unknown()),
  keyThumbprint: z.string(),
  state: z.enum(['active', 'disabled']),
  createdAt: z.string(),
  createdBy: z.string(),
  disabledAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  lastLogAt: z.string().nullable(),
});

const label = z.string().trim().min(1).max(100);
const groupCode = z.string().regex(/^[A-Za-z0-9._\-/]{1,64}$/);

const gateEvent = z.object({
  id: z.uuid(),
  at: z.iso.datetime({ offset: true }),
  allow: z.boolean(),
  code: z
    .string()
    .regex(/^ERR_[A-Z0-9_]{1,60}$/)
    .nullable(),
  subject: z.string().max(128).nullable(),
  agencyCode: z.string().max(64).nullable(),
});

const idParams = z.object({ id: z.string().max(64) });

type AnyCtx = HandlerContext<unknown, unknown, unknown>;

function gateOf(deps: ServerDeps, ctx: AnyCtx) {
  return authenticateGate(deps.db, ctx.request.headers.authorization, {
    origin: deps.config.publicOrigin,
    method: ctx.request.method,
    path: ctx.request.url.split('?')[0]!,
    now: ctx.now,
  });
}

export function gateRoutes(deps: ServerDeps): AnyRoute[] {
  const change = (ctx: AnyCtx) => ({ actor: ctx.auth.actor, now: ctx.now, ip: ctx.ip });
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/gates',
      summary: 'Register a gate with its own public key, gate group, building and zone policy',
      description:
        'The gate (or the administrator’s CLI/portal for it) makes the P-256 key pair; only the public JWK is sent. Refusals: ERR_GATE_POLICY_INVALID, ERR_MID_KEY_INVALID, ERR_GATE_KEY_IN_USE.',
      tags: ['gates'],
      auth: 'admin',
      status: 201,
      body: z.object({
        name: label,
        gateGroup: groupCode,
        building: groupCode,
        policy: z.unknown(),
        publicJwk: z.unknown(),
      }),
      response: z.object({ gate: gateView }),
      handler: async (ctx) => ({ gate: await registerGate(deps.db, ctx.body, change(ctx as AnyCtx)) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/gates',
      summary: 'Registered gates',
      tags: ['gates'],
      auth: 'admin',
      response: z.object({ gates: z.array(gateView) }),
      handler: async () => ({ gates: await listGates(deps.db) }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/gates/:id/disable',
      summary: 'Disable a gate: it can no longer fetch its bundle or upload its log',
      tags: ['gates'],
      auth: 'admin',
      params: idParams,
      response: z.object({ gate: gateView }),
      handler: async (ctx) => ({
        gate: await disableGate(deps.db, ctx.params.id, change(ctx as AnyCtx)),
      }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/gates/:id/events',
      summary: 'A gate’s uploaded decisions, newest first',
      tags: ['gates'],
      auth: 'admin',
      params: idParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      handler: async (ctx) => ({ events: await gateEvents(deps.db, ctx.params.id, ctx.query.limit) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/gates/bundle',
      summary: 'The calling gate’s bundle: its policy, the issuer keys and the signed status lists',
      description:
        'Authorization: Gate <gjk+jwt signed with the gate’s key>. Refusals: ERR_GATE_UNKNOWN, ERR_GATE_DISABLED, ERR_GATE_AUTH_INVALID. Fetch again after ttlSeconds.',
      tags: ['gates'],
      auth: 'none',
      handler: async (ctx) => {
        const gate = await gateOf(deps, ctx as AnyCtx);
        ctx.reply.header('cache-control', 'no-store');
        return gateBundle(deps.db, gate, midSettings(deps.config), ctx.now);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/gates/log',
      summary: 'Upload decisions the gate made (offline); retried uploads are harmless',
      tags: ['gates'],
      auth: 'none',
      body: z.object({ events: z.array(gateEvent).max(500) }),
      response: z.object({ accepted: z.number(), duplicates: z.number() }),
      handler: async (ctx) => {
        const gate = await gateOf(deps, ctx as AnyCtx);
        return recordGateEvents(deps.db, gate, ctx.body.events, ctx.now);
      },
    }),
  ];
}
