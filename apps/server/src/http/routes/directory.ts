// The directory as officials see it when they address mail (session only): people search for the
// recipient autocomplete and the caller's agency as a department tree (조직도). Read-only; what it
// may show is decided in domain/directory/lookup.ts (never mobile numbers, never retired people).
import { z } from 'zod';
import { directoryTree, MAX_SEARCH_RESULTS, searchDirectory } from '../../domain/directory/lookup.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute } from '../route.ts';

const person = z.object({
  name: z.string(),
  address: z.string(),
  agency: z.string(),
  department: z.string().nullable(),
  position: z.string().nullable(),
  head: z.boolean(),
});

export function directoryRoutes(deps: ServerDeps): AnyRoute[] {
  const tags = ['directory'];
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/directory/people',
      summary: 'Find people to address mail to, by name, mail id or department (the caller’s agency first)',
      description: `Only people who can receive mail (active accounts, not retired). At most ${MAX_SEARCH_RESULTS} results.`,
      tags,
      auth: 'session',
      query: z.object({
        q: z.string().min(1).max(64),
        limit: z.coerce.number().int().min(1).max(MAX_SEARCH_RESULTS).optional(),
      }),
      response: z.object({ people: z.array(person) }),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'private, no-store');
        const people = await searchDirectory(deps.db, {
          q: ctx.query.q,
          limit: ctx.query.limit,
          callerAgencyId: ctx.auth.session!.account.agency_id,
        });
        return { people };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/directory/tree',
      summary: 'The caller’s agency as a department tree (조직도) with the people who can receive mail',
      tags,
      auth: 'session',
      response: z.object({
        agency: z.object({ code: z.string(), name: z.string() }),
        departments: z.array(
          z.object({
            code: z.string(),
            name: z.string(),
            parentCode: z.string().nullable(),
            people: z.array(person),
          }),
        ),
        unassigned: z.array(person),
        truncated: z.boolean(),
      }),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'private, no-store');
        return directoryTree(deps.db, ctx.auth.session!.account.agency_id);
      },
    }),
  ];
}
