// The certificate login screen in Debian's Chromium: Korean by default, English switch, the
// certificate list from a picked folder, the refusals, and proof that neither the password nor the
// private key ever leaves the page.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { formatMessage } from '@gongjik/errors';
import { verifyChallenge } from '@gongjik/kpki';
import type { Page, Request } from 'playwright-core';
import { fromBase64Url, toBase64Url } from '../../src/api/base64url.ts';
import { challengeMessage } from '../../src/cert/prove.ts';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type CertificateFolder, makeCertificateFolder } from './helpers/certificates.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';
import { type StaticServer, startStaticServer } from './helpers/static-server.ts';

const skip = chromiumSkipReason();

describe('certificate login screen (Chromium)', () => {
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

  /** A fresh page on /login with every request and console error recorded. */
  async function openLogin(
    prepare?: (page: Page) => Promise<void>,
  ): Promise<{ page: Page; requests: Request[]; errors: string[] }> {
    const page = await browser.context.newPage();
    await prepare?.(page);
    const requests: Request[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    // The static server has no API: the footer's help desk number is the server's answer.
    await page.route('**/api/v1/support/help-desk', (route) =>
      route.fulfill({
        contentType: 'application/json',
        body: JSON.stringify({ helpDesk: { phone: '1600-3373' } }),
      }),
    );
    await page.goto(`${server.origin}/login`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return { page, requests, errors };
  }

  async function pickFolder(page: Page): Promise<void> {
    await page.getByTestId('folder-input').setInputFiles(folder.root);
    await page.locator('.cert-item').nth(2).waitFor();
  }

  function item(page: Page, name: string) {
    return page.locator('.cert-item', { has: page.locator('.cert-name', { hasText: name }) });
  }

  test('renders the login screen in Korean under the CSP, accessible, at 1280 and 360 px', async (t) => {
    if (skip) return t.skip(skip);
    const { page, errors } = await openLogin();
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '인증서 로그인');
    assert.match(await page.title(), /인증서 로그인 — 공직/);
    assert.equal(await page.getByRole('link', { name: '본문 바로가기' }).count(), 1);
    assert.equal(await page.getByRole('button', { name: '로그인' }).count(), 1);
    await page.getByRole('link', { name: /1600-3373/ }).waitFor();
    await checkA11y(page);
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false, 'no horizontal scrolling at 360 px');
    await checkA11y(page);
    await screenshot(page, 'login');
    assert.deepEqual(errors, [], 'no console errors (a CSP violation would show here)');
    await page.close();
  });

  test('reminds to renew a usable certificate that expires within 30 days', async (t) => {
    if (skip) return t.skip(skip);
    // The page's clock 350 days on: the valid certificate (365 days from now) has 14–15 days left.
    const { page, errors } = await openLogin((p) =>
      p.clock.setFixedTime(new Date(Date.now() + 350 * 86_400_000)),
    );
    await pickFolder(page);
    const gpki = item(page, '홍길동').and(page.locator('[data-class="gpki-personal"]'));
    assert.match(
      (await gpki.locator('[data-warning="expires-soon"]').textContent()) ?? '',
      /^1[45]일 후 만료 — 갱신하세요$/,
    );
    assert.equal(
      await gpki.getByRole('radio').isDisabled(),
      false,
      'still usable: a reminder, not a blocker',
    );
    // the expired one is blocked, not reminded
    assert.equal(await item(page, '김민지').locator('[data-warning="expires-soon"]').count(), 0);
    await checkA11y(page);
    await screenshot(page, 'login-cert-expiring');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('switches to English and keeps the choice after a reload', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await openLogin();
    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Certificate sign-in');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
    await page.reload();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Certificate sign-in');
    await checkA11y(page);
    await screenshot(page, 'login-en');
    await page.getByRole('button', { name: '한국어' }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '인증서 로그인');
    await page.close();
  });

  test('lists the certificates of a picked folder and marks NPKI and expired ones as unusable', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await openLogin();
    await pickFolder(page);
    assert.equal(await page.locator('.cert-item').count(), 3);
    assert.match((await page.getByRole('status').first().textContent()) ?? '', /인증서 3개를 찾았습니다/);

    const gpki = item(page, '홍길동').and(page.locator('[data-class="gpki-personal"]'));
    assert.match((await gpki.textContent()) ?? '', /GPKI 공무원용/);
    assert.match((await gpki.textContent()) ?? '', /CA131100001/);
    assert.equal(await gpki.getByRole('radio').isDisabled(), false);
    assert.equal(await gpki.getByRole('radio').isChecked(), true, 'the usable certificate is preselected');

    const npki = page.locator('.cert-item[data-class="npki"]');
    assert.equal(await npki.count(), 1);
    assert.equal(
      await npki.locator('[data-blocker="npki"]').textContent(),
      '사용 불가 — 은행 발급 공동인증서',
    );
    assert.equal(await npki.getByRole('radio').isDisabled(), true);

    const expired = item(page, '김민지');
    assert.equal(await expired.locator('[data-blocker="expired"]').textContent(), '만료됨');
    assert.equal(await expired.getByRole('radio').isDisabled(), true);

    await checkA11y(page);
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false, 'no horizontal scrolling at 360 px');
    await screenshot(page, 'login-certificates');
    await page.close();
  });

  test('refuses a wrong password with the Korean ERR_PKI_BAD_PASSWORD message and sends no request', async (t) => {
    if (skip) return t.skip(skip);
    const { page, requests } = await openLogin();
    await pickFolder(page);
    const loaded = requests.length;
    await page.getByLabel('인증서 암호').fill('틀린 암호');
    await page.getByRole('button', { name: '로그인' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-code'), 'ERR_PKI_BAD_PASSWORD');
    assert.match((await alert.textContent()) ?? '', new RegExp(formatMessage('ERR_PKI_BAD_PASSWORD', 'ko')));
    assert.deepEqual(
      requests.slice(loaded).map((r) => r.url()),
      [],
      'a wrong password must not reach the network',
    );
    assert.equal(await page.getByLabel('인증서 암호').inputValue(), '', 'the password field is cleared');
    await checkA11y(page);
    await screenshot(page, 'login-wrong-password');
    await page.close();
  });

  test('signs the challenge in the page and sends only the certificate and the signature', async (t) => {
    if (skip) return t.skip(skip);
    const { page, requests } = await openLogin();
    const challenge = {
      challengeId: 'ch_7YpQ2vWk',
      nonce: 'bm9uY2UtZm9yLXRoZS10ZXN0',
      origin: server.origin,
      purpose: 'login',
      expiresAt: new Date(Date.now() + 120_000).toISOString(),
    };
    // The server's challenge endpoint is played by the test; every other API request goes on to the
    // static server (which has no API: the login POST fails with 404, as it would without a server).
    await page.route('**/api/v1/auth/challenge', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(challenge) }),
    );
    await pickFolder(page);
    const loaded = requests.length;
    await page.getByLabel('인증서 암호').fill(folder.gpki.password);
    const loginRequest = page.waitForRequest('**/api/v1/auth/login');
    await page.getByRole('button', { name: '로그인' }).click();
    const sent = await loginRequest;
    await page.getByRole('alert').waitFor();

    const made = requests.slice(loaded);
    assert.deepEqual(
      made.map((r) => `${r.method()} ${new URL(r.url()).pathname}`),
      ['POST /api/v1/auth/challenge', 'POST /api/v1/auth/login'],
    );
    for (const r of made) assert.equal(new URL(r.url()).origin, server.origin, 'same origin only');

    const body = JSON.parse(sent.postData() ?? 'null') as Record<string, string>;
    assert.deepEqual(Object.keys(body).sort(), ['certificate', 'challengeId', 'signature']);
    assert.equal(body.challengeId, challenge.challengeId);
    assert.deepEqual(fromBase64Url(body.certificate!), folder.gpki.der);
    await verifyChallenge(folder.gpki.der, challengeMessage(challenge), fromBase64Url(body.signature!));

    // Nothing that was sent — URL, headers or body — carries the password or the key, in any encoding.
    const secrets = secretForms(folder.gpki.password, folder.gpki.pkcs8, folder.gpki.keyFile);
    for (const r of made) {
      const wire = [r.url(), JSON.stringify(await r.allHeaders()), r.postData() ?? ''].join('\n');
      for (const [what, value] of secrets) assert.ok(!wire.includes(value), `${what} found in ${r.url()}`);
    }
    const shown = await page.getByRole('alert').getAttribute('data-code');
    assert.equal(shown, null, 'the missing server shows as an HTTP error, not a registry code');
    await page.close();
  });

  test('remembers the certificate and its still-encrypted key file, never the password', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await openLogin();
    await pickFolder(page);
    await page.getByLabel('인증서 암호').fill(folder.gpki.password);
    await page.getByLabel('이 브라우저에 인증서 기억하기').check();
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('alert').waitFor();

    await page.reload();
    const remembered = page.getByRole('group', { name: '이 브라우저에 기억된 인증서' });
    await remembered.waitFor();
    assert.equal(await remembered.locator('.cert-item').count(), 1);
    assert.match((await remembered.textContent()) ?? '', /홍길동/);
    const first = await page.locator('.cert-item').first().getAttribute('data-class');
    assert.equal(first, 'gpki-personal', 'remembered certificates are listed first');

    const stored = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('gongjik');
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const req = db.transaction('certificates').objectStore('certificates').getAll();
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      db.close();
      return rows.map((row) => {
        const r = row as Record<string, unknown>;
        return {
          keys: Object.keys(r).sort(),
          certificate: Array.from(r.certificate as Uint8Array),
          encryptedKeyFile: Array.from(r.encryptedKeyFile as Uint8Array),
          json: JSON.stringify(r, (_k, v) => (v instanceof Uint8Array ? Array.from(v) : v)),
        };
      });
    });
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0]!.keys, ['certificate', 'encryptedKeyFile', 'id', 'savedAt']);
    assert.deepEqual(new Uint8Array(stored[0]!.certificate), folder.gpki.der);
    assert.deepEqual(new Uint8Array(stored[0]!.encryptedKeyFile), folder.gpki.keyFile);
    assert.ok(!stored[0]!.json.includes(folder.gpki.password), 'the password is not stored');
    assert.ok(
      !stored[0]!.json.includes(Array.from(folder.gpki.pkcs8.subarray(0, 64)).join(',')),
      'the decrypted key is not stored',
    );
    await checkA11y(page);
    await screenshot(page, 'login-remembered');

    await page.getByRole('button', { name: '홍길동 인증서 잊기' }).click();
    await page.getByText('인증서를 이 브라우저에서 지웠습니다.').waitFor();
    assert.equal(await page.getByRole('group', { name: '이 브라우저에 기억된 인증서' }).count(), 0);
    await page.close();
  });
});

/** The password and key bytes in every encoding a leak could take. */
function secretForms(password: string, pkcs8: Uint8Array, keyFile: Uint8Array): [string, string][] {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  // A distinctive slice from the middle of each key (the start of a PKCS#8 is a common header).
  const mid = (b: Uint8Array) => b.subarray(Math.floor(b.length / 2) - 24, Math.floor(b.length / 2) + 24);
  return [
    ['password', password],
    ['password (URL-encoded)', encodeURIComponent(password)],
    ['password (base64)', b64(new TextEncoder().encode(password))],
    ['private key (base64)', b64(pkcs8)],
    ['private key (base64url)', toBase64Url(pkcs8)],
    ['private key (hex)', hex(mid(pkcs8))],
    ['private key slice (base64url)', toBase64Url(mid(pkcs8)).slice(4, 40)],
    ['key file (base64)', b64(keyFile)],
    ['key file (base64url)', toBase64Url(keyFile)],
    ['key file slice (base64url)', toBase64Url(mid(keyFile)).slice(4, 40)],
  ];
}
