import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import type { GongjikError } from '@gongjik/errors';
import { issueSignupCode, markSignupCodeUsed, verifySignupCode } from '../src/domain/auth/signup-codes.ts';
import { START, seedPerson } from './helpers.ts';

const policy = { ttlMs: 72 * 3_600_000, maxAttempts: 3 };
const at = (iso: string) => new Date(iso);
const refusedWith = (code: string) => (e: GongjikError) => e.code === code;

forEachDatabase('sign-up codes', (suite) => {
  const check = (accountId: string, code: string, now = at(START)) =>
    verifySignupCode(suite.db, { accountId, code }, { now, defaultDomain: 'korea.kr' });

  it('accepts the issued code with the account ID, with or without the domain and dashes', async () => {
    const p = await seedPerson(suite.db);
    const issued = await issueSignupCode(
      suite.db,
      p.employeeNumber,
      { actor: 'hr:test', now: at(START) },
      policy,
    );
    const ok = await check(p.mailId!, issued.code);
    assert.equal(ok.accountId, p.accountId);
    const again = await check(
      `${p.mailId}@korea.kr`.toUpperCase(),
      issued.code.replace(/-/g, '').toLowerCase(),
    );
    assert.equal(again.signupCodeId, ok.signupCodeId);
  });

  it('counts wrong codes and refuses with ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED at the limit, even with the right code', async () => {
    const p = await seedPerson(suite.db);
    const issued = await issueSignupCode(
      suite.db,
      p.employeeNumber,
      { actor: 'hr:test', now: at(START) },
      policy,
    );
    await assert.rejects(check(p.mailId!, 'AAAA-AAAA-AAAA'), refusedWith('ERR_SIGNUP_CODE_INVALID'));
    await assert.rejects(check(p.mailId!, 'AAAA-AAAA-AAAB'), refusedWith('ERR_SIGNUP_CODE_INVALID'));
    await assert.rejects(
      check(p.mailId!, 'AAAA-AAAA-AAAC'),
      refusedWith('ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED'),
    );
    await assert.rejects(check(p.mailId!, issued.code), refusedWith('ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED'));
    const row = await suite.db
      .selectFrom('signup_codes')
      .selectAll()
      .where('account_id', '=', p.accountId!)
      .executeTakeFirstOrThrow();
    assert.equal(row.attempts, 3);
    assert.ok(row.invalidated_at);
    const refusals = await suite.db
      .selectFrom('audit_log')
      .select('code')
      .where('target', '=', `account:${p.mailId}@korea.kr`)
      .where('action', '=', 'signup.code.check')
      .execute();
    assert.deepEqual(
      refusals.map((r) => r.code),
      [
        'ERR_SIGNUP_CODE_INVALID',
        'ERR_SIGNUP_CODE_INVALID',
        'ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED',
        'ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED',
      ],
    );
  });

  it('refuses an expired code with ERR_SIGNUP_CODE_EXPIRED', async () => {
    const p = await seedPerson(suite.db);
    const issued = await issueSignupCode(
      suite.db,
      p.employeeNumber,
      { actor: 'hr:test', now: at(START) },
      policy,
    );
    const later = new Date(at(START).getTime() + policy.ttlMs);
    await assert.rejects(check(p.mailId!, issued.code, later), refusedWith('ERR_SIGNUP_CODE_EXPIRED'));
    const justBefore = new Date(later.getTime() - 1000);
    assert.ok(await check(p.mailId!, issued.code, justBefore));
  });

  it('refuses an unknown account ID with ERR_SIGNUP_CODE_INVALID (not revealing whether it exists)', async () => {
    await assert.rejects(check('nobody-here', 'AAAA-AAAA-AAAA'), refusedWith('ERR_SIGNUP_CODE_INVALID'));
  });

  it('invalidates the previous code when a new one is issued', async () => {
    const p = await seedPerson(suite.db);
    const first = await issueSignupCode(
      suite.db,
      p.employeeNumber,
      { actor: 'hr:test', now: at(START) },
      policy,
    );
    const second = await issueSignupCode(
      suite.db,
      p.employeeNumber,
      { actor: 'hr:test', now: at(START) },
      policy,
    );
    await assert.rejects(check(p.mailId!, first.code), refusedWith('ERR_SIGNUP_CODE_INVALID'));
    assert.ok(await check(p.mailId!, second.code));
  });

  it('is single-use: a consumed code is refused', async () => {
    const p = await seedPerson(suite.db);
    const issued = await issueSignupCode(
      suite.db,
      p.employeeNumber,
      { actor: 'hr:test', now: at(START) },
      policy,
    );
    const ok = await check(p.mailId!, issued.code);
    assert.equal(await markSignupCodeUsed(suite.db, ok.signupCodeId, at(START)), true);
    assert.equal(await markSignupCodeUsed(suite.db, ok.signupCodeId, at(START)), false);
    await assert.rejects(check(p.mailId!, issued.code), refusedWith('ERR_SIGNUP_CODE_INVALID'));
  });

  it('refuses the code check for an account at a public institution with ERR_SIGNUP_ORG_NOT_ELIGIBLE', async () => {
    const p = await seedPerson(suite.db);
    const issued = await issueSignupCode(
      suite.db,
      p.employeeNumber,
      { actor: 'hr:test', now: at(START) },
      policy,
    );
    // The agency is re-classified as a public institution after the code was issued.
    const agencyId = (
      await suite.db
        .selectFrom('accounts')
        .select('agency_id')
        .where('id', '=', p.accountId!)
        .executeTakeFirstOrThrow()
    ).agency_id;
    await suite.db.updateTable('agencies').set({ type: 'public' }).where('id', '=', agencyId).execute();
    await assert.rejects(check(p.mailId!, issued.code), refusedWith('ERR_SIGNUP_ORG_NOT_ELIGIBLE'));
  });

  it('refuses to issue a code for a person of a public institution with ERR_SIGNUP_ORG_NOT_ELIGIBLE', async () => {
    const p = await seedPerson(suite.db, { type: 'public', mailId: null });
    await assert.rejects(
      issueSignupCode(suite.db, p.employeeNumber, { actor: 'hr:test', now: at(START) }, policy),
      refusedWith('ERR_SIGNUP_ORG_NOT_ELIGIBLE'),
    );
  });
});
