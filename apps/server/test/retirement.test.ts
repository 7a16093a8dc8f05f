import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import type { GongjikError } from '@gongjik/errors';
import { assertAccountCanLogin } from '../src/domain/accounts/login-policy.ts';
import { applyRetirements } from '../src/domain/accounts/retirement.ts';
import { createSession } from '../src/domain/auth/sessions.ts';
import { issueSignupCode } from '../src/domain/auth/signup-codes.ts';
import { setRetirementDate } from '../src/domain/directory/people.ts';
import { activate, json, seedPerson, testServer } from './helpers.ts';

const policy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
const refusedWith = (code: string) => (e: GongjikError) => e.code === code;

forEachDatabase('retirement', (suite) => {
  async function retiring(date: string) {
    const p = await seedPerson(suite.db);
    await activate(suite.db, p.accountId!);
    await setRetirementDate(suite.db, p.employeeNumber, date, {
      actor: 'hr:test',
      now: new Date('2026-03-01T00:00:00Z'),
    });
    await suite.db
      .insertInto('certificate_registrations')
      .values({
        account_id: p.accountId!,
        fingerprint_sha256: `fp-${p.employeeNumber}`,
        serial: '01',
        issuer: 'CN=GPKI test CA',
        class: 'gpki-personal',
        subject_name: '류시원',
        not_after: new Date('2028-01-01T00:00:00Z'),
        registered_at: new Date('2026-03-01T00:00:00Z'),
      })
      .execute();
    const session = await createSession(suite.db, p.accountId!, {
      method: 'certificate',
      now: new Date('2026-03-01T00:00:00Z'),
      policy,
    });
    return { ...p, session };
  }

  it('does nothing the day before, then retires on the date (Korean calendar)', async () => {
    const p = await retiring('2026-06-30');
    // 2026-06-29 23:59 in Korea = 14:59 UTC.
    const before = await applyRetirements(suite.db, new Date('2026-06-29T14:59:00Z'));
    assert.ok(!before.retired.some((r) => r.employeeNumber === p.employeeNumber));
    // 2026-06-30 00:00 in Korea = 2026-06-29 15:00 UTC.
    const on = await applyRetirements(suite.db, new Date('2026-06-29T15:00:00Z'));
    assert.equal(on.date, '2026-06-30');
    assert.ok(on.retired.some((r) => r.employeeNumber === p.employeeNumber));

    const person = await suite.db
      .selectFrom('people')
      .selectAll()
      .where('employee_number', '=', p.employeeNumber)
      .executeTakeFirstOrThrow();
    assert.equal(person.state, 'retired');
    const account = await suite.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', p.accountId!)
      .executeTakeFirstOrThrow();
    assert.equal(account.state, 'retired');
    const certs = await suite.db
      .selectFrom('certificate_registrations')
      .selectAll()
      .where('account_id', '=', p.accountId!)
      .execute();
    assert.ok(certs.every((c) => c.revoked_at && c.revoke_reason === 'retired'));
    const sessions = await suite.db
      .selectFrom('sessions')
      .selectAll()
      .where('account_id', '=', p.accountId!)
      .execute();
    assert.ok(sessions.every((s) => s.revoked_at && s.revoke_reason === 'retired'));
    const audit = await suite.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'person.retire')
      .where('target', '=', `person:${p.employeeNumber}`)
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor, 'system:retirement');
    assert.deepEqual(
      (audit.details as { certificatesRevoked: number; sessionsEnded: number }).certificatesRevoked,
      1,
    );

    const again = await applyRetirements(suite.db, new Date('2026-07-01T00:00:00Z'));
    assert.ok(
      !again.retired.some((r) => r.employeeNumber === p.employeeNumber),
      'a retirement is applied once',
    );
  });

  it('refuses a retired account’s login with ERR_AUTH_RETIRED, and its old session', async () => {
    const t = await testServer(suite.db);
    const p = await retiring('2026-03-02');
    await applyRetirements(suite.db, t.clock.now());
    await assert.rejects(
      createSession(suite.db, p.accountId!, { method: 'certificate', now: t.clock.now(), policy }),
      refusedWith('ERR_AUTH_RETIRED'),
    );
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      cookies: { '__Host-gongjik-session': p.session.token },
    });
    assert.equal(r.statusCode, 401);
    assert.equal(json(r).code, 'ERR_AUTH_SESSION_EXPIRED');
  });

  it('refuses changes and new sign-up codes for a retired person', async () => {
    const p = await retiring('2026-03-02');
    await applyRetirements(suite.db, new Date('2026-03-02T00:00:00Z'));
    await assert.rejects(
      setRetirementDate(suite.db, p.employeeNumber, null, {
        actor: 'hr:test',
        now: new Date('2026-03-03T00:00:00Z'),
      }),
      refusedWith('ERR_DIR_PERSON_RETIRED'),
    );
    await assert.rejects(
      issueSignupCode(
        suite.db,
        p.employeeNumber,
        { actor: 'hr:test', now: new Date('2026-03-03T00:00:00Z') },
        { ttlMs: 1, maxAttempts: 1 },
      ),
      refusedWith('ERR_DIR_PERSON_RETIRED'),
    );
  });

  it('is applied by an administrator through the API too', async () => {
    const t = await testServer(suite.db);
    const p = await retiring('2026-03-02');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/retirements/run',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    assert.equal(r.statusCode, 200);
    assert.ok(
      (json(r).retired as { employeeNumber: string }[]).some((x) => x.employeeNumber === p.employeeNumber),
    );
  });
});

describe('assertAccountCanLogin', () => {
  const now = new Date('2026-03-02T01:00:00Z'); // 2026-03-02 10:00 in Korea
  const active = { state: 'active' as const };
  const person = (retirement_date: string | null, state: 'active' | 'on_leave' | 'retired' = 'active') => ({
    state,
    retirement_date,
  });

  it('allows an active account without a warning when retirement is far', () => {
    assert.deepEqual(assertAccountCanLogin(active, person('2027-12-31'), now, { warningDays: 30 }), {
      retirementWarning: null,
    });
  });

  it('warns at every login when the retirement date is near', () => {
    const r = assertAccountCanLogin(active, person('2026-03-20'), now, { warningDays: 30 });
    assert.deepEqual(r.retirementWarning, { retirementDate: '2026-03-20', daysLeft: 18 });
  });

  it('refuses with ERR_AUTH_RETIRED on the date even before the retirement job ran', () => {
    assert.throws(
      () => assertAccountCanLogin(active, person('2026-03-02'), now, { warningDays: 30 }),
      refusedWith('ERR_AUTH_RETIRED'),
    );
    assert.throws(
      () => assertAccountCanLogin({ state: 'retired' }, null, now, { warningDays: 30 }),
      refusedWith('ERR_AUTH_RETIRED'),
    );
    assert.throws(
      () => assertAccountCanLogin(active, person(null, 'retired'), now, { warningDays: 30 }),
      refusedWith('ERR_AUTH_RETIRED'),
    );
  });

  it('refuses a locked account with ERR_AUTH_ACCOUNT_LOCKED and an unfinished sign-up with ERR_AUTH_SIGNUP_INCOMPLETE', () => {
    assert.throws(
      () => assertAccountCanLogin({ state: 'locked' }, person(null), now, { warningDays: 30 }),
      refusedWith('ERR_AUTH_ACCOUNT_LOCKED'),
    );
    assert.throws(
      () => assertAccountCanLogin({ state: 'pending' }, person(null), now, { warningDays: 30 }),
      refusedWith('ERR_AUTH_SIGNUP_INCOMPLETE'),
    );
  });

  it('lets a person on leave sign in', () => {
    assert.deepEqual(assertAccountCanLogin(active, person(null, 'on_leave'), now, { warningDays: 30 }), {
      retirementWarning: null,
    });
  });
});
