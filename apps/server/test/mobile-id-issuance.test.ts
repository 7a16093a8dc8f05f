import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  buildCredentialRequest,
  createProofJwt,
  findIssuerKey,
  GATE_CONFIGURATION,
  generateDeviceKey,
  OFFICIAL_ID_CONFIGURATION,
  parseJws,
  presentSdJwt,
  STATUS_INVALID,
  STATUS_VALID,
  splitSdJwt,
  verifyJwsSignature,
  verifySdJwtPresentation,
  verifyStatusListToken,
} from '@gongjik/mobile-id';
import type { Db } from '../src/domain/db.ts';
import { upsertPerson } from '../src/domain/directory/people.ts';
import {
  asAdmin,
  asHr,
  call,
  type MidServer,
  midServer,
  newWallet,
  offerFor,
  outboxFor,
  PIN,
  requestCard,
  seedOrg,
} from './mobile-id-helpers.ts';

const rejectsWith = async (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (err: { code?: string }) => {
    assert.equal(err.code, code);
    return true;
  });

async function auditActions(db: Db, target: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['action', 'outcome'])
    .where('target', '=', target)
    .orderBy('id')
    .execute();
  return rows.map((r) => (r.outcome === 'success' ? r.action : `${r.action}:${r.outcome}`));
}

/** Token endpoint by hand (the wallet does the same). */
const token = (t: MidServer, code: string, txCode?: string) =>
  call(t, 'POST', '/api/v1/mid/token', {
    form: {
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
      ...(txCode === undefined ? {} : { tx_code: txCode }),
    },
  });

const offerIdOf = (installUrl: string) =>
  decodeURIComponent(new URL(installUrl).searchParams.get('credential_offer_uri')!).split('/').pop()!;

async function statusOf(t: MidServer, uri: string, idx: number): Promise<number> {
  const jwks = (await call(t, 'GET', '/api/v1/mid/jwks')).body as never;
  const res = await fetch(uri, { headers: { 'cache-control': 'no-cache' } });
  assert.equal(res.headers.get('content-type'), 'application/statuslist+jwt');
  const list = await verifyStatusListToken(await res.text(), { issuerKeys: jwks, uri, now: t.clock.now() });
  return list.list.get(idx);
}

forEachDatabase('mobile ID: issuance', (suite) => {
  let t: MidServer;
  before(async () => {
    t = await midServer(suite.db);
  });
  after(() => t.close());

  it('issues a card end to end: HR request → head approval → SMS link and separate code → headless wallet over HTTP', async () => {
    const org = await seedOrg(t);
    const requestId = await requestCard(t, org.member.employeeNumber);
    const queue = await call(t, 'GET', '/api/v1/mid/approvals', { headers: org.head.session });
    assert.ok(
      (queue.body.pending as { id: string }[]).some((r) => r.id === requestId),
      'in the head’s queue',
    );
    const approved = await call(t, 'POST', `/api/v1/mid/requests/${requestId}/approve`, {
      headers: org.head.session,
      body: { note: '확인함' },
    });
    assert.equal(approved.status, 200);
    assert.equal(approved.body.state, 'offered');
    assert.equal(approved.body.decidedByEmployee, org.head.employeeNumber);
    assert.ok(approved.body.identityCheckedAt && approved.body.offeredAt && approved.body.offerExpiresAt);

    // Two messages: the install link (wallet origin + offer by reference), and the code alone.
    const sms = await outboxFor(t, requestId);
    assert.equal(sms.messages.length, 2);
    assert.equal(sms.install.to, '01012345678');
    assert.equal(sms.install.state, 'stored');
    assert.ok(sms.url.startsWith('https://wallet.test.korea.kr/install?credential_offer_uri='));
    assert.ok(decodeURIComponent(sms.url).includes(`${t.url}/api/v1/mid/offers/`));
    assert.ok(!sms.install.body.includes(sms.txCode), 'the code is not in the install message');
    assert.ok(!/https?:/.test(sms.code.body), 'the code message has no link');

    const { wallet } = newWallet(t);
    let shown: unknown;
    const card = await wallet.install(sms.url, sms.txCode, {
      pin: PIN,
      confirm: (p) => {
        shown = p;
        return true;
      },
    });
    assert.deepEqual(shown, {
      name: '류시원',
      employeeNumber: org.member.employeeNumber,
      agency: { name: (card.claims.agency as { name: string }).name, code: org.agencyCode },
      department: '디지털안전정책과',
      position: '행정사무관',
    });
    assert.equal(card.issuer, t.url);
    assert.equal(card.claims.employee_number, org.member.employeeNumber);
    assert.ok(card.gate && card.pinEndpoints);

    // The credentials verify with the published keys; SD-JWT VC and gate credential share cnf and status.
    const jwks = (await call(t, 'GET', '/api/v1/mid/jwks')).body as never;
    const sd = parseJws(splitSdJwt(card.sdJwt).jwt, 'sd').payload;
    const gate = parseJws(card.gate!, 'gate').payload;
    const sdJwt = splitSdJwt(card.sdJwt).jwt;
    const kid = parseJws(sdJwt, 'sd').header.kid;
    assert.ok(await verifyJwsSignature(sdJwt, findIssuerKey(jwks, kid)));
    assert.ok(await verifyJwsSignature(card.gate!, findIssuerKey(jwks, kid)));
    assert.deepEqual(gate.status, sd.status);
    assert.deepEqual(gate.cnf, sd.cnf);
    const status = (sd.status as { status_list: { idx: number; uri: string } }).status_list;
    assert.equal(await statusOf(t, status.uri, status.idx), STATUS_VALID);

    // States, timestamps and actors: HR, the head and the holder see the same request.
    const byHr = await call(t, 'GET', `/api/v1/hr/mobile-id/requests/${requestId}`, { headers: asHr(t) });
    assert.equal(byHr.body.state, 'issued');
    assert.ok(byHr.body.issuedAt);
    assert.match(String(byHr.body.requestedBy), /^hr:e-saram:/);
    const decided = await call(t, 'GET', '/api/v1/mid/approvals', { headers: org.head.session });
    assert.equal(
      (decided.body.decided as { id: string; state: string }[]).find((r) => r.id === requestId)?.state,
      'issued',
    );
    const mine = await call(t, 'GET', '/api/v1/mid/me', { headers: org.member.session });
    const me = mine.body as {
      card: { state: string; pinSet: boolean; status: { idx: number } };
      requests: { id: string }[];
    };
    assert.equal(me.card.state, 'active');
    assert.equal(me.card.pinSet, true);
    assert.equal(me.card.status.idx, status.idx);
    assert.equal(me.requests[0]!.id, requestId);

    // Every step is in the audit log.
    const actions = await auditActions(t.db, `person:${org.member.employeeNumber}`);
    for (const a of [
      'mid.request.create',
      'mid.request.approve',
      'mid.request.identity-check',
      'mid.offer.create',
      'mid.offer.redeem',
      'mid.card.issue',
      'mid.credential.issue',
      'mid.pin.set',
    ]) {
      assert.ok(actions.includes(a), `${a} audited (${actions.join(', ')})`);
    }
    const queued = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'sms.queue')
      .execute();
    assert.ok(
      queued.filter((q) => (q.details as { ref?: string }).ref === `mid-request:${requestId}`).length === 2,
    );
    assert.ok(
      !JSON.stringify(await t.db.selectFrom('audit_log').select('details').execute()).includes(
        sms.txCode + '"',
      ),
      'the one-time code is never audited',
    );
  });

  it('verifies the issued SD-JWT VC presentation and refuses a tampered credential with its code', async () => {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const { wallet, storage } = newWallet(t);
    const card = await wallet.install(sms.url, sms.txCode, { pin: PIN });
    const jwks = (await call(t, 'GET', '/api/v1/mid/jwks')).body as never;
    const device = (await storage.get<{ privateKey: CryptoKey }>('device-key'))!;
    const present = (credential: string) =>
      presentSdJwt({
        credential,
        disclose: ['name', 'agency', 'employee_number'],
        audience: 'https://library.sejong.go.kr',
        nonce: 'n-0S6_WzA2MjQ1',
        devicePrivateKey: device.privateKey,
        now: t.clock.now(),
      });
    const verify = async (p: string) =>
      verifySdJwtPresentation(p, {
        issuerKeys: jwks,
        now: t.clock.now(),
        audience: 'https://library.sejong.go.kr',
        nonce: 'n-0S6_WzA2MjQ1',
        issuer: t.url,
      });
    const ok = await verify(await present(card.sdJwt));
    assert.equal(ok.claims.employee_number, org.member.employeeNumber);

    // Change the issuer-signed payload (another status index): the signature no longer holds.
    const [jwt, ...rest] = card.sdJwt.split('~');
    const [h, p, s] = jwt!.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.status.status_list.idx += 1;
    const forged = [
      [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.'),
      ...rest,
    ].join('~');
    await rejectsWith(verify(await present(forged)), 'ERR_MID_SIGNATURE_INVALID');
    // Swap a disclosure for one the issuer never signed.
    const fake = Buffer.from(JSON.stringify(['c2FsdHNhbHRzYWx0c2FsdA', 'name', '홍길동'])).toString(
      'base64url',
    );
    const swapped = card.sdJwt.replace(rest[0]!, fake);
    await rejectsWith(verify(await present(swapped)), 'ERR_MID_DISCLOSURE_INVALID');
  });

  it('refuses a wrong one-time code with ERR_MID_TX_CODE_INVALID (counted), then a reused offer with ERR_MID_OFFER_USED', async () => {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const wrong = sms.txCode === '000000' ? '111111' : '000000';
    await rejectsWith(newWallet(t).wallet.install(sms.url, wrong), 'ERR_MID_TX_CODE_INVALID');
    const offer = await t.db
      .selectFrom('mid_offers')
      .select('tx_attempts')
      .where('request_id', '=', sms.requestId)
      .executeTakeFirstOrThrow();
    assert.equal(offer.tx_attempts, 1);
    await newWallet(t).wallet.install(sms.url, sms.txCode, { pin: PIN });
    // The offer link and the code again: refused (by the offer endpoint, then the token endpoint).
    await rejectsWith(newWallet(t).wallet.install(sms.url, sms.txCode), 'ERR_MID_OFFER_USED');
    const direct = await token(t, offerIdOf(sms.url), sms.txCode);
    assert.equal(direct.status, 400);
    assert.equal(direct.body.error, 'invalid_grant');
    assert.equal(direct.body.code, 'ERR_MID_OFFER_USED');
    const refused = await t.db
      .selectFrom('audit_log')
      .select('code')
      .where('action', '=', 'mid.offer.redeem')
      .where('target', '=', `person:${org.member.employeeNumber}`)
      .where('outcome', '=', 'refused')
      .execute();
    assert.deepEqual(
      refused.map((r) => r.code),
      ['ERR_MID_TX_CODE_INVALID', 'ERR_MID_OFFER_USED'],
    );
  });

  it('cancels the offer after five wrong one-time codes with ERR_MID_TX_CODE_LOCKED, even for the right code', async () => {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const code = offerIdOf(sms.url);
    const wrong = sms.txCode === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++)
      assert.equal((await token(t, code, wrong)).body.code, 'ERR_MID_TX_CODE_INVALID');
    assert.equal((await token(t, code, wrong)).body.code, 'ERR_MID_TX_CODE_LOCKED');
    assert.equal((await token(t, code, sms.txCode)).body.code, 'ERR_MID_TX_CODE_LOCKED');
    const req = await call(t, 'GET', `/api/v1/hr/mobile-id/requests/${sms.requestId}`, { headers: asHr(t) });
    assert.equal(req.body.state, 'cancelled');
    assert.equal(req.body.cancelReason, 'tx-code-attempts');
  });

  it('refuses an expired offer with ERR_MID_OFFER_EXPIRED and marks the request expired', async () => {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const saved = t.clock.now();
    t.clock.advance(t.config.mobileId.offerTtlMs + 1000);
    try {
      await rejectsWith(newWallet(t).wallet.install(sms.url, sms.txCode), 'ERR_MID_OFFER_EXPIRED');
      const r = await token(t, offerIdOf(sms.url), sms.txCode);
      assert.equal(r.body.code, 'ERR_MID_OFFER_EXPIRED');
      const req = await call(t, 'GET', `/api/v1/hr/mobile-id/requests/${sms.requestId}`, {
        headers: asHr(t),
      });
      assert.equal(req.body.state, 'expired');
      assert.ok(req.body.expiredAt);
    } finally {
      t.clock.set(saved);
    }
  });

  it('refuses a head approving their own card (ERR_MID_SELF_APPROVAL); the parent department’s head may', async () => {
    const org = await seedOrg(t);
    const id = await requestCard(t, org.head.employeeNumber);
    const own = await call(t, 'POST', `/api/v1/mid/requests/${id}/approve`, {
      headers: org.head.session,
      body: {},
    });
    assert.equal(own.status, 403);
    assert.equal(own.body.code, 'ERR_MID_SELF_APPROVAL');
    const audited = await t.db
      .selectFrom('audit_log')
      .select(['outcome', 'code'])
      .where('action', '=', 'mid.request.approve')
      .where('target', '=', `person:${org.head.employeeNumber}`)
      .execute();
    assert.deepEqual(audited, [{ outcome: 'refused', code: 'ERR_MID_SELF_APPROVAL' }]);
    const byParent = await call(t, 'POST', `/api/v1/mid/requests/${id}/approve`, {
      headers: org.parentHead.session,
      body: {},
    });
    assert.equal(byParent.status, 200);
    assert.equal(byParent.body.state, 'offered');
  });

  it('refuses a decision by someone who is not the head of the requester’s department with ERR_MID_NOT_DEPARTMENT_HEAD', async () => {
    const org = await seedOrg(t);
    const id = await requestCard(t, org.member.employeeNumber);
    for (const who of [org.colleague, org.parentHead]) {
      const r = await call(t, 'POST', `/api/v1/mid/requests/${id}/reject`, {
        headers: who.session,
        body: {},
      });
      assert.equal(r.status, 403);
      assert.equal(r.body.code, 'ERR_MID_NOT_DEPARTMENT_HEAD');
    }
    const other = await seedOrg(t);
    const foreign = await call(t, 'POST', `/api/v1/mid/requests/${id}/approve`, {
      headers: other.head.session,
      body: {},
    });
    assert.equal(foreign.body.code, 'ERR_MID_NOT_DEPARTMENT_HEAD');
    // Without the CSRF token a session cannot decide at all.
    const { 'x-csrf-token': _, ...noCsrf } = org.head.session;
    const csrf = await call(t, 'POST', `/api/v1/mid/requests/${id}/approve`, { headers: noCsrf, body: {} });
    assert.equal(csrf.body.code, 'ERR_AUTH_CSRF_REFUSED');
    // The head rejects: no message is sent, and the request says who and why.
    const rejected = await call(t, 'POST', `/api/v1/mid/requests/${id}/reject`, {
      headers: org.head.session,
      body: { note: '휴직 예정' },
    });
    assert.equal(rejected.body.state, 'rejected');
    assert.equal(rejected.body.decisionNote, '휴직 예정');
    const sms = await call(t, 'GET', `/api/v1/admin/sms-outbox?ref=mid-request:${id}`, {
      headers: asAdmin(t),
    });
    assert.deepEqual(sms.body.messages, []);
    const again = await call(t, 'POST', `/api/v1/mid/requests/${id}/approve`, {
      headers: org.head.session,
      body: {},
    });
    assert.equal(again.body.code, 'ERR_MID_REQUEST_STATE');
  });

  it('refuses people of an agency without the mobile ID, on leave, without a mobile number, or with a request open', async () => {
    const notAdopted = await seedOrg(t, { adopted: false });
    const r1 = await call(t, 'POST', '/api/v1/hr/mobile-id/requests', {
      headers: asHr(t),
      body: { employeeNumber: notAdopted.member.employeeNumber },
    });
    assert.equal(r1.status, 403);
    assert.equal(r1.body.code, 'ERR_MID_AGENCY_NOT_ADOPTED');
    const refusal = await t.db
      .selectFrom('audit_log')
      .select('code')
      .where('action', '=', 'mid.request.create')
      .where('target', '=', `person:${notAdopted.member.employeeNumber}`)
      .executeTakeFirstOrThrow();
    assert.equal(refusal.code, 'ERR_MID_AGENCY_NOT_ADOPTED');

    const org = await seedOrg(t);
    const ctx = { actor: 'test', now: t.clock.now() };
    const record = {
      agencyCode: org.agencyCode,
      departmentCode: 'D1',
      realName: '이주무관',
      position: '주무관',
    };
    await upsertPerson(
      t.db,
      org.colleague.employeeNumber,
      { ...record, mobile: '01011112222', state: 'on_leave' },
      ctx,
      {
        mailDomain: 'korea.kr',
      },
    );
    const r2 = await call(t, 'POST', '/api/v1/hr/mobile-id/requests', {
      headers: asHr(t),
      body: { employeeNumber: org.colleague.employeeNumber },
    });
    assert.equal(r2.body.code, 'ERR_MID_PERSON_NOT_ELIGIBLE');
    await upsertPerson(t.db, org.colleague.employeeNumber, { ...record, mobile: null }, ctx, {
      mailDomain: 'korea.kr',
    });
    const r3 = await call(t, 'POST', '/api/v1/hr/mobile-id/requests', {
      headers: asHr(t),
      body: { employeeNumber: org.colleague.employeeNumber },
    });
    assert.equal(r3.body.code, 'ERR_MID_NO_MOBILE');

    await requestCard(t, org.member.employeeNumber);
    const r4 = await call(t, 'POST', '/api/v1/hr/mobile-id/requests', {
      headers: asHr(t),
      body: { employeeNumber: org.member.employeeNumber },
    });
    assert.equal(r4.status, 409);
    assert.equal(r4.body.code, 'ERR_MID_REQUEST_OPEN');
  });

  it('refuses a proof with a wrong or reused c_nonce at the credential endpoint with ERR_MID_NONCE_MISMATCH', async () => {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const tok = await token(t, offerIdOf(sms.url), sms.txCode);
    assert.equal(tok.status, 200);
    const bearer = { authorization: `Bearer ${tok.body.access_token}` };
    const device = await generateDeviceKey();
    const credential = async (nonce: string, configuration = OFFICIAL_ID_CONFIGURATION) =>
      call(t, 'POST', '/api/v1/mid/credential', {
        headers: bearer,
        body: buildCredentialRequest(
          configuration,
          await createProofJwt({ issuer: t.url, nonce, deviceKey: device, now: t.clock.now() }),
        ),
      });
    const invented = await credential('an-invented-nonce-value-0123');
    assert.equal(invented.status, 400, JSON.stringify(invented.body));
    assert.equal(invented.body.error, 'invalid_nonce');
    assert.equal(invented.body.code, 'ERR_MID_NONCE_MISMATCH');
    const nonce = (await call(t, 'POST', '/api/v1/mid/nonce')).body.c_nonce as string;
    assert.equal((await credential(nonce)).status, 200);
    const reused = await credential(nonce, GATE_CONFIGURATION);
    assert.equal(reused.body.code, 'ERR_MID_NONCE_MISMATCH');
    // A proof by another key for the same offer is refused.
    const other = await generateDeviceKey();
    const n2 = (await call(t, 'POST', '/api/v1/mid/nonce')).body.c_nonce as string;
    const foreign = await call(t, 'POST', '/api/v1/mid/credential', {
      headers: bearer,
      body: buildCredentialRequest(
        GATE_CONFIGURATION,
        await createProofJwt({ issuer: t.url, nonce: n2, deviceKey: other, now: t.clock.now() }),
      ),
    });
    assert.equal(foreign.body.code, 'ERR_MID_DEVICE_KEY_MISMATCH');
    // No token, no credential.
    const n3 = (await call(t, 'POST', '/api/v1/mid/nonce')).body.c_nonce as string;
    const anonymous = await call(t, 'POST', '/api/v1/mid/credential', {
      body: buildCredentialRequest(
        OFFICIAL_ID_CONFIGURATION,
        await createProofJwt({ issuer: t.url, nonce: n3, deviceKey: device, now: t.clock.now() }),
      ),
    });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.code, 'ERR_MID_TOKEN_INVALID');
  });

  it('revokes the first device’s card when a second device is issued: INVALID in the published list', async () => {
    const org = await seedOrg(t);
    const first = await offerFor(t, org);
    const w1 = newWallet(t).wallet;
    const c1 = await w1.install(first.url, first.txCode, { pin: PIN });
    const s1 = (
      parseJws(splitSdJwt(c1.sdJwt).jwt, 'sd').payload.status as { status_list: { idx: number; uri: string } }
    ).status_list;
    assert.equal(await statusOf(t, s1.uri, s1.idx), STATUS_VALID);

    t.clock.advance(60_000);
    const reissue = await call(t, 'POST', '/api/v1/mid/me/reissue', {
      headers: org.member.session,
      body: { reason: 'phone-change' },
    });
    assert.equal(reissue.status, 201);
    assert.equal(reissue.body.kind, 'reissue');
    await call(t, 'POST', `/api/v1/mid/requests/${reissue.body.id}/approve`, {
      headers: org.head.session,
      body: {},
    });
    const second = await outboxFor(t, reissue.body.id as string);
    const c2 = await newWallet(t).wallet.install(second.url, second.txCode, { pin: PIN });
    const s2 = (
      parseJws(splitSdJwt(c2.sdJwt).jwt, 'sd').payload.status as { status_list: { idx: number; uri: string } }
    ).status_list;
    assert.notEqual(s2.idx, s1.idx);
    assert.equal(await statusOf(t, s1.uri, s1.idx), STATUS_INVALID);
    assert.equal(await statusOf(t, s2.uri, s2.idx), STATUS_VALID);
    const view = await call(t, 'GET', `/api/v1/hr/people/${org.member.employeeNumber}/mobile-id`, {
      headers: asHr(t),
    });
    const history = view.body.history as { state: string; revokeReason: string | null }[];
    assert.deepEqual(
      history.map((c) => [c.state, c.revokeReason]),
      [
        ['active', null],
        ['revoked', 'replaced'],
      ],
    );
  });
});
