import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { csrfTokenFor } from '../src/domain/auth/sessions.ts';
import {
  auditOf,
  authServer,
  challenge,
  json,
  login,
  PUBLIC_URL,
  prove,
  SESSION_COOKIE,
  sessionCookie,
  signup,
  signupCandidate,
  testPki,
  verify,
} from './auth-helpers.ts';
import { START, seedPerson, uniq } from './helpers.ts';

forEachDatabase('certificate sign-up', (suite) => {
  it('registers a GPKI certificate whose name equals the account name, and the account can then log in', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    const user = await pki.issue('gpki', '류시원');
    const r = await signup(t, cand, user);
    assert.equal(r.statusCode, 200, r.body);
    const body = json(r) as {
      account: { address: string; realName: string };
      certificate: { class: string };
    };
    assert.equal(body.account.address, cand.address);
    assert.equal(body.account.realName, '류시원');
    assert.equal(body.certificate.class, 'gpki-personal');
    const account = await t.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', cand.accountId!)
      .executeTakeFirstOrThrow();
    assert.equal(account.state, 'active');
    const code = await t.db
      .selectFrom('signup_codes')
      .selectAll()
      .where('account_id', '=', cand.accountId!)
      .executeTakeFirstOrThrow();
    assert.ok(code.used_at, 'the sign-up code is spent');
    const [entry] = await auditOf(t.db, 'certificate.register');
    assert.equal(entry?.outcome, 'success');
    assert.equal(entry?.target, `account:${cand.address}`);
    const l = await login(t, user);
    assert.equal(l.statusCode, 200, l.body);
  });

  it('refuses a name that differs by a space with ERR_AUTH_NAME_MISMATCH showing both names', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    const r = await signup(t, cand, await pki.issue('gpki', '류 시원'));
    assert.equal(r.statusCode, 403);
    const p = json(r) as { code: string; details: Record<string, unknown> };
    assert.equal(p.code, 'ERR_AUTH_NAME_MISMATCH');
    assert.equal(p.details.certName, '류 시원');
    assert.equal(p.details.accountName, '류시원');
    const [entry] = await auditOf(t.db, 'certificate.register');
    assert.equal(entry?.outcome, 'refused');
    assert.equal(entry?.code, 'ERR_AUTH_NAME_MISMATCH');
    const account = await t.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', cand.accountId!)
      .executeTakeFirstOrThrow();
    assert.equal(account.state, 'pending');
  });

  it('accepts a certificate whose name is written in NFD (macOS) for an NFC account name', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    const r = await signup(t, cand, await pki.issue('gpki', '류시원'.normalize('NFD')));
    assert.equal(r.statusCode, 200, r.body);
  });

  it('refuses an NPKI (bank) certificate with ERR_PKI_NPKI_NOT_ACCEPTED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    const r = await signup(t, cand, await pki.issue('npki', '류시원'));
    assert.equal(json(r).code, 'ERR_PKI_NPKI_NOT_ACCEPTED');
    assert.equal((await auditOf(t.db, 'certificate.register'))[0]?.code, 'ERR_PKI_NPKI_NOT_ACCEPTED');
  });

  it('refuses a GPKI special-purpose certificate for a personal account with ERR_PKI_CLASS_NOT_ACCEPTED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    const r = await signup(t, cand, await pki.issue('gpki-special', '류시원'));
    assert.equal(json(r).code, 'ERR_PKI_CLASS_NOT_ACCEPTED');
    assert.equal((await auditOf(t.db, 'certificate.register'))[0]?.code, 'ERR_PKI_CLASS_NOT_ACCEPTED');
  });

  it('registers an EPKI certificate for an education official', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db, { type: 'education', realName: '김교사' });
    const r = await signup(t, cand, await pki.issue('epki', '김교사'));
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((json(r) as { certificate: { class: string } }).certificate.class, 'epki-personal');
  });

  it('refuses a person of a public institution with ERR_SIGNUP_ORG_NOT_ELIGIBLE', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const p = await seedPerson(t.db, { type: 'public', mailId: null });
    const agency = await t.db
      .selectFrom('agencies')
      .selectAll()
      .where('code', '=', p.agencyCode)
      .executeTakeFirstOrThrow();
    const person = await t.db
      .selectFrom('people')
      .selectAll()
      .where('employee_number', '=', p.employeeNumber)
      .executeTakeFirstOrThrow();
    const mailId = `lh${uniq()}`;
    // An account from before (e.g. migrated): HR cannot create one for a public institution any more.
    await t.db
      .insertInto('accounts')
      .values({
        person_id: person.id,
        agency_id: agency.id,
        local_part: mailId,
        domain: 'korea.kr',
        real_name: '류시원',
        state: 'pending',
        created_at: new Date(START),
        updated_at: new Date(START),
      })
      .execute();
    const r = await verify(t, mailId, 'AAAA-BBBB-CCCC');
    assert.equal(r.statusCode, 403);
    assert.equal(json(r).code, 'ERR_SIGNUP_ORG_NOT_ELIGIBLE');
    assert.equal((json(r) as { details: { agency: string } }).details.agency, agency.name);
    const [entry] = await auditOf(t.db, 'signup.code.check');
    assert.equal(entry?.code, 'ERR_SIGNUP_ORG_NOT_ELIGIBLE');
  });

  it('refuses a wrong one-time code, an expired one and one past its attempts, each with its code', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    for (let i = 0; i < 4; i++)
      assert.equal(json(await verify(t, cand.mailId!, 'WRNG-WRNG-WRNG')).code, 'ERR_SIGNUP_CODE_INVALID');
    assert.equal(
      json(await verify(t, cand.mailId!, 'WRNG-WRNG-WRNG')).code,
      'ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED',
    );
    // now even the right code is refused
    assert.equal(json(await verify(t, cand.mailId!, cand.code)).code, 'ERR_SIGNUP_CODE_ATTEMPTS_EXCEEDED');

    const late = await signupCandidate(t.db);
    t.clock.advance(73 * 3_600_000);
    assert.equal(json(await verify(t, late.mailId!, late.code)).code, 'ERR_SIGNUP_CODE_EXPIRED');
  });

  it('refuses a spent or expired sign-up token with ERR_AUTH_SIGNUP_TOKEN_INVALID', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    const v = json(await verify(t, cand.mailId!, cand.code)) as { signupToken: string };
    t.clock.advance(16 * 60_000);
    const c = await challenge(t, 'register');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signup/certificate',
      payload: { signupToken: v.signupToken, ...prove(await pki.issue('gpki', '류시원'), c) },
    });
    assert.equal(json(r).code, 'ERR_AUTH_SIGNUP_TOKEN_INVALID');
  });

  it('refuses a login challenge for registration (wrong purpose) with ERR_AUTH_CHALLENGE_INVALID', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    const v = json(await verify(t, cand.mailId!, cand.code)) as { signupToken: string };
    const c = await challenge(t, 'login');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signup/certificate',
      payload: { signupToken: v.signupToken, ...prove(await pki.issue('gpki', '류시원'), c) },
    });
    assert.equal(json(r).code, 'ERR_AUTH_CHALLENGE_INVALID');
  });

  it('refuses a certificate already registered to another account with ERR_AUTH_CERT_ALREADY_REGISTERED', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const user = await pki.issue('gpki', '류시원');
    assert.equal((await signup(t, await signupCandidate(t.db), user)).statusCode, 200);
    const r = await signup(t, await signupCandidate(t.db), user);
    assert.equal(json(r).code, 'ERR_AUTH_CERT_ALREADY_REGISTERED');
  });

  it('registers a renewed certificate of the same person with the session, replacing the old one', async () => {
    const pki = await testPki();
    const t = await authServer(suite.db, pki);
    const cand = await signupCandidate(t.db);
    const old = await pki.issue('gpki', '류시원');
    assert.equal((await signup(t, cand, old)).statusCode, 200);
    const l = await login(t, old);
    const token = sessionCookie(l);
    const renewed = await pki.issue('gpki', '류시원');
    const renew = async (user: typeof renewed, headers: Record<string, string>) => {
      const c = await challenge(t, 'register');
      return t.app.inject({
        method: 'POST',
        url: '/api/v1/signup/certificate',
        payload: prove(user, c),
        cookies: { [SESSION_COOKIE]: token },
        headers,
      });
    };
    const csrf = { origin: PUBLIC_URL, 'x-csrf-token': csrfTokenFor(token) };
    assert.equal(json(await renew(renewed, { origin: PUBLIC_URL })).code, 'ERR_AUTH_CSRF_REFUSED');
    assert.equal(json(await renew(await pki.issue('gpki', '김민준'), csrf)).code, 'ERR_AUTH_NAME_MISMATCH');
    const r = await renew(renewed, csrf);
    assert.equal(r.statusCode, 200, r.body);
    const regs = await t.db
      .selectFrom('certificate_registrations')
      .selectAll()
      .where('account_id', '=', cand.accountId!)
      .orderBy('registered_at')
      .execute();
    assert.equal(regs.length, 2);
    assert.ok(
      regs.some((x) => x.replaced_at !== null && x.serial === old.serial.replace(/^0+/, '')) ||
        regs.filter((x) => x.replaced_at).length === 1,
    );
    assert.equal((await auditOf(t.db, 'certificate.renew'))[0]?.outcome, 'success');
    assert.equal(json(await login(t, old)).code, 'ERR_AUTH_CERT_NOT_REGISTERED');
    assert.equal((await login(t, renewed)).statusCode, 200);
  });
});
