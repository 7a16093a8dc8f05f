import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createDisclosure,
  disclosableClaims,
  generateDeviceKey,
  generateIssuerKey,
  issueOfficialIdCredential,
  MemorySeenCache,
  presentSdJwt,
  STATUS_INVALID,
  STATUS_SUSPENDED,
  signJws,
  toJwks,
  type VerifySdJwtOptions,
  verifySdJwtPresentation,
} from '../src/index.ts';
import {
  at,
  CLAIMS,
  ISSUER,
  makeWorld,
  NOW,
  rejectsWith,
  STATUS_URI,
  VALID_FROM,
  VALID_UNTIL,
} from './fixtures.ts';

const AUD = 'https://library.sejong.test';
const NONCE = 'n-0S6_WzA2Mj';
const LIBRARY_CLAIMS = ['name', 'agency', 'employee_number'];

const w = await makeWorld();
const opts = (extra: Partial<VerifySdJwtOptions> = {}): VerifySdJwtOptions => ({
  issuerKeys: w.jwks,
  now: NOW,
  audience: AUD,
  nonce: NONCE,
  ...extra,
});
const present = (disclose = LIBRARY_CLAIMS, extra: { credential?: string; now?: Date; aud?: string } = {}) =>
  presentSdJwt({
    credential: extra.credential ?? w.credential,
    disclose,
    audience: extra.aud ?? AUD,
    nonce: NONCE,
    devicePrivateKey: w.device.privateKey,
    now: extra.now ?? NOW,
  });

function b64json(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64url');
}

describe('SD-JWT VC issuance and presentation', () => {
  it('issues a dc+sd-jwt whose always-visible claims are iss, iat, nbf, exp, vct, cnf and status', () => {
    const [jwt] = w.credential.split('~');
    const [h, p] = jwt!.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString());
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    assert.equal(header.typ, 'dc+sd-jwt');
    assert.equal(header.kid, w.issuerKey.kid);
    assert.deepEqual(Object.keys(payload).sort(), [
      '_sd',
      '_sd_alg',
      'cnf',
      'exp',
      'iat',
      'iss',
      'nbf',
      'status',
      'vct',
    ]);
    assert.equal(payload.vct, 'urn:gongjik:mobile-official-id:1');
    assert.deepEqual(payload.status, { status_list: { idx: w.idx, uri: STATUS_URI } });
    assert.deepEqual(payload.cnf.jwk, w.device.publicJwk);
    assert.equal(payload._sd.length, 6 + 2, 'six claims plus two decoys');
    assert.ok(!JSON.stringify(payload).includes('류시원'), 'no claim value in the signed payload');
  });

  it('shows the wallet every disclosable claim', async () => {
    assert.deepEqual(await disclosableClaims(w.credential), { ...CLAIMS });
  });

  it('verifies a presentation that discloses exactly the requested claims', async () => {
    const result = await verifySdJwtPresentation(await present(), opts({ requiredClaims: LIBRARY_CLAIMS }));
    assert.deepEqual(result.disclosed.sort(), [...LIBRARY_CLAIMS].sort());
    assert.equal(result.claims.name, CLAIMS.name);
    assert.deepEqual(result.claims.agency, CLAIMS.agency);
    assert.equal(result.claims.department, undefined);
    assert.equal(result.claims.position, undefined);
    assert.equal(result.issuer, ISSUER);
    assert.deepEqual(result.status, { idx: w.idx, uri: STATUS_URI });
    assert.deepEqual(result.holderJwk, w.device.publicJwk);
  });

  it('leaves undisclosed claims out of the presentation itself', async () => {
    const p = await present(['name']);
    assert.equal(p.split('~').length, 3, 'issuer JWT, one disclosure, KB-JWT');
    assert.ok(!Buffer.from(p.split('~')[1]!, 'base64url').toString().includes('employee_number'));
  });

  it('refuses a presentation that discloses more than requested with ERR_MID_DISCLOSURE_EXCESSIVE', async () => {
    const p = await present([...LIBRARY_CLAIMS, 'department']);
    await rejectsWith(
      () => verifySdJwtPresentation(p, opts({ requiredClaims: LIBRARY_CLAIMS })),
      'ERR_MID_DISCLOSURE_EXCESSIVE',
    );
  });

  it('refuses a presentation missing a requested claim with ERR_MID_CLAIM_MISSING', async () => {
    const p = await present(['name', 'agency']);
    await rejectsWith(
      () => verifySdJwtPresentation(p, opts({ requiredClaims: LIBRARY_CLAIMS })),
      'ERR_MID_CLAIM_MISSING',
    );
  });

  it('refuses a changed disclosure value with ERR_MID_DISCLOSURE_INVALID', async () => {
    const parts = w.credential.split('~');
    const forged = await createDisclosure('position', '국장');
    const i = parts.findIndex(
      (d, n) => n > 0 && d && Buffer.from(d, 'base64url').toString().includes('"position"'),
    );
    parts[i] = forged.encoded;
    const p = await present(['name', 'position'], { credential: parts.join('~') });
    await rejectsWith(() => verifySdJwtPresentation(p, opts()), 'ERR_MID_DISCLOSURE_INVALID');
  });

  it('refuses a changed issuer payload with ERR_MID_SIGNATURE_INVALID', async () => {
    const [jwt, ...rest] = w.credential.split('~');
    const [h, p, s] = jwt!.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.exp += 10 * 365 * 86_400;
    const tampered = [`${h}.${b64json(payload)}.${s}`, ...rest].join('~');
    await rejectsWith(
      async () => verifySdJwtPresentation(await present(['name'], { credential: tampered }), opts()),
      'ERR_MID_SIGNATURE_INVALID',
    );
  });

  it('refuses a disclosure added after the holder signed with ERR_MID_SD_HASH_MISMATCH', async () => {
    const p = await present(['name']);
    const parts = p.split('~');
    const dept = w.credential
      .split('~')
      .find((d) => d && Buffer.from(d, 'base64url').toString().includes('"department"'))!;
    const widened = [parts[0], parts[1], dept, parts[2]].join('~');
    await rejectsWith(() => verifySdJwtPresentation(widened, opts()), 'ERR_MID_SD_HASH_MISMATCH');
  });

  it('refuses the same disclosure sent twice with ERR_MID_DISCLOSURE_INVALID', async () => {
    const parts = w.credential.split('~');
    const nameD = parts.find((d) => d && Buffer.from(d, 'base64url').toString().includes('"name"'))!;
    const doubled = `${parts[0]}~${nameD}~${nameD}~`;
    await rejectsWith(
      async () => verifySdJwtPresentation(await present(['name'], { credential: doubled }), opts()),
      'ERR_MID_DISCLOSURE_INVALID',
    );
  });

  it('refuses a disclosure the credential does not reference with ERR_MID_DISCLOSURE_INVALID', async () => {
    const stray = await createDisclosure('rank', '1급');
    const parts = w.credential.split('~');
    const extended = `${parts[0]}~${stray.encoded}~`;
    // presentSdJwt only keeps chosen claims, so build the KB-JWT over the extended text by hand.
    const p = await present(['rank'], { credential: extended });
    await rejectsWith(() => verifySdJwtPresentation(p, opts()), 'ERR_MID_DISCLOSURE_INVALID');
  });

  it('refuses a KB-JWT with the wrong nonce with ERR_MID_NONCE_MISMATCH', async () => {
    await rejectsWith(
      async () => verifySdJwtPresentation(await present(), opts({ nonce: 'another-nonce' })),
      'ERR_MID_NONCE_MISMATCH',
    );
  });

  it('refuses a KB-JWT for another audience with ERR_MID_AUDIENCE_MISMATCH', async () => {
    const p = await present(LIBRARY_CLAIMS, { aud: 'https://phishing.example' });
    await rejectsWith(() => verifySdJwtPresentation(p, opts()), 'ERR_MID_AUDIENCE_MISMATCH');
  });

  it('refuses a KB-JWT older than five minutes with ERR_MID_PROOF_EXPIRED', async () => {
    const p = await present(LIBRARY_CLAIMS, { now: at(-301) });
    await rejectsWith(() => verifySdJwtPresentation(p, opts()), 'ERR_MID_PROOF_EXPIRED');
    await verifySdJwtPresentation(await present(LIBRARY_CLAIMS, { now: at(-299) }), opts());
  });

  it('refuses a KB-JWT dated in the future with ERR_MID_TIME_INVALID', async () => {
    const p = await present(LIBRARY_CLAIMS, { now: at(120) });
    await rejectsWith(() => verifySdJwtPresentation(p, opts()), 'ERR_MID_TIME_INVALID');
  });

  it('refuses a KB-JWT signed by another key with ERR_MID_DEVICE_PROOF_INVALID', async () => {
    const thief = await generateDeviceKey();
    const p = await presentSdJwt({
      credential: w.credential,
      disclose: ['name'],
      audience: AUD,
      nonce: NONCE,
      devicePrivateKey: thief.privateKey,
      now: NOW,
    });
    await rejectsWith(() => verifySdJwtPresentation(p, opts()), 'ERR_MID_DEVICE_PROOF_INVALID');
  });

  it('refuses a presentation without key binding with ERR_MID_KEY_BINDING_MISSING', async () => {
    await rejectsWith(() => verifySdJwtPresentation(w.credential, opts()), 'ERR_MID_KEY_BINDING_MISSING');
  });

  it('refuses a KB-JWT with a wrong typ with ERR_MID_TYPE_INVALID', async () => {
    const p = await present(['name']);
    const withoutKb = p.slice(0, p.lastIndexOf('~') + 1);
    const kb = await signJws(
      { typ: 'JWT' },
      { iat: 1, aud: AUD, nonce: NONCE, sd_hash: 'x' },
      w.device.privateKey,
    );
    await rejectsWith(() => verifySdJwtPresentation(withoutKb + kb, opts()), 'ERR_MID_TYPE_INVALID');
  });

  it('refuses an expired credential with ERR_MID_CREDENTIAL_EXPIRED, and one presented before its iat with ERR_MID_TIME_INVALID', async () => {
    const later = new Date(VALID_UNTIL.getTime() + 3_600_000);
    const p = await present(['name'], { now: later });
    await rejectsWith(() => verifySdJwtPresentation(p, opts({ now: later })), 'ERR_MID_CREDENTIAL_EXPIRED');
    const earlier = new Date(VALID_FROM.getTime() - 3_600_000);
    const q = await present(['name'], { now: earlier });
    await rejectsWith(() => verifySdJwtPresentation(q, opts({ now: earlier })), 'ERR_MID_TIME_INVALID');
  });

  it('refuses a credential whose validity starts later with ERR_MID_CREDENTIAL_NOT_YET_VALID', async () => {
    const future = await issueOfficialIdCredential({
      issuer: ISSUER,
      issuerKey: w.issuerKey,
      claims: CLAIMS,
      holderJwk: w.device.publicJwk,
      status: { idx: w.idx, uri: STATUS_URI },
      validFrom: at(86_400),
      validUntil: VALID_UNTIL,
      now: NOW,
    });
    const p = await present(['name'], { credential: future });
    await rejectsWith(() => verifySdJwtPresentation(p, opts()), 'ERR_MID_CREDENTIAL_NOT_YET_VALID');
  });

  it('refuses a credential from an unknown issuer key with ERR_MID_ISSUER_UNKNOWN', async () => {
    const other = await generateIssuerKey();
    await rejectsWith(
      async () => verifySdJwtPresentation(await present(), opts({ issuerKeys: toJwks([other]) })),
      'ERR_MID_ISSUER_UNKNOWN',
    );
  });

  it('refuses a suspended or revoked credential from the status list', async () => {
    const p = await present();
    await verifySdJwtPresentation(p, opts({ statusLists: await w.cachedList() }));
    w.list.set(w.idx, STATUS_SUSPENDED);
    await rejectsWith(
      async () => verifySdJwtPresentation(p, opts({ statusLists: await w.cachedList() })),
      'ERR_MID_STATUS_SUSPENDED',
    );
    w.list.set(w.idx, STATUS_INVALID);
    await rejectsWith(
      async () => verifySdJwtPresentation(p, opts({ statusLists: await w.cachedList() })),
      'ERR_MID_STATUS_INVALID',
    );
    w.list.set(w.idx, 0);
  });

  it('refuses a replayed nonce with ERR_MID_NONCE_REPLAYED when given a seen-cache', async () => {
    const seenCache = new MemorySeenCache();
    const p = await present();
    await verifySdJwtPresentation(p, opts({ seenCache }));
    await rejectsWith(() => verifySdJwtPresentation(p, opts({ seenCache })), 'ERR_MID_NONCE_REPLAYED');
  });

  it('refuses garbage with ERR_MID_MALFORMED', async () => {
    await rejectsWith(() => verifySdJwtPresentation('not-an-sd-jwt', opts()), 'ERR_MID_MALFORMED');
    await rejectsWith(() => verifySdJwtPresentation('a.b.c~%%~x.y.z', opts()), 'ERR_MID_MALFORMED');
  });
});
