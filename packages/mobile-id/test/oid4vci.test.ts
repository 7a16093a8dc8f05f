import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCredentialOffer,
  buildCredentialRequest,
  buildIssuerMetadata,
  buildTokenRequest,
  createProofJwt,
  credentialOfferUri,
  GATE_CONFIGURATION,
  generateDeviceKey,
  OFFICIAL_ID_CONFIGURATION,
  OFFICIAL_ID_VCT,
  PRE_AUTHORIZED_GRANT,
  parseCredentialOffer,
  parseCredentialRequest,
  parseTokenRequest,
  signJws,
  verifyProofJwt,
  wellKnownUrl,
} from '../src/index.ts';
import { at, NOW, rejectsWith } from './fixtures.ts';

const ISSUER = 'https://id.gongjik.test';
const device = await generateDeviceKey();
const proof = (extra: { issuer?: string; nonce?: string; now?: Date } = {}) =>
  createProofJwt({
    issuer: extra.issuer ?? ISSUER,
    nonce: extra.nonce ?? 'c-nonce-1',
    deviceKey: device,
    now: extra.now ?? NOW,
  });
const verify = (jwt: string, now = NOW) => verifyProofJwt(jwt, { issuer: ISSUER, nonce: 'c-nonce-1', now });

describe('OpenID4VCI', () => {
  it('publishes issuer metadata for the SD-JWT VC and the gate credential', () => {
    const m = buildIssuerMetadata(ISSUER);
    assert.equal(m.credential_issuer, ISSUER);
    assert.equal(m.nonce_endpoint, `${ISSUER}/nonce`);
    const sd = m.credential_configurations_supported[OFFICIAL_ID_CONFIGURATION]!;
    assert.equal(sd.format, 'dc+sd-jwt');
    assert.equal(sd.vct, OFFICIAL_ID_VCT);
    assert.deepEqual(sd.proof_types_supported.jwt.proof_signing_alg_values_supported, ['ES256']);
    assert.ok(m.credential_configurations_supported[GATE_CONFIGURATION]);
    assert.equal(
      wellKnownUrl(ISSUER, 'openid-credential-issuer'),
      `${ISSUER}/.well-known/openid-credential-issuer`,
    );
    assert.equal(
      wellKnownUrl(`${ISSUER}/t1`, 'oauth-authorization-server'),
      `${ISSUER}/.well-known/oauth-authorization-server/t1`,
    );
  });

  it('builds a pre-authorized offer with a numeric tx_code and reads it back from its link', () => {
    const offer = buildCredentialOffer({
      issuer: ISSUER,
      configurationIds: [OFFICIAL_ID_CONFIGURATION],
      preAuthorizedCode: 'pac-1',
    });
    const grant = offer.grants[PRE_AUTHORIZED_GRANT];
    assert.deepEqual(
      { ...grant.tx_code, description: undefined },
      { length: 6, input_mode: 'numeric', description: undefined },
    );
    const uri = credentialOfferUri(offer);
    assert.ok(uri.startsWith('openid-credential-offer://?credential_offer='));
    assert.deepEqual(parseCredentialOffer(uri), offer);
    assert.throws(() => parseCredentialOffer('openid-credential-offer://?credential_offer=%7B%7D'), {
      code: 'ERR_MID_MALFORMED',
    });
    assert.throws(() => parseCredentialOffer('https://x/?nothing=1'), { code: 'ERR_MID_MALFORMED' });
  });

  it('builds and reads token and credential requests', async () => {
    const body = buildTokenRequest({ preAuthorizedCode: 'pac-1', txCode: '493817' });
    assert.deepEqual(parseTokenRequest(new URLSearchParams(body.toString())), {
      preAuthorizedCode: 'pac-1',
      txCode: '493817',
    });
    assert.throws(() => parseTokenRequest(new URLSearchParams({ grant_type: 'authorization_code' })), {
      code: 'ERR_MID_MALFORMED',
    });
    const jwt = await proof();
    assert.deepEqual(parseCredentialRequest(buildCredentialRequest(OFFICIAL_ID_CONFIGURATION, jwt)), {
      configurationId: OFFICIAL_ID_CONFIGURATION,
      proofJwt: jwt,
    });
  });

  it('accepts a fresh proof for this issuer and nonce and returns the device key', async () => {
    assert.deepEqual(await verify(await proof()), device.publicJwk);
  });

  it('refuses a proof with another nonce with ERR_MID_NONCE_MISMATCH', async () => {
    await rejectsWith(async () => verify(await proof({ nonce: 'c-nonce-OLD' })), 'ERR_MID_NONCE_MISMATCH');
  });

  it('refuses a proof for another issuer with ERR_MID_AUDIENCE_MISMATCH', async () => {
    await rejectsWith(
      async () => verify(await proof({ issuer: 'https://evil.test' })),
      'ERR_MID_AUDIENCE_MISMATCH',
    );
  });

  it('refuses a proof with a wrong typ with ERR_MID_TYPE_INVALID', async () => {
    const jwt = await signJws(
      { typ: 'JWT', jwk: device.publicJwk },
      { aud: ISSUER, nonce: 'c-nonce-1', iat: 1 },
      device.privateKey,
    );
    await rejectsWith(() => verify(jwt), 'ERR_MID_TYPE_INVALID');
  });

  it('refuses an old proof with ERR_MID_PROOF_EXPIRED', async () => {
    await rejectsWith(async () => verify(await proof({ now: at(-301) })), 'ERR_MID_PROOF_EXPIRED');
  });

  it('refuses a proof signed by a key other than its jwk header with ERR_MID_DEVICE_PROOF_INVALID', async () => {
    const other = await generateDeviceKey();
    const jwt = await signJws(
      { typ: 'openid4vci-proof+jwt', jwk: device.publicJwk },
      { aud: ISSUER, nonce: 'c-nonce-1', iat: Math.floor(NOW.getTime() / 1000) },
      other.privateKey,
    );
    await rejectsWith(() => verify(jwt), 'ERR_MID_DEVICE_PROOF_INVALID');
  });

  it('refuses a proof carrying a private key or a kid with ERR_MID_KEY_INVALID / ERR_MID_MALFORMED', async () => {
    const iat = Math.floor(NOW.getTime() / 1000);
    const withD = await signJws(
      { typ: 'openid4vci-proof+jwt', jwk: { ...device.publicJwk, d: 'AAAA' } },
      { aud: ISSUER, nonce: 'c-nonce-1', iat },
      device.privateKey,
    );
    await rejectsWith(() => verify(withD), 'ERR_MID_KEY_INVALID');
    const withKid = await signJws(
      { typ: 'openid4vci-proof+jwt', kid: 'k1', jwk: device.publicJwk },
      { aud: ISSUER, nonce: 'c-nonce-1', iat },
      device.privateKey,
    );
    await rejectsWith(() => verify(withKid), 'ERR_MID_MALFORMED');
  });
});
