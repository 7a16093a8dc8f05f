// Support: the help desk number (public) and each agency's security officer (보안담당관), set by the
// administrator and shown only to the officials of that agency.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { createSession } from '../src/domain/auth/sessions.ts';
import { activate, json, seedPerson, type TestServer, testServer } from './helpers.ts';

const COOKIE = '__Host-gongjik-session';
const OFFICER = { name: '김보안', phone: '044-205-1234', email: 'security@mois.go.kr' };

async function signedIn(t: TestServer) {
  const p = await seedPerson(t.db);
  await activate(t.db, p.accountId!);
  const session = await createSession(t.db, p.accountId!, {
    method: 'certificate',
    now: t.clock.now(),
    policy: t.config.sessions,
    ip: '192.0.2.1',
    userAgent: 'test',
  });
  return { ...p, cookies: { [COOKIE]: session.token } };
}

const patch = (t: TestServer, agencyCode: string, payload: object, token = t.adminToken) =>
  t.app.inject({
    method: 'PATCH',
    url: `/api/v1/admin/agencies/${agencyCode}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    payload,
  });

const support = async (t: TestServer, cookies: Record<string, string>) => {
  const r = await t.app.inject({ method: 'GET', url: '/api/v1/support', cookies });
  assert.equal(r.statusCode, 200, r.body);
  return json(r) as { helpDesk: { phone: string }; securityOfficer: Record<string, string> | null };
};

const officerRow = (t: TestServer, code: string) =>
  t.db
    .selectFrom('agencies')
    .select(['name', 'security_officer_name', 'security_officer_phone', 'security_officer_email'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();

forEachDatabase('support: help desk and security officers', (suite) => {
  it('the admin sets an agency’s security officer; its officials see it, another agency’s see none', async () => {
    const t = await testServer(suite.db);
    const mine = await signedIn(t);
    const other = await signedIn(t);
    assert.deepEqual(await support(t, mine.cookies), {
      helpDesk: { phone: '1600-3373' },
      securityOfficer: null,
    });
    const r = await patch(t, mine.agencyCode, { securityOfficer: OFFICER });
    assert.equal(r.statusCode, 200, r.body);
    const body = json(r) as { agency: { securityOfficer: unknown; code: string }; changed: boolean };
    assert.equal(body.changed, true);
    assert.deepEqual(body.agency.securityOfficer, OFFICER);
    // the same again changes nothing
    assert.equal(
      (json(await patch(t, mine.agencyCode, { securityOfficer: OFFICER })) as { changed: boolean }).changed,
      false,
    );
    const agencyName = (await officerRow(t, mine.agencyCode)).name;
    assert.deepEqual(await support(t, mine.cookies), {
      helpDesk: { phone: '1600-3373' },
      securityOfficer: { ...OFFICER, agency: agencyName },
    });
    assert.equal((await support(t, other.cookies)).securityOfficer, null);
    // the admin list shows it too
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    const listed = (json(list).agencies as { code: string; securityOfficer: unknown }[]).find(
      (a) => a.code === mine.agencyCode,
    );
    assert.deepEqual(listed?.securityOfficer, OFFICER);
    // null removes it
    const cleared = await patch(t, mine.agencyCode, { securityOfficer: null });
    assert.equal(cleared.statusCode, 200, cleared.body);
    assert.equal((json(cleared) as { agency: { securityOfficer: unknown } }).agency.securityOfficer, null);
    assert.equal((await support(t, mine.cookies)).securityOfficer, null);
  });

  it('writes an audit entry with the old and new officer', async () => {
    const t = await testServer(suite.db);
    const p = await signedIn(t);
    assert.equal((await patch(t, p.agencyCode, { securityOfficer: OFFICER })).statusCode, 200);
    const next = { ...OFFICER, phone: '02-2100-3399' };
    assert.equal((await patch(t, p.agencyCode, { securityOfficer: next })).statusCode, 200);
    const entries = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('target', '=', `agency:${p.agencyCode}`)
      .where('action', '=', 'directory.agency.update')
      .orderBy('id')
      .execute();
    assert.equal(entries.length, 2);
    assert.match(entries[0]!.actor, /^admin/);
    assert.deepEqual(entries[0]!.details, { securityOfficer: { from: null, to: OFFICER } });
    assert.deepEqual(entries[1]!.details, { securityOfficer: { from: OFFICER, to: next } });
  });

  it('refuses an invalid phone, e-mail or name with ERR_INPUT_INVALID and changes nothing', async () => {
    const t = await testServer(suite.db);
    const p = await signedIn(t);
    assert.equal((await patch(t, p.agencyCode, { securityOfficer: OFFICER })).statusCode, 200);
    const before = await officerRow(t, p.agencyCode);
    const bad = [
      { ...OFFICER, phone: '1234' },
      { ...OFFICER, phone: '044-205-12a4' },
      { ...OFFICER, phone: '044--205-1234' },
      { ...OFFICER, phone: '0442051234567890' },
      { ...OFFICER, email: 'not-an-address' },
      { ...OFFICER, email: 'a@b' },
      { ...OFFICER, name: '' },
      { ...OFFICER, name: '가'.repeat(51) },
      { name: OFFICER.name, phone: OFFICER.phone },
      { ...OFFICER, extra: 'x' },
    ];
    for (const securityOfficer of bad) {
      const r = await patch(t, p.agencyCode, { securityOfficer, name: '바뀌면 안 됨' });
      assert.equal(r.statusCode, 400, JSON.stringify(securityOfficer));
      assert.equal(json(r).code, 'ERR_INPUT_INVALID', JSON.stringify(securityOfficer));
      assert.match(r.headers['content-type'] as string, /application\/problem\+json/);
    }
    assert.deepEqual(await officerRow(t, p.agencyCode), before);
    assert.deepEqual((await support(t, p.cookies)).securityOfficer, { ...OFFICER, agency: before.name });
  });

  it('refuses the change without the admin token (a session or an HR key is not enough)', async () => {
    const t = await testServer(suite.db);
    const p = await signedIn(t);
    for (const token of ['', t.hrKey]) {
      const r = await patch(t, p.agencyCode, { securityOfficer: OFFICER }, token);
      assert.equal(r.statusCode, 401);
      assert.equal(json(r).code, 'ERR_AUTH_ADMIN_REQUIRED');
    }
    const bySession = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/agencies/${p.agencyCode}`,
      cookies: p.cookies,
      payload: { securityOfficer: OFFICER },
    });
    assert.equal(bySession.statusCode, 401);
    assert.equal(json(bySession).code, 'ERR_AUTH_ADMIN_REQUIRED');
    assert.equal((await officerRow(t, p.agencyCode)).security_officer_name, null);
  });

  it('answers the help desk number without a session; GET /api/v1/support needs one', async () => {
    const t = await testServer(suite.db, { GONGJIK_HELP_DESK_PHONE: '02-2100-3373' });
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/support/help-desk' });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(json(r), { helpDesk: { phone: '02-2100-3373' } });
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/support' });
    assert.equal(none.statusCode, 401);
    assert.equal(json(none).code, 'ERR_AUTH_SESSION_REQUIRED');
    const byAdmin = await t.app.inject({
      method: 'GET',
      url: '/api/v1/support',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    assert.equal(byAdmin.statusCode, 401);
  });

  it('defaults the help desk to 1600-3373 and refuses a configured number that is not a phone number', async () => {
    const t = await testServer(suite.db);
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/support/help-desk' });
    assert.deepEqual(json(r), { helpDesk: { phone: '1600-3373' } });
    await assert.rejects(
      testServer(suite.db, { GONGJIK_HELP_DESK_PHONE: 'call us' }),
      (err: { code?: string; details?: { field?: string } }) =>
        err.code === 'ERR_SERVER_CONFIG_INVALID' && err.details?.field === 'GONGJIK_HELP_DESK_PHONE',
    );
  });

  it('lists both support routes in the OpenAPI document', async () => {
    const t = await testServer(suite.db);
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' })) as {
      paths: Record<string, Record<string, unknown>>;
    };
    assert.ok(doc.paths['/api/v1/support']?.get);
    assert.ok(doc.paths['/api/v1/support/help-desk']?.get);
    assert.ok(doc.paths['/api/v1/admin/agencies/{agencyCode}']?.patch);
  });
});
