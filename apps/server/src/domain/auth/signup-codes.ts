// One-time sign-up codes, issued through HR (the HR API or an administrator) and typed by the
// official with their account ID before registering a certificate. Stored as scrypt hashes; a code
// expires, allows a limited number of wrong attempts, and a new code replaces the previous one.
import type { ErrorCode } from '@gongjik/errors';
import { GongjikError } from '@gongjik/errors';
import { audit } from '../audit/audit.ts';
import { type ChangeContext, type Db, inTransaction } from '../db.ts';
import { assertSignupEligible } from '../directory/agencies.ts';
import { findPerson } from '../directory/people.ts';
import { hashCode, randomHumanCode, verifyCode } from '../secrets.ts';

export interface SignupCodePolicy {
  readonly ttlMs: number;
  readonly maxAttempts: number;
}

export interface IssuedSignupCode {
  /** shown once, to be handed to the official; only its hash is stored */
  readonly code: string;
  readonly address: string;
  readonly expiresAt: string;
  readonly maxAttempts: number;
}

/**
 * Issues a new sign-up code for the person's account, invalidating any earlier one. Refuses people
 * of public institutions (ERR_SIGNUP_ORG_NOT_ELIGIBLE), people without an account
 * (ERR_SIGNUP_NO_ACCOUNT) and retired people (ERR_DIR_PERSON_RETIRED).
 */
export async function issueSignupCode(
  db: Db,
  employeeNumber: string,
  ctx: ChangeContext,
  policy: SignupCodePolicy,
): Promise<IssuedSignupCode> {
  const code = randomHumanCode();
  const codeHash = await hashCode(code);
  return inTransaction(db, async (trx) => {
    const person = await findPerson(trx, employeeNumber, true);
    const agency = await trx
      .selectFrom('agencies')
      .selectAll()
      .where('id', '=', person.agency_id)
      .executeTakeFirstOrThrow();
    assertSignupEligible(agency);
    if (person.state === 'retired') throw new GongjikError('ERR_DIR_PERSON_RETIRED', { employeeNumber });
    const account = await trx
      .selectFrom('accounts')
      .selectAll()
      .where('person_id', '=', person.id)
      .executeTakeFirst();
    if (!account) throw new GongjikError('ERR_SIGNUP_NO_ACCOUNT');
    if (account.state === 'retired') throw new GongjikError('ERR_DIR_PERSON_RETIRED', { employeeNumber });
    await trx
      .updateTable('signup_codes')
      .set({ invalidated_at: ctx.now })
      .where('account_id', '=', account.id)
      .where('used_at', 'is', null)
      .where('invalidated_at', 'is', null)
      .execute();
    const expiresAt = new Date(ctx.now.getTime() + policy.ttlMs);
    await trx
      .insertInto('signup_codes')
      .values({
        account_id: account.id,
        code_hash: codeHash,
        max_attempts: policy.maxAttempts,
        expires_at: expiresAt,
        issued_by: ctx.actor,
        created_at: ctx.now,
      })
      .execute();
    const address = `${account.local_part}@${account.domain}`;
    await audit(trx, {
      at: ctx.now,
      actor: ctx.actor,
      action: 'signup.code.issue',
      target: `account:${address}`,
      details: { employeeNumber, expiresAt: expiresAt.toISOString(), maxAttempts: policy.maxAttempts },
      ip: ctx.ip,
    });
    return { code, address, expiresAt: expiresAt.toISOString(), maxAttempts: policy.maxAttempts };
  });
}

export interface SignupCodeCheck {
  /** the account ID as typed: `ryusiwon` (default domain) or `ryusiwon@korea.kr` */
  readonly accountId: string;
  readonly code: string;
}

export interface VerifiedSignupCode {
  readonly accountId: string;
  readonly address: string;
  readonly signupCodeId: string;
}

type Outcome =
  | { ok: true; value: VerifiedSignupCode }
  | { ok: false; code: ErrorCode; attemptsLeft?: number; agency?: string };

/**
 * Checks an account ID + sign-up code. A wrong code counts an attempt (kept even though the check
 * fails); at the limit the code is invalidated. Refusals: ERR_SIGNUP_CODE_INVALID (unknown account,
 * no live code, wrong code), ERR_SIGNUP_CODE_EXPIRED, ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED,
 * ERR_SIGNUP_ORG_NOT_ELIGIBLE, ERR_AUTH_RETIRED. Every check is audited. The code stays usable until
 * markSignupCodeUsed (the certificate registration calls it in its own transaction).
 *
 * Call it with the root db, not inside a transaction: the attempt count must survive the refusal.
 */
export async function verifySignupCode(
  db: Db,
  input: SignupCodeCheck,
  ctx: { now: Date; ip?: string | null; defaultDomain: string },
): Promise<VerifiedSignupCode> {
  const [localPart, domain = ctx.defaultDomain] = input.accountId.trim().toLowerCase().split('@', 2);
  const outcome = await inTransaction(db, async (trx): Promise<Outcome> => {
    const refuse = async (
      code: ErrorCode,
      target: string,
      extra: { attemptsLeft?: number; agency?: string } = {},
    ): Promise<Outcome> => {
      await audit(trx, {
        at: ctx.now,
        actor: `signup:${target}`,
        action: 'signup.code.check',
        target,
        outcome: 'refused',
        code,
        details: extra,
        ip: ctx.ip,
      });
      return { ok: false, code, ...extra };
    };
    const account = await trx
      .selectFrom('accounts')
      .selectAll()
      .where('local_part', '=', localPart ?? '')
      .where('domain', '=', domain)
      .executeTakeFirst();
    if (!account) return refuse('ERR_SIGNUP_CODE_INVALID', 'account:unknown');
    const address = `${account.local_part}@${account.domain}`;
    const target = `account:${address}`;
    const agency = await trx
      .selectFrom('agencies')
      .selectAll()
      .where('id', '=', account.agency_id)
      .executeTakeFirstOrThrow();
    if (agency.type === 'public')
      return refuse('ERR_SIGNUP_ORG_NOT_ELIGIBLE', target, { agency: agency.name });
    if (account.state === 'retired') return refuse('ERR_AUTH_RETIRED', target);
    const live = await trx
      .selectFrom('signup_codes')
      .selectAll()
      .where('account_id', '=', account.id)
      .where('used_at', 'is', null)
      .where('invalidated_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
    if (!live) {
      // A code burnt by too many attempts says so; otherwise there simply is no code.
      const burnt = await trx
        .selectFrom('signup_codes')
        .select('id')
        .where('account_id', '=', account.id)
        .whereRef('attempts', '>=', 'max_attempts')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const newest = await trx
        .selectFrom('signup_codes')
        .select(['id', 'used_at'])
        .where('account_id', '=', account.id)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return refuse(
        burnt && burnt.id === newest?.id ? 'ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED' : 'ERR_SIGNUP_CODE_INVALID',
        target,
      );
    }
    if (live.expires_at.getTime() <= ctx.now.getTime()) return refuse('ERR_SIGNUP_CODE_EXPIRED', target);
    if (live.attempts >= live.max_attempts) return refuse('ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED', target);
    if (!(await verifyCode(input.code, live.code_hash))) {
      const attempts = live.attempts + 1;
      await trx
        .updateTable('signup_codes')
        .set({ attempts, ...(attempts >= live.max_attempts ? { invalidated_at: ctx.now } : {}) })
        .where('id', '=', live.id)
        .execute();
      const attemptsLeft = live.max_attempts - attempts;
      return refuse(
        attemptsLeft > 0 ? 'ERR_SIGNUP_CODE_INVALID' : 'ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED',
        target,
        { attemptsLeft },
      );
    }
    await audit(trx, {
      at: ctx.now,
      actor: `signup:${target}`,
      action: 'signup.code.check',
      target,
      details: {},
      ip: ctx.ip,
    });
    return { ok: true, value: { accountId: account.id, address, signupCodeId: live.id } };
  });
  if (!outcome.ok) {
    throw new GongjikError(outcome.code, {
      ...(outcome.attemptsLeft === undefined ? {} : { attemptsLeft: outcome.attemptsLeft }),
      ...(outcome.agency === undefined ? {} : { agency: outcome.agency }),
    });
  }
  return outcome.value;
}

/** Consumes the code (once): returns false when it was already used or invalidated meanwhile. */
export async function markSignupCodeUsed(db: Db, signupCodeId: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('signup_codes')
    .set({ used_at: now })
    .where('id', '=', signupCodeId)
    .where('used_at', 'is', null)
    .where('invalidated_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
