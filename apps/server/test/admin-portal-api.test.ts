import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { json, seedPerson, type TestServer, testServer, uniq } from './helpers.ts';

const admin = (t: TestServer, method: 'GET' | 'PUT', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${t.adminToken}` },
    ...(payload ? { payload } : {}),
  });

forEachDatabase('admin portal API', (suite) => {
  it('lets an administrator create departments under a parent, and refuses a loop with ERR_DIR_DEPARTMENT_CYCLE', async () => {
    const t = await testServer(suite.db);
    const { agencyCode } = await seedPerson(suite.db);
    const top = await admin(t, 'PUT', `/api/v1/admin/agencies/${agencyCode}/departments/D100`, {
      name: '디지털정부국',
    });
    assert.equal(top.statusCode, 201);
    const child = await admin(t, 'PUT', `/api/v1/admin/agencies/${agencyCode}/departments/D110`, {
      name: '디지털정부정책과',
      parentCode: 'D100',
    });
    assert.equal(child.statusCode, 201);
    assert.equal((json(child).department as { parentCode: string }).parentCode, 'D100');
    const again = await admin(t, 'PUT', `/api/v1/admin/agencies/${agencyCode}/departments/D110`, {
      name: '디지털정부정책과',
      parentCode: 'D100',
    });
    assert.equal(again.statusCode, 200);
    assert.equal(json(again).changed, false);
    const loop = await admin(t, 'PUT', `/api/v1/admin/agencies/${agencyCode}/departments/D100`, {
      name: '디지털정부국',
      parentCode: 'D110',
    });
    assert.equal(json(loop).code, 'ERR_DIR_DEPARTMENT_CYCLE');
    const noAuth = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/agencies/${agencyCode}/departments/D200`,
      payload: { name: 'x' },
    });
    assert.equal(json(noAuth).code, 'ERR_AUTH_ADMIN_REQUIRED');
  });

  it('lists a person’s certificate registrations newest first, with replaced and revoked marks', async () => {
    const t = await testServer(suite.db);
    const { employeeNumber, accountId } = await seedPerson(suite.db);
    const empty = await admin(t, 'GET', `/api/v1/admin/people/${employeeNumber}/certificates`);
    assert.deepEqual(json(empty), { certificates: [] });
    const base = {
      account_id: accountId!,
      issuer: 'CN=CA131100001',
      class: 'gpki-personal',
      subject_name: '류시원',
      not_after: new Date('2027-03-01T00:00:00Z'),
    };
    await suite.db
      .insertInto('certificate_registrations')
      .values([
        {
          ...base,
          fingerprint_sha256: `a${uniq()}`,
          serial: '01',
          registered_at: new Date('2025-01-01T00:00:00Z'),
          replaced_at: new Date('2026-01-01T00:00:00Z'),
        },
        {
          ...base,
          fingerprint_sha256: `b${uniq()}`,
          serial: '02',
          registered_at: new Date('2026-01-01T00:00:00Z'),
          revoked_at: new Date('2026-02-01T00:00:00Z'),
          revoke_reason: 'retired',
        },
      ])
      .execute();
    const r = json(await admin(t, 'GET', `/api/v1/admin/people/${employeeNumber}/certificates`)) as {
      certificates: { serial: string; replacedAt: string | null; revokeReason: string | null }[];
    };
    assert.deepEqual(
      r.certificates.map((c) => [c.serial, c.replacedAt !== null, c.revokeReason]),
      [
        ['02', false, 'retired'],
        ['01', true, null],
      ],
    );
    const unknown = await admin(t, 'GET', '/api/v1/admin/people/NOBODY/certificates');
    assert.equal(json(unknown).code, 'ERR_DIR_PERSON_UNKNOWN');
  });

  it('filters the audit log by outcome', async () => {
    const t = await testServer(suite.db);
    const u = uniq();
    await suite.db
      .insertInto('audit_log')
      .values([
        { at: new Date(), actor: `test:${u}`, action: 'test.outcome', outcome: 'refused', code: 'ERR_X' },
        { at: new Date(), actor: `test:${u}`, action: 'test.outcome', outcome: 'success' },
      ])
      .execute();
    const r = json(await admin(t, 'GET', `/api/v1/admin/audit?actor=test:${u}&outcome=refused`)) as {
      entries: { outcome: string }[];
    };
    assert.deepEqual(
      r.entries.map((e) => e.outcome),
      ['refused'],
    );
    const bad = await admin(t, 'GET', '/api/v1/admin/audit?outcome=maybe');
    assert.equal(json(bad).code, 'ERR_INPUT_INVALID');
  });
});
