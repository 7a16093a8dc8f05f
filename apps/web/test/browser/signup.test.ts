// The sign-up screens in Chromium: account ID + one-time code → the account's real name → register
// a certificate whose name matches exactly. The server's answers are played by the test (page.route)
// and every request is recorded.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { formatMessage } from '@gongjik/errors';
import type { Page, Request, Route } from 'playwright-core';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type CertificateFolder, makeCertificateFolder } from './helpers/certificates.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';
import { type StaticServer, startStaticServer } from './helpers/static-server.ts';

const skip = chromiumSkipReason();

function json(route: Route, body: unknown, status = 200) {
  return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
}

describe('sign-up and certificate registration (Chromium)', () => {
  let browser: Browser;
  let server: StaticServer;
  let folder: CertificateFolder;
  let built: BuiltApp;

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    server = await startStaticServer(built.dir);
    folder = await makeCertificateFolder();
    browser = await launchBrowser();
  });

  after(async () => {
    if (skip) return;
    await browser?.close();
    await server?.close();
    if (folder) rmSync(folder.root, { recursive: true, force: true });
    built?.dispose();
  });

  async function openSignup(realName: string): Promise<{ page: Page; api: Request[] }> {
    const page = await browser.context.newPage();
    const api: Request[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) api.push(r);
    });
    await page.route('**/api/v1/signup/verify', (route) =>
      json(route, { signupToken: 'st_1', realName, agency: '행정안전부', expiresAt: null }),
    );
    await page.route('**/api/v1/auth/challenge', (route) =>
      json(route, { challengeId: 'ch_reg', nonce: 'n_reg', origin: server.origin, purpose: 'register' }),
    );
    await page.goto(`${server.origin}/signup`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return { page, api };
  }

  async function verify(page: Page): Promise<void> {
    await page.getByLabel('계정 아이디').fill('honggildong');
    await page.getByLabel('일회용 가입 코드').fill('1234 5678');
    await page.getByRole('button', { name: '확인' }).click();
    await page.getByText('가입할 계정').or(page.locator('.summary-name')).first().waitFor();
  }

  async function chooseGpki(page: Page): Promise<void> {
    await page.getByTestId('folder-input').setInputFiles(folder.root);
    await page.locator('.cert-item').nth(2).waitFor();
    await page.getByLabel('인증서 암호').fill(folder.gpki.password);
  }

  test('shows the account name after the one-time code, then refuses a certificate whose name differs, before any signing', async (t) => {
    if (skip) return t.skip(skip);
    const { page, api } = await openSignup('홍 길동');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '가입 및 인증서 등록');
    await checkA11y(page);
    await screenshot(page, 'signup');
    await verify(page);
    const body = JSON.parse(api[0]!.postData() ?? '{}');
    assert.deepEqual(body, { accountId: 'honggildong', otp: '12345678' });
    assert.equal(await page.locator('.summary-name').textContent(), '홍 길동');

    await chooseGpki(page);
    const before = api.length;
    await page.getByRole('button', { name: '인증서 등록' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-code'), 'ERR_AUTH_NAME_MISMATCH');
    const text = (await alert.textContent()) ?? '';
    assert.ok(
      text.includes(
        formatMessage('ERR_AUTH_NAME_MISMATCH', 'ko', { certName: '홍길동', accountName: '홍 길동' }),
      ),
    );
    assert.equal(api.length, before, 'a certificate with another name is not sent');
    await checkA11y(page);
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'signup-name-mismatch');
    await page.close();
  });

  test('registers a certificate whose name matches, sending the sign-up token, certificate and signature only', async (t) => {
    if (skip) return t.skip(skip);
    const { page, api } = await openSignup('홍길동');
    await page.route('**/api/v1/signup/certificate', (route) =>
      json(route, {
        account: { id: 'honggildong', address: 'honggildong@mois.go.kr', realName: '홍길동' },
        certificate: {
          serial: '1a2b01',
          issuer: 'CA131100001',
          notAfter: '2027-01-01T00:00:00Z',
          class: 'gpki-personal',
        },
      }),
    );
    await verify(page);
    await chooseGpki(page);
    await page.getByRole('button', { name: '인증서 등록' }).click();
    await page.getByRole('heading', { name: '가입이 끝났습니다' }).waitFor();
    const register = api.find((r) => r.url().endsWith('/api/v1/signup/certificate'));
    assert.ok(register);
    const sent = JSON.parse(register.postData() ?? '{}');
    assert.deepEqual(Object.keys(sent).sort(), ['certificate', 'challengeId', 'signature', 'signupToken']);
    const challengeBody = JSON.parse(api.find((r) => r.url().endsWith('/challenge'))!.postData() ?? '{}');
    assert.deepEqual(challengeBody, { purpose: 'register' });
    for (const r of api) assert.ok(!(r.postData() ?? '').includes(folder.gpki.password));
    await checkA11y(page);
    await screenshot(page, 'signup-done');
    await page.getByRole('link', { name: '로그인하러 가기' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '인증서 로그인');
    await page.close();
  });
});
