// The wallet without a card, in Debian's Chromium: Korean by default, accessible at 360 px, the
// web app manifest, and the service worker that keeps the wallet working offline.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltWallet, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';
import { startTestWalletSite } from './helpers/wallet-site.ts';

const skip = chromiumSkipReason();

describe('wallet shell (Chromium, 360 px)', () => {
  let browser: Browser;
  let site: Awaited<ReturnType<typeof startTestWalletSite>>;
  let built: BuiltWallet;

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    // No issuer runs here: these tests never reach it.
    site = await startTestWalletSite({ dist: built.dir, issuer: 'http://127.0.0.1:9' });
    browser = await launchBrowser();
  });

  after(async () => {
    if (skip) return;
    await browser?.close();
    await site?.close();
    built?.dispose();
  });

  async function open(path = '/'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${site.origin}${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return { page, errors };
  }

  test('shows how to install, in Korean, under the CSP, accessible, without horizontal scrolling', async (t) => {
    if (skip) return t.skip(skip);
    const { page, errors } = await open();
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '모바일 공무원증 설치');
    assert.equal(await page.title(), '모바일 공무원증 설치 — 모바일 공무원증');
    assert.equal(await overflowsHorizontally(page), false);
    await checkA11y(page);
    await screenshot(page, 'welcome');
    assert.deepEqual(errors, [], 'no console errors (a CSP violation would show here)');
    await page.close();
  });

  test('refuses a pasted link that is not an install link, with a Korean message', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await open();
    await page.getByLabel('설치 링크').fill('https://example.com/not-an-offer');
    await page.getByRole('button', { name: '설치 시작' }).click();
    const alert = page.getByRole('alert');
    assert.equal(await alert.textContent(), '설치 링크가 아닙니다. 문자 메시지의 주소 전체를 붙여 넣으세요.');
    assert.equal(await page.getByLabel('설치 링크').getAttribute('aria-invalid'), 'true');
    await checkA11y(page);
    await page.close();
  });

  test('switches to English and keeps the choice after a reload', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await open();
    await page.getByRole('button', { name: 'English' }).click();
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Install the mobile official ID',
    );
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.reload();
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Install the mobile official ID',
    );
    await checkA11y(page);
    await screenshot(page, 'welcome-en');
    await page.getByRole('button', { name: '한국어' }).click();
    await page.close();
  });

  test('is installable: a manifest with PNG icons, standalone display, and a service worker', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await open();
    const manifestUrl = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (await page.request.get(`${site.origin}${manifestUrl}`)).json()) as {
      display: string;
      start_url: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, '/');
    for (const size of ['192x192', '512x512']) {
      const icon = manifest.icons.find((i) => i.sizes === size && i.type === 'image/png');
      assert.ok(icon, `a ${size} PNG icon`);
      const res = await page.request.get(`${site.origin}${icon.src}`);
      assert.equal(res.status(), 200);
      assert.deepEqual([...(await res.body()).subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
    }
    assert.ok(manifest.icons.some((i) => i.purpose === 'maskable'));
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, `${site.origin}/`);
    await page.close();
  });

  test('works offline after the first load: reload and deep links come from the service worker', async (t) => {
    if (skip) return t.skip(skip);
    const { page } = await open();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The first load is not controlled yet; the reload is (clients.claim also covers it).
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await page.evaluate(() => navigator.serviceWorker.controller !== null), true);
    await site.close();
    await browser.context.setOffline(true);
    try {
      await page.reload();
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), '모바일 공무원증 설치');
      assert.equal(
        await page.getByRole('status').filter({ hasText: '오프라인' }).textContent(),
        '오프라인 상태입니다. 마지막으로 확인한 정보를 보여 줍니다.',
      );
      await page.goto(`${site.origin}/some/deep/link`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      // The cached page keeps the CSP it was served with.
      const csp = await page.evaluate(async () =>
        (await fetch('/index.html')).headers.get('content-security-policy'),
      );
      assert.match(csp ?? '', /script-src 'self'/);
      await checkA11y(page);
      await screenshot(page, 'offline-welcome');
    } finally {
      await browser.context.setOffline(false);
    }
    await page.close();
  });
});
