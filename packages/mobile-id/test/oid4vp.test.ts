import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authorizationRequestUri,
  createAuthorizationRequest,
  MemorySeenCache,
  officialIdQuery,
  parseAuthorizationRequest,
  parseVpResponseForm,
  presentSdJwt,
  redirectUriClientId,
  verifyVpResponse,
  vpMatchCode,
  vpResponseForm,
} from '../src/index.ts';
import { CLAIMS, makeWorld, NOW, rejectsWith } from './fixtures.ts';

const w = await makeWorld();
const CLIENT = 'redirect_uri:https://library.sejong.test/response';
const request = () =>
  createAuthorizationRequest({
    clientId: CLIENT,
    clientName: '정부세종청사 도서관',
    responseUri: 'https://library.sejong.test/response',
    dcqlQuery: officialIdQuery(['name', 'agency', 'employee_number']),
  });
const answer = async (
  req: ReturnType<typeof request>,
  disclose = ['name', 'agency', 'employee_number'],
  aud = req.client_id,
) => ({
  vp_token: {
    official_id: [
      await presentSdJwt({
        credential: w.credential,
        disclose,
        audience: aud,
        nonce: req.nonce,
        devicePrivateKey: w.device.privateKey,
        now: NOW,
      }),
    ],
  },
  state: req.state,
});
const opts = { issuerKeys: w.jwks, now: NOW };

describe('OpenID4VP', () => {
  it('round-trips an authorization request through its link', () => {
    const req = request();
    const back = parseAuthorizationRequest(authorizationRequestUri(req));
    assert.deepEqual(back, req);
    assert.equal(back.dcql_query.credentials[0]!.claims!.length, 3);
    assert.throws(() => parseAuthorizationRequest('openid4vp://?response_type=code'), {
      code: 'ERR_MID_MALFORMED',
    });
  });

  it('accepts a direct_post response disclosing exactly the DCQL claims', async () => {
    const req = request();
    const form = vpResponseForm(await answer(req));
    const result = await verifyVpResponse(
      parseVpResponseForm(new URLSearchParams(form.toString())),
      req,
      opts,
    );
    assert.equal(result.official_id!.claims.name, CLAIMS.name);
    assert.equal(result.official_id!.claims.position, undefined);
  });

  it('refuses a library response that discloses more than asked with ERR_MID_DISCLOSURE_EXCESSIVE', async () => {
    const req = request();
    await rejectsWith(
      async () =>
        verifyVpResponse(await answer(req, ['name', 'agency', 'employee_number', 'position']), req, opts),
      'ERR_MID_DISCLOSURE_EXCESSIVE',
    );
  });

  it('refuses a presentation made for another verifier with ERR_MID_AUDIENCE_MISMATCH', async () => {
    const req = request();
    await rejectsWith(
      async () => verifyVpResponse(await answer(req, undefined, 'https://phish.example'), req, opts),
      'ERR_MID_AUDIENCE_MISMATCH',
    );
  });

  it('refuses an answer to a different request (state) and one replayed into a new request (nonce)', async () => {
    const first = request();
    const resp = await answer(first);
    await rejectsWith(
      () => verifyVpResponse({ ...resp, state: 'other' }, first, opts),
      'ERR_MID_STATE_MISMATCH',
    );
    const second = request();
    await rejectsWith(
      () => verifyVpResponse({ ...resp, state: second.state }, second, opts),
      'ERR_MID_NONCE_MISMATCH',
    );
  });

  it('refuses the same response twice with ERR_MID_NONCE_REPLAYED', async () => {
    const req = request();
    const resp = await answer(req);
    const seenCache = new MemorySeenCache();
    await verifyVpResponse(resp, req, { ...opts, seenCache });
    await rejectsWith(() => verifyVpResponse(resp, req, { ...opts, seenCache }), 'ERR_MID_NONCE_REPLAYED');
  });

  it('refuses a response missing the requested credential with ERR_MID_CLAIM_MISSING', async () => {
    const req = request();
    await rejectsWith(
      () => verifyVpResponse({ vp_token: {}, state: req.state }, req, opts),
      'ERR_MID_CLAIM_MISSING',
    );
  });

  it('refuses a request whose redirect_uri: client_id names another endpoint than response_uri (ERR_MID_MALFORMED)', () => {
    const req = request();
    assert.equal(req.client_id, redirectUriClientId(req.response_uri));
    const forged = authorizationRequestUri({ ...req, response_uri: 'https://evil.example/collect' });
    assert.throws(
      () => parseAuthorizationRequest(forged),
      (err: { code?: string; details?: { part?: string } }) =>
        err.code === 'ERR_MID_MALFORMED' && err.details?.part === 'client_id',
    );
  });

  it('derives the same two-digit matching code on both sides, from nonce and state', async () => {
    const req = request();
    const code = await vpMatchCode(req);
    assert.match(code, /^\d{2}$/);
    assert.equal(await vpMatchCode(parseAuthorizationRequest(authorizationRequestUri(req))), code);
    // over many requests the codes spread over 00–99 (a relayed QR shows a different code 99% of the time)
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) seen.add(await vpMatchCode(request()));
    assert.ok(seen.size > 80, `codes spread: ${seen.size}`);
  });
});
