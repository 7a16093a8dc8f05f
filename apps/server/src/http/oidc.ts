// Mounts the OpenID Connect provider under /oidc inside the Fastify app, and serves the sign-in
// interaction (/oidc/interaction/:uid). The provider is created on first use (keys are loaded or
// generated then), so servers that never see an OIDC request pay nothing for it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '@gongjik/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';
import { audit } from '../domain/audit/audit.ts';
import { type Db, inTransaction } from '../domain/db.ts';
import { pruneOidcPayloads } from '../domain/oidc/adapter.ts';
import { ensureWebmailClient } from '../domain/oidc/clients.ts';
import { type KeyEncryptionKey, resolveKeyEncryptionKey } from '../domain/oidc/key-secret.ts';
import { loadOidcKeys, oidcKeysVersion, type RotationResult, rotateOidcKeys } from '../domain/oidc/keys.ts';
import { consentPage, errorPage, PAGE_CSP } from '../domain/oidc/pages.ts';
import { createOidcProvider, OIDC_PREFIX } from '../domain/oidc/provider.ts';
import { resolveSignIn } from '../domain/oidc/sign-in.ts';
import { sha256Hex } from '../domain/secrets.ts';
import type { ServerDeps } from './deps.ts';
import { sessionCookieName } from './route.ts';

/** How often each process prunes expired provider rows and checks for rotated keys. */
const HOUSEKEEPING_MS = 5 * 60_000;

export interface OidcHost {
  /** the provider, created (and its keys loaded or generated) on first call */
  provider(): Promise<Provider>;
  /** new keys now; this process reloads at once, the others within HOUSEKEEPING_MS */
  rotateKeys(ctx: { actor: string; now: Date; ip?: string | null }): Promise<RotationResult>;
  /** prune expired rows and reload the provider when another process rotated the keys */
  housekeeping(): Promise<void>;
  close(): void;
}

const hosts = new WeakMap<ServerDeps, OidcHost>();

/** The one OIDC host of a server (shared by the mount and the admin routes). */
export function oidcHostFor(deps: ServerDeps, log?: FastifyInstance['log']): OidcHost {
  let host = hosts.get(deps);
  if (!host) {
    host = createOidcHost(deps, log);
    hosts.set(deps, host);
  }
  return host;
}

async function revokeSessionByToken(db: Db, token: string, now: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    const s = await trx
      .updateTable('sessions')
      .set({ revoked_at: now, revoke_reason: 'oidc-logout' })
      .where('token_hash', '=', sha256Hex(token))
      .where('revoked_at', 'is', null)
      .returning(['id', 'account_id'])
      .executeTakeFirst();
    if (s)
      await audit(trx, {
        at: now,
        actor: `account:${s.account_id}`,
        action: 'session.revoke',
        target: `session:${s.id}`,
        details: { reason: 'oidc-logout' },
      });
  });
}

function createOidcHost(deps: ServerDeps, log?: FastifyInstance['log']): OidcHost {
  let current: Promise<{ provider: Provider; version: string }> | null = null;
  let kek: KeyEncryptionKey | null = null;
  let timer: NodeJS.Timeout | null = null;

  const build = async () => {
    kek ??= resolveKeyEncryptionKey(deps.config.oidc.keySecret, deps.config.dataDir);
    const now = deps.clock.now();
    const keys = await loadOidcKeys(deps.db, kek, now);
    await ensureWebmailClient(deps.db, deps.config.publicUrl, now);
    const provider = createOidcProvider({
      db: deps.db,
      issuer: `${deps.config.publicUrl}${OIDC_PREFIX}`,
      keys,
      clock: deps.clock,
      sessionCookieName: sessionCookieName(deps),
      sessionPolicy: deps.config.sessions,
      warningDays: deps.config.retirement.warningDays,
      onLogout: (token) => revokeSessionByToken(deps.db, token, deps.clock.now()),
      onError: (err) => log?.error({ err }, 'oidc provider error'),
    });
    if (!timer) {
      timer = setInterval(() => void host.housekeeping(), HOUSEKEEPING_MS);
      timer.unref();
    }
    return { provider, version: keys.version };
  };

  const host: OidcHost = {
    provider() {
      current ??= build().catch((err) => {
        current = null;
        throw err;
      });
      return current.then((c) => c.provider);
    },
    async rotateKeys(ctx) {
      kek ??= resolveKeyEncryptionKey(deps.config.oidc.keySecret, deps.config.dataDir);
      const result = await rotateOidcKeys(deps.db, kek, ctx);
      if (current) current = build();
      return result;
    },
    async housekeeping() {
      try {
        await pruneOidcPayloads(deps.db, new Date());
        if (current && (await current).version !== (await oidcKeysVersion(deps.db))) current = build();
      } catch (err) {
        log?.error({ err }, 'oidc housekeeping failed');
      }
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
  return host;
}

type RawRequest = IncomingMessage & { originalUrl?: string };

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .send(html);
}

/** Registers the /oidc routes in their own scope: no body parsing (the provider reads the body). */
export async function registerOidc(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const host = oidcHostFor(deps, app.log);
  app.addHook('onClose', async () => host.close());
  const publicUrl = new URL(deps.config.publicUrl);
  const callbacks = new WeakMap<Provider, (req: IncomingMessage, res: ServerResponse) => Promise<void>>();

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));

    const signInOptions = () => ({
      now: deps.clock.now(),
      policy: deps.config.sessions,
      warningDays: deps.config.retirement.warningDays,
    });

    async function details(provider: Provider, request: FastifyRequest, reply: FastifyReply, uid: string) {
      try {
        // reads the interaction cookie only; nothing is written to the response
        const d = await provider.interactionDetails(request.raw, reply.raw);
        return d.uid === uid ? d : null;
      } catch {
        return null;
      }
    }

    async function finish(
      provider: Provider,
      request: FastifyRequest,
      reply: FastifyReply,
      result: InteractionResults,
      merge: boolean,
    ) {
      reply.hijack();
      await provider.interactionFinished(request.raw, reply.raw, result, { mergeWithLastSubmission: merge });
    }

    const notFound = (reply: FastifyReply) =>
      sendPage(reply, 400, errorPage('ERR_OIDC_INTERACTION_NOT_FOUND' satisfies ErrorCode, undefined));

    scope.get<{ Params: { uid: string } }>(`${OIDC_PREFIX}/interaction/:uid`, async (request, reply) => {
      const provider = await host.provider();
      const uid = request.params.uid;
      const interaction = await details(provider, request, reply, uid);
      if (!interaction) return notFound(reply);
      const clientId = String(interaction.params.client_id);
      const decision = await resolveSignIn(
        deps.db,
        request.cookies[sessionCookieName(deps)],
        signInOptions(),
      );
      const now = deps.clock.now();
      if (decision.kind === 'sign-in-required') {
        const back = `${OIDC_PREFIX}/interaction/${encodeURIComponent(uid)}`;
        return reply
          .header('cache-control', 'no-store')
          .redirect(`/login?return=${encodeURIComponent(back)}`, 303);
      }
      if (decision.kind === 'refused') {
        await audit(deps.db, {
          at: now,
          actor: decision.accountId ? `account:${decision.accountId}` : 'anonymous',
          action: 'oidc.login',
          target: `oidc-client:${clientId}`,
          outcome: 'refused',
          code: decision.code,
          ip: request.ip,
        });
        return finish(
          provider,
          request,
          reply,
          { error: 'access_denied', error_description: 'the account may not sign in' },
          false,
        );
      }
      if (interaction.prompt.name === 'consent' && decision.accountId === interaction.session?.accountId) {
        const client = await provider.Client.find(clientId);
        if (!client) return notFound(reply);
        const missing = interaction.prompt.details.missingOIDCScope;
        const scopes = Array.isArray(missing)
          ? missing.map(String)
          : String(interaction.params.scope).split(' ');
        return sendPage(reply, 200, consentPage({ uid, clientName: client.clientName ?? clientId, scopes }));
      }
      await audit(deps.db, {
        at: now,
        actor: `account:${decision.accountId}`,
        action: 'oidc.login',
        target: `oidc-client:${clientId}`,
        details: { method: decision.method, session: decision.sessionId },
        ip: request.ip,
      });
      return finish(
        provider,
        request,
        reply,
        {
          login: {
            accountId: decision.accountId,
            amr: decision.amr,
            acr: decision.acr,
            ts: decision.authTime,
          },
        },
        false,
      );
    });

    const consentAnswer = (allow: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
      const provider = await host.provider();
      const uid = (request.params as { uid: string }).uid;
      if (request.headers.origin !== deps.config.publicOrigin)
        return sendPage(reply, 403, errorPage('ERR_AUTH_CSRF_REFUSED' satisfies ErrorCode, undefined));
      const interaction = await details(provider, request, reply, uid);
      if (interaction?.prompt.name !== 'consent' || !interaction.session) return notFound(reply);
      const clientId = String(interaction.params.client_id);
      const decision = await resolveSignIn(
        deps.db,
        request.cookies[sessionCookieName(deps)],
        signInOptions(),
      );
      const accountId = interaction.session.accountId;
      if (decision.kind !== 'signed-in' || decision.accountId !== accountId) {
        return finish(
          provider,
          request,
          reply,
          { error: 'access_denied', error_description: 'the sign-in ended' },
          false,
        );
      }
      const now = deps.clock.now();
      const entry = {
        at: now,
        actor: `account:${accountId}`,
        action: 'oidc.consent',
        target: `oidc-client:${clientId}`,
      };
      if (!allow) {
        await audit(deps.db, { ...entry, outcome: 'refused', details: { decision: 'deny' }, ip: request.ip });
        return finish(
          provider,
          request,
          reply,
          { error: 'access_denied', error_description: 'End-User aborted interaction' },
          false,
        );
      }
      const grant = interaction.grantId
        ? ((await provider.Grant.find(interaction.grantId)) ?? new provider.Grant({ accountId, clientId }))
        : new provider.Grant({ accountId, clientId });
      const d = interaction.prompt.details as {
        missingOIDCScope?: string[];
        missingOIDCClaims?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {}))
        grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await audit(deps.db, {
        ...entry,
        details: { decision: 'allow', scopes: d.missingOIDCScope ?? [] },
        ip: request.ip,
      });
      return finish(provider, request, reply, { consent: { grantId } }, true);
    };
    scope.post(`${OIDC_PREFIX}/interaction/:uid/confirm`, consentAnswer(true));
    scope.post(`${OIDC_PREFIX}/interaction/:uid/abort`, consentAnswer(false));

    // everything else under /oidc is the provider's: discovery, jwks, auth, token, userinfo, …
    scope.all(`${OIDC_PREFIX}/*`, async (request, reply) => {
      const provider = await host.provider();
      let callback = callbacks.get(provider);
      if (!callback) {
        callback = provider.callback() as (req: IncomingMessage, res: ServerResponse) => Promise<void>;
        callbacks.set(provider, callback);
      }
      const req = request.raw as RawRequest;
      // the provider builds its URLs from these: they come from the configuration, never the client
      req.headers['x-forwarded-proto'] = publicUrl.protocol.slice(0, -1);
      req.headers['x-forwarded-host'] = publicUrl.host;
      req.headers['x-forwarded-for'] = request.ip;
      req.originalUrl = req.url;
      req.url = req.url!.slice(OIDC_PREFIX.length) || '/';
      reply.raw.setHeader('x-content-type-options', 'nosniff');
      reply.hijack();
      await callback(req, reply.raw);
    });
  });
}
