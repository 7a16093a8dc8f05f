import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { applyRetirements } from '../src/domain/accounts/retirement.ts';
import { csrfTokenFor } from '../src/domain/auth/sessions.ts';
import {
  type AuthTestServer,
  auditOf,
  authServer,
  challenge,
  DAY,
  json,
  login,
  PUBLIC_URL,
  prove,
  SESSION_COOKIE,
  sessionCookie,
  signup,
  signupCandidate,
  type TestPki,
  type TestUser,
  testPki,
} from './auth-helpers.ts';
import { START } from './helpers.ts';

/** A signed-up official: account active, `user`'s certificate registered. */
async function official(
  t: AuthTestServer,
  pki: TestPki,
  name = '류시원',
  validity: Parameters<TestPki['issue']>[2] = {},
) {
  const cand = await signupCandidate(t.db, { realName: name });
  const user = await pki.issue('gpki', name, validity);
  const r = await signup(t, cand, user);
  assert.equal(r.statusCode, 200, r.body);
  return { ...cand, user };
}

async function lastLoginAudit(t: AuthTestServer) {
  return (await auditOf(t.db, 'auth.login'))[0];
}

async function sessionCount(t: AuthTestServer): Promise<number> {
  const r = await t.db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function refused(
  t: AuthTestServer,
  user: TestUser,
  code: string,
  options: Parameters<typeof login>[2] = {},
) {
  const before = await sessionCount(t);
  const r = await login(t, user, options);
  assert.equal(json(r).code, code, r.body);
  // The login statement starts a session only when every check holds: a refusal leaves no row.
  assert.equal(await sessionCount(t), before, 'a refused login inserts no session');
  const entry = await lastLoginAudit(t);
  assert.equal(entry?.outcome, 'refused');
  assert.equal(entry?.code, code);
  return r;
}

forEachDatabase('certificate login', (suite) => {
  it('logs in with the registered certificate: session cookie, CSRF token, account, audit entries', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    const r = await login(t, o.user);
    assert.equal(r.statusCode, 200, r.body);
    const body = json(r) as {
      account: { id: string; address: string; realName: string; agency: string };
      csrfToken: string;
      warnings: unknown[];
    };
    assert.equal(body.account.address, o.address);
    assert.equal(body.account.realName, '류시원');
    assert.ok(body.account.agency);
    assert.deepEqual(body.warnings, []);
    const token = sessionCookie(r);
    assert.equal(body.csrfToken, csrfTokenFor(token));
    const set = String(r.headers['set-cookie']);
    assert.match(set, /HttpOnly/);
    assert.match(set, /Secure/);
    assert.match(set, /SameSite=Lax/);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      cookies: { [SESSION_COOKIE]: token },
    });
    assert.equal(me.statusCode, 200);
    const entry = await lastLoginAudit(t);
    assert.equal(entry?.outcome, 'success');
    assert.equal(entry?.target, `account:${o.address}`);
    assert.equal((await auditOf(t.db, 'session.create'))[0]?.actor, `account:${o.accountId}`);
  });

  it('refuses an NPKI certificate with ERR_PKI_NPKI_NOT_ACCEPTED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    await refused(t, await pki.issue('npki', '류시원'), 'ERR_PKI_NPKI_NOT_ACCEPTED');
  });

  it('refuses a valid certificate that is registered to no account with ERR_AUTH_CERT_NOT_REGISTERED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    await refused(t, await pki.issue('gpki', '홍길동'), 'ERR_AUTH_CERT_NOT_REGISTERED');
  });

  it('refuses a signature made with another key with ERR_PKI_SIGNATURE_INVALID', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    const other = await pki.issue('gpki', '류시원');
    await refused(t, { ...o.user, key: other.key }, 'ERR_PKI_SIGNATURE_INVALID');
  });

  it('refuses a replayed challenge with ERR_AUTH_CHALLENGE_REPLAYED and an unknown one with ERR_AUTH_CHALLENGE_INVALID', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    const c = await challenge(t, 'login');
    assert.equal((await login(t, o.user, { challenge: c })).statusCode, 200);
    await refused(t, o.user, 'ERR_AUTH_CHALLENGE_REPLAYED', { challenge: c });
    await refused(t, o.user, 'ERR_AUTH_CHALLENGE_INVALID', {
      challenge: { ...c, challengeId: '00000000-0000-4000-8000-000000000000' },
    });
  });

  it('refuses a challenge answered after 2 minutes with ERR_AUTH_CHALLENGE_EXPIRED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    const c = await challenge(t, 'login');
    t.clock.advance(2 * 60_000);
    await refused(t, o.user, 'ERR_AUTH_CHALLENGE_EXPIRED', { challenge: c });
  });

  it('refuses a registration challenge for login and an answer from another origin with ERR_AUTH_CHALLENGE_INVALID', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    await refused(t, o.user, 'ERR_AUTH_CHALLENGE_INVALID', { challenge: await challenge(t, 'register') });
    await refused(t, o.user, 'ERR_AUTH_CHALLENGE_INVALID', { headers: { origin: 'https://evil.example' } });
    assert.equal((await login(t, o.user, { headers: { origin: PUBLIC_URL } })).statusCode, 200);
  });

  it('refuses a certificate revoked by its CA once the CRL is refreshed, with ERR_PKI_REVOKED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    assert.equal((await login(t, o.user)).statusCode, 200);
    await pki.revoke(o.user, new Date(new Date(START).getTime() - 60_000));
    await t.certificates.trust.refresh(t.clock.now());
    await refused(t, o.user, 'ERR_PKI_REVOKED');
  });

  it('refuses an expired certificate with ERR_PKI_CERT_EXPIRED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    const notBefore = new Date(new Date(START).getTime() - 10 * DAY);
    const expired = await pki.issue('gpki', '류시원', {
      notBefore,
      notAfter: new Date(new Date(START).getTime() - DAY),
    });
    await t.db
      .insertInto('certificate_registrations')
      .values({
        account_id: o.accountId!,
        fingerprint_sha256: (await t.certificates.inspect(expired.der)).fingerprint,
        serial: expired.serial,
        issuer: 'test',
        class: 'gpki-personal',
        subject_name: '류시원',
        not_after: new Date(new Date(START).getTime() - DAY),
        registered_at: notBefore,
      })
      .execute();
    await refused(t, expired, 'ERR_PKI_CERT_EXPIRED');
  });

  it('refuses a retired official with ERR_AUTH_RETIRED and warns one whose retirement is near', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const soon = await official(t, pki);
    await t.db
      .updateTable('people')
      .set({ retirement_date: '2026-03-20' })
      .where('employee_number', '=', soon.employeeNumber)
      .execute();
    const w = await login(t, soon.user);
    assert.equal(w.statusCode, 200);
    const warnings = (json(w) as { warnings: { code: string; daysLeft: number; message: string }[] })
      .warnings;
    assert.equal(warnings[0]?.code, 'retirement-soon');
    assert.equal(warnings[0]?.daysLeft, 18);
    assert.match(warnings[0]!.message, /2026-03-20/);

    const gone = await official(t, pki);
    await t.db
      .updateTable('people')
      .set({ retirement_date: '2026-03-01' })
      .where('employee_number', '=', gone.employeeNumber)
      .execute();
    await refused(t, gone.user, 'ERR_AUTH_RETIRED'); // the date has come, the job has not run yet
    await applyRetirements(t.db, t.clock.now());
    await refused(t, gone.user, 'ERR_AUTH_RETIRED'); // registration revoked by the retirement
  });

  it('warns at login when the certificate expires within 30 days, and names its last day', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const expiring = await official(t, pki, '류시원', { notAfter: new Date('2026-03-20T03:00:00Z') });
    const r = await login(t, expiring.user);
    assert.equal(r.statusCode, 200, r.body);
    const warnings = (
      json(r) as { warnings: { code: string; notAfter: string; daysLeft: number; message: string }[] }
    ).warnings;
    assert.deepEqual(
      warnings.map((w) => [w.code, w.notAfter, w.daysLeft]),
      [['certificate-expiring', '2026-03-20', 18]],
    );
    assert.match(warnings[0]!.message, /2026-03-20/);
    assert.match(warnings[0]!.message, /갱신/);

    // A certificate valid for another year: no warning.
    const fresh = await official(t, pki, '김민준', { notAfter: new Date('2027-03-02T00:00:00Z') });
    const ok = await login(t, fresh.user);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual((json(ok) as { warnings: unknown[] }).warnings, []);
  });

  it('refuses a locked account with ERR_AUTH_ACCOUNT_LOCKED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    await t.db.updateTable('accounts').set({ state: 'locked' }).where('id', '=', o.accountId!).execute();
    await refused(t, o.user, 'ERR_AUTH_ACCOUNT_LOCKED');
  });

  it('rate-limits repeated failures per IP with ERR_AUTH_RATE_LIMITED and Retry-After', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki, { GONGJIK_LOGIN_MAX_FAILURES_PER_IP: '3' });
    const o = await official(t, pki);
    const stranger = await pki.issue('gpki', '홍길동');
    const ip = '198.51.100.7';
    for (let i = 0; i < 3; i++) await refused(t, stranger, 'ERR_AUTH_CERT_NOT_REGISTERED', { ip });
    const r = await refused(t, o.user, 'ERR_AUTH_RATE_LIMITED', { ip });
    assert.equal(r.statusCode, 429);
    assert.equal(r.headers['retry-after'], String(15 * 60));
    // another IP is not affected; after the window the IP may try again
    assert.equal((await login(t, o.user, { ip: '198.51.100.8' })).statusCode, 200);
    t.clock.advance(15 * 60_000);
    assert.equal((await login(t, o.user, { ip })).statusCode, 200);
  });

  it('rate-limits repeated failures per account across IPs, counting only answers signed with its key', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki, { GONGJIK_LOGIN_MAX_FAILURES_PER_ACCOUNT: '2' });
    const o = await official(t, pki);
    const forger = await pki.issue('gpki', '류시원');
    // Someone holding only a copy of the certificate cannot lock the official out.
    for (let i = 0; i < 3; i++)
      await refused(t, { ...o.user, key: forger.key }, 'ERR_PKI_SIGNATURE_INVALID', { ip: `203.0.113.${i}` });
    assert.equal((await login(t, o.user, { ip: '203.0.113.50' })).statusCode, 200);
    await t.db.updateTable('accounts').set({ state: 'locked' }).where('id', '=', o.accountId!).execute();
    await refused(t, o.user, 'ERR_AUTH_ACCOUNT_LOCKED', { ip: '203.0.113.10' });
    await refused(t, o.user, 'ERR_AUTH_ACCOUNT_LOCKED', { ip: '203.0.113.11' });
    await t.db.updateTable('accounts').set({ state: 'active' }).where('id', '=', o.accountId!).execute();
    const r = await refused(t, o.user, 'ERR_AUTH_RATE_LIMITED', { ip: '203.0.113.12' });
    assert.equal(r.statusCode, 429);
    assert.ok(Number(r.headers['retry-after']) > 0);
  });

  it('ends the login with the revocation of its session', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    const r = await login(t, o.user);
    const token = sessionCookie(r);
    const cookies = { [SESSION_COOKIE]: token };
    const list = json(await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', cookies })) as {
      sessions: { id: string }[];
    };
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${list.sessions[0]!.id}`,
      cookies,
      headers: { origin: PUBLIC_URL, 'x-csrf-token': csrfTokenFor(token) },
    });
    assert.equal(del.statusCode, 204);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies });
    assert.equal(json(after).code, 'ERR_AUTH_SESSION_EXPIRED');
  });

  it('lets exactly one of two concurrent answers to one challenge win', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const o = await official(t, pki);
    for (let round = 0; round < 3; round++) {
      const c = await challenge(t, 'login');
      const payload = prove(o.user, c);
      const answers = await Promise.all(
        Array.from({ length: 4 }, () =>
          t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress: '192.0.2.99' }),
        ),
      );
      const codes = answers.map((a) => (a.statusCode === 200 ? 'ok' : json(a).code)).sort();
      assert.deepEqual(codes, [
        'ERR_AUTH_CHALLENGE_REPLAYED',
        'ERR_AUTH_CHALLENGE_REPLAYED',
        'ERR_AUTH_CHALLENGE_REPLAYED',
        'ok',
      ]);
    }
  });
});
