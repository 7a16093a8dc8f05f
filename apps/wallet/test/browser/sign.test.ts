// Signature requests in the wallet PWA against the REAL server (Chromium, 360 px): a work system
// (a registered OIDC client) asks the holder to sign; the wallet lists the request with the title,
// the requesting system and the hash; a wrong PIN is counted and nothing is signed; the right PIN
// signs; the work system's poll returns a bundle that verifies (who, when, valid).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type IssuerJwks, type SignatureBundle, verifySignatureBundle } from '@gongjik/mobile-id';
import type { CDPSession, Page } from 'playwright-core';
import { registerOidcClient } from '../../../server/src/domain/oidc/clients.ts';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltWallet, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { freePort, type Issuer, type Org, offerFor, seedOrg, startIssuer } from './helpers/issuer.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';
import { startTestWalletSite } from './helpers/wallet-site.ts';

const skip = chromiumSkipReason();
const PIN = '482915';

describe('wallet signature requests against the real server (Chromium, 360 px)', () => {
  let browser: Browser;
  let built: BuiltWallet;
  let site: Awaited<ReturnType<typeof startTestWalletSite>>;
  let issuer: Issuer;
  let org: Org;
  let page: Page;
  let cdp: CDPSession;

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    const walletPort = await freePort();
    issuer = await startIssuer({ walletOrigin: `http://localhost:${walletPort}` });
    site = await startTestWalletSite({
      dist: built.dir,
      issuer: issuer.url,
      webApp: issuer.url,
      port: walletPort,
    });
    org = await seedOrg(issuer);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  });

  after(async () => {
    if (skip) return;
    await browser?.close();
    await site?.close();
    await issuer?.close();
    built?.dispose();
  });

  const h1 = () => page.getByRole('heading', { level: 1 });
  const pinInto = (label: string, pin: string) => page.getByLabel(label, { exact: true }).fill(pin);

  test('lists the request, counts a wrong PIN, signs with the right one; the work system gets a valid bundle', async (t) => {
    if (skip) return t.skip(skip);
    // Install through the PWA (the first-run test covers every step in detail).
    const sms = await offerFor(issuer, org);
    await page.goto(sms.installUrl);
    await page.getByLabel('일회용 코드 (6자리 숫자)').fill(sms.txCode);
    await page.getByRole('button', { name: '확인' }).click();
    await page.getByRole('button', { name: '네, 본인입니다' }).click();
    await pinInto('새 비밀번호 (숫자 6자리)', PIN);
    await pinInto('새 비밀번호 확인', PIN);
    await page.getByRole('button', { name: '다음' }).click();
    await h1().filter({ hasText: '생체 인증 등록 (선택)' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: '생체 인증 등록' }).click();
    await h1().filter({ hasText: '내 공무원증' }).waitFor();

    // The work system asks.
    const reg = await registerOidcClient(
      issuer.server.db.db,
      { clientName: '온-나라 전자결재', redirectUris: ['https://approval.test.korea.kr/cb'] },
      { actor: 'test', now: new Date() },
    );
    const basic = `Basic ${Buffer.from(`${reg.client.clientId}:${reg.clientSecret}`).toString('base64')}`;
    const document = Buffer.from('공문: 2027년도 정보화 사업 예산 요구서 (최종)\n');
    const sha256 = createHash('sha256').update(document).digest('hex');
    const asked = await fetch(`${issuer.url}/api/v1/sign/requests`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({
        employeeNumber: org.member.employeeNumber,
        title: '2027년도 정보화 사업 예산 요구서',
        sha256,
        reason: '결재 요청',
      }),
    });
    assert.equal(asked.status, 201);
    const { id } = (await asked.json()) as { id: string };

    await page.getByRole('button', { name: '전자서명 요청' }).click();
    await h1().filter({ hasText: '전자서명 요청' }).waitFor();
    const request = page.locator('.sign-request');
    await request.waitFor();
    const shown = (await request.textContent()) ?? '';
    assert.match(shown, /2027년도 정보화 사업 예산 요구서/);
    assert.match(shown, /온-나라 전자결재/);
    assert.match(shown, /결재 요청/);
    assert.ok(shown.includes(sha256.slice(0, 8)) && shown.includes(sha256.slice(56)), 'the hash is shown');
    await checkA11y(page);
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'sign-requests');

    await page.getByRole('button', { name: '확인하고 서명' }).click();
    await h1().filter({ hasText: '서명할 문서 확인' }).waitFor();
    await pinInto('비밀번호 (숫자 6자리)', '111222');
    await page.getByRole('button', { name: '서명', exact: true }).click();
    const wrong = page.locator('[data-code="ERR_MID_PIN_WRONG"]');
    await wrong.waitFor();
    assert.match((await wrong.textContent()) ?? '', /남은 시도 횟수: 4번/);
    const pending = await fetch(`${issuer.url}/api/v1/sign/requests/${id}`, {
      headers: { authorization: basic },
    });
    assert.equal(((await pending.json()) as { state: string }).state, 'pending', 'nothing signed');
    await checkA11y(page);
    await screenshot(page, 'sign-confirm');

    await pinInto('비밀번호 (숫자 6자리)', PIN);
    await page.getByRole('button', { name: '서명', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '에 서명해 온-나라 전자결재에 보냈습니다' }).waitFor();
    assert.match((await page.locator('.note').textContent()) ?? '', /기다리는 서명 요청이 없습니다/);
    await screenshot(page, 'sign-done');

    const done = (await (
      await fetch(`${issuer.url}/api/v1/sign/requests/${id}`, { headers: { authorization: basic } })
    ).json()) as { state: string; bundle: SignatureBundle };
    assert.equal(done.state, 'signed');
    const jwks = (await (await fetch(`${issuer.url}/api/v1/mid/jwks`)).json()) as IssuerJwks;
    const v = await verifySignatureBundle(done.bundle, {
      issuerKeys: jwks,
      now: new Date(),
      documentSha256: sha256,
    });
    assert.equal(v.signer.name, '류시원');
    assert.equal(v.signer.employeeNumber, org.member.employeeNumber);
    assert.equal(v.card.status, 'VALID');
  });
});
