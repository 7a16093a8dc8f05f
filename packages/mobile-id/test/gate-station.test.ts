import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyGatePolicy,
  createGateAuthToken,
  createGateQr,
  encodeGateSetupCode,
  type GateBundle,
  generateDeviceKey,
  generateIssuerKey,
  importGateKey,
  issueGateCredential,
  issueUnlockToken,
  jwkThumbprint,
  loadGateStation,
  localTime,
  MemorySeenCache,
  parseGateBundle,
  parseGatePolicy,
  parseGateSetupCode,
  StatusList,
  signStatusListToken,
  toJwks,
  verifyGateAuthToken,
} from '../src/index.ts';
import { decideAtGateSync } from '../src/node.ts';

const rejects = (fn: () => unknown, code: string) =>
  assert.throws(fn, (e: { code?: string }) => e.code === code);

describe('gate zone policy', () => {
  const policy = parseGatePolicy({
    timeZone: 'Asia/Seoul',
    rules: [
      { agencies: ['1741000'], buildings: ['bldg-6'], days: [1, 2, 3, 4, 5], from: '07:00', to: '20:00' },
      { agencies: ['1741000'], buildings: ['bldg-6'], days: [5], from: '22:00', to: '06:00' },
      { agencies: ['*'], buildings: ['bldg-lobby'] },
    ],
  });
  // 2026-03-02 is a Monday; KST = UTC+9.
  const at = (iso: string) => new Date(iso);

  it('reads weekday and minute in the policy time zone', () => {
    assert.deepEqual(localTime(at('2026-03-01T22:30:00Z'), 'Asia/Seoul'), { day: 1, minute: 7 * 60 + 30 });
    assert.deepEqual(localTime(at('2026-03-01T22:30:00Z'), 'UTC'), { day: 7, minute: 22 * 60 + 30 });
  });

  it('allows inside a window, [from, to)', () => {
    applyGatePolicy(policy, { agencyCode: '1741000', building: 'bldg-6', now: at('2026-03-01T22:00:00Z') });
    rejects(
      () =>
        applyGatePolicy(policy, {
          agencyCode: '1741000',
          building: 'bldg-6',
          now: at('2026-03-02T11:00:00Z'),
        }),
      'ERR_GATE_OUTSIDE_HOURS',
    ); // Monday 20:00 KST: the end is excluded
  });

  it('lets a window span midnight: Friday 22:00 until Saturday 06:00, not Saturday 22:00', () => {
    applyGatePolicy(policy, { agencyCode: '1741000', building: 'bldg-6', now: at('2026-03-06T20:00:00Z') }); // Sat 05:00 KST
    rejects(
      () =>
        applyGatePolicy(policy, {
          agencyCode: '1741000',
          building: 'bldg-6',
          now: at('2026-03-07T13:30:00Z'),
        }), // Sat 22:30
      'ERR_GATE_OUTSIDE_HOURS',
    );
  });

  it('names the most specific refusal: agency, then building, then time', () => {
    const staffOnly = { ...policy, rules: policy.rules.slice(0, 2) };
    const otherAgency = { agencyCode: '1311000', building: 'bldg-6', now: at('2026-03-02T01:00:00Z') };
    rejects(() => applyGatePolicy(staffOnly, otherAgency), 'ERR_GATE_AGENCY_NOT_ALLOWED');
    // With the lobby rule, the agency is known to the policy, just not for this building.
    rejects(() => applyGatePolicy(policy, otherAgency), 'ERR_GATE_BUILDING_NOT_ALLOWED');
    rejects(
      () =>
        applyGatePolicy(policy, {
          agencyCode: '1741000',
          building: 'bldg-7',
          now: at('2026-03-02T01:00:00Z'),
        }),
      'ERR_GATE_BUILDING_NOT_ALLOWED',
    );
    // `*` agencies in the lobby, at any time.
    applyGatePolicy(policy, {
      agencyCode: '1311000',
      building: 'bldg-lobby',
      now: at('2026-03-08T18:00:00Z'),
    });
  });

  it('refuses malformed policies with ERR_GATE_POLICY_INVALID', () => {
    for (const bad of [
      null,
      { rules: [] },
      { rules: [{ agencies: [] }] },
      { rules: [{ agencies: ['*'], from: '7:00' }] },
      { rules: [{ agencies: ['*'], days: [0] }] },
      { rules: [{ agencies: ['*'], from: '08:00', to: '08:00' }] },
      { timeZone: 'Mars/Olympus', rules: [{ agencies: ['*'] }] },
      { rules: [{ agencies: ['<script>'] }] },
    ]) {
      rejects(() => parseGatePolicy(bad), 'ERR_GATE_POLICY_INVALID');
    }
  });
});

describe('gate authentication token and setup code', () => {
  it('binds the token to origin, method and path, for 60 s', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const setup = parseGateSetupCode(
      encodeGateSetupCode({
        gateId: crypto.randomUUID(),
        privateJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! },
      }),
    );
    const key = await importGateKey(setup);
    assert.equal(key.extractable, false);
    const now = new Date('2026-03-02T01:00:00Z');
    const base = { origin: 'https://gongjik.go.kr', method: 'GET', path: '/api/v1/gates/bundle' };
    const token = await createGateAuthToken({ gateId: setup.gateId, privateKey: key, now, ...base });
    const publicJwk = { kty: 'EC' as const, crv: 'P-256' as const, x: jwk.x!, y: jwk.y! };
    await verifyGateAuthToken(token, { publicJwk, now, ...base });
    for (const wrong of [
      { origin: 'https://evil.example' },
      { method: 'POST' },
      { path: '/api/v1/gates/log' },
      { now: new Date(now.getTime() + 61_000) },
    ]) {
      await assert.rejects(verifyGateAuthToken(token, { publicJwk, now, ...base, ...wrong }), {
        code: 'ERR_GATE_AUTH_INVALID',
      });
    }
    rejects(() => parseGateSetupCode('GJG1.eyJn'), 'ERR_GATE_SETUP_CODE_INVALID');
    rejects(() => parseGateSetupCode('hello'), 'ERR_GATE_SETUP_CODE_INVALID');
  });
});

describe('gate station', () => {
  it('keeps a list past its exp and refuses with ERR_MID_STATUS_LIST_STALE; refuses a bundle whose list is not signed by its keys', async () => {
    const issuerKey = await generateIssuerKey();
    const other = await generateIssuerKey();
    const now = new Date('2026-03-02T01:00:00Z');
    const uri = 'https://id.gongjik.go.kr/api/v1/mid/status/1';
    const list = new StatusList(1024);
    const token = await signStatusListToken({
      list,
      uri,
      issuerKey,
      now,
      ttlSeconds: 300,
      validSeconds: 3600,
    });
    const bundle: GateBundle = {
      v: 1,
      gate: {
        id: crypto.randomUUID(),
        name: 'g',
        gateGroup: 'sejong/bldg-6',
        building: 'bldg-6',
        policy: parseGatePolicy({ rules: [{ agencies: ['*'] }] }),
      },
      issuer: 'https://id.gongjik.go.kr',
      issuerKeys: toJwks([issuerKey]),
      statusLists: [{ uri, token }],
      ttlSeconds: 300,
      issuedAt: now.toISOString(),
    };
    const device = await generateDeviceKey();
    const credential = await issueGateCredential({
      issuer: 'https://id.gongjik.go.kr',
      issuerKey,
      subject: 's',
      agencyCode: '1741000',
      holderJwk: device.publicJwk,
      status: { idx: 7, uri },
      validFrom: now,
      validUntil: new Date(now.getTime() + 86_400_000 * 30),
    });
    const qrAt = async (t: Date) =>
      createGateQr({
        credential,
        gateGroup: 'sejong/bldg-6',
        devicePrivateKey: device.privateKey,
        now: t,
        unlockToken: await issueUnlockToken({
          issuer: 'https://id.gongjik.go.kr',
          issuerKey,
          deviceJkt: await jwkThumbprint(device.publicJwk),
          now: t,
          lifetimeSeconds: 3600,
        }),
      });
    const fresh = await loadGateStation(parseGateBundle(bundle), now);
    assert.equal(decideAtGateSync(await qrAt(now), fresh, now, new MemorySeenCache()).allow, true);
    const later = new Date(now.getTime() + 2 * 3600_000);
    const stale = await loadGateStation(bundle, later);
    assert.equal(
      decideAtGateSync(await qrAt(later), stale, later, new MemorySeenCache()).code,
      'ERR_MID_STATUS_LIST_STALE',
    );
    const foreign = { ...bundle, issuerKeys: toJwks([other]) };
    await assert.rejects(loadGateStation(foreign, now), { code: 'ERR_MID_ISSUER_UNKNOWN' });
  });
});
