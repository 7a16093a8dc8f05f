import type { Account, Agency, Person, PersonState } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { onPersonRecordChanged } from '../mobile-id/hr-sync.ts';
import { assertSignupEligible, getAgency } from './agencies.ts';
import { getDepartment } from './departments.ts';

/** What HR sends for one person (PUT: the whole record; absent optional fields become empty). */
export interface PersonInput {
  readonly agencyCode: string;
  readonly departmentCode?: string | null;
  readonly realName: string;
  readonly position?: string | null;
  readonly mobile?: string | null;
  readonly isDepartmentHead?: boolean;
  /** retirement is set with retirementDate, never by state */
  readonly state?: Exclude<PersonState, 'retired'>;
  /** YYYY-MM-DD */
  readonly retirementDate?: string | null;
  /** the mail ID (local part); when given, the person gets the account `<mailId>@<domain>` */
  readonly mailId?: string;
}

export interface AccountSummary {
  readonly id: string;
  readonly address: string;
  readonly state: Account['state'];
  readonly institutional: boolean;
}

export interface PersonView {
  readonly employeeNumber: string;
  readonly agencyCode: string;
  readonly departmentCode: string | null;
  readonly realName: string;
  readonly position: string | null;
  readonly mobile: string | null;
  readonly isDepartmentHead: boolean;
  readonly state: PersonState;
  readonly retirementDate: string | null;
  readonly retiredAt: string | null;
  readonly account: AccountSummary | null;
}

export interface DirectorySettings {
  /** the default mail domain (GONGJIK_MAIL_DOMAIN), for agencies without their own */
  readonly mailDomain: string;
}

export const EMPLOYEE_NUMBER = /^[A-Za-z0-9-]{1,32}$/;
export const MAIL_ID = /^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/;
export const MOBILE = /^01[016789][0-9]{7,8}$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A real name as the certificate must carry it: Unicode NFC, inner spaces kept. Leading or trailing
 * spaces and control characters are refused rather than silently trimmed.
 */
export function normalizeRealName(name: string): string {
  const nfc = name.normalize('NFC');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
  if (nfc.length === 0 || nfc.length > 64 || nfc !== nfc.trim() || /[\u0000-\u001f\u007f]/.test(nfc)) {
    throw new GongjikError('ERR_INPUT_INVALID', { field: 'realName' });
  }
  return nfc;
}

/** `010-1234-5678` → `01012345678`; anything else that is not a Korean mobile number is refused. */
export function normalizeMobile(mobile: string): string {
  const digits = mobile.replace(/[\s-]/g, '');
  if (!MOBILE.test(digits)) throw new GongjikError('ERR_INPUT_INVALID', { field: 'mobile' });
  return digits;
}

function validDate(date: string, field: string): string {
  if (
    !ISO_DATE.test(date) ||
    Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
  ) {
    throw new GongjikError('ERR_INPUT_INVALID', { field });
  }
  return date;
}

const addressOf = (a: Pick<Account, 'local_part' | 'domain'>) => `${a.local_part}@${a.domain}`;

export function accountSummary(a: Account): AccountSummary {
  return { id: a.id, address: addressOf(a), state: a.state, institutional: a.institutional };
}

async function view(db: Db, p: Person): Promise<PersonView> {
  const agency = await db
    .selectFrom('agencies')
    .select('code')
    .where('id', '=', p.agency_id)
    .executeTakeFirstOrThrow();
  const dept = p.department_id
    ? await db.selectFrom('departments').select('code').where('id', '=', p.department_id).executeTakeFirst()
    : undefined;
  const account = await db
    .selectFrom('accounts')
    .selectAll()
    .where('person_id', '=', p.id)
    .executeTakeFirst();
  return {
    employeeNumber: p.employee_number,
    agencyCode: agency.code,
    departmentCode: dept?.code ?? null,
    realName: p.real_name,
    position: p.position,
    mobile: p.mobile,
    isDepartmentHead: p.is_department_head,
    state: p.state,
    retirementDate: p.retirement_date,
    retiredAt: p.retired_at?.toISOString() ?? null,
    account: account ? accountSummary(account) : null,
  };
}

/** The person with this employee number, or ERR_DIR_PERSON_UNKNOWN. */
export async function findPerson(db: Db, employeeNumber: string, forUpdate = false): Promise<Person> {
  let q = db.selectFrom('people').selectAll().where('employee_number', '=', employeeNumber);
  if (forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  if (!row) throw new GongjikError('ERR_DIR_PERSON_UNKNOWN', { employeeNumber });
  return row;
}

export async function getPerson(db: Db, employeeNumber: string): Promise<PersonView> {
  return view(db, await findPerson(db, employeeNumber));
}

type PersonFields = Pick<
  Person,
  | 'agency_id'
  | 'department_id'
  | 'real_name'
  | 'position'
  | 'mobile'
  | 'is_department_head'
  | 'state'
  | 'retirement_date'
>;
const FIELDS = [
  'agency_id',
  'department_id',
  'real_name',
  'position',
  'mobile',
  'is_department_head',
  'state',
  'retirement_date',
] as const satisfies readonly (keyof PersonFields)[];

/** Audit details: which fields changed and their new values (the mobile number is masked). */
function changeDetails(
  before: PersonFields | undefined,
  after: PersonFields,
  extra: Record<string, unknown>,
) {
  const changed = FIELDS.filter((f) => !before || before[f] !== after[f]);
  const values: Record<string, unknown> = {};
  for (const f of changed)
    values[f] =
      f === 'mobile' && after.mobile ? `${after.mobile.slice(0, 3)}****${after.mobile.slice(-4)}` : after[f];
  return { changed, ...values, ...extra };
}

/**
 * Creates or replaces the HR record of a person. Idempotent: the same input twice is one change
 * (the second returns changed: false and writes no audit entry). With `mailId`, also creates the
 * person's mail account (state pending until sign-up); people of public institutions can be recorded
 * but get no account (ERR_SIGNUP_ORG_NOT_ELIGIBLE). The account's real name follows HR's.
 */
export async function upsertPerson(
  db: Db,
  employeeNumber: string,
  input: PersonInput,
  ctx: ChangeContext,
  settings: DirectorySettings,
): Promise<{ person: PersonView; created: boolean; changed: boolean }> {
  if (!EMPLOYEE_NUMBER.test(employeeNumber))
    throw new GongjikError('ERR_INPUT_INVALID', { field: 'employeeNumber' });
  const realName = normalizeRealName(input.realName);
  const mobile = input.mobile ? normalizeMobile(input.mobile) : null;
  const retirementDate = input.retirementDate ? validDate(input.retirementDate, 'retirementDate') : null;
  if (input.mailId !== undefined && !MAIL_ID.test(input.mailId))
    throw new GongjikError('ERR_INPUT_INVALID', { field: 'mailId' });

  return inTransaction(db, async (trx) => {
    const agency = await getAgency(trx, input.agencyCode);
    const department = input.departmentCode
      ? await getDepartment(trx, agency.id, input.departmentCode)
      : null;
    if (input.mailId !== undefined) assertSignupEligible(agency);
    const existing = await trx
      .selectFrom('people')
      .selectAll()
      .where('employee_number', '=', employeeNumber)
      .forUpdate()
      .executeTakeFirst();
    if (existing?.state === 'retired') throw new GongjikError('ERR_DIR_PERSON_RETIRED', { employeeNumber });

    const next: PersonFields = {
      agency_id: agency.id,
      department_id: department?.id ?? null,
      real_name: realName,
      position: input.position?.normalize('NFC') ?? null,
      mobile,
      is_department_head: input.isDepartmentHead ?? false,
      state: input.state ?? 'active',
      retirement_date: retirementDate,
    };
    const personChanged = !existing || FIELDS.some((f) => existing[f] !== next[f]);
    let person: Person;
    if (!existing) {
      person = await trx
        .insertInto('people')
        .values({ employee_number: employeeNumber, ...next, created_at: ctx.now, updated_at: ctx.now })
        .returningAll()
        .executeTakeFirstOrThrow();
    } else if (personChanged) {
      person = await trx
        .updateTable('people')
        .set({ ...next, updated_at: ctx.now })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      person = existing;
    }
    if (personChanged) {
      await audit(trx, {
        at: ctx.now,
        actor: ctx.actor,
        action: existing ? 'directory.person.update' : 'directory.person.create',
        target: `person:${employeeNumber}`,
        details: changeDetails(existing, next, {
          agencyCode: agency.code,
          departmentCode: department?.code ?? null,
        }),
        ip: ctx.ip,
      });
    }
    // Mobile ID: a card whose claims (name, department, position) went stale gets a reissue.
    if (personChanged && existing) await onPersonRecordChanged(trx, person, ctx);
    const accountChanged = await syncAccount(trx, person, agency, input.mailId, ctx, settings);
    return { person: await view(trx, person), created: !existing, changed: personChanged || accountChanged };
  });
}

/** Creates the person's account when asked, and keeps its real name equal to HR's. */
async function syncAccount(
  trx: Db,
  person: Person,
  agency: Agency,
  mailId: string | undefined,
  ctx: ChangeContext,
  settings: DirectorySettings,
): Promise<boolean> {
  const account = await trx
    .selectFrom('accounts')
    .selectAll()
    .where('person_id', '=', person.id)
    .forUpdate()
    .executeTakeFirst();
  if (account) {
    if (mailId !== undefined && mailId !== account.local_part) {
      throw new GongjikError('ERR_DIR_ACCOUNT_ID_IMMUTABLE', { address: addressOf(account) });
    }
    if (account.real_name === person.real_name) return false;
    await trx
      .updateTable('accounts')
      .set({ real_name: person.real_name, updated_at: ctx.now })
      .where('id', '=', account.id)
      .execute();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'account.rename',
      target: `account:${addressOf(account)}`,
      details: { realName: person.real_name, previous: account.real_name },
      ip: ctx.ip,
    });
    return true;
  }
  if (mailId === undefined) return false;
  const domain = agency.mail_domain ?? settings.mailDomain;
  const created = await trx
    .insertInto('accounts')
    .values({
      person_id: person.id,
      agency_id: agency.id,
      local_part: mailId,
      domain,
      real_name: person.real_name,
      state: 'pending',
      institutional: false,
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .onConflict((oc) => oc.columns(['local_part', 'domain']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!created) throw new GongjikError('ERR_DIR_ACCOUNT_ID_TAKEN', { address: `${mailId}@${domain}` });
  await audit(trx, {
    at: ctx.now,
    actor: ctx.actor,
    action: 'account.create',
    target: `account:${addressOf(created)}`,
    details: { employeeNumber: person.employee_number, realName: created.real_name, agencyCode: agency.code },
    ip: ctx.ip,
  });
  return true;
}

async function changeOne(
  db: Db,
  employeeNumber: string,
  ctx: ChangeContext,
  action: string,
  compute: (trx: Db, p: Person) => Promise<Partial<PersonFields>>,
): Promise<{ person: PersonView; changed: boolean }> {
  return inTransaction(db, async (trx) => {
    const p = await findPerson(trx, employeeNumber, true);
    if (p.state === 'retired') throw new GongjikError('ERR_DIR_PERSON_RETIRED', { employeeNumber });
    const set = await compute(trx, p);
    const next = { ...p, ...set };
    if (!FIELDS.some((f) => p[f] !== next[f])) return { person: await view(trx, p), changed: false };
    const updated = await trx
      .updateTable('people')
      .set({ ...set, updated_at: ctx.now })
      .where('id', '=', p.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action,
      target: `person:${employeeNumber}`,
      details: changeDetails(p, next, {}),
      ip: ctx.ip,
    });
    await onPersonRecordChanged(trx, updated, ctx); // mobile ID: reissue a card gone stale
    return { person: await view(trx, updated), changed: true };
  });
}

/** Moves a person to another department of their agency (null: no department). */
export function movePerson(
  db: Db,
  employeeNumber: string,
  departmentCode: string | null,
  ctx: ChangeContext,
) {
  return changeOne(db, employeeNumber, ctx, 'directory.person.move', async (trx, p) => {
    const dept = departmentCode ? await getDepartment(trx, p.agency_id, departmentCode) : null;
    return { department_id: dept?.id ?? null };
  });
}

/** Sets (or clears, with null) the retirement date; applyRetirements acts on it when the day comes. */
export function setRetirementDate(db: Db, employeeNumber: string, date: string | null, ctx: ChangeContext) {
  const checked = date === null ? null : validDate(date, 'retirementDate');
  return changeOne(db, employeeNumber, ctx, 'directory.person.retirement-date', async () => ({
    retirement_date: checked,
  }));
}

export interface PeopleQuery {
  readonly agencyCode?: string;
  readonly limit?: number;
  /** the last employee number of the previous page */
  readonly after?: string;
}

export async function listPeople(db: Db, q: PeopleQuery = {}): Promise<PersonView[]> {
  let query = db.selectFrom('people').selectAll();
  if (q.agencyCode) {
    const agency = await getAgency(db, q.agencyCode);
    query = query.where('agency_id', '=', agency.id);
  }
  if (q.after) query = query.where('employee_number', '>', q.after);
  const rows = await query
    .orderBy('employee_number')
    .limit(Math.min(Math.max(q.limit ?? 100, 1), 1000))
    .execute();
  const out: PersonView[] = [];
  for (const r of rows) out.push(await view(db, r));
  return out;
}
