import { GongjikError } from '@gongjik/errors';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ServerDeps } from '../deps.ts';
import { defineRoute } from '../route.ts';

export function healthRoutes(deps: ServerDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      summary: 'Liveness and database check',
      tags: ['health'],
      auth: 'none',
      response: z.object({ status: z.literal('ok'), database: z.literal('ok') }),
      async handler({ reply }) {
        reply.header('cache-control', 'no-store');
        try {
          await sql`select 1`.execute(deps.db);
        } catch (err) {
          throw new GongjikError('ERR_SERVER_UNAVAILABLE', {}, { cause: err });
        }
        return { status: 'ok', database: 'ok' };
      },
    }),
  ];
}
