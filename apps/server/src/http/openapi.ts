// The OpenAPI 3.1 document, built from the route declarations (their zod schemas become JSON
// Schema 2020-12, which OpenAPI 3.1 uses as is).
import { registry } from '@gongjik/errors';
import { z } from 'zod';
import type { AnyRoute, AuthKind } from './route.ts';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete s.$schema;
  return s;
}

const security: Record<AuthKind, Record<string, string[]>[] | undefined> = {
  none: [],
  admin: [{ adminToken: [] }],
  hr: [{ hrApiKey: [] }],
  session: [{ sessionCookie: [], csrfToken: [] }],
};

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input');
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required ?? []) as string[]);
  return Object.entries(props).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
    schema: p,
  }));
}

export function buildOpenApi(routes: readonly AnyRoute[], info: { version: string; serverUrl: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const status = String(r.status ?? 200);
    const op: Record<string, unknown> = {
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [...r.tags],
      security: security[r.auth],
      parameters: [
        ...parameters(r.params, 'path'),
        ...parameters(r.query, 'query'),
        ...(r.idempotent
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                description:
                  'Repeat a request safely: the same key with the same request replays the first response.',
                schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
              },
            ]
          : []),
      ],
      ...(r.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(r.body, 'input') } },
            },
          }
        : {}),
      responses: {
        [status]: r.response
          ? {
              description: 'Success',
              content: { 'application/json': { schema: jsonSchema(r.response, 'output') } },
            }
          : { description: 'Success' },
        default: {
          description: 'An error, as RFC 9457 problem details with a stable `code`',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    };
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gongjik API',
      version: info.version,
      description:
        'The Gongjik server: directory, HR integration, sessions, administration. Errors are RFC 9457 problem details whose `code` is listed in docs/errors.md.',
    },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The administrator token (<data-dir>/admin-token).',
        },
        hrApiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'An HR system API key (gongjik admin hr-key create).',
        },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: '__Host-gongjik-session' },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-CSRF-Token',
          description: 'Required on state-changing requests, with a same-origin Origin header.',
        },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string', enum: Object.keys(registry).sort() },
            details: { type: 'object' },
            instance: { type: 'string' },
          },
        },
      },
    },
  };
}
