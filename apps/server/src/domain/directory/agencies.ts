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

export interface AgencyView {
  readonly code: string;
  readonly name: string;
  readonly type: AgencyType;
  readonly mobileIdAdopted: boolean;
  readonly mailDomain: string | null;
  /** People of public institutions (공공기관) cannot sign up. */
  readonly signupEligible: boolean;
}

export function agencyView(a: Agency): AgencyView {
  return {
    code: a.code,
    name: a.name,
    type: a.type,
    mobileIdAdopted: a.mobile_id_adopted,
    mailDomain: a.mail_domain,
    signupEligible: isSignupEligible(a),
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
 * Changes the agency's name or its mobile-ID adoption flag (requests for people of an agency that
 * has not adopted the card are refused; cards already issued stay as they are). Audited
 * `directory.agency.update` with the old and new values.
 */
export async function updateAgency(
  db: Db,
  code: string,
  input: { readonly name?: string; readonly mobileIdAdopted?: boolean },
  ctx: ChangeContext,
): Promise<{ agency: AgencyView; changed: boolean }> {
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
    if (name === current.name && adopted === current.mobile_id_adopted)
      return { agency: agencyView(current), changed: false };
    const row = await trx
      .updateTable('agencies')
      .set({ name, mobile_id_adopted: adopted, updated_at: ctx.now })
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
      },
      ip: ctx.ip,
    });
    return { agency: agencyView(row), changed: true };
  });
}
