import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CryptoKey } from 'jose';
import {
  createGateQr,
  type GateVerifyOptions,
  generateDeviceKey,
  generateIssuerKey,
  issueGateCredential,
  MemorySeenCache,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  signJws,
  toJwks,
  verifyGatePresentation,
} from '../src/index.ts';
import { verifyGatePresentationSync } from '../src/node.ts';
import {
  at,
  ISSUER,
  makeWorld,
  NOW,
  rejectsWith,
  STATUS_URI,
  SUBJECT,
  VALID_FROM,
  VALID_UNTIL,
} from './fixtures.ts';

const GROUP = 'sejong-gov-complex/bldg-6';
const w = await makeWorld();

const qr = (
  extra: { now?: Date; gateGroup?: string; key?: CryptoKey; credential?: string; nonce?: string } = {},
) =>
  createGateQr({
    credential: extra.credential ?? w.gateCredential,
    gateGroup: extra.gateGroup ?? GROUP,
    devicePrivateKey: extra.key ?? w.device.privateKey,
    now: extra.now ?? NOW,
    ...(extra.nonce ? { nonce: extra.nonce } : {}),
  });

async function options(extra: Partial<GateVerifyOptions> = {}): Promise<GateVerifyOptions> {
  return {
    issuerKeys: w.jwks,
    statusList: await w.cachedList(),
    gateGroup: GROUP,
    now: NOW,
    seenCache: new MemorySeenCache(),
    ...extra,
  };
}

// Each refusal is checked on both paths: WebCrypto (browser kiosk) and node:crypto (sync, fast).
const paths = [
  ['async (WebCrypto)', (q: string, o: GateVerifyOptions) => verifyGatePresentation(q, o)],
  ['sync (node:crypto)', async (q: string, o: GateVerifyOptions) => verifyGatePresentationSync(q, o)],
] as const;

describe('gate credential and QR', () => {
  it('fits the credential and a device proof in one QR code (≤ 1,000 bytes)', async () => {
    const text = await qr();
    console.log(`gate QR: ${text.length} bytes`);
    assert.ok(text.length <= 1000, `${text.length} bytes`);
    assert.match(text, /^[A-Za-z0-9_.~-]+$/, 'URL-safe ASCII, byte mode');
  });

  for (const [name, verify] of paths) {
    describe(name, () => {
      it('admits a fresh QR and returns the facts the gate decides on', async () => {
        const facts = await verify(await qr(), await options({ now: at(10) }));
        assert.equal(facts.subject, SUBJECT);
        assert.equal(facts.agencyCode, '1741000');
        assert.equal(facts.issuer, ISSUER);
        assert.equal(facts.gateGroup, GROUP);
        assert.deepEqual(facts.status, { idx: w.idx, uri: STATUS_URI });
      });

      it('refuses a replayed QR with ERR_MID_NONCE_REPLAYED', async () => {
        const o = await options();
        const q = await qr();
        await verify(q, o);
        await rejectsWith(() => verify(q, { ...o, now: at(5) }), 'ERR_MID_NONCE_REPLAYED');
      });

      it('refuses a proof older than 30 seconds with ERR_MID_PROOF_EXPIRED', async () => {
        const q = await qr();
        await verify(q, await options({ now: at(30) }));
        await rejectsWith(async () => verify(q, await options({ now: at(31) })), 'ERR_MID_PROOF_EXPIRED');
      });

      it('refuses a proof dated ahead of the gate clock with ERR_MID_TIME_INVALID', async () => {
        await rejectsWith(
          async () => verify(await qr({ now: at(60) }), await options()),
          'ERR_MID_TIME_INVALID',
        );
      });

      it('refuses a QR made for another gate group with ERR_MID_GATE_GROUP_MISMATCH', async () => {
        await rejectsWith(
          async () => verify(await qr({ gateGroup: 'gwacheon/bldg-1' }), await options()),
          'ERR_MID_GATE_GROUP_MISMATCH',
        );
      });

      it('refuses a proof signed by another device with ERR_MID_DEVICE_PROOF_INVALID', async () => {
        const thief = await generateDeviceKey();
        await rejectsWith(
          async () => verify(await qr({ key: thief.privateKey }), await options()),
          'ERR_MID_DEVICE_PROOF_INVALID',
        );
      });

      it('refuses a proof with an altered payload with ERR_MID_DEVICE_PROOF_INVALID', async () => {
        const [cred, proof] = (await qr()).split('~');
        const [h, p, s] = proof!.split('.');
        const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
        payload.iat += 20;
        const forged = `${cred}~${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
        await rejectsWith(async () => verify(forged, await options()), 'ERR_MID_DEVICE_PROOF_INVALID');
      });

      it('refuses a valid proof moved onto another credential of the same device', async () => {
        const other = await issueGateCredential({
          issuer: ISSUER,
          issuerKey: w.issuerKey,
          subject: SUBJECT,
          agencyCode: '1741000',
          holderJwk: w.device.publicJwk,
          status: { idx: w.idx, uri: STATUS_URI },
          validFrom: VALID_FROM,
          validUntil: at(3600),
        });
        const [, proof] = (await qr()).split('~');
        await rejectsWith(
          async () => verify(`${other}~${proof}`, await options()),
          'ERR_MID_DEVICE_PROOF_INVALID',
        );
      });

      it('refuses a credential with a changed claim with ERR_MID_SIGNATURE_INVALID', async () => {
        const [h, p, s] = w.gateCredential.split('.');
        const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
        payload.agc = '1311000';
        const tampered = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
        await rejectsWith(
          async () => verify(await qr({ credential: tampered }), await options()),
          'ERR_MID_SIGNATURE_INVALID',
        );
      });

      it('refuses a credential from an unknown issuer with ERR_MID_ISSUER_UNKNOWN', async () => {
        const rogue = await generateIssuerKey();
        await rejectsWith(
          async () => verify(await qr(), await options({ issuerKeys: toJwks([rogue]) })),
          'ERR_MID_ISSUER_UNKNOWN',
        );
      });

      it('refuses an expired credential with ERR_MID_CREDENTIAL_EXPIRED', async () => {
        const late = new Date(VALID_UNTIL.getTime() + 60_000);
        await rejectsWith(
          async () => verify(await qr({ now: late }), await options({ now: late })),
          'ERR_MID_CREDENTIAL_EXPIRED',
        );
      });

      it('refuses a suspended card, then a revoked one, once the cached list refreshes', async () => {
        const q1 = await qr();
        w.list.set(w.idx, STATUS_SUSPENDED);
        await rejectsWith(async () => verify(q1, await options()), 'ERR_MID_STATUS_SUSPENDED');
        w.list.set(w.idx, STATUS_INVALID);
        await rejectsWith(async () => verify(await qr(), await options()), 'ERR_MID_STATUS_INVALID');
        w.list.set(w.idx, 0);
      });

      it('refuses with ERR_MID_STATUS_LIST_STALE when the cached list is past its exp', async () => {
        const cached = await w.cachedList();
        const late = new Date(cached.exp * 1000 + 1000);
        await rejectsWith(
          async () => verify(await qr({ now: late }), await options({ now: late, statusList: cached })),
          'ERR_MID_STATUS_LIST_STALE',
        );
      });

      it('refuses a proof with the wrong typ and garbage with ERR_MID_TYPE_INVALID / ERR_MID_MALFORMED', async () => {
        const proof = await signJws(
          { typ: 'kb+jwt' },
          { aud: GROUP, iat: 0, nonce: 'x'.repeat(22) },
          w.device.privateKey,
        );
        await rejectsWith(
          async () => verify(`${w.gateCredential}~${proof}`, await options()),
          'ERR_MID_TYPE_INVALID',
        );
        await rejectsWith(async () => verify('hello', await options()), 'ERR_MID_MALFORMED');
        await rejectsWith(async () => verify('a'.repeat(5000), await options()), 'ERR_MID_MALFORMED');
      });
    });
  }
});
