// A route is declared once, with zod schemas, and gives both the Fastify handler and its OpenAPI
// description. Handlers are thin: validate → one domain call → map.
import type { HrApiKey } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { verifyAdminToken } from '../domain/auth/admin-tokens.ts';
import { type AuthenticatedSession, authenticateSession, csrfTokenMatches } from '../domain/auth/sessions.ts';
import { hrActor, verifyHrApiKey } from '../domain/hr/api-keys.ts';
import type { ServerDeps } from './deps.ts';

/** admin: Bearer admin token · hr: Bearer HR API key · session: cookie session (+ CSRF on writes) */
export type AuthKind = 'none' | 'admin' | 'hr' | 'session';

export interface RouteAuth {
  /** who acts, for the audit log */
  readonly actor: string;
  readonly hrKey?: HrApiKey;
  readonly session?: AuthenticatedSession & { readonly token: string };
}

export interface HandlerContext<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly auth: RouteAuth;
  readonly now: Date;
  readonly ip: string;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  readonly method: Method;
  /** Fastify path syntax: /api/v1/hr/people/:employeeNumber */
  readonly url: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly auth: AuthKind;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  /** the success body, for the OpenAPI document */
  readonly response?: z.ZodType;
  /** default 200 */
  readonly status?: number;
  /** honours the Idempotency-Key header (documented in OpenAPI) */
  readonly idempotent?: boolean;
  handler(ctx: HandlerContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of routes mixes every schema type.
export type AnyRoute = RouteSpec<any, any, any>;

const empty = z.object({});

export function defineRoute<
  P extends z.ZodType = typeof empty,
  Q extends z.ZodType = typeof empty,
  B extends z.ZodType = z.ZodUndefined,
>(spec: RouteSpec<P, Q, B>): RouteSpec<P, Q, B> {
  return spec;
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> {
  if (!schema) return (where === 'body' ? undefined : {}) as z.output<T>;
  const r = schema.safeParse(value);
  if (!r.success) {
    const path = r.error.issues[0]?.path.map(String).join('.') ?? '';
    throw new GongjikError('ERR_INPUT_INVALID', { field: path ? `${where}.${path}` : where });
  }
  return r.data;
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

export function sessionCookieName(deps: ServerDeps): string {
  // __Host- pins the cookie to this host and path / and requires Secure.
  return deps.config.sessions.secureCookie ? '__Host-gongjik-session' : 'gongjik-session';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for cookie-authenticated writes (both must hold):
 * 1. the Origin header (or, without it, the Referer's origin) equals the configured public origin;
 * 2. the X-CSRF-Token header equals the session's CSRF token (an HMAC of the session token, which
 *    a cross-site page cannot read or compute).
 */
function assertSameOrigin(request: FastifyRequest, deps: ServerDeps, sessionToken: string): void {
  let origin = request.headers.origin;
  if (!origin && request.headers.referer) {
    try {
      origin = new URL(request.headers.referer).origin;
    } catch {
      origin = undefined;
    }
  }
  if (origin !== deps.config.publicOrigin) throw new GongjikError('ERR_AUTH_CSRF_REFUSED');
  const header = request.headers['x-csrf-token'];
  if (!csrfTokenMatches(sessionToken, Array.isArray(header) ? header[0] : header)) {
    throw new GongjikError('ERR_AUTH_CSRF_REFUSED');
  }
}

export async function authenticate(
  kind: AuthKind,
  request: FastifyRequest,
  deps: ServerDeps,
  now: Date,
): Promise<RouteAuth> {
  switch (kind) {
    case 'none':
      return { actor: 'anonymous' };
    case 'admin': {
      const admin = await verifyAdminToken(deps.db, bearer(request));
      return { actor: admin.actor };
    }
    case 'hr': {
      const key = await verifyHrApiKey(deps.db, bearer(request), now);
      return { actor: hrActor(key), hrKey: key };
    }
    case 'session': {
      const token = request.cookies[sessionCookieName(deps)];
      if (!token) throw new GongjikError('ERR_AUTH_SESSION_REQUIRED');
      if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request, deps, token);
      const s = await authenticateSession(deps.db, token, {
        now,
        policy: deps.config.sessions,
        warningDays: deps.config.retirement.warningDays,
      });
      return { actor: `account:${s.account.id}`, session: { ...s, token } };
    }
  }
}

export function registerRoutes(app: FastifyInstance, deps: ServerDeps, routes: readonly AnyRoute[]): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const now = deps.clock.now();
        const auth = await authenticate(route.auth, request, deps, now);
        const params = parse(route.params, request.params, 'params');
        const query = parse(route.query, request.query, 'query');
        const body = parse(route.body, request.body, 'body');
        reply.code(route.status ?? 200);
        const result = await route.handler({
          params,
          query,
          body,
          auth,
          now,
          ip: request.ip,
          request,
          reply,
        });
        if (result === undefined) return reply.code(reply.statusCode === 200 ? 204 : reply.statusCode).send();
        return result;
      },
    });
  }
}
