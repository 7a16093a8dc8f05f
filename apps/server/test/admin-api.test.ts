import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { json, type TestServer, testServer, uniq } from './helpers.ts';

const admin = (t: TestServer, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${t.adminToken}` },
    ...(payload ? { payload } : {}),
  });

forEachDatabase('admin API', (suite) => {
  it('refuses the admin API without the admin token, or with an HR key, with ERR_AUTH_ADMIN_REQUIRED', async () => {
    const t = await testServer(suite.db);
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/admin/agencies' });
    assert.equal(none.statusCode, 401);
    assert.equal(json(none).code, 'ERR_AUTH_ADMIN_REQUIRED');
    const hr = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/agencies',
      headers: { authorization: `Bearer ${t.hrKey}` },
    });
    assert.equal(json(hr).code, 'ERR_AUTH_ADMIN_REQUIRED');
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/audit',
      headers: { authorization: `Bearer gja_${'x'.repeat(43)}` },
    });
    assert.equal(json(wrong).code, 'ERR_AUTH_ADMIN_REQUIRED');
  });

  it('registers agencies of each type, lists them, and refuses a duplicate code', async () => {
    const t = await testServer(suite.db);
    const u = uniq();
    for (const type of ['central', 'local', 'education', 'public'] as const) {
      const r = await admin(t, 'POST', '/api/v1/admin/agencies', {
        code: `${type}${u}`,
        name: `${type} 기관`,
        type,
      });
      assert.equal(r.statusCode, 201);
      assert.equal(json(r).signupEligible, type !== 'public');
    }
    const dup = await admin(t, 'POST', '/api/v1/admin/agencies', {
      code: `central${u}`,
      name: 'x',
      type: 'central',
    });
    assert.equal(dup.statusCode, 409);
    assert.equal(json(dup).code, 'ERR_DIR_AGENCY_EXISTS');
    const list = json(await admin(t, 'GET', '/api/v1/admin/agencies')) as { agencies: { code: string }[] };
    assert.equal(list.agencies.filter((a) => a.code.endsWith(u)).length, 4);
    const bad = await admin(t, 'POST', '/api/v1/admin/agencies', { code: `x${u}`, name: 'x', type: 'bank' });
    assert.equal(json(bad).code, 'ERR_INPUT_INVALID');
  });

  it('creates an HR key shown once, lists it without the key, and revokes it', async () => {
    const t = await testServer(suite.db);
    const created = await admin(t, 'POST', '/api/v1/admin/hr-keys', {
      system: 'insaro',
      label: '서울시 인사랑',
    });
    assert.equal(created.statusCode, 201);
    const key = json(created) as { id: string; key: string };
    assert.match(key.key, /^gjhr_/);
    const list = await admin(t, 'GET', '/api/v1/admin/hr-keys');
    assert.ok(!list.body.includes(key.key));
    const ok = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hr/people/NOBODY',
      headers: { authorization: `Bearer ${key.key}` },
    });
    assert.equal(json(ok).code, 'ERR_DIR_PERSON_UNKNOWN', 'the new key is accepted');
    assert.equal((await admin(t, 'DELETE', `/api/v1/admin/hr-keys/${key.id}`)).statusCode, 204);
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/hr/people/NOBODY',
      headers: { authorization: `Bearer ${key.key}` },
    });
    assert.equal(json(refused).code, 'ERR_HR_API_KEY_INVALID');
  });

  it('queries the audit log by action, actor and time, newest first, page by page', async () => {
    const t = await testServer(suite.db);
    const u = uniq();
    await admin(t, 'POST', '/api/v1/admin/agencies', { code: `Q${u}`, name: '감사 기관', type: 'central' });
    for (let i = 0; i < 5; i++) {
      t.clock.advance(60_000);
      await admin(t, 'PUT', `/api/v1/admin/people/P${u}${i}`, { agencyCode: `Q${u}`, realName: `감사${i}` });
    }
    const all = json(await admin(t, 'GET', `/api/v1/admin/audit?action=directory.person.create&limit=2`)) as {
      entries: { target: string; actor: string; at: string }[];
      nextCursor: string;
    };
    assert.equal(all.entries.length, 2);
    assert.ok(all.nextCursor);
    const seen = [...all.entries];
    let cursor: string | null = all.nextCursor;
    while (cursor) {
      const page = json(
        await admin(t, 'GET', `/api/v1/admin/audit?action=directory.person.create&limit=2&cursor=${cursor}`),
      ) as typeof all;
      seen.push(...page.entries);
      cursor = page.nextCursor;
    }
    const mine = seen.filter((e) => e.target.startsWith(`person:P${u}`));
    assert.deepEqual(
      mine.map((e) => e.target),
      [4, 3, 2, 1, 0].map((i) => `person:P${u}${i}`),
    );
    assert.match(mine[0]!.actor, /^admin:/);

    const from = new Date(new Date('2026-03-02T01:00:00Z').getTime() + 2 * 60_000).toISOString();
    const to = new Date(new Date('2026-03-02T01:00:00Z').getTime() + 4 * 60_000).toISOString();
    const window = json(
      await admin(
        t,
        'GET',
        `/api/v1/admin/audit?action=directory.*&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      ),
    ) as typeof all;
    assert.deepEqual(
      window.entries.filter((e) => e.target.startsWith(`person:P${u}`)).map((e) => e.target),
      [`person:P${u}2`, `person:P${u}1`],
    );
    const byActor = json(
      await admin(t, 'GET', `/api/v1/admin/audit?actor=${encodeURIComponent(mine[0]!.actor)}&limit=500`),
    ) as typeof all;
    assert.ok(byActor.entries.every((e) => e.actor === mine[0]!.actor));
    const badCursor = await admin(t, 'GET', '/api/v1/admin/audit?cursor=bm9wZQ');
    assert.equal(json(badCursor).code, 'ERR_INPUT_INVALID');
  });

  it('lists people with their accounts', async () => {
    const t = await testServer(suite.db);
    const u = uniq();
    await admin(t, 'POST', '/api/v1/admin/agencies', { code: `L${u}`, name: '목록 기관', type: 'local' });
    await admin(t, 'PUT', `/api/v1/admin/people/L${u}1`, {
      agencyCode: `L${u}`,
      realName: '목록일',
      mailId: `list${u}`,
    });
    const r = json(await admin(t, 'GET', `/api/v1/admin/people?agency=L${u}`)) as {
      people: { account: { address: string } }[];
    };
    assert.equal(r.people.length, 1);
    assert.equal(r.people[0]!.account.address, `list${u}@korea.kr`);
  });
});
