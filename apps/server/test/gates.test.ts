import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  createGateAuthToken,
  createGateQr,
  type GateStation,
  generateDeviceKey,
  loadGateStation,
  MemorySeenCache,
  parseJws,
  type Wallet,
} from '@gongjik/mobile-id';
import { decideAtGateSync } from '@gongjik/mobile-id/node';
import {
  asAdmin,
  call,
  type MidServer,
  midServer,
  newWallet,
  type Org,
  offerFor,
  PIN,
  seedOrg,
} from './mobile-id-helpers.ts';

const GROUP = 'sejong/bldg-6';

interface TestGate {
  id: string;
  privateKey: CryptoKey;
}

async function addGate(
  t: MidServer,
  options: { group?: string; building?: string; policy?: unknown } = {},
): Promise<TestGate> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const r = await call(t, 'POST', '/api/v1/admin/gates', {
    headers: asAdmin(t),
    body: {
      name: '6동 정문',
      gateGroup: options.group ?? GROUP,
      building: options.building ?? 'bldg-6',
      policy: options.policy ?? { timeZone: 'Asia/Seoul', rules: [{ agencies: ['*'], buildings: ['*'] }] },
      publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: (r.body.gate as { id: string }).id, privateKey: pair.privateKey };
}

async function gateAuth(t: MidServer, gate: TestGate, method: string, path: string, now = t.clock.now()) {
  return createGateAuthToken({
    gateId: gate.id,
    privateKey: gate.privateKey,
    origin: new URL(t.url).origin,
    method,
    path,
    now,
  });
}

async function fetchBundle(t: MidServer, gate: TestGate) {
  const token = await gateAuth(t, gate, 'GET', '/api/v1/gates/bundle');
  return call(t, 'GET', '/api/v1/gates/bundle', { headers: { authorization: `Gate ${token}` } });
}

/** What a gate does when online: fetch, verify and cache its bundle. */
async function sync(t: MidServer, gate: TestGate): Promise<GateStation> {
  const r = await fetchBundle(t, gate);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return loadGateStation(r.body, t.clock.now());
}

async function holder(t: MidServer, org: Org): Promise<Wallet> {
  return (await holderWithStorage(t, org)).wallet;
}

async function holderWithStorage(t: MidServer, org: Org) {
  const sms = await offerFor(t, org);
  const { wallet, storage } = newWallet(t);
  await wallet.install(sms.url, sms.txCode, { pin: PIN });
  await wallet.unlock(PIN);
  return { wallet, storage };
}

forEachDatabase('building gates', (suite) => {
  let t: MidServer;
  let org: Org;
  let wallet: Wallet;
  before(async () => {
    t = await midServer(suite.db, { GONGJIK_MID_STATUS_TTL_SECONDS: '60' });
    org = await seedOrg(t);
    wallet = await holder(t, org);
  });
  after(() => t.close());

  it('allows a fresh QR once, then refuses the same QR with ERR_MID_NONCE_REPLAYED', async () => {
    const gate = await addGate(t);
    const station = await sync(t, gate);
    const seen = new MemorySeenCache();
    const qr = await wallet.gateQr(GROUP);
    const first = decideAtGateSync(qr, station, t.clock.now(), seen);
    assert.equal(first.allow, true, String(first.code));
    assert.equal(first.agencyCode, org.agencyCode);
    const again = decideAtGateSync(qr, station, t.clock.now(), seen);
    assert.equal(again.allow, false);
    assert.equal(again.code, 'ERR_MID_NONCE_REPLAYED');
  });

  it('refuses a QR older than 30 s with ERR_MID_PROOF_EXPIRED', async () => {
    const gate = await addGate(t);
    const station = await sync(t, gate);
    const qr = await wallet.gateQr(GROUP);
    const late = new Date(t.clock.now().getTime() + 36_000);
    const d = decideAtGateSync(qr, station, late, new MemorySeenCache());
    assert.equal(d.code, 'ERR_MID_PROOF_EXPIRED');
    const inTime = decideAtGateSync(
      qr,
      station,
      new Date(t.clock.now().getTime() + 25_000),
      new MemorySeenCache(),
    );
    assert.equal(inTime.allow, true, 'still valid at 25 s');
  });

  it('refuses a QR made for another gate group with ERR_MID_GATE_GROUP_MISMATCH', async () => {
    const gate = await addGate(t);
    const station = await sync(t, gate);
    const d = decideAtGateSync(
      await wallet.gateQr('sejong/bldg-7'),
      station,
      t.clock.now(),
      new MemorySeenCache(),
    );
    assert.equal(d.code, 'ERR_MID_GATE_GROUP_MISMATCH');
  });

  it('refuses a forged device proof (ERR_MID_DEVICE_PROOF_INVALID) and a QR without the PIN unlock (ERR_MID_UNLOCK_REQUIRED)', async () => {
    const gate = await addGate(t);
    const station = await sync(t, gate);
    const genuine = await wallet.gateQr(GROUP);
    const [credential, , unlock] = genuine.split('~') as [string, string, string];
    const thief = await generateDeviceKey();
    const forged = await createGateQr({
      credential,
      gateGroup: GROUP,
      devicePrivateKey: thief.privateKey,
      now: t.clock.now(),
      unlockToken: unlock,
    });
    assert.equal(
      decideAtGateSync(forged, station, t.clock.now(), new MemorySeenCache()).code,
      'ERR_MID_DEVICE_PROOF_INVALID',
    );
    // The real device key but no unlock token (a copied wallet storage): the gate requires the PIN.
    const noUnlock = genuine.split('~').slice(0, 2).join('~');
    assert.equal(
      decideAtGateSync(noUnlock, station, t.clock.now(), new MemorySeenCache()).code,
      'ERR_MID_UNLOCK_REQUIRED',
    );
    // A tampered credential (another agency code) breaks the issuer signature.
    const parsed = parseJws(credential, 'gate');
    const body = Buffer.from(JSON.stringify({ ...parsed.payload, agc: '0000000' })).toString('base64url');
    const parts = genuine.split('~');
    const [h, , s] = parts[0]!.split('.');
    parts[0] = `${h}.${body}.${s}`;
    assert.equal(
      decideAtGateSync(parts.join('~'), station, t.clock.now(), new MemorySeenCache()).code,
      'ERR_MID_SIGNATURE_INVALID',
    );
  });

  it('applies the zone policy: agency, building and time window (Asia/Seoul)', async () => {
    const rule = (over: Record<string, unknown>) => ({
      timeZone: 'Asia/Seoul',
      rules: [
        {
          agencies: [org.agencyCode],
          buildings: ['bldg-6'],
          days: [1, 2, 3, 4, 5],
          from: '07:00',
          to: '20:00',
          ...over,
        },
      ],
    });
    // The test clock is Monday 2026-03-02 10:00 KST.
    const cases: [unknown, string | null][] = [
      [rule({}), null],
      [rule({ agencies: ['1311000'] }), 'ERR_GATE_AGENCY_NOT_ALLOWED'],
      [rule({ buildings: ['bldg-7'] }), 'ERR_GATE_BUILDING_NOT_ALLOWED'],
      [rule({ from: '11:00' }), 'ERR_GATE_OUTSIDE_HOURS'],
      [rule({ days: [6, 7] }), 'ERR_GATE_OUTSIDE_HOURS'],
      [rule({ from: '22:00', to: '10:30', days: [7] }), null], // Sunday night shift, until 10:30 Monday
    ];
    for (const [policy, code] of cases) {
      const gate = await addGate(t, { policy });
      const station = await sync(t, gate);
      const d = decideAtGateSync(await wallet.gateQr(GROUP), station, t.clock.now(), new MemorySeenCache());
      assert.equal(d.code, code, JSON.stringify(policy));
      if (code) assert.equal(d.agencyCode, org.agencyCode, 'a policy refusal still names who was refused');
    }
    const bad = await call(t, 'POST', '/api/v1/admin/gates', {
      headers: asAdmin(t),
      body: {
        name: 'x',
        gateGroup: GROUP,
        building: 'b',
        policy: { rules: [{ agencies: ['*'], from: '25:00' }] },
        publicJwk: {},
      },
    });
    assert.equal(bad.body.code, 'ERR_GATE_POLICY_INVALID');
  });

  for (const [what, act, code] of [
    ['suspended (reported lost)', 'suspend', 'ERR_MID_STATUS_SUSPENDED'],
    ['revoked', 'revoke', 'ERR_MID_STATUS_INVALID'],
    ['locked (five wrong PINs)', 'lock', 'ERR_MID_STATUS_INVALID'],
  ] as const) {
    it(`refuses a ${what} card once the cached list is refreshed — and still allows it offline before (${code})`, async () => {
      const o = await seedOrg(t);
      const { wallet: w, storage } = await holderWithStorage(t, o);
      // What the phone holds (a lost phone's storage): credential, device key, last unlock token.
      const [credential, , unlockToken] = (await w.gateQr(GROUP)).split('~') as [string, string, string];
      const device = (await storage.get<{ privateKey: CryptoKey }>('device-key'))!;
      const qr = () =>
        createGateQr({
          credential,
          gateGroup: GROUP,
          devicePrivateKey: device.privateKey,
          now: t.clock.now(),
          unlockToken,
        });
      const gate = await addGate(t);
      const before = await sync(t, gate);
      const seen = new MemorySeenCache();
      assert.equal(decideAtGateSync(await qr(), before, t.clock.now(), seen).allow, true);
      if (act === 'suspend') {
        const r = await call(t, 'POST', '/api/v1/mid/me/suspend', { headers: o.member.session, body: {} });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      } else if (act === 'revoke') {
        const r = await call(t, 'POST', `/api/v1/admin/people/${o.member.employeeNumber}/mobile-id/revoke`, {
          headers: asAdmin(t),
          body: {},
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      } else {
        for (let i = 0; i < 5; i++) await w.unlock('130297').catch(() => undefined);
        await assert.rejects(w.unlock(PIN), { code: 'ERR_MID_PIN_LOCKED' });
      }
      t.clock.advance(1000);
      // The documented trade-off: offline, with the list cached before the change, the gate still allows.
      assert.equal(decideAtGateSync(await qr(), before, t.clock.now(), seen).allow, true);
      const after = await sync(t, gate);
      const d = decideAtGateSync(await qr(), after, t.clock.now(), seen);
      assert.equal(d.allow, false);
      assert.equal(d.code, code);
    });
  }

  it('refuses an unknown gate, a disabled gate, a replayed or foreign token when fetching the bundle', async () => {
    const gate = await addGate(t);
    const stranger = { id: crypto.randomUUID(), privateKey: gate.privateKey };
    assert.equal((await fetchBundle(t, stranger)).body.code, 'ERR_GATE_UNKNOWN');
    const impostor = { id: gate.id, privateKey: (await generateDeviceKey()).privateKey };
    assert.equal((await fetchBundle(t, impostor)).body.code, 'ERR_GATE_AUTH_INVALID');
    const token = await gateAuth(t, gate, 'GET', '/api/v1/gates/bundle');
    const once = await call(t, 'GET', '/api/v1/gates/bundle', {
      headers: { authorization: `Gate ${token}` },
    });
    assert.equal(once.status, 200);
    const twice = await call(t, 'GET', '/api/v1/gates/bundle', {
      headers: { authorization: `Gate ${token}` },
    });
    assert.equal(twice.body.code, 'ERR_GATE_AUTH_INVALID', 'a token is single-use');
    const forLog = await gateAuth(t, gate, 'POST', '/api/v1/gates/log');
    const wrongPath = await call(t, 'GET', '/api/v1/gates/bundle', {
      headers: { authorization: `Gate ${forLog}` },
    });
    assert.equal(wrongPath.body.code, 'ERR_GATE_AUTH_INVALID', 'bound to method and path');
    const old = await gateAuth(
      t,
      gate,
      'GET',
      '/api/v1/gates/bundle',
      new Date(t.clock.now().getTime() - 120_000),
    );
    const stale = await call(t, 'GET', '/api/v1/gates/bundle', { headers: { authorization: `Gate ${old}` } });
    assert.equal(stale.body.code, 'ERR_GATE_AUTH_INVALID', 'at most 60 s old');
    assert.equal((await call(t, 'GET', '/api/v1/gates/bundle')).body.code, 'ERR_GATE_AUTH_INVALID');

    const off = await call(t, 'POST', `/api/v1/admin/gates/${gate.id}/disable`, { headers: asAdmin(t) });
    assert.equal((off.body.gate as { state: string }).state, 'disabled');
    const r = await fetchBundle(t, gate);
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'ERR_GATE_DISABLED');
  });

  it('stores uploaded decisions once (a retried upload is harmless)', async () => {
    const gate = await addGate(t);
    const station = await sync(t, gate);
    const d = decideAtGateSync(await wallet.gateQr(GROUP), station, t.clock.now(), new MemorySeenCache());
    const upload = async () => {
      const token = await gateAuth(t, gate, 'POST', '/api/v1/gates/log');
      return call(t, 'POST', '/api/v1/gates/log', {
        headers: { authorization: `Gate ${token}` },
        body: {
          events: [
            {
              id: d.id,
              at: d.at,
              allow: d.allow,
              code: d.code,
              subject: d.subject,
              agencyCode: d.agencyCode,
            },
          ],
        },
      });
    };
    assert.deepEqual((await upload()).body, { accepted: 1, duplicates: 0 });
    assert.deepEqual((await upload()).body, { accepted: 0, duplicates: 1 });
    const events = await call(t, 'GET', `/api/v1/admin/gates/${gate.id}/events`, { headers: asAdmin(t) });
    assert.equal((events.body.events as { allow: boolean }[])[0]!.allow, true);
  });
});
