// OpenID4VP with the mobile ID against the real server: sign-in (the second method) and the
// library desk, and every refusal — nonce replay, wrong audience, expired request, suspended,
// revoked and PIN-locked cards, a tampered disclosure, no key binding, no unlock (PIN), a
// presentation disclosing more than the library asked for.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  type DeviceKey,
  type MemoryWalletStorage,
  parseAuthorizationRequest,
  parseDisclosure,
  presentSdJwt,
  splitSdJwt,
  vpMatchCode,
  vpResponseForm,
  type WalletCard,
} from '@gongjik/mobile-id';
import { createVpRequest, LOGIN_VERIFIER, VP_REQUEST_TTL_MS } from '../src/domain/mobile-id/presentations.ts';
import {
  asAdmin,
  asHr,
  call,
  type MidServer,
  midServer,
  newWallet,
  offerFor,
  PIN,
  seedOrg,
} from './mobile-id-helpers.ts';

interface Created {
  id: string;
  secret: string;
  walletLink: string;
  requestUri: string;
  matchCode: string;
  verifierName: string;
  expiresAt: string;
}

const LOGIN = '/api/v1/auth/mid/requests';
const LIBRARY = '/api/v1/library/requests';

forEachDatabase('mobile ID: OpenID4VP sign-in and library card', (suite) => {
  let t: MidServer;
  before(async () => {
    t = await midServer(suite.db);
  });
  after(() => t.close());

  /** A holder with an installed, PIN-unlocked card; `posted` records what the wallet sends. */
  async function holder() {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const posted: { url: string; body: string }[] = [];
    const w = newWallet(t);
    const { Wallet } = await import('@gongjik/mobile-id');
    const wallet = new Wallet({
      storage: w.storage,
      clock: () => t.clock.now(),
      fetch: (u, init) => {
        if (init?.method === 'POST' && u.includes('/api/v1/mid/vp/'))
          posted.push({ url: u, body: String(init.body) });
        return fetch(u, init);
      },
    });
    const card = await wallet.install(sms.url, sms.txCode, { pin: PIN });
    await wallet.unlock(PIN);
    return { org, wallet, storage: w.storage, card, posted };
  }

  async function create(path: string, body: Record<string, unknown> = {}): Promise<Created> {
    const r = await call(t, 'POST', path, { body, headers: { origin: t.url } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as unknown as Created;
  }

  const poll = (path: string, c: Created, headers: Record<string, string> = { origin: t.url }) =>
    call(t, 'POST', `${path}/${c.id}/poll`, { body: { secret: c.secret }, headers });

  const rejectsWith = (p: Promise<unknown>, code: string) =>
    assert.rejects(p, (err: { code?: string }) => {
      assert.equal(err.code, code);
      return true;
    });

  /** Builds a presentation by hand with the holder's device key (to make the bad ones). */
  async function handMade(
    storage: MemoryWalletStorage,
    card: WalletCard,
    c: Created,
    options: { disclose?: string[]; audience?: string; unlock?: boolean } = {},
  ) {
    const request = parseAuthorizationRequest(c.walletLink);
    const device = (await storage.get<DeviceKey>('device-key'))!;
    const unlockToken = await storage.get<string>('unlock');
    const presentation = await presentSdJwt({
      credential: card.sdJwt,
      disclose: options.disclose ?? request.dcql_query.credentials[0]!.claims!.map((q) => String(q.path[0])),
      audience: options.audience ?? request.client_id,
      nonce: request.nonce,
      devicePrivateKey: device.privateKey,
      now: t.clock.now(),
      ...(options.unlock === false || !unlockToken ? {} : { unlockToken }),
    });
    return { request, presentation };
  }

  const answer = (
    request: { response_uri: string; state: string; dcql_query: { credentials: { id: string }[] } },
    presentation: string,
  ) =>
    call(t, 'POST', new URL(request.response_uri).pathname, {
      form: Object.fromEntries(
        vpResponseForm({
          vp_token: { [request.dcql_query.credentials[0]!.id]: [presentation] },
          state: request.state,
        }),
      ),
    });

  it('signs in with the mobile ID: DCQL request, matching code on both sides, session method mobile-id, taken once', async () => {
    const { wallet, org, posted } = await holder();
    const c = await create(LOGIN);
    const request = parseAuthorizationRequest(c.walletLink);
    assert.ok(c.walletLink.startsWith('https://wallet.test.korea.kr/present?'));
    assert.ok(c.requestUri.startsWith('openid4vp://?'));
    assert.equal(request.response_mode, 'direct_post');
    assert.equal(request.client_id, `redirect_uri:${t.url}/api/v1/mid/vp/login`);
    assert.deepEqual(
      request.dcql_query.credentials[0]!.claims!.map((q) => q.path[0]),
      ['name', 'employee_number'],
    );
    assert.equal(c.verifierName, '공직 메일 (Gongjik mail)');
    const preview = await wallet.preview(c.walletLink);
    assert.equal(preview.matchCode, c.matchCode, 'the wallet derives the code the page shows');
    assert.match(c.matchCode, /^\d{2}$/);
    assert.equal(preview.verifier.name, '공직 메일 (Gongjik mail)');
    assert.deepEqual(Object.keys(preview.claims).sort(), ['employee_number', 'name']);

    const pending = await poll(LOGIN, c);
    assert.equal(pending.body.status, 'pending');
    await wallet.present(c.walletLink);
    assert.equal(posted.length, 1);

    const done = await poll(LOGIN, c);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status, 'done');
    assert.equal((done.body.account as { id: string }).id, org.member.accountId);
    const cookie = /gongjik-session=[^;]+/.exec(done.headers.get('set-cookie') ?? '')![0];
    const me = await call(t, 'GET', '/api/v1/auth/session', { headers: { cookie } });
    assert.equal(me.status, 200);
    assert.equal((me.body.session as { method: string }).method, 'mobile-id');

    const again = await poll(LOGIN, c);
    assert.equal(again.body.code, 'ERR_MID_VP_REQUEST_USED', 'the result is taken once');
  });

  it('refuses a replayed answer (ERR_MID_NONCE_REPLAYED) and the same presentation on a new request (nonce bound)', async () => {
    const { wallet, posted } = await holder();
    const c = await create(LOGIN);
    await wallet.present(c.walletLink);
    const form = Object.fromEntries(new URLSearchParams(posted[0]!.body));
    const replay = await call(t, 'POST', '/api/v1/mid/vp/login', { form });
    assert.equal(replay.body.code, 'ERR_MID_NONCE_REPLAYED');

    const c2 = await create(LOGIN);
    const state2 = parseAuthorizationRequest(c2.walletLink).state;
    const moved = await call(t, 'POST', '/api/v1/mid/vp/login', { form: { ...form, state: state2 } });
    assert.equal(moved.body.code, 'ERR_MID_NONCE_MISMATCH');
    const page = await poll(LOGIN, c2);
    assert.equal(page.body.status, 'pending');
    assert.equal(page.body.lastError, 'ERR_MID_NONCE_MISMATCH', 'the page learns why');
  });

  it('refuses a presentation made for another verifier (ERR_MID_AUDIENCE_MISMATCH)', async () => {
    const { storage, card } = await holder();
    const login = await create(LOGIN);
    const library = await create(LIBRARY);
    const libraryClientId = parseAuthorizationRequest(library.walletLink).client_id;
    const { request, presentation } = await handMade(storage, card, login, { audience: libraryClientId });
    const r = await answer(request, presentation);
    assert.equal(r.body.code, 'ERR_MID_AUDIENCE_MISMATCH');
    // and a library request's state is unknown at the sign-in endpoint
    const lib = parseAuthorizationRequest(library.walletLink);
    const wrongDoor = await call(t, 'POST', '/api/v1/mid/vp/login', {
      form: { vp_token: JSON.stringify({ official_id: [presentation] }), state: lib.state },
    });
    assert.equal(wrongDoor.body.code, 'ERR_MID_VP_REQUEST_UNKNOWN');
  });

  it('refuses an answer after the request expired (ERR_MID_VP_REQUEST_EXPIRED), and the page hears it', async () => {
    const { wallet } = await holder();
    const c = await create(LOGIN);
    t.clock.advance(VP_REQUEST_TTL_MS + 1000);
    await rejectsWith(wallet.present(c.walletLink), 'ERR_MID_VP_REQUEST_EXPIRED');
    const r = await poll(LOGIN, c);
    assert.equal(r.body.code, 'ERR_MID_VP_REQUEST_EXPIRED');
  });

  it('refuses a suspended card (ERR_MID_STATUS_SUSPENDED) and a revoked one (ERR_MID_STATUS_INVALID)', async () => {
    const { wallet, org } = await holder();
    const s = await call(t, 'POST', `/api/v1/hr/people/${org.member.employeeNumber}/mobile-id/suspend`, {
      headers: asHr(t),
    });
    assert.equal(s.status, 200);
    await rejectsWith(wallet.present((await create(LOGIN)).walletLink), 'ERR_MID_STATUS_SUSPENDED');
    await call(t, 'POST', `/api/v1/hr/people/${org.member.employeeNumber}/mobile-id/resume`, {
      headers: asHr(t),
    });
    const r = await call(t, 'POST', `/api/v1/admin/people/${org.member.employeeNumber}/mobile-id/revoke`, {
      headers: asAdmin(t),
    });
    assert.equal(r.status, 200);
    await rejectsWith(wallet.present((await create(LOGIN)).walletLink), 'ERR_MID_STATUS_INVALID');
  });

  it('refuses a card locked by five wrong PINs (ERR_MID_STATUS_INVALID) and a presentation without the unlock (ERR_MID_UNLOCK_REQUIRED)', async () => {
    const { wallet, storage, card } = await holder();
    const c = await create(LOGIN);
    const { request, presentation } = await handMade(storage, card, c, { unlock: false });
    assert.equal((await answer(request, presentation)).body.code, 'ERR_MID_UNLOCK_REQUIRED');
    await wallet.lock();
    await rejectsWith(wallet.present(c.walletLink), 'ERR_MID_UNLOCK_REQUIRED');

    await wallet.unlock(PIN);
    for (let i = 0; i < 4; i++) await rejectsWith(wallet.unlock('130297'), 'ERR_MID_PIN_WRONG');
    await rejectsWith(wallet.unlock('130297'), 'ERR_MID_PIN_LOCKED');
    // the unlock token from before is still in the wallet: the card's state stops it
    await rejectsWith(wallet.present((await create(LOGIN)).walletLink), 'ERR_MID_STATUS_INVALID');
  });

  it('refuses a tampered disclosure (ERR_MID_DISCLOSURE_INVALID) and a presentation without key binding (ERR_MID_KEY_BINDING_MISSING)', async () => {
    const { storage, card } = await holder();
    const c = await create(LOGIN);
    const { request, presentation } = await handMade(storage, card, c);
    const split = splitSdJwt(presentation);
    const disclosures = await Promise.all(split.disclosures.map(parseDisclosure));
    const nameDisclosure = disclosures.find((d) => d.name === 'name')!;
    const forged = Buffer.from(JSON.stringify(['c2FsdHNhbHRzYWx0', 'name', '김철수'])).toString('base64url');
    const tampered = presentation.replace(nameDisclosure.encoded, forged);
    assert.notEqual(tampered, presentation);
    assert.equal((await answer(request, tampered)).body.code, 'ERR_MID_DISCLOSURE_INVALID');

    const withoutKb = `${split.withoutKb}`;
    assert.equal((await answer(request, withoutKb)).body.code, 'ERR_MID_KEY_BINDING_MISSING');
    // the refusals did not use the request up: the honest answer still works
    const ok = await answer(request, presentation);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('refuses a sign-in poll from another site (login CSRF): ERR_AUTH_CSRF_REFUSED', async () => {
    const c = await create(LOGIN);
    const r = await poll(LOGIN, c, { origin: 'https://evil.example' });
    assert.equal(r.body.code, 'ERR_AUTH_CSRF_REFUSED');
    const wrongSecret = await call(t, 'POST', `${LOGIN}/${c.id}/poll`, {
      body: { secret: 'gjv_not-the-secret-at-all' },
      headers: { origin: t.url },
    });
    assert.equal(wrongSecret.body.code, 'ERR_MID_VP_REQUEST_UNKNOWN');
  });

  it('library card: asks for name, agency and employee number only; nothing else leaves the phone', async () => {
    const { wallet, card, posted } = await holder();
    const c = await create(LIBRARY, { mode: 'cross-device' });
    assert.equal(c.verifierName, '정부세종청사 도서관');
    const preview = await wallet.preview(c.walletLink);
    assert.deepEqual(Object.keys(preview.claims).sort(), ['agency', 'employee_number', 'name']);
    assert.equal(preview.matchCode, await vpMatchCode(parseAuthorizationRequest(c.walletLink)));
    await wallet.present(c.walletLink);

    // What left the phone: the issuer JWT (digests only), three disclosures, the KB-JWT.
    const sent = new URLSearchParams(posted[0]!.body);
    const presentation = (JSON.parse(sent.get('vp_token')!) as Record<string, string[]>).library_card![0]!;
    const split = splitSdJwt(presentation);
    const names = (await Promise.all(split.disclosures.map(parseDisclosure))).map((d) => d.name).sort();
    assert.deepEqual(names, ['agency', 'employee_number', 'name']);
    const everything = posted[0]!.body + decodeURIComponent(posted[0]!.body);
    const decoded = split.disclosures.map((d) => Buffer.from(d, 'base64url').toString('utf8')).join('');
    for (const hidden of ['department', 'position', 'photo_digest'] as const) {
      const value = String(card.claims[hidden]);
      assert.ok(!everything.includes(value) && !decoded.includes(value), `${hidden} stayed on the phone`);
      assert.ok(!decoded.includes(hidden));
    }
    const issuerPayload = JSON.parse(
      Buffer.from(split.jwt.split('.')[1]!, 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    for (const hidden of ['name', 'department', 'position', 'employee_number'])
      assert.equal(issuerPayload[hidden], undefined, 'the signed part holds only digests');

    const done = await poll(LIBRARY, c);
    assert.equal(done.body.status, 'done');
    const claims = done.body.claims as Record<string, unknown>;
    assert.deepEqual(Object.keys(claims).sort(), ['agency', 'employee_number', 'name']);
    assert.equal(claims.name, card.claims.name);
  });

  it('library card: refuses a presentation that discloses more than asked (ERR_MID_DISCLOSURE_EXCESSIVE)', async () => {
    const { storage, card } = await holder();
    const c = await create(LIBRARY);
    const { request, presentation } = await handMade(storage, card, c, {
      disclose: ['name', 'agency', 'employee_number', 'department'],
    });
    const r = await answer(request, presentation);
    assert.equal(r.body.code, 'ERR_MID_DISCLOSURE_EXCESSIVE');
    assert.deepEqual((r.body.details as { claims?: string[] } | undefined)?.claims ?? r.body.claims, [
      'department',
    ]);
    const page = await poll(LIBRARY, c);
    assert.equal(page.body.lastError, 'ERR_MID_DISCLOSURE_EXCESSIVE');
  });

  it('bounds the requests one address can open (ERR_MID_VP_RATE_LIMITED with retryAfter)', async () => {
    const make = () =>
      createVpRequest(t.db, {
        profile: LOGIN_VERIFIER,
        endpoints: { publicUrl: t.url, walletUrl: 'https://wallet.test.korea.kr' },
        clientName: 'x',
        mode: 'cross-device',
        now: t.clock.now(),
        ip: '192.0.2.77',
        maxPerMinute: 3,
      });
    for (let i = 0; i < 3; i++) await make();
    await rejectsWith(make(), 'ERR_MID_VP_RATE_LIMITED');
    t.clock.advance(61_000);
    await make();
  });
});
