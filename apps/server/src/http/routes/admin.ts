// The administrator API (Bearer admin token): agencies, people, HR API keys, retirements, audit.
import { z } from 'zod';
import { applyRetirements } from '../../domain/accounts/retirement.ts';
import { queryAudit } from '../../domain/audit/audit.ts';
import { createAgency, listAgencies } from '../../domain/directory/agencies.ts';
import { listDepartments } from '../../domain/directory/departments.ts';
import { listPeople } from '../../domain/directory/people.ts';
import { createHrApiKey, listHrApiKeys, revokeHrApiKey } from '../../domain/hr/api-keys.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { agencyBody, agencyView, auditEntry, code, hrKeyBody, hrKeyView, personView } from '../schemas.ts';
import { personRoutes } from './hr.ts';

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export function adminRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/agencies',
      summary: 'Register an agency',
      tags: ['admin'],
      auth: 'admin',
      status: 201,
      body: agencyBody,
      response: agencyView,
      handler: (ctx) => createAgency(deps.db, ctx.body, { actor: ctx.auth.actor, now: ctx.now, ip: ctx.ip }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/agencies',
      summary: 'List agencies',
      tags: ['admin'],
      auth: 'admin',
      response: z.object({ agencies: z.array(agencyView) }),
      handler: async () => ({ agencies: await listAgencies(deps.db) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/agencies/:agencyCode/departments',
      summary: 'List the departments of an agency',
      tags: ['admin'],
      auth: 'admin',
      params: z.object({ agencyCode: code }),
      handler: async (ctx) => ({ departments: await listDepartments(deps.db, ctx.params.agencyCode) }),
    }),
    ...personRoutes(deps, '/api/v1/admin', 'admin', 'admin'),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/people',
      summary: 'List people, by employee number',
      tags: ['admin'],
      auth: 'admin',
      query: z.object({
        agency: code.optional(),
        after: z.string().max(32).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
      }),
      response: z.object({ people: z.array(personView) }),
      handler: async (ctx) => ({
        people: await listPeople(deps.db, {
          agencyCode: ctx.query.agency,
          after: ctx.query.after,
          limit: ctx.query.limit,
        }),
      }),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/retirements/run',
      summary: 'Apply the retirements due today now (the server also does it on a timer)',
      tags: ['admin'],
      auth: 'admin',
      response: z.object({
        date: z.string(),
        retired: z.array(z.object({ employeeNumber: z.string(), account: z.string().nullable() })),
      }),
      handler: (ctx) => applyRetirements(deps.db, ctx.now),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/admin/hr-keys',
      summary: 'Create an API key for an HR system (the key is shown once)',
      tags: ['admin'],
      auth: 'admin',
      status: 201,
      body: hrKeyBody,
      response: hrKeyView.extend({ key: z.string() }),
      handler: async (ctx) => {
        ctx.reply.header('cache-control', 'no-store');
        return createHrApiKey(deps.db, ctx.body, { actor: ctx.auth.actor, now: ctx.now, ip: ctx.ip });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/hr-keys',
      summary: 'List HR API keys (never the keys themselves)',
      tags: ['admin'],
      auth: 'admin',
      response: z.object({ keys: z.array(hrKeyView) }),
      handler: async () => ({ keys: await listHrApiKeys(deps.db) }),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/api/v1/admin/hr-keys/:id',
      summary: 'Revoke an HR API key',
      tags: ['admin'],
      auth: 'admin',
      params: z.object({ id: z.uuid() }),
      handler: async (ctx) => {
        await revokeHrApiKey(deps.db, ctx.params.id, { actor: ctx.auth.actor, now: ctx.now, ip: ctx.ip });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/audit',
      summary: 'Query the audit log, newest first',
      description:
        '`action` matches exactly, or by prefix when it ends in `.*` (e.g. `hr.*`). `from` is inclusive, `to` exclusive.',
      tags: ['admin'],
      auth: 'admin',
      query: z.object({
        action: z.string().max(100).optional(),
        actor: z.string().max(200).optional(),
        target: z.string().max(200).optional(),
        outcome: z.enum(['success', 'refused', 'failure']).optional(),
        from: instant.optional(),
        to: instant.optional(),
        cursor: z.string().max(100).optional(),
        limit: z.coerce.number().int().min(1).max(500).optional(),
      }),
      response: z.object({ entries: z.array(auditEntry), nextCursor: z.string().nullable() }),
      handler: async (ctx) => {
        const page = await queryAudit(deps.db, ctx.query);
        return {
          entries: page.entries.map((e) => ({ ...e, at: e.at.toISOString() })),
          nextCursor: page.nextCursor,
        };
      },
    }),
  ];
}
