// Who may hold a mobile ID, and who may approve one.
import type { Agency, MidRequest, Person } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import type { Db } from '../db.ts';

/**
 * Throws unless the person can hold a card: their agency adopted the mobile ID
 * (ERR_MID_AGENCY_NOT_ADOPTED), they are in active service — not retired, not on leave
 * (ERR_MID_PERSON_NOT_ELIGIBLE) — and HR has their mobile number (ERR_MID_NO_MOBILE).
 */
export function assertEligible(person: Person, agency: Agency): void {
  if (!agency.mobile_id_adopted)
    throw new GongjikError('ERR_MID_AGENCY_NOT_ADOPTED', { agency: agency.name });
  if (person.state !== 'active' || person.retired_at !== null) {
    throw new GongjikError('ERR_MID_PERSON_NOT_ELIGIBLE', { state: person.state });
  }
  if (!person.mobile) throw new GongjikError('ERR_MID_NO_MOBILE');
}

export async function agencyOf(db: Db, person: Pick<Person, 'agency_id'>): Promise<Agency> {
  return db.selectFrom('agencies').selectAll().where('id', '=', person.agency_id).executeTakeFirstOrThrow();
}

/**
 * The departments whose heads may decide on `subject`'s card: their own department and, when the
 * subject is its head, the parent department (a head never approves their own card).
 */
export async function approvingDepartments(db: Db, subject: Person): Promise<string[]> {
  if (!subject.department_id) return [];
  const out = [subject.department_id];
  if (subject.is_department_head) {
    const d = await db
      .selectFrom('departments')
      .select('parent_id')
      .where('id', '=', subject.department_id)
      .executeTakeFirst();
    if (d?.parent_id) out.push(d.parent_id);
  }
  return out;
}

/**
 * Throws unless `approver` may decide on `subject`'s request: not the subject themselves
 * (ERR_MID_SELF_APPROVAL), a head of department in active service in the same agency, heading the
 * subject's department or — for a head's own card — its parent (ERR_MID_NOT_DEPARTMENT_HEAD).
 */
export async function assertMayDecide(db: Db, approver: Person, subject: Person): Promise<void> {
  if (approver.id === subject.id) throw new GongjikError('ERR_MID_SELF_APPROVAL');
  const departments = await approvingDepartments(db, subject);
  const ok =
    approver.is_department_head &&
    approver.state === 'active' &&
    approver.agency_id === subject.agency_id &&
    approver.department_id !== null &&
    departments.includes(approver.department_id);
  if (!ok) throw new GongjikError('ERR_MID_NOT_DEPARTMENT_HEAD');
}

/**
 * The identity check before an offer: the request's identity (as HR recorded it when asking)
 * still equals the HR record — name, employee number, agency — and the person is still eligible.
 */
export function checkIdentity(request: MidRequest, person: Person, agency: Agency): void {
  if (request.employee_number !== person.employee_number)
    throw new GongjikError('ERR_MID_IDENTITY_MISMATCH', { field: 'employeeNumber' });
  if (request.real_name !== person.real_name)
    throw new GongjikError('ERR_MID_IDENTITY_MISMATCH', { field: 'realName' });
  if (request.agency_code !== agency.code)
    throw new GongjikError('ERR_MID_IDENTITY_MISMATCH', { field: 'agencyCode' });
  assertEligible(person, agency);
}
