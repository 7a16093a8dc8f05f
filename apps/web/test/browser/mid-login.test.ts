// Sign-in with the mobile ID in Chromium against the REAL server (PGlite): HR requests a card, the
// head approves, the card is installed from the SMS outbox into a wallet, and
//  1. cross-device: the login page shows a QR code and a matching code; the HEADLESS wallet reads
//     the request from the drawn QR (decoded with jsQR, as a phone camera would), checks that its
//     own matching code equals the page's, answers (PIN-unlocked), and the page ends signed in;
//  2. the wallet PWA (its own origin, 360 px) opens the same kind of request from the deep link,
//     shows the verifier's name, the matching code and exactly the claims to be sent, takes the
//     consent and the PIN, answers — and the desktop page ends signed in.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryWalletStorage, parseAuthorizationRequest, Wallet } from '@gongjik/mobile-id';
import type { Page } from 'playwright-core';
import { createAgency } from '../../../server/src/domain/directory/agencies.ts';
import { upsertDepartment } from '../../../server/src/domain/directory/departments.ts';
import { upsertPerson } from '../../../server/src/domain/directory/people.ts';
import { createHrApiKey } from '../../../server/src/domain/hr/api-keys.ts';
import { startWalletSite } from '../../../wallet/serve.ts';
import {
  type BuiltWallet,
  ensureBuilt as ensureWalletBuilt,
} from '../../../wallet/test/browser/helpers/build.ts';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { readQr } from './helpers/qr.ts';
import { type RealApp, startRealApp } from './helpers/real-server.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';

const skip = chromiumSkipReason();
const PIN = '482915';

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('sign-in with the mobile ID (Chromium, real server)', () => {
  let browser: Browser;
  let app: RealApp;
  let built: BuiltApp;
  let walletBuilt: BuiltWallet;
  let walletSite: { origin: string; close(): Promise<void> };
  let hrKey: string;
  let n = 0;

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    walletBuilt = await ensureWalletBuilt();
    const walletPort = await freePort();
    const walletOrigin = `http://localhost:${walletPort}`;
    app = await startRealApp(built.dir, {
      GONGJIK_MID_WALLET_URL: walletOrigin,
      GONGJIK_MID_PIN_ITERATIONS: '1000',
      GONGJIK_MID_STATUS_LIST_SIZE: '4096',
    });
    const site = await startWalletSite({
      dist: walletBuilt.dir,
      issuer: app.origin,
      webApp: app.origin,
      port: walletPort,
      host: '127.0.0.1',
    });
    walletSite = { origin: walletOrigin, close: site.close };
    hrKey = (
      await createHrApiKey(
        app.db,
        { system: 'e-saram', label: 'mid-login test' },
        { actor: 'test', now: new Date() },
      )
    ).key;
    browser = await launchBrowser();
  });

  after(async () => {
    if (skip) return;
    await browser?.close();
    await walletSite?.close();
    await app?.close();
    built?.dispose();
    walletBuilt?.dispose();
  });

  const api = async (method: string, path: string, auth: string, body?: object) => {
    const r = await fetch(new URL(path, app.apiUrl), {
      method,
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await r.json()) as Record<string, unknown>;
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };

  /** An adopting agency, a head and an official with an active mail account; the card's install SMS. */
  async function official() {
    const u = `${Date.now().toString(36)}${n++}`;
    const ctx = { actor: 'test', now: new Date() };
    const agencyCode = `A${u}`;
    await createAgency(
      app.db,
      { code: agencyCode, name: '행정안전부', type: 'central', mobileIdAdopted: true },
      ctx,
    );
    await upsertDepartment(app.db, agencyCode, 'D1', { name: '디지털안전정책과' }, ctx);
    const person = async (name: string, head: boolean, position: string) => {
      const employeeNumber = `2024${u}${head ? 'h' : 'm'}`;
      const r = await upsertPerson(
        app.db,
        employeeNumber,
        {
          agencyCode,
          departmentCode: 'D1',
          realName: name,
          position,
          mobile: '010-1234-5678',
          isDepartmentHead: head,
          mailId: `u${u}${head ? 'h' : 'm'}`,
        },
        ctx,
        { mailDomain: 'korea.kr' },
      );
      await app.db
        .updateTable('accounts')
        .set({ state: 'active' })
        .where('id', '=', r.person.account!.id)
        .execute();
      return { employeeNumber, name, accountId: r.person.account!.id };
    };
    const head = await person('박과장', true, '과장');
    const member = await person('류시원', false, '행정사무관');
    const req = await api('POST', '/api/v1/hr/mobile-id/requests', hrKey, {
      employeeNumber: member.employeeNumber,
    });
    await api('POST', `/api/v1/admin/mobile-id/requests/${req.id}/approve`, app.adminToken, {
      approverEmployeeNumber: head.employeeNumber,
    });
    const o = await api(
      'GET',
      `/api/v1/admin/sms-outbox?ref=${encodeURIComponent(`mid-request:${req.id}`)}`,
      app.adminToken,
    );
    const messages = o.messages as { kind: string; body: string }[];
    const install = messages.find((m) => m.kind === 'mid-install')!;
    const code = messages.find((m) => m.kind === 'mid-code')!;
    return {
      member,
      installUrl: /https?:\/\/\S+/.exec(install.body)![0],
      txCode: /\b(\d{6})\b/.exec(code.body)![1]!,
    };
  }

  async function startMidLogin(page: Page) {
    await page.goto(`${app.origin}/login`);
    await page.getByRole('heading', { name: '모바일 공무원증으로 로그인' }).waitFor();
    await page.getByRole('button', { name: 'QR 코드 받기' }).click();
    const code = page.locator('[data-match-code]');
    await code.waitFor();
    return (await code.textContent())!.trim();
  }

  async function signedIn(page: Page) {
    await page.waitForURL((url) => url.pathname !== '/login', { timeout: 15_000 });
    const me = await page.evaluate(async () => {
      const r = await fetch('/api/v1/auth/session');
      return { status: r.status, body: await r.json() };
    });
    assert.equal(me.status, 200, JSON.stringify(me.body));
    return me.body as { session: { method: string }; account: { id: string } };
  }

  test('cross-device: the headless wallet reads the QR, the matching codes agree, the page ends signed in', async (t) => {
    if (skip) return t.skip(skip);
    const who = await official();
    const wallet = new Wallet({ storage: new MemoryWalletStorage(), fetch: (u, i) => fetch(u, i) });
    await wallet.install(who.installUrl, who.txCode, { pin: PIN });
    await wallet.unlock(PIN);

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const pageCode = await startMidLogin(page);
    assert.match(pageCode, /^\d{2}$/);

    // What a phone camera sees: the QR drawn on the page.
    const fromQr = await readQr(page, 'svg[data-wallet-link]');
    assert.ok(fromQr.startsWith(`${walletSite.origin}/present?`), fromQr);
    assert.equal(await page.locator('svg[data-wallet-link]').getAttribute('data-wallet-link'), fromQr);
    assert.equal(
      await page.getByRole('link', { name: '이 기기의 지갑 열기' }).getAttribute('href'),
      fromQr,
      'the same-device deep link is the same request',
    );
    const request = parseAuthorizationRequest(fromQr);
    assert.equal(request.client_id, `redirect_uri:${app.origin}/api/v1/mid/vp/login`);
    assert.equal(request.response_mode, 'direct_post');

    const preview = await wallet.preview(fromQr);
    assert.equal(preview.matchCode, pageCode, 'the wallet shows the code the page shows');
    assert.equal(preview.verifier.name, '공직 메일 (Gongjik mail)');
    assert.ok(((await page.locator('.mid-hint').textContent()) ?? '').includes('공직 메일 (Gongjik mail)'));
    assert.deepEqual(Object.keys(preview.claims).sort(), ['employee_number', 'name']);

    await checkA11y(page);
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'login-mid');
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false, 'no horizontal scrolling at 360 px');
    await checkA11y(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    await wallet.present(fromQr);
    const me = await signedIn(page);
    assert.equal(me.session.method, 'mobile-id');
    assert.equal(me.account.id, who.member.accountId);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the wallet PWA at 360 px: verifier name, matching code, exactly the claims sent; consent + PIN signs the page in', async (t) => {
    if (skip) return t.skip(skip);
    const who = await official();
    const phone = await launchBrowser({ viewport: { width: 360, height: 780 }, hasTouch: true });
    try {
      const w = await phone.context.newPage();
      // Install through the PWA, as the holder does from the SMS.
      await w.goto(who.installUrl);
      await w.getByLabel('일회용 코드 (6자리 숫자)').fill(who.txCode);
      await w.getByRole('button', { name: '확인' }).click();
      await w.getByRole('button', { name: '네, 본인입니다' }).click();
      await w.getByLabel('새 비밀번호 (숫자 6자리)', { exact: true }).fill(PIN);
      await w.getByLabel('새 비밀번호 확인', { exact: true }).fill(PIN);
      await w.getByRole('button', { name: '다음' }).click();
      await w.getByRole('button', { name: '건너뛰기' }).click({ timeout: 30_000 });
      await w.getByRole('heading', { level: 1, name: '내 공무원증' }).waitFor();

      const page = await browser.context.newPage();
      const pageCode = await startMidLogin(page);
      const link = (await page.locator('svg[data-wallet-link]').getAttribute('data-wallet-link'))!;

      await w.goto(link);
      await w.getByRole('heading', { level: 1, name: '모바일 공무원증 제시' }).waitFor();
      await w.locator('[data-match-code]').waitFor();
      assert.equal((await w.locator('[data-match-code]').textContent())?.trim(), pageCode);
      assert.equal(await w.getByTestId('verifier-name').textContent(), '공직 메일 (Gongjik mail)');
      const sent = await w
        .locator('[data-testid="disclosed"] [data-claim]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-claim')));
      assert.deepEqual(sent.sort(), ['employee_number', 'name']);
      assert.match((await w.getByTestId('kept').textContent()) ?? '', /부서.*직위/);
      await checkA11y(w);
      assert.equal(await overflowsHorizontally(w), false);
      await w.screenshot({
        path: (await import('node:path')).join(
          import.meta.dirname,
          '..',
          '..',
          '..',
          '..',
          'docs',
          'screenshots',
          'wallet-present-360.png',
        ),
        fullPage: true,
        animations: 'disabled',
        caret: 'hide',
      });

      await w.getByRole('button', { name: '동의하고 PIN 입력' }).click();
      await w.getByLabel('비밀번호 (숫자 6자리)', { exact: true }).fill(PIN);
      await w.getByRole('button', { name: '확인하고 보내기' }).click();
      await w.getByText('보냈습니다. 요청한 화면으로 돌아가세요.').waitFor({ timeout: 15_000 });

      const me = await signedIn(page);
      assert.equal(me.session.method, 'mobile-id');
      assert.equal(me.account.id, who.member.accountId);
      await page.close();
    } finally {
      await phone.close();
    }
  });

  test('the library desk: asks for name, agency and employee number only and shows them once verified', async (t) => {
    if (skip) return t.skip(skip);
    const who = await official();
    const wallet = new Wallet({ storage: new MemoryWalletStorage(), fetch: (u, i) => fetch(u, i) });
    const card = await wallet.install(who.installUrl, who.txCode, { pin: PIN });
    await wallet.unlock(PIN);
    const page = await browser.context.newPage();
    await page.goto(`${app.origin}/library`);
    await page
      .getByRole('heading', { level: 1, name: '정부세종청사 도서관 — 모바일 공무원증 확인' })
      .waitFor();
    await page.getByRole('button', { name: '확인 시작' }).click();
    const code = (await page.locator('[data-match-code]').textContent())!.trim();
    const link = await readQr(page, 'svg[data-wallet-link]');
    const preview = await wallet.preview(link);
    assert.equal(preview.matchCode, code);
    assert.equal(preview.verifier.name, '정부세종청사 도서관');
    assert.deepEqual(Object.keys(preview.claims).sort(), ['agency', 'employee_number', 'name']);
    await checkA11y(page);
    await wallet.present(link);
    await page.locator('.library-card').waitFor();
    assert.equal(await page.locator('[data-claim="name"]').textContent(), '류시원');
    assert.equal(await page.locator('[data-claim="agency"]').textContent(), '행정안전부');
    assert.equal(
      await page.locator('[data-claim="employee_number"]').textContent(),
      who.member.employeeNumber,
    );
    const shown = (await page.locator('main').textContent()) ?? '';
    for (const hidden of ['디지털안전정책과', '행정사무관', String(card.claims.photo_digest)])
      assert.ok(!shown.includes(hidden), `${hidden} is not on the desk`);
    await checkA11y(page);
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'library-desk');
    await page.close();
  });

  test('OIDC: a work system sends the browser to /login?return=/oidc/interaction/…; the mobile ID finishes the interaction', async (t) => {
    if (skip) return t.skip(skip);
    const who = await official();
    const wallet = new Wallet({ storage: new MemoryWalletStorage(), fetch: (u, i) => fetch(u, i) });
    await wallet.install(who.installUrl, who.txCode, { pin: PIN });
    await wallet.unlock(PIN);

    // The work system: only its callback, which the browser must reach with a code.
    const { createServer } = await import('node:http');
    const { createHash, randomBytes } = await import('node:crypto');
    const rp = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('work system callback');
    });
    await new Promise<void>((resolve) => rp.listen(0, '127.0.0.1', resolve));
    const callback = `http://127.0.0.1:${(rp.address() as { port: number }).port}/cb`;
    try {
      const reg = await api('POST', '/api/v1/admin/oidc/clients', app.adminToken, {
        clientName: '온나라 업무관리',
        redirectUris: [callback],
      });
      const clientId = (reg.client as { clientId: string }).clientId;
      const verifier = randomBytes(32).toString('base64url');
      const auth = new URL(`${app.origin}/oidc/auth`);
      auth.search = new URLSearchParams({
        client_id: clientId,
        redirect_uri: callback,
        response_type: 'code',
        scope: 'openid profile',
        state: 'st-123',
        nonce: 'nonce-123',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();

      // a browser without a Gongjik session (the tests before signed this profile in)
      await browser.context.clearCookies();
      const page = await browser.context.newPage();
      await page.goto(auth.href);
      await page
        .waitForURL((url) => url.pathname === '/login', { timeout: 10_000 })
        .catch(async (err) => {
          throw new Error(`at ${page.url()}: ${(await page.content()).slice(0, 600)}`, { cause: err });
        });
      const back = new URL(page.url()).searchParams.get('return')!;
      assert.match(back, /^\/oidc\/interaction\/[A-Za-z0-9_-]+$/);
      await page.getByRole('heading', { name: '모바일 공무원증으로 로그인' }).waitFor();
      await page.getByRole('button', { name: 'QR 코드 받기' }).click();
      const code = (await page.locator('[data-match-code]').textContent())!.trim();
      assert.ok(((await page.locator('.mid-hint').textContent()) ?? '').includes('온나라 업무관리'));
      const link = await readQr(page, 'svg[data-wallet-link]');
      const preview = await wallet.preview(link);
      assert.equal(preview.verifier.name, '온나라 업무관리', 'the wallet names the work system');
      assert.equal(preview.matchCode, code);
      await wallet.present(link);

      await page.waitForURL((url) => url.href.startsWith(callback), { timeout: 15_000 });
      const landed = new URL(page.url());
      assert.equal(landed.searchParams.get('state'), 'st-123');
      assert.ok(landed.searchParams.get('code'), 'an authorization code for the work system');
      await page.close();
    } finally {
      await new Promise((resolve) => rp.close(resolve));
    }
  });
});
