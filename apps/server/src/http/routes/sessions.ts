// The signed-in user's own sessions. Sign-in itself (certificate, mobile ID) lands here later and
// calls domain/auth/sessions.createSession; see setSessionCookie for the cookie it must set.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  csrfTokenFor,
  listSessions,
  type NewSession,
  revokeOtherSessions,
  revokeSession,
} from '../../domain/auth/sessions.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute, sessionCookieName } from '../route.ts';
import { accountSummary, sessionView } from '../schemas.ts';

/** Sets the session cookie: HttpOnly, Secure (except http://localhost), SameSite=Lax, path /. */
export function setSessionCookie(deps: ServerDeps, reply: FastifyReply, session: NewSession): void {
  reply.setCookie(sessionCookieName(deps), session.token, {
    httpOnly: true,
    secure: deps.config.sessions.secureCookie,
    sameSite: 'lax',
    path: '/',
    maxAge: Math.floor(deps.config.sessions.absoluteMs / 1000),
  });
}

export function clearSessionCookie(deps: ServerDeps, reply: FastifyReply): void {
  reply.clearCookie(sessionCookieName(deps), {
    httpOnly: true,
    secure: deps.config.sessions.secureCookie,
    sameSite: 'lax',
    path: '/',
  });
}

export function sessionRoutes(deps: ServerDeps): AnyRoute[] {
  const policy = deps.config.sessions;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/session',
      summary: 'The current session, its account and the CSRF token for state-changing requests',
      tags: ['sessions'],
      auth: 'session',
      response: z.object({
        session: sessionView,
        account: accountSummary.extend({ realName: z.string() }),
        csrfToken: z.string(),
        retirementWarning: z.object({ retirementDate: z.string(), daysLeft: z.number() }).nullable(),
      }),
      async handler(ctx) {
        const s = ctx.auth.session!;
        ctx.reply.header('cache-control', 'no-store');
        return {
          session: s.session,
          account: {
            id: s.account.id,
            address: `${s.account.local_part}@${s.account.domain}`,
            state: s.account.state,
            institutional: s.account.institutional,
            realName: s.account.real_name,
          },
          csrfToken: csrfTokenFor(s.token),
          retirementWarning: s.login.retirementWarning,
        };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      summary: 'My active sessions',
      tags: ['sessions'],
      auth: 'session',
      response: z.object({ sessions: z.array(sessionView) }),
      handler: async (ctx) => {
        const s = ctx.auth.session!;
        return {
          sessions: await listSessions(deps.db, s.account.id, {
            now: ctx.now,
            policy,
            currentId: s.session.id,
          }),
        };
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/auth/sessions/:id',
      summary: 'End one of my sessions',
      tags: ['sessions'],
      auth: 'session',
      params: z.object({ id: z.uuid() }),
      handler: async (ctx) => {
        const s = ctx.auth.session!;
        await revokeSession(deps.db, s.account.id, ctx.params.id, {
          now: ctx.now,
          ip: ctx.ip,
          reason: 'revoked-by-user',
        });
        if (ctx.params.id === s.session.id) clearSessionCookie(deps, ctx.reply);
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-others',
      summary: 'End all my other sessions',
      tags: ['sessions'],
      auth: 'session',
      response: z.object({ revoked: z.number() }),
      handler: async (ctx) => {
        const s = ctx.auth.session!;
        const revoked = await revokeOtherSessions(deps.db, s.account.id, s.session.id, {
          now: ctx.now,
          ip: ctx.ip,
          reason: 'revoked-other',
        });
        return { revoked };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/auth/logout',
      summary: 'Sign out (ends this session)',
      tags: ['sessions'],
      auth: 'session',
      handler: async (ctx) => {
        const s = ctx.auth.session!;
        await revokeSession(deps.db, s.account.id, s.session.id, {
          now: ctx.now,
          ip: ctx.ip,
          reason: 'logout',
        });
        clearSessionCookie(deps, ctx.reply);
      },
    }),
  ];
}
