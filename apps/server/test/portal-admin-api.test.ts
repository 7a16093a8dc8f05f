// The admin portal's additions: OIDC clients edited, disabled/enabled and their secrets rotated
// (each change applies at once to the provider), and the agency's mobile-ID adoption flag.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import * as client from 'openid-client';
import {
  admin,
  Browser,
  oauthErrorOf,
  REDIRECT_URI,
  registerClient,
  relyingParty,
  seedOfficial,
  sessionFor,
  suiteOidcServer,
} from './oidc-helpers.ts';

const COOKIE = 'gongjik-session';

async function authorize(browser: Browser, url: URL) {
  return browser.follow(url.href, [REDIRECT_URI, 'http://127.0.0.1:9/other', `${new URL(url).origin}/login`]);
}

forEachDatabase('admin portal: OIDC clients and agencies', (suite) => {
  const server = suiteOidcServer(() => suite.db);

  it('edits a client: name and redirect URIs apply at once; a non-https URI is refused', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const bad = await admin(h, 'PATCH', `/api/v1/admin/oidc/clients/${clientId}`, {
      redirectUris: ['http://evil.example/cb'],
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'ERR_OIDC_REDIRECT_URI_INVALID');
    const other = 'http://127.0.0.1:9/other';
    const r = await admin(h, 'PATCH', `/api/v1/admin/oidc/clients/${clientId}`, {
      clientName: '온나라 2.0',
      redirectUris: [other],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.client.clientName, '온나라 2.0');
    assert.deepEqual(r.body.client.redirectUris, [other]);
    assert.ok(r.body.client.updatedAt);
    // the old redirect URI is refused by the provider now; the new one works
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const old = await authorize(new Browser({ [COOKIE]: session.token }), (await rp.authorizationUrl()).url);
    assert.equal(old.response?.status, 400);
    assert.match(await old.response!.text(), /invalid_redirect_uri/);
    const now = await authorize(
      new Browser({ [COOKIE]: session.token }),
      (await rp.authorizationUrl({ redirect_uri: other })).url,
    );
    assert.ok(now.url.startsWith(other), now.url);
    const missing = await admin(h, 'PATCH', '/api/v1/admin/oidc/clients/no-such-client', { clientName: 'x' });
    assert.equal(missing.status, 404);
    const noToken = await admin(
      h,
      'PATCH',
      `/api/v1/admin/oidc/clients/${clientId}`,
      { clientName: 'x' },
      '',
    );
    assert.equal(noToken.status, 401);
  });

  it('disables a client (no sign-in, listed as disabled, audited) and enables it again', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const off = await admin(h, 'POST', `/api/v1/admin/oidc/clients/${clientId}/disable`);
    assert.equal(off.status, 200);
    assert.equal(off.body.client.disabled, true);
    assert.equal(off.body.changed, true);
    assert.equal(
      (await admin(h, 'POST', `/api/v1/admin/oidc/clients/${clientId}/disable`)).body.changed,
      false,
    );
    const listed = (await admin(h, 'GET', '/api/v1/admin/oidc/clients')).body.clients.find(
      (c: { clientId: string }) => c.clientId === clientId,
    );
    assert.equal(listed.disabled, true);
    const refused = await authorize(
      new Browser({ [COOKIE]: session.token }),
      (await rp.authorizationUrl()).url,
    );
    assert.equal(refused.response?.status, 400);
    assert.match(await refused.response!.text(), /invalid_client/);
    const on = await admin(h, 'POST', `/api/v1/admin/oidc/clients/${clientId}/enable`);
    assert.equal(on.body.client.disabled, false);
    const back = await authorize(new Browser({ [COOKIE]: session.token }), (await rp.authorizationUrl()).url);
    assert.ok(back.url.startsWith(REDIRECT_URI), back.url);
    const actions = await h.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `oidc-client:${clientId}`)
      .where('action', 'like', 'oidc.client.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      ['oidc.client.register', 'oidc.client.disable', 'oidc.client.enable'],
    );
  });

  it('rotates a client secret: shown once, the old secret is refused with invalid_client, the new one works; a public client has none', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rotated = await admin(h, 'POST', `/api/v1/admin/oidc/clients/${clientId}/secret`);
    assert.equal(rotated.status, 200);
    const fresh = rotated.body.clientSecret as string;
    assert.match(fresh, /^gjcs_/);
    assert.notEqual(fresh, clientSecret);
    assert.ok(!JSON.stringify((await admin(h, 'GET', '/api/v1/admin/oidc/clients')).body).includes(fresh));
    const session = await sessionFor(h, who.accountId);
    const run = async (secret: string) => {
      const rp = await relyingParty(h, clientId, secret);
      const { url, verifier, state, nonce } = await rp.authorizationUrl();
      const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
      return client.authorizationCodeGrant(rp.config, new URL(end.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      });
    };
    assert.equal(await oauthErrorOf(run(clientSecret!)), 'invalid_client');
    const tokens = await run(fresh);
    assert.ok(tokens.access_token);
    const pub = await registerClient(h, { tokenEndpointAuthMethod: 'none' });
    const none = await admin(h, 'POST', `/api/v1/admin/oidc/clients/${pub.clientId}/secret`);
    assert.equal(none.status, 400);
    assert.equal(none.body.code, 'ERR_INPUT_INVALID');
  });

  it('changes an agency’s mobile-ID adoption: requests are refused with ERR_MID_AGENCY_NOT_ADOPTED until it is set', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const agency = who.agencyCode;
    const request = () =>
      admin(h, 'POST', '/api/v1/admin/mobile-id/requests', { employeeNumber: who.employeeNumber });
    const refused = await request();
    assert.equal(refused.body.code, 'ERR_MID_AGENCY_NOT_ADOPTED');
    const on = await admin(h, 'PATCH', `/api/v1/admin/agencies/${agency}`, { mobileIdAdopted: true });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.equal(on.body.agency.mobileIdAdopted, true);
    assert.equal(on.body.changed, true);
    const again = await admin(h, 'PATCH', `/api/v1/admin/agencies/${agency}`, { mobileIdAdopted: true });
    assert.equal(again.body.changed, false);
    const ok = await request();
    assert.notEqual(ok.body.code, 'ERR_MID_AGENCY_NOT_ADOPTED', JSON.stringify(ok.body));
    const unknown = await admin(h, 'PATCH', '/api/v1/admin/agencies/NOPE', { mobileIdAdopted: true });
    assert.equal(unknown.body.code, 'ERR_DIR_AGENCY_UNKNOWN');
    const extra = await admin(h, 'PATCH', `/api/v1/admin/agencies/${agency}`, { type: 'public' });
    assert.equal(extra.body.code, 'ERR_INPUT_INVALID');
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target', '=', `agency:${agency}`)
      .where('action', '=', 'directory.agency.update')
      .execute();
    assert.equal(audit.length, 1);
    assert.deepEqual((audit[0]!.details as Record<string, unknown>).mobileIdAdopted, {
      from: false,
      to: true,
    });
  });
});
