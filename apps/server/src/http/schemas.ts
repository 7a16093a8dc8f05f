// Zod schemas shared by the routes: input shapes (bounded) and the response views for OpenAPI.
import { z } from 'zod';
import { AGENCY_TYPES, isOfficerPhone } from '../domain/directory/agencies.ts';
import { EMPLOYEE_NUMBER, ISO_DATE, MAIL_ID } from '../domain/directory/people.ts';
import { HR_SYSTEMS } from '../domain/hr/api-keys.ts';

export const code = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
export const isoDate = z.string().regex(ISO_DATE).describe('a calendar date, YYYY-MM-DD (Korea)');
export const employeeNumberParams = z.object({ employeeNumber: z.string().regex(EMPLOYEE_NUMBER) });
const text = (max: number) => z.string().min(1).max(max);

export const personBody = z.strictObject({
  agencyCode: code,
  departmentCode: code.nullable().optional(),
  realName: text(64).describe('the real name exactly as in the certificate (NFC; inner spaces matter)'),
  position: text(64).nullable().optional(),
  mobile: z.string().max(20).nullable().optional().describe('Korean mobile number, e.g. 010-1234-5678'),
  isDepartmentHead: z.boolean().optional(),
  state: z.enum(['active', 'on_leave']).optional(),
  retirementDate: isoDate.nullable().optional(),
  mailId: z.string().regex(MAIL_ID).optional().describe('the mail ID: creates the account <mailId>@<domain>'),
});

export const agencyBody = z.strictObject({
  code,
  name: text(100),
  type: z.enum(AGENCY_TYPES),
  mobileIdAdopted: z.boolean().optional(),
  mailDomain: z
    .string()
    .regex(/^([a-z0-9-]+\.)+[a-z]{2,63}$/)
    .nullable()
    .optional(),
});

export const departmentBody = z.strictObject({ name: text(100), parentCode: code.nullable().optional() });
export const hrKeyBody = z.strictObject({ system: z.enum(HR_SYSTEMS), label: text(100) });
export const retirementBody = z.strictObject({ retirementDate: isoDate.nullable() });
export const moveBody = z.strictObject({ departmentCode: code.nullable() });

/** An agency's security officer (보안담당관) as the admin sets it (PATCH /api/v1/admin/agencies/{code}). */
export const securityOfficer = z.object({
  name: z.string().trim().min(1).max(50),
  phone: z.string().trim().max(20).refine(isOfficerPhone, 'must be a phone number such as 044-205-1234'),
  email: z.string().trim().max(254).pipe(z.email()),
});

export const agencyView = z.object({
  code: z.string(),
  name: z.string(),
  type: z.enum(AGENCY_TYPES),
  mobileIdAdopted: z.boolean(),
  mailDomain: z.string().nullable(),
  signupEligible: z.boolean(),
  securityOfficer: securityOfficer.nullable(),
});

export const accountSummary = z.object({
  id: z.string(),
  address: z.string(),
  state: z.enum(['pending', 'active', 'locked', 'retired']),
  institutional: z.boolean(),
});

export const personView = z.object({
  employeeNumber: z.string(),
  agencyCode: z.string(),
  departmentCode: z.string().nullable(),
  realName: z.string(),
  position: z.string().nullable(),
  mobile: z.string().nullable(),
  isDepartmentHead: z.boolean(),
  state: z.enum(['active', 'on_leave', 'retired']),
  retirementDate: z.string().nullable(),
  retiredAt: z.string().nullable(),
  account: accountSummary.nullable(),
});

export const personChange = z.object({
  person: personView,
  created: z.boolean().optional(),
  changed: z.boolean(),
  replayed: z.boolean().optional(),
});

export const signupCodeView = z.object({
  code: z.string().nullable().describe('shown once; null on an Idempotency-Key replay'),
  address: z.string(),
  expiresAt: z.string(),
  maxAttempts: z.number(),
  replayed: z.boolean().optional(),
});

export const sessionView = z.object({
  id: z.string(),
  method: z.enum(['certificate', 'mobile-id']),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

export const hrKeyView = z.object({
  id: z.string(),
  system: z.enum(HR_SYSTEMS),
  label: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export const auditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['success', 'refused', 'failure']),
  code: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
