// Builds the HTTP server (without listening): plugins, problem+json errors, routes, OpenAPI.
import { readFileSync } from 'node:fs';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerDeps } from './http/deps.ts';
import { buildOpenApi } from './http/openapi.ts';
import { installProblemHandlers } from './http/problem.ts';
import { type AnyRoute, registerRoutes } from './http/route.ts';
import { adminRoutes } from './http/routes/admin.ts';
import { healthRoutes } from './http/routes/health.ts';
import { hrRoutes } from './http/routes/hr.ts';
import { mobileIdRoutes } from './http/routes/mobile-id.ts';
import { sessionRoutes } from './http/routes/sessions.ts';
import { installWalletCors } from './http/wallet-cors.ts';

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export interface BuildServerOptions {
  /** pino level; 'silent' in tests */
  readonly logLevel?: string;
}

/** Every route of the API, in the order of the OpenAPI document. */
export function allRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    ...healthRoutes(deps),
    ...sessionRoutes(deps),
    ...hrRoutes(deps),
    ...adminRoutes(deps),
    ...mobileIdRoutes(deps),
  ];
}

export async function buildServer(
  deps: ServerDeps,
  options: BuildServerOptions = {},
): Promise<FastifyInstance> {
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
  await app.register(formbody); // OAuth token requests (application/x-www-form-urlencoded)
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    return payload;
  });
  const routes = allRoutes(deps);
  registerRoutes(app, deps, routes);
  const openapi = buildOpenApi(routes, { version, serverUrl: deps.config.publicUrl });
  app.get('/api/openapi.json', async () => openapi);
  return app;
}
