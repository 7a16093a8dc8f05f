import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  createGateQr,
  MemorySeenCache,
  MemoryWalletStorage,
  parseJws,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  STATUS_VALID,
  splitSdJwt,
  verifyGatePresentation,
  verifySdJwtPresentation,
  verifyStatusListToken,
  type WalletCard,
} from '@gongjik/mobile-id';
import { verifyGatePresentationSync } from '@gongjik/mobile-id/node';
import { applyRetirements } from '../src/domain/accounts/retirement.ts';
import { upsertDepartment } from '../src/domain/directory/departments.ts';
import { movePerson, setRetirementDate } from '../src/domain/directory/people.ts';
import { runMobileIdJobs } from '../src/domain/mobile-id/jobs.ts';
import { midSettings } from '../src/domain/mobile-id/settings.ts';
import { signWebhook } from '../src/domain/mobile-id/sms.ts';
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
  seedOrg,
} from './mobile-id-helpers.ts';

const rejectsWith = async (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (err: { code?: string }) => {
    assert.equal(err.code, code);
    return true;
  });

const statusRef = (card: WalletCard) =>
  (parseJws(splitSdJwt(card.sdJwt).jwt, 'sd').payload.status as { status_list: { idx: number; uri: string } })
    .status_list;

async function published(t: MidServer, card: WalletCard) {
  const { uri } = statusRef(card);
  const jwks = (await call(t, 'GET', '/api/v1/mid/jwks')).body as never;
  const text = await (await fetch(uri)).text();
  return verifyStatusListToken(text, { issuerKeys: jwks, uri, now: t.clock.now() });
}

async function statusOf(t: MidServer, card: WalletCard): Promise<number> {
  return (await published(t, card)).list.get(statusRef(card).idx);
}

async function installed(t: MidServer, org: Awaited<ReturnType<typeof seedOrg>>) {
  const sms = await offerFor(t, org);
  const { wallet, storage } = newWallet(t);
  const card = await wallet.install(sms.url, sms.txCode, { pin: PIN });
  return { wallet, storage, card, sms };
}

forEachDatabase('mobile ID: PIN, unlock and lifecycle', (suite) => {
  let t: MidServer;
  before(async () => {
    t = await midServer(suite.db);
  });
  after(() => t.close());

  it('locks the card on the fifth wrong PIN: state locked, INVALID in the list, then ERR_MID_PIN_LOCKED', async () => {
    const org = await seedOrg(t);
    const { wallet, card } = await installed(t, org);
    for (let remaining = 4; remaining >= 1; remaining--) {
      await assert.rejects(
        wallet.unlock('130297'),
        (err: { code?: string; details?: { remaining?: number } }) => {
          assert.equal(err.code, 'ERR_MID_PIN_WRONG');
          assert.equal(err.details?.remaining, remaining);
          return true;
        },
      );
    }
    assert.equal(await statusOf(t, card), STATUS_VALID, 'four wrong PINs change nothing yet');
    await rejectsWith(wallet.unlock('130297'), 'ERR_MID_PIN_LOCKED');
    assert.equal(await statusOf(t, card), STATUS_INVALID);
    await rejectsWith(wallet.unlock(PIN), 'ERR_MID_PIN_LOCKED');
    const mine = await call(t, 'GET', '/api/v1/mid/me', { headers: org.member.session });
    const history = (mine.body as { history: { state: string; revokeReason: string }[] }).history;
    assert.equal(history[0]!.state, 'locked');
    assert.equal(history[0]!.revokeReason, 'pin-locked');
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'code'])
      .where('target', '=', `person:${org.member.employeeNumber}`)
      .where('action', 'in', ['mid.pin.unlock', 'mid.card.lock'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.code ?? a.action),
      [
        'ERR_MID_PIN_WRONG',
        'ERR_MID_PIN_WRONG',
        'ERR_MID_PIN_WRONG',
        'ERR_MID_PIN_WRONG',
        'ERR_MID_PIN_LOCKED',
        'mid.card.lock',
      ],
    );
    // The holder asks for a reissue after the lock.
    const reissue = await call(t, 'POST', '/api/v1/mid/me/reissue', {
      headers: org.member.session,
      body: { reason: 'pin-locked' },
    });
    assert.equal(reissue.status, 201);
  });

  it('resets the failure count after a right PIN, and never stores the PIN or its verifier', async () => {
    const org = await seedOrg(t);
    const { wallet, card } = await installed(t, org);
    await rejectsWith(wallet.unlock('130297'), 'ERR_MID_PIN_WRONG');
    await wallet.unlock(PIN);
    const row = await t.db
      .selectFrom('mid_cards')
      .selectAll()
      .where('device_jkt', '=', card.jkt!)
      .executeTakeFirstOrThrow();
    assert.equal(row.pin_failures, 0);
    assert.ok(row.pin_hash && !row.pin_hash.includes(PIN));
    assert.ok(!JSON.stringify(await t.db.selectFrom('audit_log').select('details').execute()).includes(PIN));
  });

  it('refuses trivial PINs in the wallet with ERR_MID_PIN_TRIVIAL before anything is sent', async () => {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    for (const pin of ['000000', '123456', '987654', '12345']) {
      await rejectsWith(newWallet(t).wallet.install(sms.url, sms.txCode, { pin }), 'ERR_MID_PIN_TRIVIAL');
    }
    const offer = await t.db
      .selectFrom('mid_offers')
      .select('redeemed_at')
      .where('request_id', '=', sms.requestId)
      .executeTakeFirstOrThrow();
    assert.equal(offer.redeemed_at, null, 'the offer is still unused');
  });

  it('needs the server-checked PIN to pass a gate: a copy of the wallet storage without a fresh unlock is refused', async () => {
    const org = await seedOrg(t);
    const { wallet, storage, card } = await installed(t, org);
    const jwks = (await call(t, 'GET', '/api/v1/mid/jwks')).body as never;
    const statusList = await published(t, card);
    const gate = (qr: string) =>
      verifyGatePresentationSync(qr, {
        issuerKeys: jwks,
        statusList,
        gateGroup: 'sejong/bldg-6',
        now: t.clock.now(),
        seenCache: new MemorySeenCache(),
        requireUnlock: true,
      });
    await rejectsWith(wallet.gateQr('sejong/bldg-6'), 'ERR_MID_UNLOCK_REQUIRED');
    const until = await wallet.unlock(PIN);
    assert.equal(until - Math.floor(t.clock.now().getTime() / 1000), 12 * 3600);
    const qr = await wallet.gateQr('sejong/bldg-6');
    assert.equal(qr.split('~').length, 3);
    const facts = gate(qr);
    assert.equal(facts.unlockExp, until);
    const facts2 = await verifyGatePresentation(await wallet.gateQr('sejong/bldg-6'), {
      issuerKeys: jwks,
      statusList,
      gateGroup: 'sejong/bldg-6',
      now: t.clock.now(),
      seenCache: new MemorySeenCache(),
      requireUnlock: true,
    });
    assert.equal(facts2.unlockExp, until);

    // A thief with the storage (device key included) but no unlock token: refused at the gate.
    const device = (await storage.get<{ privateKey: CryptoKey }>('device-key'))!;
    const stolen = await createGateQr({
      credential: card.gate!,
      gateGroup: 'sejong/bldg-6',
      devicePrivateKey: device.privateKey,
      now: t.clock.now(),
    });
    assert.throws(() => gate(stolen), { code: 'ERR_MID_UNLOCK_REQUIRED' });
    // …nor with another card's unlock token.
    const other = await installed(t, await seedOrg(t));
    await other.wallet.unlock(PIN);
    const foreign = `${stolen}~${await other.storage.get<string>('unlock')}`;
    assert.throws(() => gate(foreign), { code: 'ERR_MID_UNLOCK_REQUIRED' });
    // …and a copied token stops working when it expires; a new one needs the PIN at the server.
    const copy = new MemoryWalletStorage();
    for (const k of ['device-key', 'card', 'unlock']) await copy.set(k, await storage.get(k));
    const thief = newWallet(t, copy).wallet;
    const saved = t.clock.now();
    t.clock.advance(12 * 3_600_000 + 1000);
    try {
      await rejectsWith(thief.gateQr('sejong/bldg-6'), 'ERR_MID_UNLOCK_EXPIRED');
      const old = `${stolen}~${await storage.get<string>('unlock')}`;
      const fresh = await published(t, card);
      assert.throws(
        () =>
          verifyGatePresentationSync(old, {
            issuerKeys: jwks,
            statusList: fresh,
            gateGroup: 'sejong/bldg-6',
            now: t.clock.now(),
            seenCache: new MemorySeenCache(),
            requireUnlock: true,
          }),
        { code: 'ERR_MID_UNLOCK_EXPIRED' },
      );
      await rejectsWith(thief.unlock('130297'), 'ERR_MID_PIN_WRONG');
    } finally {
      t.clock.set(saved);
    }

    // SD-JWT presentations carry it too (KB-JWT `unlock`); a verifier requiring it refuses without.
    const request = { audience: 'https://library.sejong.go.kr', nonce: 'n-0S6_WzA2MjQ1' };
    const { presentSdJwt } = await import('@gongjik/mobile-id');
    const bare = await presentSdJwt({
      credential: card.sdJwt,
      disclose: ['name'],
      ...request,
      devicePrivateKey: device.privateKey,
      now: t.clock.now(),
    });
    const options = { issuerKeys: jwks, now: t.clock.now(), ...request, requireUnlock: true };
    await rejectsWith(verifySdJwtPresentation(bare, options), 'ERR_MID_UNLOCK_REQUIRED');
    const withUnlock = await presentSdJwt({
      credential: card.sdJwt,
      disclose: ['name'],
      ...request,
      devicePrivateKey: device.privateKey,
      now: t.clock.now(),
      unlockToken: (await storage.get<string>('unlock'))!,
    });
    assert.equal((await verifySdJwtPresentation(withUnlock, options)).unlockExp, until);
  });

  it('lets the holder report the phone lost (SUSPENDED at once) and reactivate it; HR can too', async () => {
    const org = await seedOrg(t);
    const { card } = await installed(t, org);
    const first = await fetch(statusRef(card).uri);
    const etag = first.headers.get('etag')!;
    assert.equal(first.headers.get('cache-control'), `public, max-age=${t.config.mobileId.statusTtlSeconds}`);
    const same = await fetch(statusRef(card).uri, { headers: { 'if-none-match': etag } });
    assert.equal(same.status, 304);

    const s = await call(t, 'POST', '/api/v1/mid/me/suspend', { headers: org.member.session, body: {} });
    assert.equal(s.status, 200);
    assert.equal((s.body.card as { state: string }).state, 'suspended');
    const after = await fetch(statusRef(card).uri, { headers: { 'if-none-match': etag } });
    assert.equal(after.status, 200, 'a change is visible at once (new ETag)');
    assert.equal(await statusOf(t, card), STATUS_SUSPENDED);
    const again = await call(t, 'POST', '/api/v1/mid/me/suspend', { headers: org.member.session, body: {} });
    assert.equal(again.body.changed, false);
    await call(t, 'POST', '/api/v1/mid/me/resume', { headers: org.member.session, body: {} });
    assert.equal(await statusOf(t, card), STATUS_VALID);

    const byHr = await call(t, 'POST', `/api/v1/hr/people/${org.member.employeeNumber}/mobile-id/suspend`, {
      headers: asHr(t),
    });
    assert.equal(byHr.status, 200);
    assert.equal(await statusOf(t, card), STATUS_SUSPENDED);
    await call(t, 'POST', `/api/v1/hr/people/${org.member.employeeNumber}/mobile-id/resume`, {
      headers: asHr(t),
    });
    const revoked = await call(
      t,
      'POST',
      `/api/v1/admin/people/${org.member.employeeNumber}/mobile-id/revoke`,
      {
        headers: asAdmin(t),
      },
    );
    assert.equal((revoked.body.card as { state: string }).state, 'revoked');
    assert.equal(await statusOf(t, card), STATUS_INVALID);
    const none = await call(t, 'POST', `/api/v1/hr/people/${org.member.employeeNumber}/mobile-id/resume`, {
      headers: asHr(t),
    });
    assert.equal(none.body.code, 'ERR_MID_CARD_UNKNOWN');
    const actions = await t.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('target', '=', `person:${org.member.employeeNumber}`)
      .where('action', 'like', 'mid.card.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      [
        'mid.card.issue',
        'mid.card.suspend',
        'mid.card.resume',
        'mid.card.suspend',
        'mid.card.resume',
        'mid.card.revoke',
      ],
    );
    assert.equal(actions[1]!.actor, `account:${org.member.accountId}`);
  });

  it('revokes the card at retirement: INVALID in the published list, open requests cancelled', async () => {
    const org = await seedOrg(t);
    const { card } = await installed(t, org);
    await setRetirementDate(t.db, org.member.employeeNumber, '2026-03-02', {
      actor: 'test',
      now: t.clock.now(),
    });
    const r = await applyRetirements(t.db, t.clock.now());
    assert.ok(r.retired.some((p) => p.employeeNumber === org.member.employeeNumber));
    assert.equal(await statusOf(t, card), STATUS_INVALID);
    const entry = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'person.retire')
      .where('target', '=', `person:${org.member.employeeNumber}`)
      .executeTakeFirstOrThrow();
    assert.equal((entry.details as { mobileIdsRevoked: number }).mobileIdsRevoked, 1);
    const r2 = await call(t, 'POST', '/api/v1/hr/mobile-id/requests', {
      headers: asHr(t),
      body: { employeeNumber: org.member.employeeNumber },
    });
    assert.equal(r2.body.code, 'ERR_MID_PERSON_NOT_ELIGIBLE');
  });

  it('reissues after an HR move: pre-approved request, offer job sends the SMS, the new card replaces the old', async () => {
    const org = await seedOrg(t);
    const { card } = await installed(t, org);
    t.clock.advance(60_000);
    const ctx = { actor: 'hr:test', now: t.clock.now() };
    await upsertDepartment(t.db, org.agencyCode, 'D2', { name: '정보보호정책과', parentCode: 'P1' }, ctx);
    await movePerson(t.db, org.member.employeeNumber, 'D2', ctx);
    const view = await call(t, 'GET', `/api/v1/hr/people/${org.member.employeeNumber}/mobile-id`, {
      headers: asHr(t),
    });
    const o = view.body as {
      card: { reissueDueAt: string | null };
      requests: { id: string; state: string; reason: string }[];
    };
    assert.ok(o.card.reissueDueAt);
    assert.equal(o.requests[0]!.state, 'approved');
    assert.equal(o.requests[0]!.reason, 'hr-change');
    assert.equal(await statusOf(t, card), STATUS_VALID, 'the old card keeps working meanwhile');

    const jobs = await call(t, 'POST', '/api/v1/admin/mobile-id/jobs/run', { headers: asAdmin(t) });
    assert.ok((jobs.body.offered as number) >= 1);
    const sms = await outboxFor(t, o.requests[0]!.id);
    t.clock.advance(60_000);
    const fresh = await newWallet(t).wallet.install(sms.url, sms.txCode, { pin: PIN });
    assert.equal(fresh.claims.department, '정보보호정책과');
    assert.equal(await statusOf(t, card), STATUS_INVALID);
    // Moving back and forth without a card change issues nothing new when the claims already match.
    const before = await t.db
      .selectFrom('mid_requests')
      .select('id')
      .where('employee_number', '=', org.member.employeeNumber)
      .execute();
    await movePerson(t.db, org.member.employeeNumber, 'D2', ctx);
    const after = await t.db
      .selectFrom('mid_requests')
      .select('id')
      .where('employee_number', '=', org.member.employeeNumber)
      .execute();
    assert.equal(after.length, before.length);
  });

  it('delivers SMS through the webhook provider with an HMAC signature, retrying after a gateway error', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    let failFirst = true;
    const gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (failFirst) {
          failFirst = false;
          res.writeHead(503).end();
        } else res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const secret = 's'.repeat(40);
    const w = await midServer(suite.db, {
      GONGJIK_SMS_PROVIDER: 'webhook',
      GONGJIK_SMS_WEBHOOK_URL: `http://127.0.0.1:${(gateway.address() as { port: number }).port}/sms`,
      GONGJIK_SMS_WEBHOOK_SECRET: secret,
    });
    try {
      const org = await seedOrg(w);
      const id = (
        await call(w, 'POST', '/api/v1/hr/mobile-id/requests', {
          headers: asHr(w),
          body: { employeeNumber: org.member.employeeNumber },
        })
      ).body.id as string;
      await call(w, 'POST', `/api/v1/mid/requests/${id}/approve`, { headers: org.head.session, body: {} });
      const settings = midSettings(w.config);
      const ours = async () =>
        (
          await w.db
            .selectFrom('sms_messages')
            .selectAll()
            .where('ref', '=', `mid-request:${id}`)
            .orderBy('kind')
            .execute()
        ).map((m) => [m.state, m.attempts, m.last_error]);
      const first = await runMobileIdJobs(w.db, settings, w.clock.now());
      assert.equal(first.sms.retried, 1, 'the gateway refused the first call');
      assert.deepEqual((await ours()).map((m) => m[0]).sort(), ['pending', 'sent']);
      assert.ok((await ours()).some((m) => m[2] === 'http_503'));
      w.clock.advance(31_000);
      await runMobileIdJobs(w.db, settings, w.clock.now());
      assert.deepEqual(
        (await ours()).map((m) => m[0]),
        ['sent', 'sent'],
      );
      const ids = new Set(
        (
          await w.db.selectFrom('sms_messages').select('id').where('ref', '=', `mid-request:${id}`).execute()
        ).map((m) => m.id),
      );
      const mine = received.filter((r) => ids.has((JSON.parse(r.body) as { id: string }).id));
      assert.equal(mine.length, 3);
      for (const r of mine) {
        const sig = String(r.headers['x-gongjik-signature']);
        const ts = Number(/t=(\d+)/.exec(sig)![1]);
        assert.equal(sig, signWebhook(secret, ts, r.body), 'the HMAC covers timestamp and body');
        assert.ok(r.headers['idempotency-key']);
      }
      const texts = mine.map((r) => JSON.parse(r.body) as { to: string; kind: string; text: string });
      assert.ok(texts.every((m) => m.to === '01012345678'));
      assert.deepEqual(new Set(texts.map((m) => m.kind)), new Set(['mid-install', 'mid-code']));
      const rows = await call(w, 'GET', `/api/v1/admin/sms-outbox?ref=mid-request:${id}`, {
        headers: asAdmin(w),
      });
      const msgs = rows.body.messages as { state: string; body: string | null }[];
      assert.deepEqual(
        msgs.map((m) => [m.state, m.body]),
        [
          ['sent', null],
          ['sent', null],
        ],
        'delivered messages keep no link or code',
      );
    } finally {
      await w.close();
      gateway.close();
    }
  });

  it('keeps the issuer key across restarts and publishes the previous key after a rotation', async () => {
    const before = (await call(t, 'GET', '/api/v1/mid/jwks')).body as { keys: { kid: string }[] };
    const org = await seedOrg(t);
    const { card } = await installed(t, org);
    const rotated = await call(t, 'POST', '/api/v1/admin/mobile-id/issuer-keys/rotate', {
      headers: asAdmin(t),
    });
    assert.equal(rotated.status, 200);
    const after = (await call(t, 'GET', '/api/v1/mid/jwks')).body as { keys: { kid: string }[] };
    assert.equal(after.keys[0]!.kid, rotated.body.kid);
    for (const k of before.keys)
      assert.ok(
        after.keys.some((a) => a.kid === k.kid),
        'old keys stay published',
      );
    const kid = parseJws(splitSdJwt(card.sdJwt).jwt, 'sd').header.kid;
    assert.ok(after.keys.some((k) => k.kid === kid));
    const list = await published(t, card);
    assert.equal(list.list.get(statusRef(card).idx), STATUS_VALID);
    const meta = await call(t, 'GET', '/.well-known/openid-credential-issuer');
    assert.equal(meta.body.credential_issuer, t.url);
    assert.equal(meta.body.credential_endpoint, `${t.url}/api/v1/mid/credential`);
    const as = await call(t, 'GET', '/.well-known/oauth-authorization-server');
    assert.equal(as.body.token_endpoint, `${t.url}/api/v1/mid/token`);
  });
});
