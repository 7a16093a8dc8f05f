// Builds the HTTP server (without listening): plugins, problem+json errors, routes, OpenAPI.
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { type CertificateChecker, createCertificateChecker } from './domain/auth/certificate.ts';
import { createTrustStore } from './domain/auth/trust-store.ts';
import type { ServerDeps } from './http/deps.ts';
import { registerOidc } from './http/oidc.ts';
import { buildOpenApi } from './http/openapi.ts';
import { installProblemHandlers } from './http/problem.ts';
import { type AnyRoute, registerRoutes } from './http/route.ts';
import { adminRoutes } from './http/routes/admin.ts';
import { adminPortalRoutes } from './http/routes/admin-portal.ts';
import { authRoutes } from './http/routes/auth.ts';
import { directoryRoutes } from './http/routes/directory.ts';
import { gateRoutes } from './http/routes/gates.ts';
import { healthRoutes } from './http/routes/health.ts';
import { hrRoutes } from './http/routes/hr.ts';
import { mailRoutes } from './http/routes/mail.ts';
import { midVpRoutes } from './http/routes/mid-vp.ts';
import { mobileIdRoutes } from './http/routes/mobile-id.ts';
import { oidcRoutes } from './http/routes/oidc.ts';
import { portalRoutes } from './http/routes/portal.ts';
import { sessionRoutes } from './http/routes/sessions.ts';
import { signatureRoutes } from './http/routes/signature.ts';
import { supportRoutes } from './http/routes/support.ts';
import { installWalletCors } from './http/wallet-cors.ts';
import { registerWebApp, securityHeaders } from './http/web-app.ts';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface BuildServerOptions {
  /** pino level; 'silent' in tests */
  readonly logLevel?: string;
  /** serve apps/web/dist at `/` (default true) */
  readonly webApp?: boolean;
}

/** Deps with the process's one certificate checker (made from config.auth.trustDir when absent). */
export type FullServerDeps = ServerDeps & { readonly certificates: CertificateChecker };

export function withCertificates(deps: ServerDeps): FullServerDeps {
  if (deps.certificates) return deps as FullServerDeps;
  return {
    ...deps,
    certificates: createCertificateChecker(createTrustStore({ dir: deps.config.auth.trustDir })),
  };
}

/** Every route of the API, in the order of the OpenAPI document. */
export function allRoutes(deps: FullServerDeps): AnyRoute[] {
  return [
    ...healthRoutes(deps),
    ...authRoutes(deps),
    ...sessionRoutes(deps),
    ...hrRoutes(deps),
    ...adminRoutes(deps),
    ...oidcRoutes(deps),
    ...adminPortalRoutes(deps),
    ...mailRoutes(deps),
    ...directoryRoutes(deps),
    ...mobileIdRoutes(deps),
    ...midVpRoutes(deps),
    ...gateRoutes(deps),
    ...signatureRoutes(deps),
    ...portalRoutes(deps),
    ...supportRoutes(deps),
  ];
}

export async function buildServer(
  baseDeps: ServerDeps,
  options: BuildServerOptions = {},
): Promise<FastifyInstance> {
  const deps = withCertificates(baseDeps);
  const app = Fastify({
    logger: {
      level: options.logLevel ?? deps.config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
    },
    trustProxy: deps.config.http.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  installProblemHandlers(app);
  installWalletCors(app, new URL(deps.config.mobileId.walletUrl).origin);
  await app.register(cookie);
  const headers = securityHeaders({ https: deps.config.publicUrl.startsWith('https:') });
  // Attachment uploads: the raw body is handed to the route as a stream (the blob store limits it).
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
  await app.register(formbody); // OAuth token requests (application/x-www-form-urlencoded)
  app.addHook('onSend', async (_request, reply, payload) => {
    const own = reply.getHeader('permissions-policy'); // the gate kiosk's page allows its camera
    reply.headers(headers);
    if (own !== undefined) reply.header('permissions-policy', own);
    return payload;
  });
  const routes = allRoutes(deps);
  registerRoutes(app, deps, routes);
  await registerOidc(app, deps);
  const openapi = buildOpenApi(routes, { version, serverUrl: deps.config.publicUrl });
  app.get('/api/openapi.json', async () => openapi);
  if (options.webApp !== false) registerWebApp(app, deps.config.web.distDir);
  return app;
}
