// What the provider tells relying parties about an account, by scope. `sub` is the account's id: a
// public, stable, opaque UUID that is never reused (it survives renames, moves and renewals).
import { GongjikError } from '@gongjik/errors';
import { assertAccountCanLogin } from '../accounts/login-policy.ts';
import type { Db } from '../db.ts';

/** Scope → the claims it releases (also the `claims` option of oidc-provider). */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name'],
  email: ['email', 'email_verified'],
  'gongjik:org': ['agency', 'department', 'employee_number'],
} as const;

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'gongjik:org', 'offline_access'] as const;

export interface AccountClaims {
  readonly sub: string;
  /** the real name from HR, exactly as in the certificate */
  readonly name: string;
  readonly email: string;
  readonly email_verified: true;
  readonly agency: { readonly code: string; readonly name: string; readonly type: string };
  readonly department: { readonly code: string; readonly name: string } | null;
  /** null for institutional mailboxes */
  readonly employee_number: string | null;
}

/**
 * Every claim of an account that may sign in now, or null when the account is unknown or its state
 * refuses sign-in (retired, locked, sign-up incomplete): tokens and userinfo then fail.
 */
export async function accountClaims(db: Db, accountId: string, now: Date): Promise<AccountClaims | null> {
  if (!/^[0-9a-f-]{36}$/i.test(accountId)) return null;
  const row = await db
    .selectFrom('accounts as a')
    .innerJoin('agencies as ag', 'ag.id', 'a.agency_id')
    .leftJoin('people as p', 'p.id', 'a.person_id')
    .leftJoin('departments as d', 'd.id', 'p.department_id')
    .select([
      'a.id',
      'a.state',
      'a.real_name',
      'a.local_part',
      'a.domain',
      'ag.code as agency_code',
      'ag.name as agency_name',
      'ag.type as agency_type',
      'p.employee_number',
      'p.state as person_state',
      'p.retirement_date',
      'd.code as department_code',
      'd.name as department_name',
    ])
    .where('a.id', '=', accountId)
    .executeTakeFirst();
  if (!row) return null;
  try {
    assertAccountCanLogin(
      { state: row.state },
      row.person_state ? { state: row.person_state, retirement_date: row.retirement_date } : null,
      now,
      { warningDays: 0 },
    );
  } catch (err) {
    if (err instanceof GongjikError) return null;
    throw err;
  }
  return {
    sub: row.id,
    name: row.real_name,
    email: `${row.local_part}@${row.domain}`,
    email_verified: true,
    agency: { code: row.agency_code, name: row.agency_name, type: row.agency_type },
    department:
      row.department_code && row.department_name
        ? { code: row.department_code, name: row.department_name }
        : null,
    employee_number: row.employee_number,
  };
}
