// The oidc-provider instance: configuration only. Storage is adapter.ts, keys keys.ts, claims
// claims.ts, the sign-in seam sign-in.ts; the HTTP mounting and the interaction pages live in
// src/http/oidc.ts.
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import Provider, { interactionPolicy } from 'oidc-provider';
import type { Clock } from '../../clock.ts';
import type { SessionPolicy } from '../auth/sessions.ts';
import type { Db } from '../db.ts';
import { oidcAdapter } from './adapter.ts';
import { accountClaims, SCOPE_CLAIMS } from './claims.ts';
import { clientSecretMatches } from './clients.ts';
import type { OidcKeyMaterial } from './keys.ts';
import { errorPage, loggedOutPage, logoutPage, PAGE_CSP } from './pages.ts';
import { ACR_VALUES, resolveSignIn } from './sign-in.ts';

/** Where the provider is mounted inside the server: the issuer is `<publicUrl>/oidc`. */
export const OIDC_PREFIX = '/oidc';

export interface OidcProviderOptions {
  readonly db: Db;
  /** `<publicUrl>/oidc` */
  readonly issuer: string;
  readonly keys: OidcKeyMaterial;
  readonly clock: Clock;
  /** the Gongjik session cookie (see http/route.ts sessionCookieName) */
  readonly sessionCookieName: string;
  readonly sessionPolicy: SessionPolicy;
  readonly warningDays: number;
  /** called when an RP-initiated logout ends the provider session: end the Gongjik session too */
  readonly onLogout?: (sessionToken: string) => Promise<void>;
  readonly onError?: (err: unknown) => void;
}

/** Reads the Gongjik session cookie from the provider's request context. */
export function gongjikSessionToken(ctx: KoaContextWithOIDC, cookieName: string): string | undefined {
  return ctx.cookies.get(cookieName, { signed: false }) || undefined;
}

/**
 * The login prompt asks for an interaction unless the browser holds a valid Gongjik session of the
 * same account as the provider's own session. So a Gongjik sign-out, expiry, revocation, retirement
 * or lock takes effect at the next authorization request, whatever the provider's session says.
 */
function interactionPolicyFor(options: OidcProviderOptions) {
  const policy = interactionPolicy.base();
  policy.get('login')!.checks.add(
    new interactionPolicy.Check(
      'gongjik_session',
      'the Gongjik session ended, or belongs to another account',
      'login_required',
      async (ctx) => {
        if (ctx.oidc.result?.login) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
        const decision = await resolveSignIn(
          options.db,
          gongjikSessionToken(ctx, options.sessionCookieName),
          {
            now: options.clock.now(),
            policy: options.sessionPolicy,
            warningDays: options.warningDays,
          },
        );
        return decision.kind === 'signed-in' && decision.accountId === ctx.oidc.session?.accountId
          ? interactionPolicy.Check.NO_NEED_TO_PROMPT
          : interactionPolicy.Check.REQUEST_PROMPT;
      },
    ),
  );
  return policy;
}

/**
 * Clients registered by an administrator are pre-consented (the agency's registration is the
 * consent) unless registered with require_consent: their grant covers whatever they ask for.
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const grantId = oidc.result?.consent?.grantId || oidc.session!.grantIdFor(client.clientId);
  let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (grant && grant.accountId !== oidc.session!.accountId) grant = undefined;
  if ((client as unknown as { require_consent?: boolean }).require_consent) return grant;
  grant ??= new oidc.provider.Grant({ clientId: client.clientId, accountId: oidc.session!.accountId! });
  grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
  const claims = [...oidc.requestParamClaims].filter((c) => c !== 'sub');
  if (claims.length) grant.addOIDCClaims(claims);
  await grant.save();
  return grant;
}

function setPageHeaders(ctx: KoaContextWithOIDC) {
  ctx.type = 'html';
  ctx.set('content-security-policy', PAGE_CSP);
  ctx.set('cache-control', 'no-store');
}

export function createOidcProvider(options: OidcProviderOptions): Provider {
  const ttlSeconds = Math.floor(options.sessionPolicy.absoluteMs / 1000);
  const configuration: Configuration = {
    adapter: oidcAdapter(options.db),
    clients: [],
    jwks: options.keys.jwks as Configuration['jwks'],
    cookies: {
      names: {
        session: 'gongjik-oidc-session',
        interaction: 'gongjik-oidc-interaction',
        resume: 'gongjik-oidc-resume',
      },
      keys: options.keys.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    claims: {
      ...Object.fromEntries(Object.entries(SCOPE_CLAIMS).map(([k, v]) => [k, [...v]])),
      // every ID token says how and when the official signed in
      openid: ['sub', 'acr', 'amr', 'auth_time'],
    },
    scopes: ['openid', 'offline_access'],
    acrValues: ACR_VALUES,
    subjectTypes: ['public'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      userinfoSigningAlgValues: ['ES256', 'RS256'],
      requestObjectSigningAlgValues: ['ES256', 'RS256', 'PS256'],
      clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256'],
    },
    extraClientMetadata: { properties: ['require_consent', 'gongjik_first_party'] },
    allowOmittingSingleRegisteredRedirectUri: false,
    conformIdTokenClaims: true,
    ttl: {
      AccessToken: 15 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 15 * 60,
      Session: ttlSeconds,
      Grant: ttlSeconds,
      RefreshToken: ttlSeconds,
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          setPageHeaders(ctx);
          ctx.body = logoutPage(form, ctx.oidc.client?.clientName);
        },
        async postLogoutSuccessSource(ctx) {
          setPageHeaders(ctx);
          ctx.body = loggedOutPage();
        },
      },
    },
    interactions: {
      policy: interactionPolicyFor(options),
      url: (_ctx, interaction) => `${OIDC_PREFIX}/interaction/${interaction.uid}`,
    },
    loadExistingGrant,
    async findAccount(_ctx, sub) {
      const claims = await accountClaims(options.db, sub, options.clock.now());
      if (!claims) return undefined;
      return { accountId: sub, claims: () => ({ ...claims }) };
    },
    clientBasedCORS(_ctx, origin, client) {
      return (client.redirectUris ?? []).some((u) => URL.parse(u)?.origin === origin);
    },
    async renderError(ctx, out) {
      setPageHeaders(ctx);
      ctx.body = errorPage(
        String(out.error),
        out.error_description ? String(out.error_description) : undefined,
      );
    },
  };
  const provider = new Provider(options.issuer, configuration);
  // every request reaches the provider through our own handler, which sets X-Forwarded-* from the
  // configured public URL (http/oidc.ts), so the provider builds its URLs from GONGJIK_PUBLIC_URL
  provider.proxy = true;
  // client secrets are stored as hashes: compare the presented secret's hash (see clients.ts)
  (provider.Client.prototype as unknown as { compareClientSecret(s: string): boolean }).compareClientSecret =
    function compare(this: { clientSecret?: string }, actual: string) {
      return clientSecretMatches(actual, this.clientSecret);
    };
  if (options.onLogout) {
    const onLogout = options.onLogout;
    // after a confirmed RP-initiated logout ("sign out": logout=yes), end the Gongjik session too,
    // before the response leaves (koa sends it once the middleware chain has resolved)
    provider.use(async (ctx, next) => {
      await next();
      const oidc = (ctx as KoaContextWithOIDC).oidc as KoaContextWithOIDC['oidc'] | undefined;
      if (oidc?.route !== 'end_session_confirm' || !oidc.params?.logout || ctx.status >= 400) return;
      const token = gongjikSessionToken(ctx as KoaContextWithOIDC, options.sessionCookieName);
      if (!token) return;
      try {
        await onLogout(token);
      } catch (err) {
        options.onError?.(err);
      }
    });
  }
  if (options.onError) {
    const onError = options.onError;
    provider.on('server_error', (_ctx: unknown, err: unknown) => onError(err));
  }
  return provider;
}
