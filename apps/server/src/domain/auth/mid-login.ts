// Sign-in with the mobile ID (DESIGN flow 9): the second method beside the certificate. The
// wallet's presentation was verified by domain/mobile-id/presentations.ts; here the asking
// browser, holding its request secret, turns the accepted presentation into a Gongjik session
// (method 'mobile-id' → amr ["mid"] for OIDC relying parties). The OIDC interaction then finishes
// from that session exactly as after a certificate login.
import type { MidVpRequest } from '@gongjik/db';
import { GongjikError } from '@gongjik/errors';
import { assertAccountCanLogin } from '../accounts/login-policy.ts';
import { audit } from '../audit/audit.ts';
import type { Db } from '../db.ts';
import type { AuthAccountView } from './deps.ts';
import type { LoginWarning } from './login.ts';
import { insertSession, type NewSession, type SessionPolicy } from './sessions.ts';

export interface MidLoginResult {
  readonly account: AuthAccountView;
  readonly session: NewSession;
  readonly warnings: readonly LoginWarning[];
}

/** Starts the session for an answered sign-in request (taken once by pollVpRequest). */
export async function finishMidLogin(
  db: Db,
  row: MidVpRequest,
  options: {
    now: Date;
    policy: SessionPolicy;
    warningDays: number;
    ip: string;
    userAgent?: string | null;
  },
): Promise<MidLoginResult> {
  const { now } = options;
  const found = row.account_id
    ? await db
        .selectFrom('accounts as a')
        .leftJoin('people as p', 'p.id', 'a.person_id')
        .leftJoin('agencies as g', 'g.id', 'a.agency_id')
        .leftJoin('departments as d', 'd.id', 'p.department_id')
        .select([
          'a.id',
          'a.local_part',
          'a.domain',
          'a.real_name',
          'a.state',
          'p.state as person_state',
          'p.retirement_date',
          'g.name as agency_name',
          'd.name as department_name',
        ])
        .where('a.id', '=', row.account_id)
        .executeTakeFirst()
    : undefined;
  try {
    // A card holder without a mail account (not signed up yet) cannot sign in to the webmail.
    if (!found) throw new GongjikError('ERR_AUTH_SIGNUP_INCOMPLETE');
    const login = assertAccountCanLogin(
      { state: found.state },
      found.person_state ? { state: found.person_state, retirement_date: found.retirement_date } : null,
      now,
      { warningDays: options.warningDays },
    );
    const address = `${found.local_part}@${found.domain}`;
    const session = await insertSession(
      db,
      found.id,
      {
        method: 'mobile-id',
        now,
        policy: options.policy,
        ip: options.ip,
        userAgent: options.userAgent ?? null,
        details: { card: row.card_id, request: row.id },
      },
      [
        {
          actor: `account:${found.id}`,
          action: 'auth.login',
          target: `account:${address}`,
          details: { method: 'mobile-id', card: row.card_id },
        },
      ],
    );
    return {
      account: {
        id: found.id,
        address,
        realName: found.real_name,
        agency: found.agency_name,
        department: found.department_name,
      },
      session,
      warnings: login.retirementWarning ? [{ code: 'retirement-soon', ...login.retirementWarning }] : [],
    };
  } catch (err) {
    if (err instanceof GongjikError)
      await audit(db, {
        at: now,
        actor: found ? `account:${found.id}` : `mid-card:${row.card_id}`,
        action: 'auth.login',
        target: found ? `account:${found.local_part}@${found.domain}` : `mid-vp:${row.id}`,
        outcome: 'refused',
        code: err.code,
        details: { method: 'mobile-id' },
        ip: options.ip,
      });
    throw err;
  }
}
