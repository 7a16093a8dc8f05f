// The webmail's read side in Chromium against the REAL server: mail arrives through the server's
// SMTP listener; the inbox lists it, a message opens (read), is flagged, moved and deleted; a
// malicious message runs no script and makes no request outside the app; screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Page, Request } from 'playwright-core';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { deliver, type Official, seedOfficial, signIn } from './helpers/mail.ts';
import { type RealApp, startRealApp } from './helpers/real-server.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';

const skip = chromiumSkipReason();

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('webmail (Chromium, real server, real SMTP)', () => {
  let browser: Browser;
  let app: RealApp;
  let built: BuiltApp;
  let reader: Official;

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    // No DNS for SPF/DKIM/DMARC (offline test machine): verdicts are "none"/"temperror".
    app = await startRealApp(built.dir, { GONGJIK_SMTP_DNS: 'none', GONGJIK_OUTBOUND_ENABLED: 'false' });
    browser = await launchBrowser();
    reader = await seedOfficial(app, { employeeNo: '2024001', realName: '류시원', mailId: 'ryusiwon' });
    await signIn(app, browser.context, reader);
  });

  after(async () => {
    if (skip) return;
    await browser?.close();
    await app?.close();
    built?.dispose();
  });

  async function openMail(path = '/mail'): Promise<Page> {
    const page = await browser.context.newPage();
    await page.goto(`${app.origin}${path}`);
    return page;
  }

  test('inbox lists delivered mail; open (read), flag, mark unread, move to a new folder, delete', async (t) => {
    if (skip) return t.skip(skip);
    const base = Date.now() - 3 * 3_600_000;
    await deliver(app, [
      {
        from: { name: '김민지', address: 'minji@partner.example.org' },
        to: reader.address,
        subject: '3월 정기회의 안내',
        text: '3월 정기회의는 10일 오전 10시에 대회의실에서 열립니다.\n참석 여부를 알려 주세요.',
        date: new Date(base),
      },
      {
        from: { name: '박서준', address: 'seojun@partner.example.org' },
        to: reader.address,
        subject: '예산 집행 현황 보고',
        html: '<h1 style="color: rgb(11, 61, 145)">예산 집행 현황</h1><p>첨부한 보고서를 확인해 주세요.</p><table border="1"><tr><td>1분기</td><td>82%</td></tr></table>',
        attachment: {
          filename: 'report.pdf',
          type: 'application/pdf',
          content: Buffer.from('%PDF-1.4 test'),
        },
        date: new Date(base + 3_600_000),
      },
      {
        from: { name: '이하은', address: 'haeun@partner.example.org' },
        to: reader.address,
        subject: '보안 점검 일정',
        text: '다음 주 화요일에 정보보안 점검이 있습니다.',
        date: new Date(base + 2 * 3_600_000),
      },
    ]);
    const page = await openMail();
    const rows = page.locator('.mail-row');
    await rows.nth(2).waitFor();
    assert.equal(await rows.count(), 3);
    assert.equal(await page.locator('.mail-row.is-unread').count(), 3, 'all three unread');
    const inboxLink = page.getByRole('link', { name: /^받은편지함/ });
    assert.match((await inboxLink.textContent()) ?? '', /3/);
    assert.match((await page.locator('.quota-value').textContent()) ?? '', /사용/);
    // newest first
    assert.match((await rows.nth(0).textContent()) ?? '', /보안 점검 일정/);
    assert.equal(
      await page.locator('.mail-row').nth(1).locator('[role="img"]').getAttribute('aria-label'),
      '첨부 파일 있음',
    );
    await checkA11y(page);
    assert.equal(await page.evaluate(() => document.title), '받은편지함 — 공직');
    await screenshot(page, 'inbox');
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false, 'inbox: no horizontal scrolling at 360 px');
    await checkA11y(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Open the report: headers in Korean, the HTML in the sandboxed frame, the attachment listed.
    await page.getByRole('link', { name: /예산 집행 현황 보고/ }).click();
    const subject = page.getByRole('heading', { level: 2, name: '예산 집행 현황 보고' });
    await subject.waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'message-subject'); // focus moves to the message
    assert.match(page.url(), /\/mail\/folder\/[^/]+\/[^/]+$/);
    const headers = (await page.locator('.message-headers').textContent()) ?? '';
    assert.match(headers, /보낸 사람박서준 <seojun@partner\.example\.org>/);
    assert.match(headers, /받는 사람.*ryusiwon@korea\.kr/);
    assert.match(
      headers,
      /보낸 날짜\d{4}년 \d{1,2}월 \d{1,2}일 [월화수목금토일]요일 (오전|오후) \d{1,2}:\d{2}/,
    );
    const frame = page.frameLocator('iframe.message-frame');
    await frame.locator('h1').waitFor();
    assert.equal(
      await frame.locator('h1').evaluate((h) => getComputedStyle(h).color),
      'rgb(11, 61, 145)',
      "the mail's own inline style is applied (through the CSSOM)",
    );
    assert.equal(
      await page.locator('iframe.message-frame').getAttribute('sandbox'),
      'allow-popups allow-popups-to-escape-sandbox allow-same-origin',
    );
    await page.getByRole('link', { name: /report\.pdf 내려받기/ }).waitFor();
    await page.locator('.mail-row.is-read').first().waitFor();
    assert.equal(await page.locator('.mail-row.is-unread').count(), 2, 'opening marks it read');
    await page.waitForFunction(() =>
      /받은편지함\s*2/.test(document.querySelector('.folder-link.is-current')?.textContent ?? ''),
    );
    await checkA11y(page);
    await screenshot(page, 'message');
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false, 'message: no horizontal scrolling at 360 px');
    assert.equal(
      await page.locator('.mail-list-pane').isVisible(),
      false,
      'on a phone the message replaces the list',
    );
    await checkA11y(page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // u: back to the list, focus on the row of the message just closed.
    await page.keyboard.press('u');
    await page.waitForFunction(() => !document.querySelector('.message-view'));
    await page.waitForFunction(() =>
      document.activeElement?.closest('.mail-row')?.textContent?.includes('예산 집행'),
    );

    // Flag with the star, then mark it unread again through the selection toolbar.
    const reportRow = page.locator('.mail-row', { hasText: '예산 집행 현황 보고' });
    await reportRow.getByRole('button', { name: /중요 표시/ }).click();
    await page.getByText('1통에 중요 표시를 했습니다.').waitFor();
    assert.equal(
      await reportRow.getByRole('button', { name: /중요 표시/ }).getAttribute('aria-pressed'),
      'true',
    );
    await reportRow.getByRole('checkbox').check();
    await page.getByRole('button', { name: '읽지 않음으로 표시' }).click();
    await page.getByText('1통을 읽지 않음으로 표시했습니다.').waitFor();
    assert.equal(await page.locator('.mail-row.is-unread').count(), 3);

    // A new folder, then move the meeting notice into it.
    await page.getByRole('button', { name: '편지함 관리' }).click();
    await page.getByLabel('새 편지함 이름').fill('회의');
    await page.getByRole('button', { name: '만들기' }).click();
    await page.getByText('회의 편지함을 만들었습니다.').waitFor();
    await page.locator('.mail-row', { hasText: '3월 정기회의 안내' }).getByRole('checkbox').check();
    await page.getByLabel('옮길 편지함').selectOption({ label: '회의' });
    await page.getByRole('button', { name: '옮기기', exact: true }).click();
    await page.getByText('1통을 회의(으)로 옮겼습니다.').waitFor();
    assert.equal(await rows.count(), 2);
    await page.getByRole('link', { name: /^회의/ }).click();
    await page.locator('.mail-row', { hasText: '3월 정기회의 안내' }).waitFor();

    // Back in the inbox: delete with the keyboard (j selects the first row, # deletes it).
    await page.getByRole('link', { name: /^받은편지함/ }).click();
    await page.locator('.mail-row', { hasText: '보안 점검 일정' }).waitFor();
    await page.locator('.mail-list-title').click();
    await page.keyboard.press('j');
    await page.keyboard.press('#');
    await page.getByText('1통을 삭제했습니다.').waitFor();
    assert.equal(await page.locator('.mail-row').count(), 1);
    await page.getByRole('link', { name: /^휴지통/ }).click();
    await page.locator('.mail-row', { hasText: '보안 점검 일정' }).waitFor();

    // ? opens the shortcut list; typing in the search field never triggers a shortcut.
    await page.locator('.mail-list-title').click();
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: '단축키' });
    await dialog.waitFor();
    await checkA11y(page);
    await page.keyboard.press('Escape');
    await page.getByLabel('검색어').fill('c#u');
    assert.match(page.url(), /\/mail\/folder\//, 'typing c, # or u in the search field did nothing');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/mail\/search\?q=c%23u/);

    // Search: 회의 finds the moved notice (Korean bigrams on the server).
    await page.getByLabel('검색어').fill('정기회의');
    await page.keyboard.press('Enter');
    await page.locator('.mail-row', { hasText: '3월 정기회의 안내' }).waitFor();
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false, 'no horizontal scrolling at 360 px');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Filters: "has attachments" narrows 예산 to the report.
    await page.getByLabel('검색어').fill('보고서');
    await page.locator('.mail-search-filters summary').click();
    await page.getByLabel('첨부 파일 있음').check();
    await page.getByRole('button', { name: '검색', exact: true }).click();
    await page.waitForURL(/attachment=1/);
    await page.locator('.mail-row', { hasText: '예산 집행 현황 보고' }).waitFor();
    assert.equal(await page.locator('.mail-row').count(), 1);

    // English: the folder names and the labels switch with the page.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: /^Inbox/ }).waitFor();
    await page.getByRole('link', { name: /^Trash/ }).waitFor();
    assert.equal(await page.getByLabel('Search terms').count(), 1);
    await page.getByRole('button', { name: '한국어' }).click();

    // Rename the user folder, then delete it (after confirming): its mail goes to Trash.
    await page.getByRole('button', { name: '이름 바꾸기: 회의' }).click();
    await page.getByLabel('회의 편지함의 새 이름').fill('회의록');
    await page.getByRole('button', { name: '저장' }).click();
    await page.getByText('편지함 이름을 회의록(으)로 바꾸었습니다.').waitFor();
    page.once('dialog', (d) => {
      assert.match(d.message(), /회의록 편지함을 삭제할까요/);
      void d.accept();
    });
    await page.getByRole('button', { name: '삭제: 회의록' }).click();
    await page.getByText('편지함을 삭제했습니다.').waitFor();
    await page.getByRole('link', { name: /^회의록/ }).waitFor({ state: 'detached' });
    await page.getByRole('link', { name: /^휴지통/ }).click();
    await page.locator('.mail-row', { hasText: '3월 정기회의 안내' }).waitFor();
    await page.close();
  });

  test('conversation view: a reply shows the thread, oldest first, each message a link', async (t) => {
    if (skip) return t.skip(skip);
    const root = `thread-root-${Date.now()}@partner.example.org`;
    await deliver(app, [
      {
        from: { name: '정우성', address: 'woosung@partner.example.org' },
        to: reader.address,
        subject: '청사 이전 일정 문의',
        text: '이전 일정이 확정되었는지 궁금합니다.',
        messageId: root,
        date: new Date(Date.now() - 60 * 60_000),
      },
      {
        from: { name: '정우성', address: 'woosung@partner.example.org' },
        to: reader.address,
        subject: 'Re: 청사 이전 일정 문의',
        text: '추가로, 주차 공간도 알려 주세요.',
        headers: [`In-Reply-To: <${root}>`, `References: <${root}>`],
      },
    ]);
    const page = await openMail();
    await page.getByRole('link', { name: /Re: 청사 이전 일정 문의/ }).click();
    const thread = page.locator('.thread');
    await thread.waitFor();
    assert.match((await thread.locator('h3').textContent()) ?? '', /이 대화의 메일 2통/);
    const items = thread.locator('li');
    assert.equal(await items.count(), 2);
    assert.match((await items.nth(0).textContent()) ?? '', /이전 일정이 확정/);
    assert.equal(await items.nth(1).getAttribute('class'), 'is-current');
    await items.nth(0).getByRole('link').click();
    await page.getByRole('heading', { level: 2, name: '청사 이전 일정 문의' }).waitFor();
    // Next / previous message from the keyboard (j/k step through the list while a message is open).
    await page.keyboard.press('k');
    await page.getByRole('heading', { level: 2, name: 'Re: 청사 이전 일정 문의' }).waitFor();
    await page.close();
  });

  test('a malicious message runs no script and makes no request outside the app; images only through the proxy', async (t) => {
    if (skip) return t.skip(skip);
    const html = [
      '<p id="hello" style="color: rgb(200, 0, 0)">안녕하세요, 확인 부탁드립니다.</p>',
      '<script>window.__pwned = "script"; alert("script")</script>',
      '<img id="track" src="http://evil.example/track.png" onerror="window.__pwned=\'onerror\';alert(\'onerror\')" alt="logo">',
      '<a id="js" href="javascript:alert(\'link\')">견적서 보기</a>',
      '<div id="clicky" onclick="alert(\'onclick\')">여기를 누르세요</div>',
      '<svg width="10" height="10"><script>alert("svg")</script><image href="http://evil.example/svg.png" width="10" height="10"/></svg>',
      '<style>@import url("http://evil.example/evil.css"); body { background-image: url("http://evil.example/bg.png") }</style>',
      '<iframe src="http://evil.example/frame"></iframe>',
      '<form action="http://evil.example/post"><input name="pw"></form>',
    ].join('\n');
    await deliver(app, [
      {
        from: { name: '국세청', address: 'notice@evil.example' },
        to: reader.address,
        subject: '[긴급] 세금 환급 안내',
        html,
      },
    ]);
    // The verdict DNS would give an unauthenticated domain that publishes p=reject (no DNS here).
    await app.db
      .updateTable('mail_messages')
      .set({
        auth: JSON.stringify({
          spf: { result: 'fail', domain: 'evil.example' },
          dkim: [],
          dmarc: { result: 'fail', policy: 'reject', domain: 'evil.example' },
          arc: { result: 'none' },
          header: 'test',
        }),
      })
      .where('subject', '=', '[긴급] 세금 환급 안내')
      .execute();

    const page = await browser.context.newPage();
    const requests: Request[] = [];
    const dialogs: string[] = [];
    const consoleLines: string[] = [];
    page.on('request', (r) => requests.push(r));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => consoleLines.push(m.text()));
    const routed: string[] = [];
    await page.route('**://evil.example/**', (route) => {
      routed.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'image/png', body: PNG_1X1 });
    });
    await page.goto(`${app.origin}/mail`);
    await page.getByRole('link', { name: /세금 환급 안내/ }).click();
    await page.getByRole('heading', { level: 2, name: '[긴급] 세금 환급 안내' }).waitFor();
    const frame = page.frameLocator('iframe.message-frame');
    await frame.locator('#hello').waitFor();
    assert.equal(await frame.locator('#hello').evaluate((p) => getComputedStyle(p).color), 'rgb(200, 0, 0)');

    // Warnings: external sender and failed DMARC.
    assert.match((await page.locator('[data-warning="external"]').textContent()) ?? '', /외부에서 온 메일/);
    assert.match(
      (await page.locator('[data-warning="dmarc"]').textContent()) ?? '',
      /evil\.example.*DMARC 실패/,
    );

    // Try everything a reader might do: click the link and the handler's element.
    await frame
      .locator('#js')
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await frame
      .locator('#clicky')
      .click({ timeout: 2000 })
      .catch(() => undefined);
    await page.waitForTimeout(300);
    const frameHandle = page.frames().find((f) => f.url() === 'about:srcdoc');
    assert.ok(frameHandle, 'the message is an about:srcdoc frame');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned), undefined);
    assert.equal(
      await frameHandle.evaluate(() => (window as unknown as { __pwned?: string }).__pwned),
      undefined,
    );
    assert.deepEqual(dialogs, [], 'no alert, confirm or prompt');
    assert.equal(
      await frameHandle.evaluate(() => document.scripts.length),
      0,
      'no script element reached the frame',
    );
    const srcdoc = (await page.locator('iframe.message-frame').getAttribute('srcdoc')) ?? '';
    assert.match(
      srcdoc,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:;/,
    );

    const outside = () =>
      requests.filter((r) => new URL(r.url()).origin !== app.origin && !r.url().startsWith('data:'));
    assert.deepEqual(
      outside().map((r) => r.url()),
      [],
      'no request left the page',
    );
    assert.ok(!requests.some((r) => r.url().includes('evil.example')), 'nothing even asked for evil.example');
    const api = requests
      .filter((r) => new URL(r.url()).pathname.startsWith('/api/'))
      .map((r) => new URL(r.url()).pathname);
    assert.ok(
      api.every((p) => /^\/api\/v1\/(auth\/session|folders|quota|messages|threads|search)/.test(p)),
      api.join(', '),
    );
    await checkA11y(page);

    // Defence in depth: were the server's sanitizer to miss something, the frame still refuses it.
    // (Injected through the DevTools protocol, which the sandbox does not stop.) Chromium reports a
    // load the CSP refused as a request that failed ("csp" / ERR_BLOCKED_BY_CSP); one that left the page
    // would reach the route above.
    const before = requests.length;
    await frameHandle.evaluate(() => {
      const img = document.createElement('img');
      img.src = 'http://evil.example/missed.png';
      document.body.append(img);
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = 'http://evil.example/missed.css';
      document.head.append(link);
      const script = document.createElement('script');
      script.textContent = 'window.__pwned = "missed"; alert("missed")';
      document.body.append(script);
    });
    await page.waitForTimeout(500);
    assert.equal(
      await frameHandle.evaluate(() => (window as unknown as { __pwned?: string }).__pwned),
      undefined,
    );
    assert.deepEqual(dialogs, []);
    const attempted = requests.slice(before).filter((r) => r.url().includes('evil.example'));
    assert.equal(attempted.length, 2, 'both loads were attempted (the test can see them)');
    for (const r of attempted) assert.match(r.failure()?.errorText ?? 'not refused', /csp/i, r.url());
    assert.deepEqual(routed, [], 'nothing reached the network');

    // "Show images": the image comes through the server's proxy, never from the remote host.
    const proxied = page.waitForRequest((r) => r.url().includes('/api/v1/proxy/image?url='));
    await page.getByRole('button', { name: '이미지 표시' }).click();
    const viaProxy = await proxied;
    assert.equal(new URL(viaProxy.url()).origin, app.origin);
    assert.equal(new URL(viaProxy.url()).searchParams.get('url'), 'http://evil.example/track.png');
    await page.waitForTimeout(300);
    assert.deepEqual(
      outside()
        .filter((r) => !attempted.includes(r))
        .map((r) => r.url()),
      [],
      'still no request left the page',
    );
    assert.deepEqual(routed, [], 'nothing reached evil.example');
    assert.deepEqual(dialogs, []);
    assert.ok(!consoleLines.some((l) => /pwned/.test(l)));
    await page.close();
  });

  test('a visitor without a session goes to the login screen', async (t) => {
    if (skip) return t.skip(skip);
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${app.origin}/mail`);
    await page.waitForURL(/\/login\?return=%2Fmail$/);
    await page.getByRole('heading', { level: 1, name: '인증서 로그인' }).waitFor();
    await page.close();
    await signIn(app, browser.context, reader);
  });

  test('a folder of 3,000 messages: a few dozen rows in the page, the next pages as the reader scrolls', async (t) => {
    if (skip) return t.skip(skip);
    const big = await seedOfficial(app, { employeeNo: '2024077', realName: '김보관', mailId: 'bigbox' });
    await deliver(app, [
      {
        from: { name: '기록관', address: 'archive@partner.example.org' },
        to: big.address,
        subject: '기록물 이관 안내',
        text: '이관 일정입니다.',
      },
    ]);
    // 2,999 copies of that message, one minute apart, straight into the store's tables (SMTP's
    // per-IP rate limit would take minutes); the store's trigger keeps the folder counts.
    await sql`
      INSERT INTO mail_messages
      SELECT (jsonb_populate_record(m, jsonb_build_object('id', md5(m.id::text || g)::uuid))).*
      FROM mail_messages m JOIN mail_entries e ON e.message_id = m.id, generate_series(1, 2999) g
      WHERE e.account_id = ${big.accountId}
    `.execute(app.db);
    await sql`
      INSERT INTO mail_entries (account_id, folder_id, message_id, thread_id, received_at, size,
        has_attachments, subject_key, seen, search_vector, created_at)
      SELECT e.account_id, e.folder_id, md5(e.message_id::text || g)::uuid, gen_random_uuid(),
        e.received_at - g * interval '1 minute', e.size, e.has_attachments, e.subject_key, g % 3 = 0,
        e.search_vector, e.created_at
      FROM mail_entries e, generate_series(1, 2999) g
      WHERE e.account_id = ${big.accountId}
    `.execute(app.db);
    await signIn(app, browser.context, big);
    const page = await openMail();
    const scroller = page.locator('.mail-list-scroller');
    await page.locator('.mail-row').first().waitFor();
    const domRows = () => page.locator('.mail-row').count();
    assert.ok((await domRows()) <= 40, `rows in the DOM: ${await domRows()}`);
    assert.equal(await page.locator('.mail-row').first().getAttribute('aria-setsize'), '-1', 'more to load');
    // Scroll to the end of what is loaded, again and again: each time the next page of 100 arrives.
    let last = 0;
    for (let i = 0; i < 40 && last < 3000; i++) {
      await scroller.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      await page.waitForTimeout(60);
      last = Number(await page.locator('.mail-row').last().getAttribute('aria-posinset'));
    }
    await page.waitForFunction(
      () => document.querySelector('.mail-row')?.getAttribute('aria-setsize') === '3000',
    );
    assert.equal(Number(await page.locator('.mail-row').last().getAttribute('aria-posinset')), 3000);
    assert.ok((await domRows()) <= 40, `rows in the DOM at the end: ${await domRows()}`);
    // j/k from the keyboard walks the list and keeps the cursor in view.
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.locator('.mail-list-title').click();
    for (let i = 0; i < 30; i++) await page.keyboard.press('j');
    await page.locator('.mail-row.is-cursor[aria-posinset="30"]').waitFor();
    await page.close();
  });
});
