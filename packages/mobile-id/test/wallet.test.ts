import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CryptoKey } from 'jose';
import {
  authorizationRequestUri,
  generateIssuerKey,
  MemorySeenCache,
  MemoryWalletStorage,
  STATUS_SUSPENDED,
  signStatusListToken,
  verifyStatusListToken,
  Wallet,
} from '../src/index.ts';
import { verifyGatePresentationSync } from '../src/node.ts';
import { at, CLAIMS, NOW, rejectsWith, SUBJECT } from './fixtures.ts';
import { router, TestIssuer, TestVerifier } from './test-issuer.ts';

const ISSUER = 'https://id.gongjik.test';
const LIBRARY = 'https://library.sejong.test';
let now = NOW;
const clock = () => now;
const issuer = new TestIssuer(ISSUER, await generateIssuerKey(), clock);
const library = new TestVerifier(LIBRARY, () => issuer.jwks, clock);
const fetch = router({ origin: ISSUER, fetch: issuer.fetch }, { origin: LIBRARY, fetch: library.fetch });
const newWallet = () => new Wallet({ storage: new MemoryWalletStorage(), fetch, clock });

const wallet = newWallet();
const offer = issuer.offer(SUBJECT, CLAIMS);
const card = await wallet.install(offer.uri, offer.txCode);

describe('headless wallet', () => {
  it('installs the card from an offer link and the one-time code (OpenID4VCI pre-authorized code)', async () => {
    assert.equal(card.issuer, ISSUER);
    assert.deepEqual(card.claims, { ...CLAIMS });
    assert.ok(card.gate, 'the gate credential came too');
    assert.deepEqual(await wallet.card(), card);
  });

  it('keeps the device key non-extractable', async () => {
    const storage = new MemoryWalletStorage();
    const w = new Wallet({ storage, fetch, clock });
    const o = issuer.offer(SUBJECT, CLAIMS);
    await w.install(o.uri, o.txCode);
    const device = await storage.get<{ privateKey: CryptoKey }>('device-key');
    assert.equal(device!.privateKey.extractable, false);
    await assert.rejects(crypto.subtle.exportKey('jwk', device!.privateKey));
  });

  it('refuses a wrong one-time code (issuer answers invalid_grant) and then a reused one', async () => {
    const o = issuer.offer(SUBJECT, CLAIMS);
    const wrong = o.txCode === '123456' ? '654321' : '123456';
    await rejectsWith(() => newWallet().install(o.uri, wrong), 'ERR_MID_ISSUER_REFUSED');
    const o2 = issuer.offer(SUBJECT, CLAIMS);
    await newWallet().install(o2.uri, o2.txCode);
    await rejectsWith(() => newWallet().install(o2.uri, o2.txCode), 'ERR_MID_ISSUER_REFUSED');
  });

  it('refuses a code of the wrong shape before contacting the issuer with ERR_MID_TX_CODE_INVALID', async () => {
    await rejectsWith(() => newWallet().install(offer.uri, '12a456'), 'ERR_MID_TX_CODE_INVALID');
    await rejectsWith(() => newWallet().install(offer.uri, '1234567'), 'ERR_MID_TX_CODE_INVALID');
  });

  it('refuses an expired offer', async () => {
    const o = issuer.offer(SUBJECT, CLAIMS);
    now = at(2 * 86_400);
    try {
      await rejectsWith(() => newWallet().install(o.uri, o.txCode), 'ERR_MID_ISSUER_REFUSED');
    } finally {
      now = NOW;
    }
  });

  it('shows exactly what the library will receive, then discloses only that', async () => {
    const req = library.request(['name', 'agency', 'employee_number']);
    const uri = authorizationRequestUri(req);
    const preview = await wallet.preview(uri);
    assert.deepEqual(Object.keys(preview.claims).sort(), ['agency', 'employee_number', 'name']);
    assert.equal(preview.verifier.name, '정부세종청사 도서관');
    assert.equal(preview.verifier.responseOrigin, LIBRARY);
    const answer = await wallet.present(uri);
    assert.deepEqual(answer, { redirect_uri: `${LIBRARY}/done` });
    const got = library.received.at(-1)!.official_id!;
    assert.deepEqual(got.disclosed.sort(), ['agency', 'employee_number', 'name']);
    assert.equal(got.claims.department, undefined);
    assert.equal(got.claims.name, CLAIMS.name);
  });

  it('makes a gate QR that an offline gate admits, and that it refuses once the card is suspended', async () => {
    const token = await signStatusListToken({
      list: issuer.list,
      uri: issuer.statusUri,
      issuerKey: issuer.key,
      now,
      ttlSeconds: 300,
      validSeconds: 86_400,
    });
    const statusList = await verifyStatusListToken(token, {
      issuerKeys: issuer.jwks,
      uri: issuer.statusUri,
      now,
    });
    const opts = {
      issuerKeys: issuer.jwks,
      statusList,
      gateGroup: 'sejong/6',
      now,
      seenCache: new MemorySeenCache(),
    };
    const facts = verifyGatePresentationSync(await wallet.gateQr('sejong/6'), opts);
    assert.equal(facts.subject, SUBJECT);

    const idx = (card.status as { status_list: { idx: number } }).status_list.idx;
    issuer.list.set(idx, STATUS_SUSPENDED);
    const refreshed = await verifyStatusListToken(
      await signStatusListToken({
        list: issuer.list,
        uri: issuer.statusUri,
        issuerKey: issuer.key,
        now,
        ttlSeconds: 300,
        validSeconds: 86_400,
      }),
      { issuerKeys: issuer.jwks, uri: issuer.statusUri, now },
    );
    const qr = await wallet.gateQr('sejong/6');
    assert.throws(() => verifyGatePresentationSync(qr, { ...opts, statusList: refreshed }), {
      code: 'ERR_MID_STATUS_SUSPENDED',
    });
    issuer.list.set(idx, 0);
  });

  // Document signatures: test/signature.test.ts.

  it('refuses to present or make a QR without a card with ERR_MID_WALLET_NO_CREDENTIAL', async () => {
    const empty = newWallet();
    await rejectsWith(() => empty.gateQr('sejong/6'), 'ERR_MID_WALLET_NO_CREDENTIAL');
    await rejectsWith(
      () => empty.signDocument({ title: 'x', sha256: 'a'.repeat(64), requestId: 'r1', audience: 'app' }),
      'ERR_MID_WALLET_NO_CREDENTIAL',
    );
  });
});
