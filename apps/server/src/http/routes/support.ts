// Support (도움말): the help desk number for everyone (the login page) and, for a signed-in
// official, also their agency's security officer (보안담당관).
import { z } from 'zod';
import { supportFor } from '../../domain/directory/support.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { securityOfficer } from '../schemas.ts';

const helpDesk = z.object({ phone: z.string() });

export function supportRoutes(deps: ServerDeps): AnyRoute[] {
  const tags = ['support'];
  const settings = deps.config.support;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/support',
      summary:
        'Where the caller turns for help: the help desk and their agency’s security officer (보안담당관)',
      description: 'securityOfficer is null when the administrator has registered none for the agency.',
      tags,
      auth: 'session',
      response: z.object({
        helpDesk,
        securityOfficer: securityOfficer.extend({ agency: z.string() }).nullable(),
      }),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'private, no-store');
        return supportFor(deps.db, ctx.auth.session!.account.agency_id, settings);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/support/help-desk',
      summary: 'The help desk phone number (public: shown on the login page)',
      tags,
      auth: 'none',
      response: z.object({ helpDesk }),
      async handler(ctx) {
        ctx.reply.header('cache-control', 'public, max-age=300');
        return { helpDesk: { phone: settings.helpDeskPhone } };
      },
    }),
  ];
}
