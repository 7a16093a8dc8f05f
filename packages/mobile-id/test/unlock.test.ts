import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createGateQr,
  createPinProof,
  derivePinVerifier,
  generateDeviceKey,
  generateIssuerKey,
  issueUnlockToken,
  isTrivialPin,
  jwkThumbprint,
  MemorySeenCache,
  parsePinProof,
  toJwks,
  verifyGatePresentation,
  verifyPinProof,
  verifyUnlockToken,
} from '../src/index.ts';
import { jwkThumbprintSync, verifyGatePresentationSync } from '../src/node.ts';
import { at, makeWorld, NOW, rejectsWith } from './fixtures.ts';

const SALT = 'c2FsdHNhbHRzYWx0c2FsdA';

describe('PIN verifier and proofs', () => {
  it('refuses trivial PINs: repeated digits, runs up or down, well-known patterns, wrong length', () => {
    for (const pin of [
      '000000',
      '999999',
      '123456',
      '234567',
      '890123',
      '987654',
      '210987',
      '123123',
      '12345',
      '1234567',
      'abcdef',
    ]) {
      assert.equal(isTrivialPin(pin), true, pin);
    }
    for (const pin of ['482915', '130297', '902184']) assert.equal(isTrivialPin(pin), false, pin);
  });

  it('derives a salted PBKDF2 verifier: same PIN and salt → same verifier, another salt → another', async () => {
    const a = await derivePinVerifier('482915', SALT, 1000);
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(await derivePinVerifier('482915', SALT, 1000), a);
    assert.notEqual(await derivePinVerifier('482915', 'b3RoZXJzYWx0b3RoZXJzYQ', 1000), a);
    assert.notEqual(await derivePinVerifier('482916', SALT, 1000), a);
    await rejectsWith(() => derivePinVerifier('482915', SALT, 10), 'ERR_MID_MALFORMED');
  });

  it('checks a PIN proof’s device key, audience, nonce and age', async () => {
    const device = await generateDeviceKey();
    const other = await generateDeviceKey();
    const pv = await derivePinVerifier('482915', SALT, 1000);
    const proof = await createPinProof({
      action: 'unlock',
      audience: 'https://id.gongjik.test',
      nonce: 'nonce-nonce-nonce-0001',
      verifier: pv,
      deviceKey: device,
      now: NOW,
    });
    const parsed = await parsePinProof(proof);
    assert.equal(parsed.jkt, await jwkThumbprint(device.publicJwk));
    assert.equal(parsed.verifier, pv);
    const ok = {
      deviceJwk: device.publicJwk,
      audience: 'https://id.gongjik.test',
      nonce: 'nonce-nonce-nonce-0001',
      now: NOW,
    };
    await verifyPinProof(proof, ok);
    await rejectsWith(
      () => verifyPinProof(proof, { ...ok, deviceJwk: other.publicJwk }),
      'ERR_MID_DEVICE_PROOF_INVALID',
    );
    await rejectsWith(
      () => verifyPinProof(proof, { ...ok, audience: 'https://evil.test' }),
      'ERR_MID_AUDIENCE_MISMATCH',
    );
    await rejectsWith(
      () => verifyPinProof(proof, { ...ok, nonce: 'nonce-nonce-nonce-0002' }),
      'ERR_MID_NONCE_MISMATCH',
    );
    await rejectsWith(() => verifyPinProof(proof, { ...ok, now: at(600) }), 'ERR_MID_PROOF_EXPIRED');
    // A proof whose header names another key than the one that signed it.
    const [h, p, s] = proof.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
    header.jwk = other.publicJwk;
    const swapped = [Buffer.from(JSON.stringify(header)).toString('base64url'), p, s].join('.');
    await rejectsWith(
      () => verifyPinProof(swapped, { ...ok, deviceJwk: other.publicJwk }),
      'ERR_MID_DEVICE_PROOF_INVALID',
    );
  });
});

describe('unlock tokens', () => {
  it('binds an unlock token to one device key and refuses it after exp, for another key, or forged', async () => {
    const issuerKey = await generateIssuerKey();
    const jwks = toJwks([issuerKey]);
    const device = await generateDeviceKey();
    const jkt = await jwkThumbprint(device.publicJwk);
    assert.equal(jwkThumbprintSync(device.publicJwk), jkt, 'sync and async thumbprints agree');
    const token = await issueUnlockToken({
      issuer: 'https://id.gongjik.test',
      issuerKey,
      deviceJkt: jkt,
      now: NOW,
      lifetimeSeconds: 3600,
    });
    assert.equal(
      await verifyUnlockToken(token, { issuerKeys: jwks, deviceJkt: jkt, now: at(60) }),
      Math.floor(NOW.getTime() / 1000) + 3600,
    );
    await rejectsWith(
      () => verifyUnlockToken(token, { issuerKeys: jwks, deviceJkt: jkt, now: at(3600) }),
      'ERR_MID_UNLOCK_EXPIRED',
    );
    await rejectsWith(
      () => verifyUnlockToken(token, { issuerKeys: jwks, deviceJkt: 'x'.repeat(43), now: NOW }),
      'ERR_MID_UNLOCK_REQUIRED',
    );
    await rejectsWith(
      () => verifyUnlockToken(undefined, { issuerKeys: jwks, deviceJkt: jkt, now: NOW }),
      'ERR_MID_UNLOCK_REQUIRED',
    );
    const stranger = await generateIssuerKey();
    const forged = await issueUnlockToken({
      issuer: 'x',
      issuerKey: { ...stranger, kid: issuerKey.kid },
      deviceJkt: jkt,
      now: NOW,
      lifetimeSeconds: 3600,
    });
    await rejectsWith(
      () => verifyUnlockToken(forged, { issuerKeys: jwks, deviceJkt: jkt, now: NOW }),
      'ERR_MID_SIGNATURE_INVALID',
    );
  });

  it('lets a gate that requires an unlock refuse a QR without one, and accept it with one (sync and async)', async () => {
    const w = await makeWorld();
    const jkt = await jwkThumbprint(w.device.publicJwk);
    const unlockToken = await issueUnlockToken({
      issuer: 'https://id.gongjik.test',
      issuerKey: w.issuerKey,
      deviceJkt: jkt,
      now: NOW,
      lifetimeSeconds: 600,
    });
    const statusList = await w.cachedList();
    const options = () => ({
      issuerKeys: w.jwks,
      statusList,
      gateGroup: 'sejong/bldg-6',
      now: NOW,
      seenCache: new MemorySeenCache(),
      requireUnlock: true,
    });
    const bare = await createGateQr({
      credential: w.gateCredential,
      gateGroup: 'sejong/bldg-6',
      devicePrivateKey: w.device.privateKey,
      now: NOW,
    });
    assert.throws(() => verifyGatePresentationSync(bare, options()), { code: 'ERR_MID_UNLOCK_REQUIRED' });
    await rejectsWith(() => verifyGatePresentation(bare, options()), 'ERR_MID_UNLOCK_REQUIRED');
    const qr = await createGateQr({
      credential: w.gateCredential,
      gateGroup: 'sejong/bldg-6',
      devicePrivateKey: w.device.privateKey,
      now: NOW,
      unlockToken,
    });
    assert.ok(qr.length < 1400, `QR ${qr.length} bytes`);
    assert.equal(verifyGatePresentationSync(qr, options()).unlockExp, Math.floor(NOW.getTime() / 1000) + 600);
    assert.equal(
      (await verifyGatePresentation(qr, options())).unlockExp,
      Math.floor(NOW.getTime() / 1000) + 600,
    );
    // Gates that do not require it still accept both forms.
    assert.ok(verifyGatePresentationSync(bare, { ...options(), requireUnlock: false }));
  });
});
