// The active-sessions page in Chromium against the REAL server. Certificate login is not on this
// branch's server yet, so the sessions are started with the server's own createSession (the seam the
// sign-in methods call) and the browser gets the cookie; every request after that — listing,
// revoking one, revoking all others with Origin + X-CSRF-Token — goes to the real server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatMessage } from '@gongjik/errors';
import type { Request } from 'playwright-core';
import { createSession } from '../../../server/src/domain/auth/sessions.ts';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { type RealApp, startRealApp } from './helpers/real-server.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';

const skip = chromiumSkipReason();

const PHONE_UA =
  'Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36';
const OFFICE_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Whale/3.26.244.21 Safari/537.36';
const BROWSER_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

describe('active sessions (Chromium, real server)', () => {
  let browser: Browser;
  let app: RealApp;
  let built: BuiltApp;

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    app = await startRealApp(built.dir);
    browser = await launchBrowser();
  });

  after(async () => {
    if (skip) return;
    await browser?.close();
    await app?.close();
    built?.dispose();
  });

  /** Agency + person with an account through the admin API, as an administrator would. */
  async function seedAccount(): Promise<string> {
    const call = async (method: string, path: string, body?: object) => {
      const r = await fetch(new URL(path, app.apiUrl), {
        method,
        headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
      return (await r.json()) as Record<string, unknown>;
    };
    await call('POST', '/api/v1/admin/agencies', { code: '1741000', name: '행정안전부', type: 'central' });
    const r = await call('PUT', '/api/v1/admin/people/2024001', {
      agencyCode: '1741000',
      realName: '류시원',
      mailId: 'ryusiwon',
    });
    const accountId = (r.person as { account: { id: string } }).account.id;
    // A completed sign-up makes the account active (that flow is not on this branch's server yet).
    await app.db.updateTable('accounts').set({ state: 'active' }).where('id', '=', accountId).execute();
    return accountId;
  }

  test('lists my sessions with the current one marked, ends one, then all the others (CSRF header sent, server accepts)', async (t) => {
    if (skip) return t.skip(skip);
    const accountId = await seedAccount();
    const policy = app.config.sessions;
    const start = (userAgent: string, ip: string, minutesAgo: number) =>
      createSession(app.db, accountId, {
        method: 'certificate',
        now: new Date(Date.now() - minutesAgo * 60_000),
        policy,
        ip,
        userAgent,
      });
    await start(OFFICE_UA, '10.20.30.40', 20);
    await start(PHONE_UA, '203.0.113.7', 10);
    const mine = await start(BROWSER_UA, '127.0.0.1', 0);
    await browser.context.addCookies([
      { name: 'gongjik-session', value: mine.token, url: app.origin, httpOnly: true, sameSite: 'Lax' },
    ]);
    const page = await browser.context.newPage();
    const writes: Request[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/') && r.method() !== 'GET') writes.push(r);
    });
    await page.goto(`${app.origin}/sessions`);
    await page.getByRole('heading', { level: 1, name: '로그인 세션 관리' }).waitFor();
    const items = page.locator('.session-item');
    await items.nth(2).waitFor();
    assert.equal(await items.count(), 3);
    const current = page.locator('.session-item.is-current');
    assert.equal(await current.count(), 1);
    assert.equal(await current.getAttribute('data-session'), mine.session.id);
    assert.match((await current.textContent()) ?? '', /지금 사용 중/);
    assert.match(
      (await page.locator('.session-list').textContent()) ?? '',
      /Samsung Internet · Android.*203\.0\.113\.7/s,
    );
    await checkA11y(page);
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, 'sessions');

    await page
      .getByRole('button', { name: /^Samsung Internet · Android, .* 로그인 세션 로그아웃시키기$/ })
      .click();
    await page.getByText('세션을 끝냈습니다.').waitFor();
    await page.locator('.session-item').nth(1).waitFor();
    assert.equal(await page.locator('.session-item').count(), 2);
    const revokeOne = writes.at(-1)!;
    assert.equal(revokeOne.method(), 'DELETE');
    assert.equal(await revokeOne.headerValue('x-csrf-token'), mine.csrfToken);

    await page.getByRole('button', { name: '이 기기를 뺀 모든 세션 로그아웃' }).click();
    await page.getByText('다른 세션 1개를 끝냈습니다.').waitFor();
    await page.getByText('다른 기기의 로그인 세션이 없습니다.').waitFor();
    assert.equal(await page.locator('.session-item').count(), 1);
    assert.equal(await writes.at(-1)!.headerValue('x-csrf-token'), mine.csrfToken);
    await checkA11y(page);
    await screenshot(page, 'sessions-alone');

    const live = await app.db
      .selectFrom('sessions')
      .select('id')
      .where('account_id', '=', accountId)
      .where('revoked_at', 'is', null)
      .execute();
    assert.deepEqual(
      live.map((s) => s.id),
      [mine.session.id],
      'the server ended the other sessions',
    );

    // Without the CSRF token the server refuses, and the page would show why.
    const refused = await page.evaluate(async (id) => {
      const r = await fetch(`/api/v1/auth/sessions/${id}`, { method: 'DELETE' });
      return ((await r.json()) as { code: string }).code;
    }, mine.session.id);
    assert.equal(refused, 'ERR_AUTH_CSRF_REFUSED');
    assert.ok(formatMessage('ERR_AUTH_CSRF_REFUSED', 'ko').length > 0);
    await page.close();
  });

  test('without a session the page sends the visitor to the login screen', async (t) => {
    if (skip) return t.skip(skip);
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${app.origin}/sessions`);
    await page.waitForURL(`${app.origin}/login`);
    await page.getByRole('heading', { level: 1, name: '인증서 로그인' }).waitFor();
    await page.close();
  });
});
