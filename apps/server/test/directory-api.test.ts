// The directory lookups officials use to address mail: people search (autocomplete) and the
// agency's department tree (조직도). Session only; only people who can receive mail; never mobile
// numbers, employee numbers or retirement dates.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { applyRetirements } from '../src/domain/accounts/retirement.ts';
import { createSession } from '../src/domain/auth/sessions.ts';
import { createAgency } from '../src/domain/directory/agencies.ts';
import { upsertDepartment } from '../src/domain/directory/departments.ts';
import { likeEscape } from '../src/domain/directory/lookup.ts';
import { upsertPerson } from '../src/domain/directory/people.ts';
import { activate, json, START, type TestServer, testServer, uniq } from './helpers.ts';

const COOKIE = '__Host-gongjik-session';

interface Person {
  name: string;
  address: string;
  agency: string;
  department: string | null;
  position: string | null;
  head: boolean;
}

/**
 * Two agencies. In the caller's: a parent and a child department, an active head, an active
 * official with a mobile number, a pending one (no sign-up yet), one retiring tomorrow and retired,
 * a locked one. In the other: an active official with the same family name.
 */
async function seed(t: TestServer) {
  const u = uniq();
  // Hangul syllables made from the suffix: the suite's tests share a database, names must not collide.
  const h = [...u].map((c) => String.fromCharCode(0xac00 + Number.parseInt(c, 16) * 28 * 3)).join('');
  const ctx = { actor: 'test', now: new Date(START) };
  const settings = { mailDomain: 'korea.kr' };
  const agency = `A${u}`;
  const other = `B${u}`;
  await createAgency(t.db, { code: agency, name: `행정안전부${u}`, type: 'central' }, ctx);
  await createAgency(t.db, { code: other, name: `서울특별시${u}`, type: 'local' }, ctx);
  await upsertDepartment(t.db, agency, 'DGOV', { name: `디지털정부혁신실${h}` }, ctx);
  await upsertDepartment(t.db, agency, 'POL', { name: `디지털정부정책과${h}`, parentCode: 'DGOV' }, ctx);
  await upsertDepartment(t.db, other, 'INFO', { name: '정보기획관' }, ctx);
  const person = async (
    code: string,
    n: string,
    realName: string,
    extra: Record<string, unknown>,
    state: 'active' | 'pending' | 'locked' = 'active',
  ) => {
    const r = await upsertPerson(
      t.db,
      `E${n}${u}`,
      { agencyCode: code, realName, mailId: `m${n}${u}`, ...extra },
      ctx,
      settings,
    );
    const id = r.person.account!.id;
    if (state === 'active') await activate(t.db, id);
    if (state === 'locked')
      await t.db.updateTable('accounts').set({ state: 'locked' }).where('id', '=', id).execute();
    return { id, address: `m${n}${u}@korea.kr` };
  };
  const caller = await person(agency, '1', `류${h}시원`, { departmentCode: 'POL', mobile: '01012345678' });
  const head = await person(agency, '2', `김${h}민준`, {
    departmentCode: 'DGOV',
    position: '실장',
    isDepartmentHead: true,
    mobile: '01098765432',
  });
  const pending = await person(agency, '3', `김${h}대기`, { departmentCode: 'POL' }, 'pending');
  const retired = await person(agency, '4', `김${h}퇴직`, {
    departmentCode: 'POL',
    retirementDate: '2026-03-02',
  });
  const locked = await person(agency, '5', `김${h}잠금`, { departmentCode: 'POL' }, 'locked');
  const outside = await person(other, '6', `김${h}서울`, { departmentCode: 'INFO' });
  const noDept = await person(agency, '7', `김${h}무소속`, {});
  await applyRetirements(t.db, new Date('2026-03-02T03:00:00Z'));
  const session = await createSession(t.db, caller.id, {
    method: 'certificate',
    now: t.clock.now(),
    policy: t.config.sessions,
    ip: '192.0.2.1',
    userAgent: 'test',
  });
  return {
    u,
    h,
    agency,
    caller,
    head,
    pending,
    retired,
    locked,
    outside,
    noDept,
    cookies: { [COOKIE]: session.token },
  };
}

async function search(t: TestServer, cookies: Record<string, string>, q: string, limit?: number) {
  const r = await t.app.inject({
    method: 'GET',
    url: `/api/v1/directory/people?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`,
    cookies,
  });
  assert.equal(r.statusCode, 200, r.body);
  return { people: json(r).people as Person[], raw: r.body };
}

forEachDatabase('directory lookups', (suite) => {
  it('refuses both lookups without a session with ERR_AUTH_SESSION_REQUIRED', async () => {
    const t = await testServer(suite.db);
    await seed(t);
    for (const url of ['/api/v1/directory/people?q=%EA%B9%80', '/api/v1/directory/tree']) {
      const r = await t.app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 401, url);
      assert.equal(json(r).code, 'ERR_AUTH_SESSION_REQUIRED');
      const forged = await t.app.inject({ method: 'GET', url, cookies: { [COOKIE]: 'x'.repeat(43) } });
      assert.equal(forged.statusCode, 401, url);
    }
  });

  it('refuses an HR key or admin token in place of a session', async () => {
    const t = await testServer(suite.db);
    for (const token of [t.adminToken, t.hrKey]) {
      const r = await t.app.inject({
        method: 'GET',
        url: '/api/v1/directory/tree',
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(r.statusCode, 401);
      assert.equal(json(r).code, 'ERR_AUTH_SESSION_REQUIRED');
    }
  });

  it('finds people who can receive mail by name, own agency first, never pending, locked or retired ones', async () => {
    const t = await testServer(suite.db);
    const s = await seed(t);
    const { people, raw } = await search(t, s.cookies, `김${s.h}`);
    const addresses = people.map((p) => p.address);
    assert.deepEqual(addresses, [s.noDept.address, s.head.address, s.outside.address]);
    assert.deepEqual(people[1], {
      name: `김${s.h}민준`,
      address: s.head.address,
      agency: `행정안전부${s.u}`,
      department: `디지털정부혁신실${s.h}`,
      position: '실장',
      head: true,
    });
    for (const hidden of [s.pending, s.retired, s.locked]) assert.ok(!raw.includes(hidden.address));
    assert.ok(!raw.includes('01098765432') && !raw.includes('010-'), 'no mobile number');
    assert.ok(!raw.includes(`E2${s.u}`), 'no employee number');
  });

  it('finds people by the start of their mail id (also typed with the domain) and by department name', async () => {
    const t = await testServer(suite.db);
    const s = await seed(t);
    assert.deepEqual(
      (await search(t, s.cookies, `m2${s.u}`)).people.map((p) => p.address),
      [s.head.address],
    );
    assert.deepEqual(
      (await search(t, s.cookies, `M2${s.u}@korea`)).people.map((p) => p.address),
      [s.head.address],
    );
    // only the start of the mail id: the middle does not match
    assert.deepEqual((await search(t, s.cookies, `2${s.u}`)).people, []);
    const byDept = (await search(t, s.cookies, `정책과${s.h}`)).people.map((p) => p.address);
    assert.deepEqual(byDept, [s.caller.address]);
  });

  it('takes % and _ literally and bounds the results', async () => {
    const t = await testServer(suite.db);
    const s = await seed(t);
    assert.deepEqual((await search(t, s.cookies, '%')).people, []);
    assert.deepEqual((await search(t, s.cookies, '_')).people, []);
    assert.equal(likeEscape('a%b_c\\'), 'a\\%b\\_c\\\\');
    assert.equal((await search(t, s.cookies, `김${s.h}`, 1)).people.length, 1);
    const tooMany = await t.app.inject({
      method: 'GET',
      url: '/api/v1/directory/people?q=a&limit=21',
      cookies: s.cookies,
    });
    assert.equal(tooMany.statusCode, 400);
    assert.equal(json(tooMany).code, 'ERR_INPUT_INVALID');
    const long = await t.app.inject({
      method: 'GET',
      url: `/api/v1/directory/people?q=${'가'.repeat(65)}`,
      cookies: s.cookies,
    });
    assert.equal(json(long).code, 'ERR_INPUT_INVALID');
    const empty = await t.app.inject({
      method: 'GET',
      url: '/api/v1/directory/people?q=',
      cookies: s.cookies,
    });
    assert.equal(json(empty).code, 'ERR_INPUT_INVALID');
  });

  it('gives the caller’s agency as a department tree with its reachable people, nothing of other agencies', async () => {
    const t = await testServer(suite.db);
    const s = await seed(t);
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/directory/tree', cookies: s.cookies });
    assert.equal(r.statusCode, 200);
    const tree = json(r) as unknown as {
      agency: { code: string; name: string };
      departments: { code: string; name: string; parentCode: string | null; people: Person[] }[];
      unassigned: Person[];
      truncated: boolean;
    };
    assert.deepEqual(tree.agency, { code: s.agency, name: `행정안전부${s.u}` });
    assert.deepEqual(
      tree.departments.map((d) => [d.code, d.parentCode, d.people.map((p) => p.name)]),
      [
        ['POL', 'DGOV', [`류${s.h}시원`]],
        ['DGOV', null, [`김${s.h}민준`]],
      ],
    );
    assert.deepEqual(
      tree.unassigned.map((p) => p.name),
      [`김${s.h}무소속`],
    );
    assert.equal(tree.truncated, false);
    for (const hidden of [s.pending, s.retired, s.locked, s.outside])
      assert.ok(!r.body.includes(hidden.address));
    assert.ok(!r.body.includes('0101234') && !r.body.includes('0109876'), 'no mobile number');
    assert.ok(!r.body.includes('retirement'), 'no retirement dates');
  });

  it('is documented in the OpenAPI description with the session scheme', async () => {
    const t = await testServer(suite.db);
    const doc = json(await t.app.inject({ method: 'GET', url: '/api/openapi.json' })) as {
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    assert.ok(doc.paths['/api/v1/directory/people']?.get);
    assert.ok(doc.paths['/api/v1/directory/tree']?.get);
    assert.deepEqual(
      doc.paths['/api/v1/directory/tree']!.get!.security,
      doc.paths['/api/v1/auth/sessions']!.get!.security,
    );
  });
});
