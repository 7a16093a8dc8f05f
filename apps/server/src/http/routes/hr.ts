// The HR integration API for e-사람 and 차세대 인사랑, authenticated with per-system API keys.
// Every write is idempotent by content and honours an Idempotency-Key header.
import { GongjikError } from '@gongjik/errors';
import { z } from 'zod';
import { issueSignupCode } from '../../domain/auth/signup-codes.ts';
import type { ChangeContext, Db } from '../../domain/db.ts';
import { upsertDepartment } from '../../domain/directory/departments.ts';
import { getPerson, movePerson, setRetirementDate, upsertPerson } from '../../domain/directory/people.ts';
import {
  IDEMPOTENCY_KEY,
  type IdempotentResponse,
  requestHash,
  withIdempotency,
} from '../../domain/hr/idempotency.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute, type HandlerContext } from '../route.ts';
import {
  code,
  departmentBody,
  employeeNumberParams,
  moveBody,
  personBody,
  personChange,
  personView,
  retirementBody,
  signupCodeView,
} from '../schemas.ts';

const changeContext = (ctx: HandlerContext<unknown, unknown, unknown>): ChangeContext => ({
  actor: ctx.auth.actor,
  now: ctx.now,
  ip: ctx.ip,
});

/** Runs a change, through the Idempotency-Key record when the request carries one. */
async function idempotent(
  deps: ServerDeps,
  ctx: HandlerContext<unknown, unknown, unknown>,
  run: (db: Db) => Promise<IdempotentResponse>,
  redact?: (body: Record<string, unknown>) => Record<string, unknown>,
): Promise<unknown> {
  const header = ctx.request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !ctx.auth.hrKey) {
    const r = await run(deps.db);
    ctx.reply.code(r.status);
    return r.body;
  }
  if (!IDEMPOTENCY_KEY.test(key)) throw new GongjikError('ERR_INPUT_INVALID', { field: 'Idempotency-Key' });
  const r = await withIdempotency(
    deps.db,
    {
      apiKeyId: ctx.auth.hrKey.id,
      key,
      requestHash: requestHash(ctx.request.method, ctx.request.url, ctx.body),
      now: ctx.now,
    },
    run,
    redact,
  );
  ctx.reply.code(r.status);
  if (r.replayed) {
    ctx.reply.header('idempotent-replayed', 'true');
    return { ...r.body, replayed: true };
  }
  return r.body;
}

/** Person routes, shared by the HR API (auth 'hr') and the admin API (auth 'admin'). */
export function personRoutes(
  deps: ServerDeps,
  prefix: string,
  auth: 'hr' | 'admin',
  tag: string,
): AnyRoute[] {
  const settings = { mailDomain: deps.config.mailDomain };
  return [
    defineRoute({
      method: 'PUT',
      url: `${prefix}/people/:employeeNumber`,
      summary: 'Create or update a person (the whole HR record); with mailId, also their mail account',
      description:
        'Idempotent: the same body twice is one change (the second answers changed: false). People of public institutions (공공기관) can be recorded without mailId; asking for an account for them is refused with ERR_SIGNUP_ORG_NOT_ELIGIBLE.',
      tags: [tag],
      auth,
      idempotent: true,
      params: employeeNumberParams,
      body: personBody,
      response: personChange,
      async handler(ctx) {
        return idempotent(deps, ctx, async (db) => {
          const r = await upsertPerson(db, ctx.params.employeeNumber, ctx.body, changeContext(ctx), settings);
          return { status: r.created ? 201 : 200, body: r };
        });
      },
    }),
    defineRoute({
      method: 'GET',
      url: `${prefix}/people/:employeeNumber`,
      summary: 'Read a person',
      tags: [tag],
      auth,
      params: employeeNumberParams,
      response: personView,
      handler: (ctx) => getPerson(deps.db, ctx.params.employeeNumber),
    }),
    defineRoute({
      method: 'PUT',
      url: `${prefix}/people/:employeeNumber/department`,
      summary: 'Move a person to another department of their agency',
      tags: [tag],
      auth,
      idempotent: true,
      params: employeeNumberParams,
      body: moveBody,
      response: personChange,
      async handler(ctx) {
        return idempotent(deps, ctx, async (db) => ({
          status: 200,
          body: await movePerson(db, ctx.params.employeeNumber, ctx.body.departmentCode, changeContext(ctx)),
        }));
      },
    }),
    defineRoute({
      method: 'PUT',
      url: `${prefix}/people/:employeeNumber/retirement`,
      summary: 'Set or clear the retirement date',
      description:
        'On the date (Korean calendar) the person and their account are retired: certificate registrations revoked, sessions ended, login refused with ERR_AUTH_RETIRED.',
      tags: [tag],
      auth,
      idempotent: true,
      params: employeeNumberParams,
      body: retirementBody,
      response: personChange,
      async handler(ctx) {
        return idempotent(deps, ctx, async (db) => ({
          status: 200,
          body: await setRetirementDate(
            db,
            ctx.params.employeeNumber,
            ctx.body.retirementDate,
            changeContext(ctx),
          ),
        }));
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${prefix}/people/:employeeNumber/signup-code`,
      summary: 'Issue a one-time sign-up code for the person’s account',
      description:
        'The code is returned once and stored only as a hash; it expires and allows a limited number of wrong attempts. Issuing a new code invalidates the previous one. An Idempotency-Key replay does not return the code again (code: null).',
      tags: [tag],
      auth,
      idempotent: true,
      status: 201,
      params: employeeNumberParams,
      response: signupCodeView,
      async handler(ctx) {
        ctx.reply.header('cache-control', 'no-store');
        return idempotent(
          deps,
          ctx,
          async (db) => ({
            status: 201,
            body: {
              ...(await issueSignupCode(db, ctx.params.employeeNumber, changeContext(ctx), {
                ttlMs: deps.config.signup.codeTtlMs,
                maxAttempts: deps.config.signup.codeMaxAttempts,
              })),
            },
          }),
          (body) => ({ ...body, code: null }),
        );
      },
    }),
  ];
}

export function hrRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    ...personRoutes(deps, '/api/v1/hr', 'hr', 'hr'),
    defineRoute({
      method: 'PUT',
      url: '/api/v1/hr/agencies/:agencyCode/departments/:departmentCode',
      summary: 'Create or update a department (HR owns the department tree)',
      tags: ['hr'],
      auth: 'hr',
      idempotent: true,
      params: z.object({ agencyCode: code, departmentCode: code }),
      body: departmentBody,
      response: z.object({
        department: z.object({
          agencyCode: z.string(),
          code: z.string(),
          name: z.string(),
          parentCode: z.string().nullable(),
        }),
        created: z.boolean(),
        changed: z.boolean(),
      }),
      async handler(ctx) {
        return idempotent(deps, ctx, async (db) => {
          const r = await upsertDepartment(
            db,
            ctx.params.agencyCode,
            ctx.params.departmentCode,
            ctx.body,
            changeContext(ctx),
          );
          return { status: r.created ? 201 : 200, body: r };
        });
      },
    }),
  ];
}
