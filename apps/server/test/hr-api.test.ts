import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { createAgency } from '../src/domain/directory/agencies.ts';
import { revokeHrApiKey } from '../src/domain/hr/api-keys.ts';
import { json, type TestServer, testServer, uniq } from './helpers.ts';

async function agency(t: TestServer, type: 'central' | 'local' | 'education' | 'public' = 'central') {
  const code = `A${uniq()}`;
  await createAgency(
    t.db,
    { code, name: type === 'public' ? '한국공공공사' : '행정안전부', type },
    { actor: 'test', now: t.clock.now() },
  );
  return code;
}

const put = (t: TestServer, emp: string, payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'PUT',
    url: `/api/v1/hr/people/${emp}`,
    headers: { authorization: `Bearer ${t.hrKey}`, ...headers },
    payload,
  });

const auditCount = async (t: TestServer, target: string, action?: string) => {
  let q = t.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('target', '=', target);
  if (action) q = q.where('action', '=', action);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

forEachDatabase('HR integration API', (suite) => {
  it('refuses a request without an API key with ERR_HR_API_KEY_INVALID', async () => {
    const t = await testServer(suite.db);
    const r = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/hr/people/E1',
      payload: { agencyCode: 'X', realName: '김' },
    });
    assert.equal(r.statusCode, 401);
    assert.equal(json(r).code, 'ERR_HR_API_KEY_INVALID');
  });

  it('refuses a wrong API key with ERR_HR_API_KEY_INVALID', async () => {
    const t = await testServer(suite.db);
    const wrong = `gjhr_${'A'.repeat(43)}`;
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hr/people/E1',
      headers: { authorization: `Bearer ${wrong}` },
    });
    assert.equal(r.statusCode, 401);
    assert.equal(json(r).code, 'ERR_HR_API_KEY_INVALID');
  });

  it('refuses the admin token on the HR API, and a revoked HR key', async () => {
    const t = await testServer(suite.db);
    const asAdmin = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hr/people/E1',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    assert.equal(json(asAdmin).code, 'ERR_HR_API_KEY_INVALID');
    await revokeHrApiKey(t.db, t.hrKeyId, { actor: 'test', now: t.clock.now() });
    const revoked = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hr/people/E1',
      headers: { authorization: `Bearer ${t.hrKey}` },
    });
    assert.equal(json(revoked).code, 'ERR_HR_API_KEY_INVALID');
  });

  it('creates a person with an account in the default domain, audited, with the name in NFC', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const emp = `E${uniq()}`;
    const nfd = '류시원'.normalize('NFD');
    const r = await put(t, emp, {
      agencyCode: code,
      realName: nfd,
      mobile: '010-1234-5678',
      mailId: `ryu${emp.toLowerCase()}`,
    });
    assert.equal(r.statusCode, 201);
    const body = json(r) as {
      person: { realName: string; mobile: string; account: { address: string; state: string } };
    };
    assert.equal(body.person.realName, '류시원'.normalize('NFC'));
    assert.equal(body.person.mobile, '01012345678');
    assert.equal(body.person.account.address, `ryu${emp.toLowerCase()}@korea.kr`);
    assert.equal(body.person.account.state, 'pending');
    assert.equal(await auditCount(t, `person:${emp}`, 'directory.person.create'), 1);
    assert.equal(await auditCount(t, `account:ryu${emp.toLowerCase()}@korea.kr`, 'account.create'), 1);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target', '=', `person:${emp}`)
      .executeTakeFirstOrThrow();
    assert.match(audit.actor, /^hr:e-saram:/);
    assert.equal(
      (audit.details as { mobile: string }).mobile,
      '010****5678',
      'the audit log masks the mobile number',
    );
  });

  it('is idempotent: the same body twice is one change and one audit entry', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const emp = `E${uniq()}`;
    const body = { agencyCode: code, realName: '김민준', position: '사무관' };
    const first = await put(t, emp, body);
    const second = await put(t, emp, body);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 200);
    assert.equal(json(second).changed, false);
    assert.equal(await auditCount(t, `person:${emp}`), 1);
    const third = await put(t, emp, { ...body, position: '서기관' });
    assert.equal(json(third).changed, true);
    assert.equal(await auditCount(t, `person:${emp}`, 'directory.person.update'), 1);
  });

  it('replays the first response for a repeated Idempotency-Key and refuses the key on another request', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const emp = `E${uniq()}`;
    const key = `k-${uniq()}`;
    const a = await put(t, emp, { agencyCode: code, realName: '이서연' }, { 'idempotency-key': key });
    const b = await put(t, emp, { agencyCode: code, realName: '이서연' }, { 'idempotency-key': key });
    assert.equal(a.statusCode, 201);
    assert.equal(b.statusCode, 201, 'the replay carries the first status');
    assert.equal(b.headers['idempotent-replayed'], 'true');
    assert.deepEqual(json(b).person, json(a).person);
    const c = await put(t, emp, { agencyCode: code, realName: '이서윤' }, { 'idempotency-key': key });
    assert.equal(c.statusCode, 409);
    assert.equal(json(c).code, 'ERR_HR_IDEMPOTENCY_KEY_REUSED');
    assert.equal(await auditCount(t, `person:${emp}`), 1);
  });

  it('runs concurrent requests with the same Idempotency-Key once', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const emp = `E${uniq()}`;
    const rs = await Promise.all(
      Array.from({ length: 4 }, () =>
        put(t, emp, { agencyCode: code, realName: '박지호' }, { 'idempotency-key': 'same' }),
      ),
    );
    assert.deepEqual(
      rs.map((r) => r.statusCode),
      [201, 201, 201, 201],
    );
    assert.equal(rs.filter((r) => r.headers['idempotent-replayed'] === 'true').length, 3);
    assert.equal(await auditCount(t, `person:${emp}`), 1);
  });

  it('records a person of a public institution but refuses their account with ERR_SIGNUP_ORG_NOT_ELIGIBLE', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t, 'public');
    const emp = `E${uniq()}`;
    const withAccount = await put(t, emp, { agencyCode: code, realName: '정공공', mailId: `pub${uniq()}` });
    assert.equal(withAccount.statusCode, 403);
    assert.equal(json(withAccount).code, 'ERR_SIGNUP_ORG_NOT_ELIGIBLE');
    assert.equal(await auditCount(t, `person:${emp}`), 0, 'the refused request changed nothing');
    const recorded = await put(t, emp, { agencyCode: code, realName: '정공공' });
    assert.equal(recorded.statusCode, 201);
    assert.equal((json(recorded).person as { account: unknown }).account, null);
    const signup = await t.app.inject({
      method: 'POST',
      url: `/api/v1/hr/people/${emp}/signup-code`,
      headers: { authorization: `Bearer ${t.hrKey}` },
    });
    assert.equal(signup.statusCode, 403);
    assert.equal(json(signup).code, 'ERR_SIGNUP_ORG_NOT_ELIGIBLE');
  });

  it('refuses an unknown agency or department with their codes', async () => {
    const t = await testServer(suite.db);
    const r1 = await put(t, `E${uniq()}`, { agencyCode: 'NOPE', realName: '김' });
    assert.equal(json(r1).code, 'ERR_DIR_AGENCY_UNKNOWN');
    const code = await agency(t);
    const r2 = await put(t, `E${uniq()}`, { agencyCode: code, realName: '김', departmentCode: 'NOPE' });
    assert.equal(json(r2).code, 'ERR_DIR_DEPARTMENT_UNKNOWN');
  });

  it('refuses a mail address that belongs to someone else with ERR_DIR_ACCOUNT_ID_TAKEN', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const mailId = `dup${uniq()}`;
    assert.equal(
      (await put(t, `E${uniq()}`, { agencyCode: code, realName: '김하나', mailId })).statusCode,
      201,
    );
    const r = await put(t, `E${uniq()}`, { agencyCode: code, realName: '김두리', mailId });
    assert.equal(r.statusCode, 409);
    assert.equal(json(r).code, 'ERR_DIR_ACCOUNT_ID_TAKEN');
  });

  it('keeps the account’s real name equal to HR’s', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const emp = `E${uniq()}`;
    const mailId = `n${uniq()}`;
    await put(t, emp, { agencyCode: code, realName: '최유나', mailId });
    await put(t, emp, { agencyCode: code, realName: '최 유나' });
    const account = await t.db
      .selectFrom('accounts')
      .select('real_name')
      .where('local_part', '=', mailId)
      .executeTakeFirstOrThrow();
    assert.equal(account.real_name, '최 유나');
    const changeId = await put(t, emp, { agencyCode: code, realName: '최 유나', mailId: 'other' });
    assert.equal(json(changeId).code, 'ERR_DIR_ACCOUNT_ID_IMMUTABLE');
  });

  it('builds the department tree, moves a person, and refuses a loop', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const dept = (d: string, payload: object) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/hr/agencies/${code}/departments/${d}`,
        headers: { authorization: `Bearer ${t.hrKey}` },
        payload,
      });
    assert.equal((await dept('D1', { name: '디지털정부실' })).statusCode, 201);
    assert.equal((await dept('D2', { name: '디지털안전정책과', parentCode: 'D1' })).statusCode, 201);
    assert.equal(json(await dept('D2', { name: '디지털안전정책과', parentCode: 'D1' })).changed, false);
    const loop = await dept('D1', { name: '디지털정부실', parentCode: 'D2' });
    assert.equal(loop.statusCode, 409);
    assert.equal(json(loop).code, 'ERR_DIR_DEPARTMENT_CYCLE');

    const emp = `E${uniq()}`;
    await put(t, emp, { agencyCode: code, realName: '한지우', departmentCode: 'D1' });
    const moved = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/hr/people/${emp}/department`,
      headers: { authorization: `Bearer ${t.hrKey}` },
      payload: { departmentCode: 'D2' },
    });
    assert.equal(moved.statusCode, 200);
    assert.equal((json(moved).person as { departmentCode: string }).departmentCode, 'D2');
    assert.equal(await auditCount(t, `person:${emp}`, 'directory.person.move'), 1);
  });

  it('sets a retirement date, audited', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const emp = `E${uniq()}`;
    await put(t, emp, { agencyCode: code, realName: '윤도현' });
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/hr/people/${emp}/retirement`,
      headers: { authorization: `Bearer ${t.hrKey}` },
      payload: { retirementDate: '2026-06-30' },
    });
    assert.equal(r.statusCode, 200);
    assert.equal((json(r).person as { retirementDate: string }).retirementDate, '2026-06-30');
    assert.equal(await auditCount(t, `person:${emp}`, 'directory.person.retirement-date'), 1);
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/hr/people/${emp}/retirement`,
      headers: { authorization: `Bearer ${t.hrKey}` },
      payload: { retirementDate: '2026-02-30' },
    });
    assert.equal(json(bad).code, 'ERR_INPUT_INVALID');
  });

  it('issues a sign-up code once, stores only its hash, and does not replay it', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const emp = `E${uniq()}`;
    const mailId = `s${uniq()}`;
    await put(t, emp, { agencyCode: code, realName: '서하준', mailId });
    const issue = (headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/hr/people/${emp}/signup-code`,
        headers: { authorization: `Bearer ${t.hrKey}`, ...headers },
      });
    const r = await issue({ 'idempotency-key': 'issue-1' });
    assert.equal(r.statusCode, 201);
    assert.equal(r.headers['cache-control'], 'no-store');
    const issued = json(r) as { code: string; address: string; maxAttempts: number };
    assert.match(issued.code, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    assert.equal(issued.address, `${mailId}@korea.kr`);
    const rows = await t.db.selectFrom('signup_codes').selectAll().execute();
    assert.ok(
      rows.every(
        (row) =>
          !row.code_hash.includes(issued.code) && !row.code_hash.includes(issued.code.replace(/-/g, '')),
      ),
    );
    const stored = await t.db
      .selectFrom('hr_idempotency')
      .select('response')
      .where('idempotency_key', '=', 'issue-1')
      .executeTakeFirstOrThrow();
    assert.equal(
      (stored.response as { code: unknown }).code,
      null,
      'the idempotency record does not keep the code',
    );
    const replay = await issue({ 'idempotency-key': 'issue-1' });
    assert.equal(json(replay).code, null);
    assert.equal(json(replay).replayed, true);
    assert.equal(await auditCount(t, `account:${mailId}@korea.kr`, 'signup.code.issue'), 1);
  });

  it('refuses a sign-up code for a person without an account with ERR_SIGNUP_NO_ACCOUNT', async () => {
    const t = await testServer(suite.db);
    const code = await agency(t);
    const emp = `E${uniq()}`;
    await put(t, emp, { agencyCode: code, realName: '문지아' });
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/hr/people/${emp}/signup-code`,
      headers: { authorization: `Bearer ${t.hrKey}` },
    });
    assert.equal(json(r).code, 'ERR_SIGNUP_NO_ACCOUNT');
  });
});
