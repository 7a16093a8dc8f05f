import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { koreanDate } from '../src/domain/directory/dates.ts';
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

/** Runs the browser part of an authorization request; returns where it left the server. */
async function authorize(browser: Browser, url: URL) {
  return browser.follow(url.href, [REDIRECT_URI, `${new URL(url).origin}/login`]);
}

forEachDatabase('oidc provider', (suite) => {
  const server = suiteOidcServer(() => suite.db);

  it('completes the authorization code flow with PKCE for a signed-in official (openid-client)', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const meta = rp.config.serverMetadata();
    assert.equal(meta.issuer, h.issuer);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.ok(meta.scopes_supported?.includes('gongjik:org'));

    const session = await sessionFor(h, who.accountId);
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    assert.ok(end.url.startsWith(REDIRECT_URI), `ended at ${end.url}`);

    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    assert.equal(claims.sub, who.accountId);
    assert.equal(claims.iss, h.issuer);
    assert.equal(claims.aud, clientId);
    assert.deepEqual(claims.amr, ['pki']);
    assert.equal(claims.acr, 'urn:gongjik:acr:certificate');
    assert.equal(claims.auth_time, Math.floor(new Date(session.session.createdAt).getTime() / 1000));

    // the id_token's signature verifies against the published JWKS
    assert.equal(decodeProtectedHeader(tokens.id_token!).alg, 'ES256');
    const jwks = createRemoteJWKSet(new URL(meta.jwks_uri!));
    await jwtVerify(tokens.id_token!, jwks, { issuer: h.issuer, audience: clientId });

    const info = await client.fetchUserInfo(rp.config, tokens.access_token, who.accountId);
    assert.equal(info.name, '류시원');
    assert.equal(info.email, `${who.mailId}@korea.kr`);
    assert.deepEqual(info.agency, {
      code: who.agencyCode,
      name: `행정안전부${who.agencyCode.slice(1)}`,
      type: 'central',
    });
    assert.deepEqual(info.department, { code: who.departmentCode, name: '디지털정부국' });
    assert.equal(info.employee_number, who.employeeNumber);

    const audit = await h.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'oidc.login')
      .where('actor', '=', `account:${who.accountId}`)
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.outcome, 'success');
    assert.equal(audit[0]!.target, `oidc-client:${clientId}`);
  });

  it('releases only the claims of the requested scopes', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const { url, verifier, state, nonce } = await rp.authorizationUrl({ scope: 'openid profile' });
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const info = await client.fetchUserInfo(rp.config, tokens.access_token, who.accountId);
    assert.equal(info.name, '류시원');
    assert.equal(info.email, undefined);
    assert.equal(info.agency, undefined);
    assert.equal(info.employee_number, undefined);
  });

  it('sends a browser without a session to the sign-in page and resumes after sign-in', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const browser = new Browser();
    const first = await authorize(browser, url);
    const login = new URL(first.url);
    assert.equal(login.pathname, '/login');
    const back = login.searchParams.get('return')!;
    assert.match(back, /^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);

    // the sign-in page can say which work system asks
    const uid = back.split('/').pop()!;
    const info = await fetch(`${h.publicUrl}/api/v1/oidc/interactions/${uid}`);
    assert.deepEqual(await info.json(), { clientId, clientName: '온나라 업무관리', prompt: 'login' });

    // the certificate login (tested elsewhere) ends in a session cookie; then the page returns here
    const session = await sessionFor(h, who.accountId);
    browser.cookies.set(COOKIE, session.token);
    const end = await browser.follow(`${h.publicUrl}${back}`, [REDIRECT_URI]);
    assert.ok(end.url.startsWith(REDIRECT_URI), `ended at ${end.url}`);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(tokens.claims()!.sub, who.accountId);
  });

  it('reports the mobile ID sign-in method as amr mid', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId, 'mobile-id');
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.deepEqual(tokens.claims()!.amr, ['mid']);
    assert.equal(tokens.claims()!.acr, 'urn:gongjik:acr:mobile-id');
  });

  it('refuses an authorization request without PKCE, or with the plain method, with invalid_request', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    for (const change of [
      (u: URL) => {
        u.searchParams.delete('code_challenge');
        u.searchParams.delete('code_challenge_method');
      },
      (u: URL) => u.searchParams.set('code_challenge_method', 'plain'),
    ]) {
      const { url } = await rp.authorizationUrl();
      change(url);
      const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
      const back = new URL(end.url);
      assert.ok(end.url.startsWith(REDIRECT_URI), `ended at ${end.url}`);
      assert.equal(back.searchParams.get('error'), 'invalid_request');
      assert.equal(back.searchParams.get('code'), null);
    }
  });

  it('refuses a redirect_uri that is not registered, without redirecting to it', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    for (const uri of ['https://evil.example/callback', `${REDIRECT_URI}/x`, `${REDIRECT_URI}?a=1`]) {
      const { url } = await rp.authorizationUrl({ redirect_uri: uri });
      const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
      assert.equal(end.response?.status, 400, `redirect_uri ${uri}`);
      assert.match(await end.response!.text(), /invalid_redirect_uri/);
    }
  });

  it('refuses an unknown client with an error page (nothing is redirected)', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const { url } = await rp.authorizationUrl();
    url.searchParams.set('client_id', 'no-such-client');
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    assert.equal(end.response?.status, 400);
    assert.match(await end.response!.text(), /invalid_client/);
  });

  it('answers access_denied for a retired official and audits the refusal with ERR_AUTH_RETIRED', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    await h.db
      .updateTable('people')
      .set({ retirement_date: koreanDate(h.clock.now()) })
      .where('employee_number', '=', who.employeeNumber)
      .execute();
    const { url } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    assert.ok(end.url.startsWith(REDIRECT_URI), `ended at ${end.url}`);
    assert.equal(new URL(end.url).searchParams.get('error'), 'access_denied');
    const entry = await h.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'oidc.login')
      .where('actor', '=', `account:${who.accountId}`)
      .executeTakeFirstOrThrow();
    assert.equal(entry.outcome, 'refused');
    assert.equal(entry.code, 'ERR_AUTH_RETIRED');
  });

  it('refuses the token exchange when the account was locked after the code was issued', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    await h.db.updateTable('accounts').set({ state: 'locked' }).where('id', '=', who.accountId).execute();
    const code = await oauthErrorOf(
      client.authorizationCodeGrant(rp.config, new URL(end.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      }),
    );
    assert.equal(code, 'invalid_grant');
  });

  it('refuses a reused authorization code with invalid_grant and revokes what it issued', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    const checks = { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce };
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), checks);
    assert.equal(
      await oauthErrorOf(client.authorizationCodeGrant(rp.config, new URL(end.url), checks)),
      'invalid_grant',
    );
    // the first exchange's access token no longer works
    const again = await oauthErrorOf(client.fetchUserInfo(rp.config, tokens.access_token, who.accountId));
    assert.equal(again, 'invalid_token');
  });

  it('refuses a wrong PKCE verifier with invalid_grant', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const { url, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    const code = await oauthErrorOf(
      client.authorizationCodeGrant(rp.config, new URL(end.url), {
        pkceCodeVerifier: client.randomPKCECodeVerifier(),
        expectedState: state,
        expectedNonce: nonce,
      }),
    );
    assert.equal(code, 'invalid_grant');
  });

  it('refuses a wrong client secret with invalid_client', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const wrong = await relyingParty(h, clientId, `${clientSecret}x`);
    const session = await sessionFor(h, who.accountId);
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    const code = await oauthErrorOf(
      client.authorizationCodeGrant(wrong.config, new URL(end.url), {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
      }),
    );
    assert.equal(code, 'invalid_client');
  });

  it('signs a public client (no secret) in with PKCE', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h, { tokenEndpointAuthMethod: 'none' });
    assert.equal(clientSecret, null);
    const rp = await relyingParty(h, clientId, null);
    const session = await sessionFor(h, who.accountId);
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(tokens.claims()!.sub, who.accountId);
  });

  it('asks for consent, showing the client name, when the client was registered with requireConsent', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h, {
      clientName: '국립중앙도서관 <대출>',
      requireConsent: true,
    });
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const browser = new Browser({ [COOKIE]: session.token });
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const page = await authorize(browser, url);
    assert.equal(page.response?.status, 200);
    const html = await page.response!.text();
    assert.match(html, /국립중앙도서관 &lt;대출&gt;/);
    assert.match(page.response!.headers.get('content-security-policy')!, /default-src 'none'/);
    const action = /action="([^"]+\/confirm)"/.exec(html)![1]!;

    // a cross-site POST is refused
    const forged = await browser.request(`${h.publicUrl}${action}`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(forged.status, 403);

    const confirmed = await browser.request(`${h.publicUrl}${action}`, {
      method: 'POST',
      headers: { origin: h.publicUrl, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    assert.equal(confirmed.status, 303);
    const end = await browser.follow(new URL(confirmed.headers.get('location')!, h.publicUrl).href, [
      REDIRECT_URI,
    ]);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(tokens.claims()!.sub, who.accountId);
  });

  it('answers access_denied when the official declines consent', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h, { requireConsent: true });
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const browser = new Browser({ [COOKIE]: session.token });
    const { url } = await rp.authorizationUrl();
    const page = await authorize(browser, url);
    const action = /action="([^"]+\/abort)"/.exec(await page.response!.text())![1]!;
    const denied = await browser.request(`${h.publicUrl}${action}`, {
      method: 'POST',
      headers: { origin: h.publicUrl },
    });
    const end = await browser.follow(new URL(denied.headers.get('location')!, h.publicUrl).href, [
      REDIRECT_URI,
    ]);
    assert.equal(new URL(end.url).searchParams.get('error'), 'access_denied');
  });

  it('asks again for sign-in once the Gongjik session has ended (the provider session does not outlive it)', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const browser = new Browser({ [COOKIE]: session.token });
    const first = await authorize(browser, (await rp.authorizationUrl()).url);
    assert.ok(first.url.startsWith(REDIRECT_URI));
    await h.db
      .updateTable('sessions')
      .set({ revoked_at: h.clock.now() })
      .where('id', '=', session.session.id)
      .execute();
    const second = await authorize(browser, (await rp.authorizationUrl()).url);
    assert.equal(new URL(second.url).pathname, '/login');
    // and prompt=none gets login_required instead of a page
    const silent = await authorize(browser, (await rp.authorizationUrl({ prompt: 'none' })).url);
    assert.equal(new URL(silent.url).searchParams.get('error'), 'login_required');
  });

  it('refuses client registration without the admin token, and redirect URIs that are not https', async () => {
    const h = await server();
    const body = { clientName: 'x', redirectUris: ['https://work.example.go.kr/cb'] };
    const none = await admin(h, 'POST', '/api/v1/admin/oidc/clients', body, '');
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 'ERR_AUTH_ADMIN_REQUIRED');
    const wrong = await admin(h, 'POST', '/api/v1/admin/oidc/clients', body, 'gja_wrong');
    assert.equal(wrong.body.code, 'ERR_AUTH_ADMIN_REQUIRED');
    assert.equal((await admin(h, 'GET', '/api/v1/admin/oidc/clients', undefined, '')).status, 401);
    for (const uri of [
      'http://work.example.go.kr/cb',
      'https://work.example.go.kr/cb#x',
      'javascript:alert(1)',
    ]) {
      const r = await admin(h, 'POST', '/api/v1/admin/oidc/clients', {
        clientName: 'x',
        redirectUris: [uri],
      });
      assert.equal(r.body.code, 'ERR_OIDC_REDIRECT_URI_INVALID', uri);
    }
  });

  it('registers, lists and removes clients (audited); a removed client can no longer sign in', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h, { clientId: `work-${Date.now()}` });
    const dup = await admin(h, 'POST', '/api/v1/admin/oidc/clients', {
      clientId,
      clientName: 'again',
      redirectUris: [REDIRECT_URI],
    });
    assert.equal(dup.body.code, 'ERR_OIDC_CLIENT_EXISTS');
    const rp = await relyingParty(h, clientId, clientSecret);
    const list = await admin(h, 'GET', '/api/v1/admin/oidc/clients');
    const listed = list.body.clients.find((c: { clientId: string }) => c.clientId === clientId);
    assert.equal(listed.clientName, '온나라 업무관리');
    assert.ok(!JSON.stringify(list.body).includes(clientSecret!));
    // the webmail is a seeded first-party public client
    const webmail = list.body.clients.find((c: { clientId: string }) => c.clientId === 'gongjik-webmail');
    assert.equal(webmail.tokenEndpointAuthMethod, 'none');
    assert.deepEqual(webmail.redirectUris, [`${h.publicUrl}/auth/callback`]);

    const removed = await admin(h, 'DELETE', `/api/v1/admin/oidc/clients/${clientId}`);
    assert.equal(removed.status, 204);
    const session = await sessionFor(h, who.accountId);
    const end = await authorize(new Browser({ [COOKIE]: session.token }), (await rp.authorizationUrl()).url);
    assert.equal(end.response?.status, 400);
    const actions = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('target', '=', `oidc-client:${clientId}`)
      .where('action', 'like', 'oidc.client.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action),
      ['oidc.client.register', 'oidc.client.remove'],
    );
    assert.match(actions[0]!.actor, /^admin:/);
  });

  it('rotates the signing keys: new tokens use the new key, the old key stays published', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h);
    const rp = await relyingParty(h, clientId, clientSecret);
    const jwksUri = rp.config.serverMetadata().jwks_uri!;
    await rp.authorizationUrl(); // the provider exists
    const before = (await (await fetch(jwksUri)).json()) as { keys: { kid: string; d?: string }[] };
    assert.ok(
      before.keys.every((k) => k.d === undefined),
      'no private parts in the JWKS',
    );
    const r = await admin(h, 'POST', '/api/v1/admin/oidc/keys/rotate');
    assert.equal(r.status, 200);
    const afterKeys = (await (await fetch(jwksUri)).json()) as { keys: { kid: string }[] };
    for (const k of before.keys)
      assert.ok(
        afterKeys.keys.some((a) => a.kid === k.kid),
        'old key still published',
      );
    const session = await sessionFor(h, who.accountId);
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(new Browser({ [COOKIE]: session.token }), url);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const kid = decodeProtectedHeader(tokens.id_token!).kid!;
    assert.ok(r.body.created.includes(kid), 'signed with a new key');
  });

  it('ends the Gongjik session too when the official confirms an RP-initiated logout', async () => {
    const h = await server();
    const who = await seedOfficial(h);
    const { clientId, clientSecret } = await registerClient(h, {
      postLogoutRedirectUris: ['http://127.0.0.1:9/bye'],
    });
    const rp = await relyingParty(h, clientId, clientSecret);
    const session = await sessionFor(h, who.accountId);
    const browser = new Browser({ [COOKIE]: session.token });
    const { url, verifier, state, nonce } = await rp.authorizationUrl();
    const end = await authorize(browser, url);
    const tokens = await client.authorizationCodeGrant(rp.config, new URL(end.url), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    const logoutUrl = client.buildEndSessionUrl(rp.config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'http://127.0.0.1:9/bye',
    });
    const page = await browser.request(logoutUrl.href);
    assert.equal(page.status, 200);
    const html = await page.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)![1]!;
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)![1]!;
    const done = await browser.request(new URL(action, h.publicUrl).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.publicUrl },
      body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
    });
    assert.equal(done.status, 303);
    assert.ok(done.headers.get('location')!.startsWith('http://127.0.0.1:9/bye'));
    const row = await h.db
      .selectFrom('sessions')
      .select(['revoked_at', 'revoke_reason'])
      .where('id', '=', session.session.id)
      .executeTakeFirstOrThrow();
    assert.ok(row.revoked_at);
    assert.equal(row.revoke_reason, 'oidc-logout');
  });
});
