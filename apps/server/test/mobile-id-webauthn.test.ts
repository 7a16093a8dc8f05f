// The wallet's biometric unlock, verified by the issuer: enrolment (PIN proof → registration
// options → credential bound to the card) and unlock (single-use challenge → assertion → the
// unlock token a PIN gives), with every refusal: wrong challenge, replayed assertion, unknown
// credential, another card's credential or challenge, wrong origin, no user verification, a counter
// that did not move, a forged signature — and the failures counted like wrong PINs.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  createPinProof,
  type DeviceKey,
  derivePinVerifier,
  readUnlockToken,
  type WalletCard,
  type WalletStorage,
} from '@gongjik/mobile-id';
import {
  asAdmin,
  call,
  type MidServer,
  midServer,
  newWallet,
  offerFor,
  PIN,
  seedOrg,
} from './mobile-id-helpers.ts';
import { otherKey, SoftAuthenticator } from './webauthn-authenticator.ts';

const WALLET = 'https://wallet.test.korea.kr';
const RP_ID = 'wallet.test.korea.kr';

forEachDatabase('mobile ID: biometric unlock verified by the issuer (WebAuthn)', (suite) => {
  let t: MidServer;
  before(async () => {
    t = await midServer(suite.db);
  });
  after(() => t.close());

  async function installed() {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const { wallet, storage } = newWallet(t);
    const card = await wallet.install(sms.url, sms.txCode, { pin: PIN });
    return { org, wallet, storage, card, jkt: card.jkt! };
  }

  /** A PIN proof (act unlock) over a fresh PIN challenge, signed by the wallet's device key. */
  async function pinProof(storage: WalletStorage, card: WalletCard, pin: string): Promise<string> {
    const device = (await storage.get<DeviceKey>('device-key'))!;
    const c = await call(t, 'POST', '/api/v1/mid/pin/challenge', { body: { jkt: card.jkt } });
    assert.equal(c.status, 200, JSON.stringify(c.body));
    return createPinProof({
      action: 'unlock',
      audience: t.url,
      nonce: c.body.nonce as string,
      verifier: await derivePinVerifier(pin, c.body.salt as string, c.body.iterations as number),
      deviceKey: device,
      now: t.clock.now(),
    });
  }

  async function enrol(
    h: Awaited<ReturnType<typeof installed>>,
    auth = new SoftAuthenticator(WALLET, RP_ID),
  ) {
    const o = await call(t, 'POST', '/api/v1/mid/webauthn/register/options', {
      body: { proof: await pinProof(h.storage, h.card, PIN) },
    });
    assert.equal(o.status, 200, JSON.stringify(o.body));
    const r = await call(t, 'POST', '/api/v1/mid/webauthn/register', {
      body: { jkt: h.jkt, response: auth.register(o.body.challenge as string) },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return auth;
  }

  async function unlockChallenge(jkt: string): Promise<string> {
    const o = await call(t, 'POST', '/api/v1/mid/webauthn/unlock/options', { body: { jkt } });
    assert.equal(o.status, 200, JSON.stringify(o.body));
    return o.body.challenge as string;
  }

  const unlock = (jkt: string, response: unknown) =>
    call(t, 'POST', '/api/v1/mid/webauthn/unlock', { body: { jkt, response } });

  const failures = async (jkt: string) =>
    (
      await t.db
        .selectFrom('mid_cards')
        .select('pin_failures')
        .where('device_jkt', '=', jkt)
        .executeTakeFirstOrThrow()
    ).pin_failures;

  it('enrols with the PIN and unlocks with a verified assertion: the same unlock token a PIN gives', async () => {
    const h = await installed();
    const auth = await enrol(h);
    const o = await call(t, 'POST', '/api/v1/mid/webauthn/unlock/options', { body: { jkt: h.jkt } });
    assert.equal(o.body.rpId, RP_ID);
    assert.equal(o.body.userVerification, 'required');
    assert.deepEqual(
      (o.body.allowCredentials as { id: string }[]).map((c) => c.id),
      [auth.id],
    );
    const r = await unlock(h.jkt, auth.assert(o.body.challenge as string));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(readUnlockToken(r.body.unlockToken as string).jkt, h.jkt);
    // the wallet keeps it like a PIN unlock: gate QRs work
    await h.storage.set('unlock', r.body.unlockToken);
    assert.ok((await h.wallet.unlockedUntil())! > 0);
    // audited as a biometric unlock
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome'])
      .where('target', '=', `person:${h.org.member.employeeNumber}`)
      .where('action', 'like', 'mid.webauthn.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['mid.webauthn.register', 'mid.webauthn.unlock'],
    );
  });

  it('refuses enrolment without the right PIN (counted: ERR_MID_PIN_WRONG) and a registration answering no challenge', async () => {
    const h = await installed();
    const wrong = await call(t, 'POST', '/api/v1/mid/webauthn/register/options', {
      body: { proof: await pinProof(h.storage, h.card, '130297') },
    });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.code, 'ERR_MID_PIN_WRONG');
    assert.equal(await failures(h.jkt), 1);
    const auth = new SoftAuthenticator(WALLET, RP_ID);
    const forged = await call(t, 'POST', '/api/v1/mid/webauthn/register', {
      body: { jkt: h.jkt, response: auth.register('A'.repeat(43)) },
    });
    assert.equal(forged.body.code, 'ERR_MID_WEBAUTHN_CHALLENGE');
    const none = await call(t, 'POST', '/api/v1/mid/webauthn/unlock/options', { body: { jkt: h.jkt } });
    assert.equal(none.status, 409);
    assert.equal(none.body.code, 'ERR_MID_WEBAUTHN_NOT_ENROLLED');
  });

  it('refuses a registration from another origin, without user verification, or replayed', async () => {
    const h = await installed();
    const options = async () =>
      (
        await call(t, 'POST', '/api/v1/mid/webauthn/register/options', {
          body: { proof: await pinProof(h.storage, h.card, PIN) },
        })
      ).body.challenge as string;
    const auth = new SoftAuthenticator(WALLET, RP_ID);
    for (const tweak of [
      { origin: 'https://evil.example' },
      { userVerified: false },
      { rpId: 'evil.example' },
    ]) {
      const r = await call(t, 'POST', '/api/v1/mid/webauthn/register', {
        body: { jkt: h.jkt, response: auth.register(await options(), tweak) },
      });
      assert.equal(r.body.code, 'ERR_MID_WEBAUTHN_REGISTRATION_INVALID', JSON.stringify(tweak));
    }
    const challenge = await options();
    const ok = await call(t, 'POST', '/api/v1/mid/webauthn/register', {
      body: { jkt: h.jkt, response: auth.register(challenge) },
    });
    assert.equal(ok.status, 201);
    const again = await call(t, 'POST', '/api/v1/mid/webauthn/register', {
      body: { jkt: h.jkt, response: auth.register(challenge) },
    });
    assert.equal(again.body.code, 'ERR_MID_WEBAUTHN_CHALLENGE');
  });

  it('refuses a wrong challenge, a replayed assertion, an unknown credential, and another card’s credential or challenge', async () => {
    const a = await installed();
    const b = await installed();
    const authA = await enrol(a);
    const authB = await enrol(b);

    // a challenge the server never gave
    const made = await unlock(a.jkt, authA.assert('B'.repeat(43)));
    assert.equal(made.status, 400);
    assert.equal(made.body.code, 'ERR_MID_WEBAUTHN_CHALLENGE');

    // replay: the same assertion twice
    const assertion = authA.assert(await unlockChallenge(a.jkt));
    assert.equal((await unlock(a.jkt, assertion)).status, 200);
    const replay = await unlock(a.jkt, assertion);
    assert.equal(replay.body.code, 'ERR_MID_WEBAUTHN_CHALLENGE');

    // a credential never enrolled
    const stranger = new SoftAuthenticator(WALLET, RP_ID);
    const unknown = await unlock(a.jkt, stranger.assert(await unlockChallenge(a.jkt)));
    assert.equal(unknown.status, 403);
    assert.equal(unknown.body.code, 'ERR_MID_WEBAUTHN_UNKNOWN_CREDENTIAL');

    // B's (valid, enrolled) credential answering A's challenge, for A's card
    const crossed = await unlock(a.jkt, authB.assert(await unlockChallenge(a.jkt)));
    assert.equal(crossed.body.code, 'ERR_MID_WEBAUTHN_UNKNOWN_CREDENTIAL');
    // A's challenge presented for B's card
    const otherCard = await unlock(b.jkt, authB.assert(await unlockChallenge(a.jkt)));
    assert.equal(otherCard.body.code, 'ERR_MID_WEBAUTHN_CHALLENGE');
    // none of these counted against the cards' unlock factor
    assert.equal(await failures(a.jkt), 0);
    assert.equal(await failures(b.jkt), 0);
  });

  it('counts assertions of the card’s authenticator that fail a check (origin, UV, counter, RP ID) like wrong PINs and locks the card at the fifth; a forged signature is refused but not counted', async () => {
    const h = await installed();
    const auth = await enrol(h);
    assert.equal((await unlock(h.jkt, auth.assert(await unlockChallenge(h.jkt)))).status, 200);
    const bad = [
      { origin: 'https://evil.example' },
      { userVerified: false },
      { counter: 1 }, // the counter is already 1: not moving is a cloned authenticator
      { rpId: 'evil.example' },
    ];
    for (const [i, tweak] of bad.entries()) {
      const r = await unlock(h.jkt, auth.assert(await unlockChallenge(h.jkt), tweak));
      assert.equal(r.status, 403, JSON.stringify(tweak));
      assert.equal(r.body.code, 'ERR_MID_WEBAUTHN_INVALID', JSON.stringify(tweak));
      assert.equal(
        (r.body.details as { remaining: number } | undefined)?.remaining ?? r.body.remaining,
        4 - i,
      );
    }
    assert.equal(await failures(h.jkt), 4);
    // Someone who knows the card's thumbprint and credential id (both travel in the open) but not
    // the authenticator's key cannot lock the holder out: a forged signature is not an attempt.
    for (let i = 0; i < 3; i++) {
      const forged = await unlock(h.jkt, auth.assert(await unlockChallenge(h.jkt), { signWith: otherKey() }));
      assert.equal(forged.body.code, 'ERR_MID_WEBAUTHN_INVALID');
    }
    assert.equal(await failures(h.jkt), 4, 'forged signatures are not counted');
    const fifth = await unlock(h.jkt, auth.assert(await unlockChallenge(h.jkt), { userVerified: false }));
    assert.equal(fifth.body.code, 'ERR_MID_PIN_LOCKED');
    const card = await call(t, 'GET', `/api/v1/admin/people/${h.org.member.employeeNumber}/mobile-id`, {
      headers: asAdmin(t),
    });
    assert.equal((card.body.history as { state: string }[])[0]!.state, 'locked');
    // a locked card gives no more challenges, and the PIN does not open it either
    const after = await call(t, 'POST', '/api/v1/mid/webauthn/unlock/options', { body: { jkt: h.jkt } });
    assert.equal(after.body.code, 'ERR_MID_PIN_LOCKED');
    await assert.rejects(h.wallet.unlock(PIN), (err: { code?: string }) => err.code === 'ERR_MID_PIN_LOCKED');
  });

  it('a right biometric unlock resets the failure count, and a suspended card is refused', async () => {
    const h = await installed();
    const auth = await enrol(h);
    await assert.rejects(h.wallet.unlock('130297'));
    assert.equal(await failures(h.jkt), 1);
    assert.equal((await unlock(h.jkt, auth.assert(await unlockChallenge(h.jkt)))).status, 200);
    assert.equal(await failures(h.jkt), 0);
    const s = await call(t, 'POST', '/api/v1/mid/me/suspend', { headers: h.org.member.session, body: {} });
    assert.equal(s.status, 200, JSON.stringify(s.body));
    const o = await call(t, 'POST', '/api/v1/mid/webauthn/unlock/options', { body: { jkt: h.jkt } });
    assert.equal(o.body.code, 'ERR_MID_CARD_STATE');
  });

  it('answers CORS for the wallet origin only', async () => {
    const pre = await fetch(`${t.url}/api/v1/mid/webauthn/unlock`, {
      method: 'OPTIONS',
      headers: { origin: WALLET, 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.headers.get('access-control-allow-origin'), WALLET);
    const evil = await fetch(`${t.url}/api/v1/mid/webauthn/unlock/options`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
  });
});
