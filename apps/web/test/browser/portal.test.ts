// The portal's OIDC, mobile-ID (HR), SMS outbox and status screens, and the official's mobile-ID
// pages (/card, /approvals), in Chromium against the REAL server. Sessions of the head and the
// member are started with the server's createSession (the seam certificate login calls); the card
// is installed by the headless wallet from the SMS outbox link, as a phone would.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatMessage } from '@gongjik/errors';
import { MemoryWalletStorage, Wallet } from '@gongjik/mobile-id';
import type { Locator, Page } from 'playwright-core';
import { createSession } from '../../../server/src/domain/auth/sessions.ts';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { type RealApp, startRealApp } from './helpers/real-server.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';

const skip = chromiumSkipReason();
const AGENCY = '1741000';

describe('portal: OIDC clients, mobile-ID requests, SMS outbox, status; my card and approvals (Chromium, real server)', () => {
  let browser: Browser;
  let app: RealApp;
  let built: BuiltApp;
  let page: Page;

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    app = await startRealApp(built.dir);
    browser = await launchBrowser();
    page = await browser.context.newPage();
  });

  after(async () => {
    if (skip) return;
    await browser?.close();
    await app?.close();
    built?.dispose();
  });

  const api = async (method: string, path: string, body?: object) => {
    const r = await fetch(new URL(path, app.apiUrl), {
      method,
      headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await r.json().catch(() => ({}))) as Record<string, unknown>;
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };

  const expectHeading = (text: string) => page.getByRole('heading', { level: 1, name: text }).waitFor();

  async function check(name: string, p: Page = page): Promise<void> {
    await checkA11y(p);
    await p.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(p), false, `${name} scrolls sideways at 360 px`);
    await checkA11y(p);
    await p.setViewportSize({ width: 1280, height: 900 });
    await screenshot(p, name);
  }

  async function nav(label: string, title: string): Promise<void> {
    await page
      .getByRole('navigation', { name: '관리 메뉴' })
      .getByRole('link', { name: label, exact: true })
      .click();
    await expectHeading(title);
  }

  /** An adopted agency, a department with its head, a member and a colleague (all with accounts). */
  async function seedOrg() {
    await api('POST', '/api/v1/admin/agencies', { code: AGENCY, name: '행정안전부', type: 'central' });
    await api('POST', '/api/v1/admin/agencies', { code: 'B552000', name: '한국조폐공사', type: 'public' });
    await api('PUT', `/api/v1/admin/agencies/${AGENCY}/departments/D100`, { name: '디지털정부국' });
    await api('PUT', `/api/v1/admin/agencies/${AGENCY}/departments/D110`, {
      name: '디지털안전정책과',
      parentCode: 'D100',
    });
    const person = async (no: string, name: string, dept: string, head: boolean, mailId: string) => {
      const r = await api('PUT', `/api/v1/admin/people/${no}`, {
        agencyCode: AGENCY,
        departmentCode: dept,
        realName: name,
        position: head ? '과장' : '행정사무관',
        mobile: '010-1234-5678',
        isDepartmentHead: head,
        mailId,
      });
      const accountId = (r.person as { account: { id: string } }).account.id;
      await app.db.updateTable('accounts').set({ state: 'active' }).where('id', '=', accountId).execute();
      const s = await createSession(app.db, accountId, {
        method: 'certificate',
        now: new Date(),
        policy: app.config.sessions,
      });
      return { no, name, token: s.token };
    };
    return {
      director: await person('2024100', '김국장', 'D100', true, 'director'),
      head: await person('2024110', '박과장', 'D110', true, 'parkhead'),
      member: await person('2024111', '류시원', 'D110', false, 'ryusiwon'),
      colleague: await person('2024112', '이주무관', 'D110', false, 'leejumu'),
    };
  }
  let org: Awaited<ReturnType<typeof seedOrg>>;

  /** A page signed in as `who` (its session cookie; a new tab, so no stale session copy). */
  async function pageAs(who: { token: string }): Promise<Page> {
    await browser.context.clearCookies();
    await browser.context.addCookies([
      { name: 'gongjik-session', value: who.token, url: app.origin, httpOnly: true, sameSite: 'Lax' },
    ]);
    return browser.context.newPage();
  }

  test('admin: agencies show their type, public institutions are not eligible, the mobile-ID adoption is switched', async (t) => {
    if (skip) return t.skip(skip);
    org = await seedOrg();
    await page.goto(`${app.origin}/admin/login`);
    await page.getByLabel('관리자 토큰').fill(app.adminToken);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await expectHeading('기관 관리');
    const row = page.locator(`tr[data-agency="${AGENCY}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /중앙행정기관.*미도입/s);
    assert.match(
      (await page.locator('tr[data-agency="B552000"]').textContent()) ?? '',
      /공공기관.*가입 불가/s,
    );
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: '행정안전부: 모바일 공무원증 도입으로 변경' }).click();
    await page.getByText('행정안전부: 모바일 공무원증 도입으로 바꿨습니다.').waitFor();
    assert.match((await row.textContent()) ?? '', /도입/);
    const agencies = (await api('GET', '/api/v1/admin/agencies')).agencies as {
      code: string;
      mobileIdAdopted: boolean;
    }[];
    assert.equal(agencies.find((a) => a.code === AGENCY)?.mobileIdAdopted, true);
    await check('admin-agencies-mid');

    // the security officer (보안담당관): a bad phone shows the server's refusal, then it is saved
    await page.getByRole('button', { name: '행정안전부: 보안담당관 편집' }).click();
    const form = page.locator('#security-officer-form');
    await form.getByLabel('이름').fill('김보안');
    await form.getByLabel('전화번호').fill('1234');
    await form.getByLabel('전자우편').fill('security@mois.go.kr');
    await form.getByRole('button', { name: '저장' }).click();
    await form.locator('[data-code="ERR_INPUT_INVALID"]').waitFor();
    await form.getByLabel('전화번호').fill('044-205-1234');
    await form.getByRole('button', { name: '저장' }).click();
    await page.getByText('행정안전부: 보안담당관을 저장했습니다.').waitFor();
    await untilText(row.locator('[data-officer]'), '김보안 · 044-205-1234 · security@mois.go.kr');
    await check('admin-agencies-officer');
  });

  test('admin: OIDC clients — register (secret shown once), refused URI, edit, disable, new secret, delete', async (t) => {
    if (skip) return t.skip(skip);
    await nav('OIDC 클라이언트', 'OIDC 클라이언트 (업무 시스템)');
    const form = page.locator('form[aria-labelledby="register-client"]');
    await form.getByLabel('이름').fill('온나라 업무관리');
    await form.getByLabel('리디렉션 URI').fill('http://intranet.example/callback');
    await form.getByRole('button', { name: '등록' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-code'), 'ERR_OIDC_REDIRECT_URI_INVALID');
    assert.ok(((await alert.textContent()) ?? '').includes('리디렉션 URI는 https 주소여야 합니다'));
    await form
      .getByLabel('리디렉션 URI')
      .fill('https://onnara.example.go.kr/callback\nhttps://onnara.example.go.kr/cb2');
    await form.getByLabel('로그인할 때마다 정보 제공 동의를 묻기').check();
    await form.getByRole('button', { name: '등록' }).click();
    const secret = page.getByTestId('shown-once');
    await secret.waitFor();
    const clientSecret = (await secret.textContent()) ?? '';
    assert.match(clientSecret, /^gjcs_/);
    const clientId = (await page.getByTestId('client-id').textContent()) ?? '';
    const row = page.locator(`tr[data-client="${clientId}"]`);
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /onnara\.example\.go\.kr\/cb2/);
    const listed = JSON.stringify(await api('GET', '/api/v1/admin/oidc/clients'));
    assert.ok(
      listed.includes(clientId) && !listed.includes(clientSecret),
      'the list never carries the secret',
    );
    await check('admin-oidc-registered');

    await page.getByRole('button', { name: '온나라 업무관리 수정' }).click();
    const edit = page.locator('form[aria-labelledby="edit-client"]');
    await edit.getByLabel('이름').fill('온나라 2.0');
    await edit.getByRole('button', { name: '저장' }).click();
    await page.getByText('온나라 2.0을(를) 저장했습니다.').waitFor();

    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: '온나라 2.0 사용 중지' }).click();
    await page.getByText('온나라 2.0을(를) 사용 중지했습니다.').waitFor();
    assert.match((await row.textContent()) ?? '', /사용 중지/);

    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: '온나라 2.0 비밀값 교체' }).click();
    await page.getByText('온나라 2.0의 새 비밀값:').waitFor();
    const rotated = (await page.getByTestId('shown-once').textContent()) ?? '';
    assert.match(rotated, /^gjcs_/);
    assert.notEqual(rotated, clientSecret);
    await check('admin-oidc');

    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: '온나라 2.0 삭제' }).click();
    await page.getByText('온나라 2.0을(를) 삭제했습니다.').waitFor();
    await row.waitFor({ state: 'detached' });
    const audit = await app.db
      .selectFrom('audit_log')
      .select('action')
      .where('target', '=', `oidc-client:${clientId}`)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      [
        'oidc.client.register',
        'oidc.client.update',
        'oidc.client.disable',
        'oidc.client.secret.rotate',
        'oidc.client.remove',
      ],
    );
  });

  test('HR: requests a mobile ID, sees it wait for the head; the head’s own request is shown apart and cannot be approved', async (t) => {
    if (skip) return t.skip(skip);
    await nav('공무원증 신청', '모바일 공무원증 신청');
    const create = page.locator('form[aria-labelledby="create-request"]');
    for (const who of [org.member, org.colleague, org.head]) {
      await create.getByLabel('직원 번호').fill(who.no);
      await create.getByRole('button', { name: '신청' }).click();
      await page.getByText(`${who.name}의 발급을 신청했습니다. 부서장의 승인을 기다립니다.`).waitFor();
    }
    // a second request for the same person is refused with the registry's message
    await create.getByLabel('직원 번호').fill(org.member.no);
    await create.getByRole('button', { name: '신청' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-code'), 'ERR_MID_REQUEST_OPEN');
    assert.ok(((await alert.textContent()) ?? '').includes(formatMessage('ERR_MID_REQUEST_OPEN', 'ko')));
    const rows = page.locator('tr[data-request]');
    await rows.nth(2).waitFor();
    assert.equal(await rows.count(), 3);
    assert.match((await rows.first().textContent()) ?? '', /승인 대기.*신청 — 관리자/s);

    // the head sees the staff's requests, not their own (that one goes to the director)
    const head = await pageAs(org.head);
    await head.goto(`${app.origin}/approvals`);
    await head.getByRole('heading', { level: 1, name: '모바일 공무원증 발급 승인' }).waitFor();
    await head.getByText('결정할 신청 (2건)').waitFor();
    await head.getByText('본인의 공무원증은 승인할 수 없습니다').waitFor();
    const own = head.locator('[data-own-request]');
    await own.waitFor();
    assert.match((await own.textContent()) ?? '', /상위 부서장이 결정하므로 여기서 승인할 수 없습니다/);
    assert.equal(
      await own.getByRole('button', { name: '승인' }).count(),
      0,
      'no approve button on the own card',
    );
    await check('approvals', head);

    // reject the colleague: the reason is required
    await head.getByRole('button', { name: '이주무관 신청 반려' }).click();
    const dialog = head.getByRole('dialog', { name: '이주무관의 신청을 반려하시겠습니까?' });
    await dialog.waitFor();
    const rejectButton = dialog.getByRole('button', { name: '반려' });
    assert.equal(await rejectButton.isDisabled(), true, 'no rejection without a reason');
    await dialog.getByLabel('반려 사유 (필수)').fill('휴직 예정');
    await screenshot(head, 'approvals-reject');
    await rejectButton.click();
    await head.getByText('이주무관의 신청을 반려했습니다.').waitFor();

    // approve the member: the install link and the one-time code go out
    await head.getByRole('button', { name: '류시원 신청 승인' }).click();
    const approve = head.getByRole('dialog', { name: '류시원의 발급을 승인하시겠습니까?' });
    await approve.getByRole('button', { name: '승인' }).click();
    await head.getByText('류시원의 발급을 승인했습니다.').waitFor();
    await head.getByText('결정할 신청 (0건)').waitFor();
    const decided = head.locator('[data-decided]');
    assert.equal(await decided.count(), 2);
    assert.match((await decided.allTextContents()).join(' '), /사유: 휴직 예정/);
    await check('approvals-decided', head);
    // the server's own refusal of self-approval (the page never offers it)
    const ownId = await own.getAttribute('data-own-request');
    const refused = await head.evaluate(async (id) => {
      const csrf = JSON.parse(sessionStorage.getItem('gongjik.session') ?? '{}').csrfToken;
      const r = await fetch(`/api/v1/mid/requests/${id}/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: '{}',
      });
      return ((await r.json()) as { code: string }).code;
    }, ownId);
    assert.equal(refused, 'ERR_MID_SELF_APPROVAL');
    await head.close();
  });

  let installLink = '';
  let txCode = '';

  test('admin: the SMS outbox shows the install link and the one-time code; the request list shows every step', async (t) => {
    if (skip) return t.skip(skip);
    await nav('문자 보관함', '문자 보관함');
    const install = page.locator('tr[data-kind="mid-install"]');
    await install.first().waitFor();
    installLink = (await install.first().getByRole('link').getAttribute('href')) ?? '';
    assert.match(installLink, /\/install\?credential_offer_uri=/);
    const code = (await page.locator('tr[data-kind="mid-code"]').first().textContent()) ?? '';
    txCode = /\b(\d{6})\b/.exec(code)?.[1] ?? '';
    assert.match(txCode, /^\d{6}$/);
    await check('sms-outbox');

    await nav('공무원증 신청', '모바일 공무원증 신청');
    await page.getByLabel('상태').selectOption({ label: '설치 안내 발송' });
    await page.getByRole('button', { name: '검색' }).click();
    const offered = page.locator('tr[data-state="offered"]');
    await offered.waitFor();
    await page.locator('tr[data-state="requested"]').waitFor({ state: 'detached' });
    const text = (await offered.textContent()) ?? '';
    assert.match(text, /승인 — 2024110/);
    assert.match(text, /인사 기록과 신원 확인/);
    assert.match(text, /설치 안내 문자 발송 \(설치 기한/);
    await check('admin-mid-requests');
  });

  test('the holder: my card (state, device, validity, history); report lost → SUSPENDED at once, reactivate, ask for a reissue', async (t) => {
    if (skip) return t.skip(skip);
    // The phone: the headless wallet installs from the SMS link (the front serves only /api, so
    // the wallet's calls to the issuer's other paths go to the server directly).
    const wallet = new Wallet({
      storage: new MemoryWalletStorage(),
      fetch: (url, init) => fetch(String(url).replace(app.origin, app.apiUrl), init),
      clock: () => new Date(),
    });
    const card = await wallet.install(installLink, txCode, { pin: '482915' });
    assert.equal(card.claims.employee_number, org.member.no);

    const me = await pageAs(org.member);
    await me.goto(`${app.origin}/card`);
    await me.getByRole('heading', { level: 1, name: '내 모바일 공무원증' }).waitFor();
    const state = me.getByTestId('card-state');
    await state.waitFor();
    await untilText(state, '사용 중');
    assert.match((await me.locator('.mid-card').textContent()) ?? '', /유효 기간.*기기 키/s);
    assert.match(
      (await me.locator('[data-request]').first().textContent()) ?? '',
      /발급 완료.*휴대전화에 발급/s,
    );
    await check('card', me);

    await me.getByRole('button', { name: '휴대전화 분실 신고' }).click();
    const lost = me.getByRole('dialog', { name: '휴대전화를 잃어버리셨습니까?' });
    await lost.waitFor();
    await screenshot(me, 'card-confirm-lost');
    await checkA11y(me);
    await lost.getByRole('button', { name: '분실 신고 (바로 정지)' }).click();
    await me.getByText('공무원증을 정지했습니다.').waitFor();
    await untilText(state, '일시 정지');
    const overview = await api('GET', `/api/v1/admin/people/${org.member.no}/mobile-id`);
    assert.equal((overview.card as { state: string }).state, 'suspended', 'the server suspended it');
    await check('card-suspended', me);

    await me.getByRole('button', { name: '다시 사용하기' }).click();
    await me
      .getByRole('dialog', { name: '공무원증을 다시 사용하시겠습니까?' })
      .getByRole('button', { name: '다시 사용하기' })
      .click();
    await me.getByText('공무원증을 다시 사용할 수 있습니다.').waitFor();
    await untilText(state, '사용 중');

    await me.getByRole('button', { name: '재발급 신청' }).click();
    const reissue = me.getByRole('dialog', { name: '재발급을 신청하시겠습니까?' });
    await reissue.getByLabel('사유').selectOption({ label: '휴대전화 교체' });
    await reissue.getByRole('button', { name: '재발급 신청' }).click();
    await me.getByText('재발급을 신청했습니다. 부서장의 승인을 기다립니다.').waitFor();
    // the history reloads after the confirmation is shown: wait for the new request to appear
    await me.locator('[data-request]').filter({ hasText: '재발급 · 휴대전화 교체' }).first().waitFor();
    const first = me.locator('[data-request]').first();
    assert.match(
      (await first.textContent()) ?? '',
      /재발급 · 휴대전화 교체.*승인 대기.*신청 — 본인|재발급 · 휴대전화 교체.*승인 대기/s,
    );
    await me.getByRole('button', { name: '재발급 신청', disabled: true }).waitFor(); // one open request at a time
    await check('card-reissue', me);

    // English
    await me.getByRole('button', { name: 'English' }).click();
    await me.getByRole('heading', { level: 1, name: 'My mobile public-official ID' }).waitFor();
    await me.getByRole('button', { name: '한국어' }).click();

    // the home page's help box: the help desk and the agency's security officer (set by the admin)
    await me.locator('a.brand').click();
    const help = me.getByRole('region', { name: '도움이 필요하신가요?' });
    await help.waitFor();
    await help.locator('[data-officer]').waitFor();
    assert.equal(
      await help.getByRole('link', { name: '헬프데스크에 전화하기: 1600-3373' }).getAttribute('href'),
      'tel:16003373',
    );
    assert.match(
      (await help.locator('[data-officer]').textContent()) ?? '',
      /김보안.*044-205-1234.*security@mois\.go\.kr/s,
    );
    await check('home-help', me);
    await me.close();
  });

  test('admin: the status overview counts requests and cards by state and lists the status lists', async (t) => {
    if (skip) return t.skip(skip);
    await nav('공무원증 현황', '모바일 공무원증 현황');
    const active = page.locator('[data-count="card-active"] dd');
    await active.waitFor();
    assert.equal(await active.textContent(), '1');
    assert.equal(await page.locator('[data-count="request-rejected"] dd').textContent(), '1');
    assert.equal(await page.locator('[data-count="request-issued"] dd').textContent(), '1');
    await page.locator('tr[data-list]').first().waitFor();
    await check('admin-mid-status');
  });

  test('the mobile-ID pages are their own chunk, and need a session', async (t) => {
    if (skip) return t.skip(skip);
    await browser.context.clearCookies();
    const scripts: string[] = [];
    const p = await browser.context.newPage();
    p.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await p.goto(`${app.origin}/login`);
    await p.getByRole('heading', { level: 1 }).waitFor();
    // the login page's footer: the help desk, without a session
    await p.getByRole('link', { name: '헬프데스크에 전화하기: 1600-3373' }).waitFor();
    assert.ok(!scripts.some((s) => s.includes('MobileIdApp')), scripts.join(', '));
    await p.goto(`${app.origin}/card`);
    await p.waitForURL(`${app.origin}/login`);
    await p.close();
  });
});

/** The locator's text once it equals `want` (the page reloads after showing its confirmation). */
async function untilText(locator: Locator, want: string): Promise<void> {
  for (let i = 0; i < 100 && (await locator.textContent()) !== want; i++)
    await new Promise((r) => setTimeout(r, 50));
  assert.equal(await locator.textContent(), want);
}
