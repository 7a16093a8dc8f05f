// examples/relying-party against the REAL server: an agency work system signs an official in
// through the OIDC provider with each method — the GPKI certificate (sign-up, challenge, signature)
// and the mobile ID (OpenID4VP, the headless wallet answering, the wallet showing the work system's
// name) — and sees amr ["pki"] / ["mid"]; then RP-initiated logout.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { startRelyingParty } from '../../../examples/relying-party/app.ts';
import { prove, signupCandidate, testPki } from './auth-helpers.ts';
import { freePort } from './cli-helpers.ts';
import { type MidServer, midServer, newWallet, offerFor, PIN, seedOrg } from './mobile-id-helpers.ts';
import { Browser, OIDC_KEY_SECRET } from './oidc-helpers.ts';

const CLIENT_NAME = '온나라 업무관리 (예제)';

forEachDatabase('example relying party (examples/relying-party)', (suite) => {
  let t: MidServer;
  let rp: Awaited<ReturnType<typeof startRelyingParty>>;
  let rpUrl: string;

  before(async () => {
    const pki = await testPki();
    t = await midServer(suite.db, {
      GONGJIK_TRUST_DIR: pki.trustDir,
      GONGJIK_OIDC_KEY_SECRET: OIDC_KEY_SECRET,
    });
    const port = await freePort();
    rpUrl = `http://127.0.0.1:${port}`;
    // An administrator registers the work system (README: "Register the work system").
    const reg = await fetch(`${t.url}/api/v1/admin/oidc/clients`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        clientName: CLIENT_NAME,
        redirectUris: [`${rpUrl}/callback`],
        postLogoutRedirectUris: [`${rpUrl}/`],
      }),
    });
    const body = (await reg.json()) as { client: { clientId: string }; clientSecret: string };
    assert.equal(reg.status, 201, JSON.stringify(body));
    rp = await startRelyingParty(
      {
        issuer: `${t.url}/oidc`,
        clientId: body.client.clientId,
        clientSecret: body.clientSecret,
        redirectUri: `${rpUrl}/callback`,
        postLogoutRedirectUri: `${rpUrl}/`,
        allowInsecureIssuer: true,
      },
      { port },
    );
  });
  after(async () => {
    await new Promise((resolve) => rp?.server.close(resolve));
    await t?.close();
  });

  /** The work system's /login → the provider → Gongjik's sign-in page; returns the interaction path. */
  async function toSignInPage(browser: Browser): Promise<string> {
    const end = await browser.follow(`${rpUrl}/login`, [`${t.url}/login`]);
    assert.ok(end.url.startsWith(`${t.url}/login?return=`), `ended at ${end.url}`);
    const back = new URL(end.url).searchParams.get('return')!;
    assert.match(back, /^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
    return back;
  }

  /** Back to the interaction: the provider finishes it and the work system shows who signed in. */
  async function finish(browser: Browser, back: string) {
    const end = await browser.follow(`${t.url}${back}`, []);
    assert.equal(end.response?.status, 200, `ended at ${end.url}`);
    assert.equal(end.url, `${rpUrl}/`);
    return end.response!.text();
  }

  const post = (browser: Browser, path: string, body: unknown) =>
    browser.request(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.url },
      body: JSON.stringify(body),
    });

  it('signs in with the mobile ID: the wallet names the work system; the work system sees amr ["mid"]', async () => {
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const { wallet } = newWallet(t);
    await wallet.install(sms.url, sms.txCode, { pin: PIN });
    await wallet.unlock(PIN);

    const browser = new Browser();
    const back = await toSignInPage(browser);
    const uid = back.split('/').pop()!;
    const created = (await (
      await post(browser, '/api/v1/auth/mid/requests', { interaction: uid })
    ).json()) as {
      id: string;
      secret: string;
      walletLink: string;
      verifierName: string;
      matchCode: string;
    };
    assert.equal(created.verifierName, CLIENT_NAME);
    const preview = await wallet.preview(created.walletLink);
    assert.equal(preview.verifier.name, CLIENT_NAME, 'the wallet shows which work system asks');
    assert.equal(preview.matchCode, created.matchCode);
    await wallet.present(created.walletLink);
    const done = await post(browser, `/api/v1/auth/mid/requests/${created.id}/poll`, {
      secret: created.secret,
    });
    assert.equal(done.status, 200);
    assert.equal(((await done.json()) as { status: string }).status, 'done');

    const html = await finish(browser, back);
    assert.match(html, /data-amr="mid"/);
    assert.match(html, /모바일 공무원증/);
    const user = [...rp.sessions.values()].find((s) => s.user?.sub === org.member.accountId)?.user;
    assert.ok(user, 'the work system keeps the official');
    assert.deepEqual(user.amr, ['mid']);
    assert.equal(user.acr, 'urn:gongjik:acr:mobile-id');
    assert.equal(user.name, '류시원');
    assert.equal(user.employeeNumber, org.member.employeeNumber);

    // RP-initiated logout: the work system forgets the official and sends the browser to Gongjik.
    const out = await browser.request(`${rpUrl}/logout`, { method: 'POST', headers: { origin: rpUrl } });
    assert.equal(out.status, 303);
    const end = new URL(out.headers.get('location')!);
    assert.equal(`${end.origin}${end.pathname}`, `${t.url}/oidc/session/end`);
    assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${rpUrl}/`);
    assert.ok(end.searchParams.get('id_token_hint'));
    assert.equal((await (await browser.request(`${rpUrl}/`)).text()).includes('data-amr'), false);
  });

  it('signs in with the GPKI certificate: the work system sees amr ["pki"]', async () => {
    const pki = await testPki();
    const candidate = await signupCandidate(t.db);
    const user = await pki.issue('gpki', '류시원');
    const browser = new Browser();
    const verify = await post(browser, '/api/v1/signup/verify', {
      accountId: candidate.mailId,
      otp: candidate.code,
    });
    assert.equal(verify.status, 200, await verify.clone().text());
    const { signupToken } = (await verify.json()) as { signupToken: string };
    const reg = await post(browser, '/api/v1/auth/challenge', { purpose: 'register' });
    const registered = await post(browser, '/api/v1/signup/certificate', {
      signupToken,
      ...prove(user, (await reg.json()) as never),
    });
    assert.equal(registered.status, 200, await registered.clone().text());

    const back = await toSignInPage(browser);
    const c = await post(browser, '/api/v1/auth/challenge', { purpose: 'login' });
    const login = await post(browser, '/api/v1/auth/login', prove(user, (await c.json()) as never));
    assert.equal(login.status, 200, await login.clone().text());

    const html = await finish(browser, back);
    assert.match(html, /data-amr="pki"/);
    const signedIn = [...rp.sessions.values()].find((s) => s.user?.sub === candidate.accountId)?.user;
    assert.deepEqual(signedIn?.amr, ['pki']);
    assert.equal(signedIn?.acr, 'urn:gongjik:acr:certificate');
  });
});
