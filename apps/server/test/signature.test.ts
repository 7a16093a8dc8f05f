// Electronic signatures end to end: a work system (a registered OIDC client) asks, the headless
// wallet lists, confirms with the server-checked PIN and signs, the work system polls, and anyone
// verifies the bundle with the same pure function as the /verify page and the CLI.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  type IssuerJwks,
  type SignatureBundle,
  type SignatureRequestView,
  verifySignatureBundle,
} from '@gongjik/mobile-id';
import { registerOidcClient } from '../src/domain/oidc/clients.ts';
import {
  asHr,
  call,
  type MidServer,
  midServer,
  newWallet,
  type Org,
  offerFor,
  PIN,
  seedOrg,
} from './mobile-id-helpers.ts';

const WRONG_PIN = '130297';
const rejectsWith = async (p: Promise<unknown>, code: string) =>
  assert.rejects(p, (err: { code?: string }) => {
    assert.equal(err.code, code);
    return true;
  });

const document = Buffer.from('공문: 2027년도 정보화 사업 예산 요구서 (최종)\n');
const sha256 = createHash('sha256').update(document).digest('hex');

forEachDatabase('electronic signature: work system → wallet → bundle', (suite) => {
  let t: MidServer;
  let client: { id: string; auth: Record<string, string> };
  let other: { id: string; auth: Record<string, string> };

  const basic = (id: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
  });
  async function register(name: string, redirectUris = ['https://approval.test.korea.kr/cb']) {
    const r = await registerOidcClient(
      t.db,
      { clientName: name, redirectUris },
      { actor: 'test', now: t.clock.now() },
    );
    return { id: r.client.clientId, auth: basic(r.client.clientId, r.clientSecret!) };
  }

  before(async () => {
    t = await midServer(suite.db);
    client = await register('온-나라 전자결재');
    other = await register('다른 업무 시스템');
  });
  after(() => t.close());

  async function holder(org: Org, who = org.member) {
    const sms = await offerFor(t, org, who);
    const { wallet } = newWallet(t);
    await wallet.install(sms.url, sms.txCode, { pin: PIN });
    return wallet;
  }

  async function ask(employeeNumber: string, extra: Record<string, unknown> = {}) {
    const r = await call(t, 'POST', '/api/v1/sign/requests', {
      headers: client.auth,
      body: {
        employeeNumber,
        title: '2027년도 정보화 사업 예산 요구서',
        sha256,
        reason: '결재 요청',
        ...extra,
      },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { id: string; state: string; expiresAt: string };
  }

  const poll = (id: string, as = client) =>
    call(t, 'GET', `/api/v1/sign/requests/${id}`, { headers: as.auth });
  const jwks = async () => (await call(t, 'GET', '/api/v1/mid/jwks')).body as unknown as IssuerJwks;
  const complete = (id: string, bundle: unknown) =>
    call(t, 'POST', `/api/v1/mid/sign/requests/${id}/complete`, { body: { bundle } });

  it('request → the wallet lists it → PIN → signed; the work system gets a bundle that says who, when, valid', async () => {
    const org = await seedOrg(t);
    const wallet = await holder(org);
    const req = await ask(org.member.employeeNumber);
    assert.equal(req.state, 'pending');

    const pending = await wallet.signatureRequests();
    assert.equal(pending.length, 1);
    assert.equal(pending[0]!.id, req.id);
    assert.equal(pending[0]!.title, '2027년도 정보화 사업 예산 요구서');
    assert.equal(pending[0]!.sha256, sha256);
    assert.equal(pending[0]!.reason, '결재 요청');
    assert.deepEqual(pending[0]!.requester, { clientId: client.id, name: '온-나라 전자결재' });

    await wallet.signRequest(pending[0]!, PIN);
    const done = await poll(req.id);
    assert.equal(done.status, 200);
    assert.equal(done.body.state, 'signed');
    const bundle = done.body.bundle as unknown as SignatureBundle;
    assert.deepEqual(await wallet.signatureRequests(), [], 'answered requests are no longer listed');

    const signedAt = Math.floor(t.clock.now().getTime() / 1000);
    t.clock.advance(90 * 86_400_000); // verified months later
    try {
      const v = await verifySignatureBundle(bundle, {
        issuerKeys: await jwks(),
        issuer: t.url,
        now: t.clock.now(),
        documentSha256: sha256,
      });
      assert.equal(v.signer.name, '류시원');
      assert.equal(v.signer.employeeNumber, org.member.employeeNumber);
      assert.equal(v.signer.agencyCode, org.agencyCode);
      assert.equal(v.signedAt, signedAt);
      assert.equal(v.card.status, 'VALID');
      assert.equal(v.requestId, req.id);
      assert.equal(v.audience, client.id);
      assert.ok(v.pinConfirmedAt !== undefined && signedAt - v.pinConfirmedAt <= 5, 'PIN entered for it');

      const changed = createHash('sha256')
        .update(Buffer.concat([document, Buffer.from('.')]))
        .digest('hex');
      await rejectsWith(
        verifySignatureBundle(bundle, {
          issuerKeys: await jwks(),
          now: t.clock.now(),
          documentSha256: changed,
        }),
        'ERR_SIGN_DOCUMENT_CHANGED',
      );
    } finally {
      t.clock.advance(-90 * 86_400_000);
    }

    const again = await complete(req.id, bundle);
    assert.equal(again.body.code, 'ERR_SIGN_REQUEST_ANSWERED');
  });

  it('refuses work systems without valid client credentials, and hides requests of other systems', async () => {
    const org = await seedOrg(t);
    await holder(org);
    const none = await call(t, 'POST', '/api/v1/sign/requests', {
      body: { employeeNumber: org.member.employeeNumber, title: 'x', sha256 },
    });
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'ERR_SIGN_CLIENT_UNAUTHORIZED');
    assert.match(none.headers.get('www-authenticate') ?? '', /^Basic /);
    const wrong = await call(t, 'POST', '/api/v1/sign/requests', {
      headers: basic(client.id, 'gjcs_wrong'),
      body: { employeeNumber: org.member.employeeNumber, title: 'x', sha256 },
    });
    assert.equal(wrong.body.code, 'ERR_SIGN_CLIENT_UNAUTHORIZED');
    const req = await ask(org.member.employeeNumber);
    const foreign = await poll(req.id, other);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.code, 'ERR_SIGN_REQUEST_NOT_FOUND');
    const nobody = await call(t, 'POST', '/api/v1/sign/requests', {
      headers: client.auth,
      body: { employeeNumber: org.colleague.employeeNumber, title: 'x', sha256 },
    });
    assert.equal(nobody.body.code, 'ERR_SIGN_SIGNER_UNAVAILABLE', 'no mobile ID, no request');
  });

  it('refuses an expired request with ERR_SIGN_REQUEST_EXPIRED, and the work system sees "expired"', async () => {
    const org = await seedOrg(t);
    const wallet = await holder(org);
    const req = await ask(org.member.employeeNumber, { expiresInSeconds: 30 });
    const [view] = await wallet.signatureRequests();
    t.clock.advance(31_000);
    assert.deepEqual(await wallet.signatureRequests(), []);
    await rejectsWith(wallet.signRequest(view!, PIN), 'ERR_SIGN_REQUEST_EXPIRED');
    assert.equal((await poll(req.id)).body.state, 'expired');
  });

  it('counts a wrong PIN (nothing is signed) and refuses every signature once five wrong PINs locked the card', async () => {
    const org = await seedOrg(t);
    const wallet = await holder(org);
    const req = await ask(org.member.employeeNumber);
    const [view] = await wallet.signatureRequests();
    await assert.rejects(
      wallet.signRequest(view!, WRONG_PIN),
      (err: { code?: string; details?: unknown }) => {
        assert.equal(err.code, 'ERR_MID_PIN_WRONG');
        assert.deepEqual(err.details, { remaining: 4 });
        return true;
      },
    );
    assert.equal((await poll(req.id)).body.state, 'pending');
    // An unlock token from before the lock does not help: the card's status is INVALID at signing.
    await wallet.unlock(PIN);
    for (let i = 0; i < 4; i++) await assert.rejects(wallet.unlock(WRONG_PIN));
    await rejectsWith(wallet.unlock(WRONG_PIN), 'ERR_MID_PIN_LOCKED');
    await rejectsWith(wallet.signRequest(view!, PIN), 'ERR_MID_PIN_LOCKED');
    const bundle = await wallet.signDocument({
      title: view!.title,
      sha256,
      requestId: req.id,
      audience: client.id,
    });
    const r = await complete(req.id, bundle);
    assert.equal(r.status, 422);
    assert.equal(r.body.code, 'ERR_SIGN_CARD_NOT_VALID');
    assert.deepEqual(r.body.details, { status: 'INVALID' });
    await rejectsWith(wallet.signatureRequests(), 'ERR_SIGN_CARD_NOT_VALID');
    assert.equal((await poll(req.id)).body.state, 'pending');
  });

  it('refuses a signature made while the card is suspended with ERR_SIGN_CARD_NOT_VALID', async () => {
    const org = await seedOrg(t);
    const wallet = await holder(org);
    const req = await ask(org.member.employeeNumber);
    const [view] = await wallet.signatureRequests();
    await wallet.unlock(PIN);
    const s = await call(t, 'POST', `/api/v1/hr/people/${org.member.employeeNumber}/mobile-id/suspend`, {
      headers: asHr(t),
    });
    assert.equal(s.status, 200);
    const bundle = await wallet.signDocument({
      title: view!.title,
      sha256,
      requestId: req.id,
      audience: client.id,
    });
    // The status list fetched at signing time says SUSPENDED: no verifier accepts the bundle…
    await rejectsWith(
      verifySignatureBundle(bundle, { issuerKeys: await jwks(), now: t.clock.now() }),
      'ERR_SIGN_CARD_NOT_VALID',
    );
    // …and neither does the issuer.
    const r = await complete(req.id, bundle);
    assert.equal(r.body.code, 'ERR_SIGN_CARD_NOT_VALID');
    assert.deepEqual(r.body.details, { status: 'SUSPENDED' });
  });

  it('refuses to let another person answer the request (ERR_SIGN_REQUEST_NOT_YOURS) and does not list it to them', async () => {
    const org = await seedOrg(t);
    await holder(org);
    const colleague = await holder(org, org.colleague);
    const req = await ask(org.member.employeeNumber);
    assert.deepEqual(await colleague.signatureRequests(), []);
    const stolen: SignatureRequestView = {
      id: req.id,
      title: '2027년도 정보화 사업 예산 요구서',
      sha256,
      reason: null,
      requester: { clientId: client.id, name: '' },
      createdAt: '',
      expiresAt: '',
    };
    await rejectsWith(colleague.signRequest(stolen, PIN), 'ERR_SIGN_REQUEST_NOT_YOURS');
    assert.equal((await poll(req.id)).body.state, 'pending');
  });

  it('refuses a tampered bundle, a signature over something else, and a PIN not entered for it', async () => {
    const org = await seedOrg(t);
    const wallet = await holder(org);
    const req = await ask(org.member.employeeNumber);
    await wallet.unlock(PIN);
    const good = await wallet.signDocument({
      title: '2027년도 정보화 사업 예산 요구서',
      sha256,
      requestId: req.id,
      audience: client.id,
    });
    const [h, p, s] = good.signature.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.sha256 = 'f'.repeat(64);
    const tampered = {
      ...good,
      signature: `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`,
    };
    assert.equal((await complete(req.id, tampered)).body.code, 'ERR_SIGN_BUNDLE_TAMPERED');

    const elsewhere = await wallet.signDocument({
      title: '다른 문서',
      sha256,
      requestId: req.id,
      audience: client.id,
    });
    const m1 = await complete(req.id, elsewhere);
    assert.equal(m1.body.code, 'ERR_SIGN_REQUEST_MISMATCH');
    const otherSystem = await wallet.signDocument({
      title: '2027년도 정보화 사업 예산 요구서',
      sha256,
      requestId: req.id,
      audience: other.id,
    });
    assert.equal((await complete(req.id, otherSystem)).body.code, 'ERR_SIGN_REQUEST_MISMATCH');

    t.clock.advance(180_000); // the unlock token is still valid (hours), but the PIN was 3 minutes ago
    const late = await wallet.signDocument({
      title: '2027년도 정보화 사업 예산 요구서',
      sha256,
      requestId: req.id,
      audience: client.id,
    });
    assert.equal((await complete(req.id, late)).body.code, 'ERR_SIGN_PIN_NOT_FRESH');
    assert.equal(
      (await complete(req.id, good)).body.code,
      'ERR_SIGN_REQUEST_MISMATCH',
      'signed 3 minutes ago',
    );
    assert.equal((await poll(req.id)).body.state, 'pending');
  });

  it('lets the holder decline; the work system sees "declined"', async () => {
    const org = await seedOrg(t);
    const wallet = await holder(org);
    const req = await ask(org.member.employeeNumber);
    await wallet.declineRequest(req.id);
    assert.equal((await poll(req.id)).body.state, 'declined');
    await rejectsWith(wallet.declineRequest(req.id), 'ERR_SIGN_REQUEST_ANSWERED');
  });

  it('POSTs {id, state} to the callback URL once signed; refuses a callback outside the client’s origins', async () => {
    const received: unknown[] = [];
    let arrived: () => void = () => undefined;
    const got = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ path: req.url, body: JSON.parse(body) });
        res.end();
        arrived();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
      const system = await register('전자결재 (콜백)', [`${origin}/auth/cb`]);
      const org = await seedOrg(t);
      const wallet = await holder(org);
      const body = { employeeNumber: org.member.employeeNumber, title: '콜백 문서', sha256 };
      const elsewhere = await call(t, 'POST', '/api/v1/sign/requests', {
        headers: system.auth,
        body: { ...body, callbackUrl: 'http://169.254.169.254/latest/meta-data' },
      });
      assert.equal(elsewhere.status, 400);
      assert.equal(elsewhere.body.code, 'ERR_SIGN_CALLBACK_INVALID');
      const r = await call(t, 'POST', '/api/v1/sign/requests', {
        headers: system.auth,
        body: { ...body, callbackUrl: `${origin}/sign-callback` },
      });
      assert.equal(r.status, 201);
      const [view] = await wallet.signatureRequests();
      await wallet.signRequest(view!, PIN);
      await got;
      assert.deepEqual(received, [{ path: '/sign-callback', body: { id: r.body.id, state: 'signed' } }]);
    } finally {
      hook.close();
    }
  });
});
