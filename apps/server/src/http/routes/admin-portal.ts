// Admin routes the web portal needs beyond the CLI's: departments written by an administrator (the
// HR API writes them too) and a person's certificate registrations.
import { z } from 'zod';
import { listCertificateRegistrations } from '../../domain/accounts/certificate-registrations.ts';
import { upsertDepartment } from '../../domain/directory/departments.ts';
import type { ServerDeps } from '../deps.ts';
import { type AnyRoute, defineRoute } from '../route.ts';
import { code, departmentBody, employeeNumberParams } from '../schemas.ts';

const departmentView = z.object({
  agencyCode: z.string(),
  code: z.string(),
  name: z.string(),
  parentCode: z.string().nullable(),
});

const certificateRegistration = z.object({
  id: z.string(),
  serial: z.string(),
  issuer: z.string(),
  class: z.string(),
  subjectName: z.string(),
  fingerprintSha256: z.string(),
  notAfter: z.string(),
  registeredAt: z.string(),
  replacedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
});

export function adminPortalRoutes(deps: ServerDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'PUT',
      url: '/api/v1/admin/agencies/:agencyCode/departments/:departmentCode',
      summary: 'Create or update a department',
      description:
        'The same change as the HR API’s, made by an administrator. A parent under the department itself is refused with ERR_DIR_DEPARTMENT_CYCLE.',
      tags: ['admin'],
      auth: 'admin',
      params: z.object({ agencyCode: code, departmentCode: code }),
      body: departmentBody,
      response: z.object({ department: departmentView, created: z.boolean(), changed: z.boolean() }),
      async handler(ctx) {
        const r = await upsertDepartment(
          deps.db,
          ctx.params.agencyCode,
          ctx.params.departmentCode,
          ctx.body,
          {
            actor: ctx.auth.actor,
            now: ctx.now,
            ip: ctx.ip,
          },
        );
        if (r.created) ctx.reply.code(201);
        return r;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/admin/people/:employeeNumber/certificates',
      summary: 'The certificates registered to a person’s account, newest first',
      tags: ['admin'],
      auth: 'admin',
      params: employeeNumberParams,
      response: z.object({ certificates: z.array(certificateRegistration) }),
      handler: async (ctx) => ({
        certificates: await listCertificateRegistrations(deps.db, ctx.params.employeeNumber),
      }),
    }),
  ];
}
