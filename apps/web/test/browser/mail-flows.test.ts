// The Must-show mail flows in Chromium against the REAL server started with the demo kit, as
// `npm start` makes it (development CA, demo people, their certificate folders). Two officials, each
// in their own browser profile: 류시원 signs up with the certificate from the demo folder (after the
// name-mismatch folder is refused on screen), logs in, writes to 김민준 picked by autocomplete
// (rich text, an attachment with its progress bar, an autosaved draft restored after a reload), and
// sends; 김민준 signs up, logs in and reads it; 류시원 sees "read at" in the receipts. A second message
// is recalled before it is read and disappears from 김민준's inbox. The export downloads a file that
// holds every message of the mailbox. Nothing of the API is played by the test.
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatMessage } from '@gongjik/errors';
import type { Page } from 'playwright-core';
import type { DemoKit, KitAccount } from '../../../server/src/demo/kit.ts';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { type RealApp, startRealApp } from './helpers/real-server.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';

const skip = chromiumSkipReason();

describe('mail flows with the demo kit (Chromium, real server)', () => {
  let app: RealApp;
  let built: BuiltApp;
  let kit: DemoKit;
  let ryuBrowser: Browser;
  let kimBrowser: Browser;
  let ryu: Page;
  let kim: Page;
  let ryuAccount: KitAccount;
  let kimAccount: KitAccount;
  const errors: string[] = [];

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    app = await startRealApp(built.dir, {}, { demo: true });
    kit = JSON.parse(readFileSync(join(app.dataDir, 'demo', 'kit.json'), 'utf8')) as DemoKit;
    ryuAccount = kit.accounts.find((a) => a.name === '류시원')!;
    kimAccount = kit.accounts.find((a) => a.name === '김민준')!;
    ryuBrowser = await launchBrowser();
    kimBrowser = await launchBrowser();
    ryu = await ryuBrowser.context.newPage();
    kim = await kimBrowser.context.newPage();
    for (const page of [ryu, kim]) {
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
      });
      // Refusals the flows expect: no session yet (401) and a recalled message (404).
      page.on('response', (r) => {
        if (r.status() >= 400 && r.status() !== 401 && r.status() !== 404)
          errors.push(`${r.request().method()} ${new URL(r.url()).pathname} → ${r.status()}`);
      });
    }
  });

  after(async () => {
    if (skip) return;
    await ryuBrowser?.close();
    await kimBrowser?.close();
    await app?.close();
    built?.dispose();
  });

  async function pickFolder(page: Page, folder: string): Promise<void> {
    await page.getByTestId('folder-input').setInputFiles(folder);
    await page.locator('.cert-item').first().waitFor();
  }

  async function verifyCode(page: Page, account: KitAccount): Promise<void> {
    await page.goto(`${app.origin}/signup`);
    await page.getByLabel('계정 아이디').fill(account.accountId);
    await page.getByLabel('일회용 가입 코드').fill(account.otp!);
    await page.getByRole('button', { name: '확인' }).click();
    await page.locator('.summary-name').waitFor();
    assert.equal(await page.locator('.summary-name').textContent(), account.name);
  }

  async function signUp(page: Page, account: KitAccount, withMismatch = false): Promise<void> {
    await verifyCode(page, account);
    if (withMismatch) {
      // The demo's "류 시원" certificate: refused on screen, both names shown.
      await pickFolder(page, kit.folders.nameMismatch.folder);
      await page.getByLabel('인증서 암호').fill(kit.folders.nameMismatch.certPassword);
      await page.getByRole('button', { name: '인증서 등록' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.equal(await alert.getAttribute('data-code'), 'ERR_AUTH_NAME_MISMATCH');
      assert.ok(
        ((await alert.textContent()) ?? '').includes(
          formatMessage('ERR_AUTH_NAME_MISMATCH', 'ko', { certName: '류 시원', accountName: '류시원' }),
        ),
      );
      await verifyCode(page, account);
    }
    await pickFolder(page, account.folder);
    await page.getByLabel('인증서 암호').fill(account.certPassword);
    await page.getByRole('button', { name: '인증서 등록' }).click();
    await page.getByRole('heading', { name: '가입이 끝났습니다' }).waitFor();
  }

  async function logIn(page: Page, account: KitAccount): Promise<void> {
    await page.goto(`${app.origin}/login`);
    await pickFolder(page, account.folder);
    await page.getByLabel('인증서 암호').fill(account.certPassword);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.waitForURL(/\/mail/);
    await page.locator('.folder-nav').waitFor();
  }

  async function openFolder(page: Page, name: string): Promise<void> {
    await page
      .locator('.folder-nav')
      .getByRole('link', { name: new RegExp(`^${name}`) })
      .click();
  }

  test('refuses the NPKI bank certificate of the demo kit on the login screen', async (t) => {
    if (skip) return t.skip(skip);
    const page = await ryuBrowser.context.newPage();
    await page.goto(`${app.origin}/login`);
    await pickFolder(page, kit.folders.npkiBank.folder);
    const npki = page.locator('.cert-item[data-class="npki"]');
    assert.equal(await npki.count(), 1);
    assert.equal(
      await npki.locator('[data-blocker="npki"]').textContent(),
      '사용 불가 — 은행 발급 공동인증서',
    );
    assert.equal(await npki.getByRole('radio').isDisabled(), true);
    await page.close();
  });

  test('a new official signs up with the demo certificate (after a name mismatch is refused) and logs in', async (t) => {
    if (skip) return t.skip(skip);
    await signUp(ryu, ryuAccount, true);
    await signUp(kim, kimAccount);
    await logIn(ryu, ryuAccount);
  });

  const subject1 = `Weekly meeting notes flow-1 ${Date.now()}`;
  const subject2 = `Wrong attachment flow-2 ${Date.now()}`;

  test('writes to a colleague picked by autocomplete, with rich text, an attachment and an autosaved draft', async (t) => {
    if (skip) return t.skip(skip);
    await ryu.getByRole('button', { name: '메일 쓰기' }).first().click();
    await ryu.getByRole('heading', { name: '메일 쓰기', level: 2 }).waitFor();
    const to = ryu.getByRole('combobox', { name: '받는 사람' });
    await to.fill('김민');
    const option = ryu.getByRole('option', { name: /김민준/ });
    await option.waitFor();
    assert.match((await option.textContent()) ?? '', new RegExp(kimAccount.address.replace('.', '\\.')));
    await option.click();
    assert.equal(await ryu.locator('.chip').first().getAttribute('title'), kimAccount.address);
    assert.equal(await ryu.locator('.combo-list:not([hidden])').count(), 0, 'the list closes');

    // An address that is not one stays in the field with a message.
    const cc = ryu.getByRole('combobox', { name: '참조', exact: true });
    await cc.fill('not-an-address');
    await cc.press('Enter');
    assert.match((await ryu.locator('.field-error').textContent()) ?? '', /not-an-address/);
    await cc.fill('');

    // 조직도: the agency's departments with their people; picking adds to Cc.
    await ryu.getByRole('button', { name: '조직도에서 선택' }).click();
    const dialog = ryu.getByRole('dialog', { name: '조직도' });
    await dialog.getByText('디지털정부혁신실').waitFor();
    await dialog.getByRole('checkbox', { name: /김민준/ }).check();
    assert.match((await dialog.locator('.org-chosen').textContent()) ?? '', /1명 선택됨/);
    await checkA11y(ryu);
    await screenshot(ryu, 'compose-org');
    await dialog.getByRole('button', { name: '참조에 추가', exact: true }).click();
    assert.equal(await dialog.isVisible(), false);
    const ccChip = ryu.locator('.recipient-field', { has: cc }).locator('.chip');
    assert.equal(await ccChip.getAttribute('title'), kimAccount.address);
    await ccChip.getByRole('button', { name: /빼기/ }).click();
    assert.equal(await ccChip.count(), 0);

    await ryu.getByLabel('제목').fill(subject1);
    const body = ryu.getByRole('textbox', { name: '본문' });
    await body.click();
    await ryu.keyboard.type('안녕하세요. 이번 주 ');
    await ryu.getByRole('button', { name: '굵게' }).click();
    await ryu.keyboard.type('회의 자료');
    await ryu.getByRole('button', { name: '굵게' }).click();
    await ryu.keyboard.type('를 보냅니다.');
    assert.match(await body.innerHTML(), /<b>회의 자료<\/b>/);

    // Attachments: a 2 MB file uploaded slowly shows its progress bar and can be cancelled; a small one
    // completes; one over the limit is refused before it is sent.
    const cdp = await ryu.context().newCDPSession(ryu);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    const file = ryu.getByTestId('compose-file');
    await file.setInputFiles({
      name: 'big.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.alloc(2 * 1024 * 1024, 1),
    });
    const big = ryu.locator('.upload', { hasText: 'big.pdf' });
    const bar = big.getByRole('progressbar', { name: 'big.pdf 올리는 중' });
    await bar.waitFor();
    await ryu.waitForFunction(() => {
      const p = document.querySelector('.upload-progress') as HTMLProgressElement | null;
      return p !== null && p.value > 0;
    });
    await checkA11y(ryu);
    await big.getByRole('button', { name: /취소/ }).click();
    await ryu.locator('.upload[data-state="cancelled"]').waitFor();
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await file.setInputFiles({
      name: '회의자료.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('안건: 예산\n'),
    });
    await ryu.locator('.upload[data-state="done"]', { hasText: '회의자료.txt' }).waitFor();
    // A sparse file on disk: handing 26 MB to the browser through the protocol would take long.
    const huge = join(app.dataDir, 'huge.bin');
    writeFileSync(huge, '');
    truncateSync(huge, 26 * 1024 * 1024);
    await file.setInputFiles(huge);
    await ryu.locator('.upload[data-state="tooLarge"]').waitFor();
    await ryu.locator('.upload[data-state="tooLarge"]').getByRole('button', { name: /빼기/ }).click();
    await ryu.locator('.upload[data-state="cancelled"]').getByRole('button', { name: /빼기/ }).click();

    // The draft autosaves; the address now names it, and a reload restores it.
    await ryu
      .locator('.save-status[data-state="clean"]')
      .filter({ hasText: '임시 저장됨' })
      .waitFor({ timeout: 15_000 });
    assert.match(ryu.url(), /\/mail\/compose\?draft=/);
    await checkA11y(ryu);
    await screenshot(ryu, 'compose');
    await ryu.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(ryu), false, 'no horizontal scrolling at 360 px');
    await checkA11y(ryu);
    await ryu.setViewportSize({ width: 1280, height: 900 });
    await ryu.reload();
    await ryu.getByLabel('제목').waitFor();
    await ryu.waitForFunction(
      (s) => (document.getElementById('compose-subject') as HTMLInputElement)?.value === s,
      subject1,
    );
    assert.equal(await ryu.locator('.chip').first().getAttribute('title'), kimAccount.address);
    assert.match(await ryu.getByRole('textbox', { name: '본문' }).innerHTML(), /<b>회의 자료<\/b>/);
    await ryu.locator('.upload[data-state="done"]', { hasText: '회의자료.txt' }).waitFor();
    assert.match((await ryu.locator('.save-status').textContent()) ?? '', /임시 저장됨/);

    await ryu.getByRole('button', { name: '보내기' }).click();
    await ryu.getByRole('heading', { name: '메일을 보냈습니다' }).waitFor();
    const row = ryu.locator(`.receipts tr[data-address="${kimAccount.address}"]`);
    assert.equal(await row.getAttribute('data-state'), 'delivered');
  });

  test('the colleague logs in and reads it; the sender sees the receipt with the time it was read', async (t) => {
    if (skip) return t.skip(skip);
    await logIn(kim, kimAccount);
    await openFolder(kim, '받은편지함');
    const link = kim.locator('.mail-row-link', { hasText: subject1 });
    await link.waitFor({ timeout: 10_000 }).catch(async (err) => {
      await kim.screenshot({ path: '/tmp/compose-kim.png', fullPage: true });
      throw err;
    });
    await link.click();
    await kim.getByRole('heading', { name: subject1 }).waitFor();
    const frame = kim.frameLocator('iframe');
    await frame.getByText('회의 자료').first().waitFor();
    assert.equal(await frame.locator('b').first().textContent(), '회의 자료');
    assert.ok(await kim.getByText('회의자료.txt').first().isVisible());

    // Reply: to the sender, "RE:" once, the original quoted below.
    await kim.getByRole('button', { name: '답장', exact: true }).click();
    await kim.getByRole('heading', { name: '답장 쓰기' }).waitFor();
    await kim.waitForFunction(
      (s) => (document.getElementById('compose-subject') as HTMLInputElement | null)?.value === s,
      `RE: ${subject1}`,
    );
    assert.equal(await kim.locator('.chip').first().getAttribute('title'), ryuAccount.address);
    const quoted = kim.getByRole('textbox', { name: '본문' }).locator('blockquote');
    assert.match((await quoted.textContent()) ?? '', /회의 자료/);
    await kim.getByRole('textbox', { name: '본문' }).click();
    await kim.keyboard.press('Control+Home');
    await kim.keyboard.type('잘 받았습니다.');
    await checkA11y(kim);
    await kim.getByRole('button', { name: '보내기' }).click();
    await kim.getByRole('heading', { name: '메일을 보냈습니다' }).waitFor();

    await openFolder(ryu, '보낸편지함');
    await ryu.locator('.mail-row-link', { hasText: subject1 }).click();
    const row = ryu.locator(`.receipts tr[data-address="${kimAccount.address}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-state'), 'read');
    assert.match((await row.textContent()) ?? '', /읽음/);
    assert.match((await row.locator('td').nth(2).textContent()) ?? '', /\d{4}\. \d{1,2}\. \d{1,2}\./);
    assert.equal(
      await ryu.getByRole('button', { name: '발송 취소' }).count(),
      0,
      'a read message cannot be recalled',
    );
    await checkA11y(ryu);
    await screenshot(ryu, 'receipts');
  });

  test('recalls an unread message: the colleague no longer has it', async (t) => {
    if (skip) return t.skip(skip);
    await ryu.goto(`${app.origin}/mail/compose`);
    const to = ryu.getByRole('combobox', { name: '받는 사람' });
    // A refusal of the server is shown with its registry message and code.
    await to.fill('nobody@korea.kr');
    await to.press('Enter');
    await ryu.getByLabel('제목').fill('to nobody');
    await ryu.getByRole('button', { name: '보내기' }).click();
    const refused = ryu.locator('.compose-form [role="alert"]');
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-code'), 'ERR_MAIL_RECIPIENT_UNKNOWN');
    await ryu.locator('.chip').getByRole('button', { name: /빼기/ }).click();
    await to.fill(kimAccount.accountId.slice(0, 5));
    await ryu.getByRole('option', { name: /김민준/ }).click();
    await ryu.getByLabel('제목').fill(subject2);
    await ryu.getByRole('textbox', { name: '본문' }).click();
    await ryu.keyboard.type('잘못 보낸 메일입니다.');
    await ryu.keyboard.press('Control+Enter'); // sends from the body
    await ryu.getByRole('heading', { name: '메일을 보냈습니다' }).waitFor();

    await kim.goto(`${app.origin}/mail`);
    await openFolder(kim, '받은편지함');
    await kim.locator('.mail-row-link', { hasText: subject2 }).waitFor();
    const href = await kim.locator('.mail-row-link', { hasText: subject2 }).getAttribute('href');

    await ryu.getByRole('button', { name: '발송 취소' }).click();
    await checkA11y(ryu);
    await ryu.getByRole('button', { name: '발송 취소 실행' }).click();
    const result = ryu.locator(`.recall-result li[data-outcome="recalled"]`);
    await result.waitFor();
    assert.match((await result.textContent()) ?? '', new RegExp(kimAccount.address.replace('.', '\\.')));
    await ryu.locator(`.receipts tr[data-address="${kimAccount.address}"][data-state="recalled"]`).waitFor();
    await screenshot(ryu, 'recall');

    await kim.reload();
    await openFolder(kim, '받은편지함');
    await kim.locator('.mail-row-link', { hasText: subject1 }).waitFor();
    assert.equal(
      await kim.locator('.mail-row-link', { hasText: subject2 }).count(),
      0,
      'gone from the inbox',
    );
    const direct = await kim.evaluate(async (path) => {
      const id = path.split('/').pop();
      return (await fetch(`/api/v1/messages/${id}`)).status;
    }, href!);
    assert.equal(direct, 404, 'and not readable by its address either');
  });

  test('exports the whole mailbox with a progress bar; the downloaded file holds every message', async (t) => {
    if (skip) return t.skip(skip);
    await ryu.goto(`${app.origin}/mail/export`);
    await ryu.getByRole('heading', { name: '메일 백업', level: 2 }).waitFor();
    await checkA11y(ryu);
    await ryu.getByLabel('mbox (메일 프로그램으로 가져오기)').check();
    await ryu.getByRole('button', { name: '백업 시작' }).click();
    await ryu.getByRole('progressbar').waitFor();
    const link = ryu.getByRole('link', { name: /백업 파일 내려받기/ });
    await link.waitFor({ timeout: 30_000 });
    assert.equal(await ryu.getByRole('progressbar').getAttribute('value'), '100');
    await checkA11y(ryu);
    await screenshot(ryu, 'export');
    const [download] = await Promise.all([ryu.waitForEvent('download'), link.click()]);
    const path = join(app.dataDir, 'download.mbox');
    await download.saveAs(path);
    const mbox = readFileSync(path, 'latin1');
    // Every message of every folder, by the server's own count.
    const total = await ryu.evaluate(async () => {
      const r = (await (await fetch('/api/v1/folders')).json()) as { folders: { total: number }[] };
      return r.folders.reduce((n, f) => n + f.total, 0);
    });
    const separators = mbox.split('\n').filter((l) => l.startsWith('From ')).length;
    assert.ok(total >= 2, `the mailbox has the two sent messages (${total})`);
    assert.equal(separators, total, 'one mbox entry per message');
    for (const s of [subject1, subject2]) assert.ok(mbox.includes(`Subject: ${s}`), s);
    writeFileSync(path, ''); // the data folder is removed with the server
    // In English too.
    await ryu.getByRole('button', { name: 'English' }).click();
    await ryu.getByRole('button', { name: 'Start the backup' }).waitFor();
    assert.equal(await ryu.getByRole('progressbar').count(), 1);
    await checkA11y(ryu);
    await ryu.getByRole('button', { name: '한국어' }).click();
  });

  test('shows the retirement warning that links to the export', async (t) => {
    if (skip) return t.skip(skip);
    const lee = kit.accounts.find((a) => a.name === '이영자')!;
    const page = await kimBrowser.context.newPage();
    await kimBrowser.context.clearCookies();
    await page.goto(`${app.origin}/login`);
    await page.evaluate(() => sessionStorage.clear());
    await signUp(page, lee);
    await logIn(page, lee);
    const banner = page.locator('.retirement-banner');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /퇴직 2[45]일 전입니다/);
    await banner.getByRole('link', { name: '메일 백업하기' }).click();
    await page.getByRole('heading', { name: '메일 백업', level: 2 }).waitFor();
    await page.close();
  });

  test('no script error and no refusal other than the expected one on any page', (t) => {
    if (skip) return t.skip(skip);
    // the send to nobody@korea.kr (ERR_MAIL_RECIPIENT_UNKNOWN)
    assert.deepEqual(errors, ['POST /api/v1/messages → 400']);
  });
});
