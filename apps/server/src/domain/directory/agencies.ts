import type { Agency, AgencyType } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';

export const AGENCY_TYPES = [
  'central',
  'local',
  'education',
  'public',
] as const satisfies readonly AgencyType[];

export interface AgencyInput {
  readonly code: string;
  readonly name: string;
  readonly type: AgencyType;
  readonly mobileIdAdopted?: boolean;
  /** null: the server's default mail domain */
  readonly mailDomain?: string | null;
}

/** An agency's security officer (보안담당관): whom its officials call about security matters. */
export interface SecurityOfficer {
  readonly name: string;
  readonly phone: string;
  readonly email: string;
}

/**
 * A Korean phone number as officials write it: digits with optional hyphens, 9–13 digits
 * (044-205-1234, 02-2100-3399, 010-1234-5678).
 */
export function isOfficerPhone(phone: string): boolean {
  if (!/^[0-9]+(-[0-9]+){0,3}$/.test(phone)) return false;
  const digits = phone.replaceAll('-', '').length;
  return digits >= 9 && digits <= 13;
}

export function securityOfficerOf(
  a: Pick<Agency, 'security_officer_name' | 'security_officer_phone' | 'security_officer_email'>,
): SecurityOfficer | null {
  if (
    a.security_officer_name === null ||
    a.security_officer_phone === null ||
    a.security_officer_email === null
  )
    return null;
  return { name: a.security_officer_name, phone: a.security_officer_phone, email: a.security_officer_email };
}

export interface AgencyView {
  readonly code: string;
  readonly name: string;
  readonly type: AgencyType;
  readonly mobileIdAdopted: boolean;
  readonly mailDomain: string | null;
  /** People of public institutions (공공기관) cannot sign up. */
  readonly signupEligible: boolean;
  readonly securityOfficer: SecurityOfficer | null;
}

export function agencyView(a: Agency): AgencyView {
  return {
    code: a.code,
    name: a.name,
    type: a.type,
    mobileIdAdopted: a.mobile_id_adopted,
    mailDomain: a.mail_domain,
    signupEligible: isSignupEligible(a),
    securityOfficer: securityOfficerOf(a),
  };
}

/** The integrated mail serves central agencies, local governments and education offices, not 공공기관. */
export function isSignupEligible(agency: Pick<Agency, 'type'>): boolean {
  return agency.type !== 'public';
}

/** Throws ERR_SIGNUP_ORG_NOT_ELIGIBLE for a public institution. */
export function assertSignupEligible(agency: Pick<Agency, 'type' | 'name'>): void {
  if (!isSignupEligible(agency))
    throw new GongjikError('ERR_SIGNUP_ORG_NOT_ELIGIBLE', { agency: agency.name });
}

export async function createAgency(db: Db, input: AgencyInput, ctx: ChangeContext): Promise<AgencyView> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('agencies')
      .values({
        code: input.code,
        name: input.name.normalize('NFC'),
        type: input.type,
        mobile_id_adopted: input.mobileIdAdopted ?? false,
        mail_domain: input.mailDomain ?? null,
        created_at: ctx.now,
        updated_at: ctx.now,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new GongjikError('ERR_DIR_AGENCY_EXISTS', { agency: input.code });
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'directory.agency.create',
      target: `agency:${row.code}`,
      details: {
        name: row.name,
        type: row.type,
        mobileIdAdopted: row.mobile_id_adopted,
        mailDomain: row.mail_domain,
      },
      ip: ctx.ip,
    });
    return agencyView(row);
  });
}

export async function listAgencies(db: Db): Promise<AgencyView[]> {
  const rows = await db.selectFrom('agencies').selectAll().orderBy('code').execute();
  return rows.map(agencyView);
}

/** The agency with this code, or ERR_DIR_AGENCY_UNKNOWN. */
export async function getAgency(db: Db, code: string): Promise<Agency> {
  const row = await db.selectFrom('agencies').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw new GongjikError('ERR_DIR_AGENCY_UNKNOWN', { agency: code });
  return row;
}

/**
 * Changes the agency's name, its mobile-ID adoption flag (requests for people of an agency that
 * has not adopted the card are refused; cards already issued stay as they are) or its security
 * officer (null removes it). Audited `directory.agency.update` with the old and new values.
 */
export async function updateAgency(
  db: Db,
  code: string,
  input: {
    readonly name?: string;
    readonly mobileIdAdopted?: boolean;
    readonly securityOfficer?: SecurityOfficer | null;
  },
  ctx: ChangeContext,
): Promise<{ agency: AgencyView; changed: boolean }> {
  const wanted =
    input.securityOfficer === undefined || input.securityOfficer === null
      ? input.securityOfficer
      : {
          name: input.securityOfficer.name.normalize('NFC').trim(),
          phone: input.securityOfficer.phone.trim(),
          email: input.securityOfficer.email.trim(),
        };
  if (wanted && (!wanted.name || !isOfficerPhone(wanted.phone)))
    throw new GongjikError('ERR_INPUT_INVALID', {
      field: wanted.name ? 'body.securityOfficer.phone' : 'body.securityOfficer.name',
    });
  return inTransaction(db, async (trx) => {
    const current = await trx
      .selectFrom('agencies')
      .selectAll()
      .where('code', '=', code)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw new GongjikError('ERR_DIR_AGENCY_UNKNOWN', { agency: code });
    const name = input.name?.normalize('NFC') ?? current.name;
    const adopted = input.mobileIdAdopted ?? current.mobile_id_adopted;
    const officerBefore = securityOfficerOf(current);
    const officer = wanted === undefined ? officerBefore : wanted;
    const officerChanged = JSON.stringify(officer) !== JSON.stringify(officerBefore);
    if (name === current.name && adopted === current.mobile_id_adopted && !officerChanged)
      return { agency: agencyView(current), changed: false };
    const row = await trx
      .updateTable('agencies')
      .set({
        name,
        mobile_id_adopted: adopted,
        security_officer_name: officer?.name ?? null,
        security_officer_phone: officer?.phone ?? null,
        security_officer_email: officer?.email ?? null,
        updated_at: ctx.now,
      })
      .where('code', '=', code)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'directory.agency.update',
      target: `agency:${code}`,
      details: {
        ...(name !== current.name ? { name: { from: current.name, to: name } } : {}),
        ...(adopted !== current.mobile_id_adopted
          ? { mobileIdAdopted: { from: current.mobile_id_adopted, to: adopted } }
          : {}),
        ...(officerChanged ? { securityOfficer: { from: officerBefore, to: officer } } : {}),
      },
      ip: ctx.ip,
    });
    return { agency: agencyView(row), changed: true };
  });
}
