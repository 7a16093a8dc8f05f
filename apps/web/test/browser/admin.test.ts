// The admin and HR portal in Chromium against the REAL server (apps/server startServer on a
// temporary PGlite folder; the built app in front, /api passed through): sign in with the admin
// token, agencies (a public institution flagged), a duplicate code refused with the registry's
// Korean message, departments as a tree, a person with a retirement date and a sign-up code shown
// once, HR keys, and the audit log showing all of it with filters and cursor paging.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatMessage } from '@gongjik/errors';
import type { Page } from 'playwright-core';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { type RealApp, startRealApp } from './helpers/real-server.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';

const skip = chromiumSkipReason();

describe('admin and HR portal (Chromium, real server)', () => {
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

  const heading = () => page.getByRole('heading', { level: 1 });

  async function expectHeading(text: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: text }).waitFor();
  }

  /** axe clean, no horizontal scrolling at 360 px, screenshots at 1280 and 360 px. */
  async function check(name: string): Promise<void> {
    await checkA11y(page);
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false, `${name} scrolls sideways at 360 px`);
    await checkA11y(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, name);
  }

  async function nav(label: string, title: string): Promise<void> {
    await page
      .getByRole('navigation', { name: '관리 메뉴' })
      .getByRole('link', { name: label, exact: true })
      .click();
    await expectHeading(title);
  }

  test('the portal is a separate chunk: the official pages do not load it', async (t) => {
    if (skip) return t.skip(skip);
    const scripts: string[] = [];
    const official = await browser.context.newPage();
    official.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await official.goto(`${app.origin}/login`);
    await official.getByRole('heading', { level: 1 }).waitFor();
    assert.ok(scripts.length > 0);
    assert.ok(!scripts.some((s) => s.includes('AdminPortal')), scripts.join(', '));
    await official.close();
  });

  test('signs in with the admin token (kept in sessionStorage only); a wrong token shows ERR_AUTH_ADMIN_REQUIRED', async (t) => {
    if (skip) return t.skip(skip);
    await page.goto(`${app.origin}/admin`);
    await expectHeading('관리자 로그인');
    assert.equal(new URL(page.url()).pathname, '/admin/login');
    await check('admin-login');
    await page.getByLabel('관리자 토큰').fill(`gja_${'x'.repeat(43)}`);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-code'), 'ERR_AUTH_ADMIN_REQUIRED');
    assert.ok(((await alert.textContent()) ?? '').includes(formatMessage('ERR_AUTH_ADMIN_REQUIRED', 'ko')));
    await page.getByLabel('관리자 토큰').fill(app.adminToken);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await expectHeading('기관 관리');
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('gongjik.adminToken'),
      local: JSON.stringify(localStorage),
      cookie: document.cookie,
    }));
    assert.equal(stored.session, app.adminToken);
    assert.ok(!stored.local.includes('gja_') && !stored.cookie.includes('gja_'));
  });

  test('registers agencies: a public institution is flagged, a duplicate code shows the Korean message of ERR_DIR_AGENCY_EXISTS', async (t) => {
    if (skip) return t.skip(skip);
    const add = async (code: string, name: string, type: string) => {
      await page.getByLabel('기관 코드').fill(code);
      await page.getByLabel('기관명').fill(name);
      await page.getByLabel('기관 유형').selectOption({ label: type });
      await page.getByRole('button', { name: '기관 등록' }).click();
    };
    await add('1741000', '행정안전부', '중앙행정기관');
    await page.locator('tr[data-agency="1741000"]').waitFor();
    await add('6110000', '서울특별시', '지방자치단체');
    await page.locator('tr[data-agency="6110000"]').waitFor();
    await add('B552000', '한국조폐공사', '공공기관');
    const publicRow = page.locator('tr[data-agency="B552000"]');
    await publicRow.waitFor();
    assert.match((await publicRow.textContent()) ?? '', /가입 불가 \(공공기관\)/);
    assert.match((await page.locator('tr[data-agency="1741000"]').textContent()) ?? '', /가입 가능/);

    await add('1741000', '행정안전부 중복', '중앙행정기관');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.getAttribute('data-code'), 'ERR_DIR_AGENCY_EXISTS');
    assert.ok(
      ((await alert.textContent()) ?? '').includes(
        formatMessage('ERR_DIR_AGENCY_EXISTS', 'ko', { agency: '1741000' }),
      ),
    );
    await check('admin-agencies');

    await page.getByRole('button', { name: 'English' }).click();
    await expectHeading('Agencies');
    assert.match((await publicRow.textContent()) ?? '', /Not eligible \(public institution\)/);
    await screenshot(page, 'admin-agencies-en');
    await page.getByRole('button', { name: '한국어' }).click();
    await expectHeading('기관 관리');
  });

  test('builds the department tree of an agency', async (t) => {
    if (skip) return t.skip(skip);
    await nav('부서', '부서 관리');
    await page.getByLabel('기관', { exact: true }).selectOption('1741000');
    const save = async (code: string, name: string, parent: string | null) => {
      await page.getByLabel('부서 코드').fill(code);
      await page.getByLabel('부서명').fill(name);
      await page.getByLabel('상위 부서').selectOption(parent ?? '');
      await page.getByRole('button', { name: '부서 저장' }).click();
      await page.locator(`li[data-department="${code}"]`).waitFor();
    };
    await save('D100', '디지털정부혁신실', null);
    await save('D110', '디지털정부정책과', 'D100');
    await save('D120', '공공데이터정책과', 'D100');
    await save('D200', '기획조정실', null);
    assert.equal(await page.locator('li[data-department="D100"] li[data-department="D110"]').count(), 1);
    assert.equal(await page.locator('li[data-department="D100"] li[data-department="D120"]').count(), 1);
    const roots = await page
      .locator('ul.tree > li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-department')));
    assert.deepEqual(roots, ['D200', 'D100'], 'top-level departments, sorted by name');
    await check('admin-departments');
  });

  test('adds a person with a retirement date, moves them, and issues a sign-up code shown once', async (t) => {
    if (skip) return t.skip(skip);
    await nav('인원', '인원 관리');
    await page.getByRole('link', { name: '인원 등록' }).click();
    await expectHeading('인원 등록');
    await page.getByLabel('직원번호').fill('2024001');
    await page.getByLabel('기관', { exact: true }).selectOption('1741000');
    await page.getByLabel('부서', { exact: true }).selectOption('D110');
    await page.getByLabel('이름', { exact: true }).fill('류시원');
    await page.getByLabel('직위').fill('행정사무관');
    await page.getByLabel('휴대전화').fill('010-1234-5678');
    await page.getByLabel('퇴직 예정일').fill('2027-06-30');
    await page.getByLabel('메일 아이디 (선택)').fill('ryusiwon');
    await check('admin-person-new');
    await page.getByRole('button', { name: '등록', exact: true }).click();
    await expectHeading('류시원 인사 정보');
    assert.equal(new URL(page.url()).pathname, '/admin/people/2024001');
    assert.equal(await page.getByTestId('retirement-date').textContent(), '2027-06-30');

    await page.getByLabel('옮길 부서').selectOption('D120');
    await page.getByRole('button', { name: '이동', exact: true }).click();
    await page.getByText('부서를 옮겼습니다.').waitFor();

    await page.getByRole('button', { name: '가입 코드 발급' }).click();
    const code = page.getByTestId('shown-once');
    await code.waitFor();
    const value = (await code.textContent()) ?? '';
    assert.match(value, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.match((await page.locator('.shown-once').textContent()) ?? '', /ryusiwon@korea\.kr/);
    await check('admin-person');

    await nav('인원', '인원 관리');
    const row = page.locator('tr[data-person="2024001"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /류시원.*2027-06-30.*ryusiwon@korea\.kr.*가입 대기/);
    await check('admin-people');
    await row.getByRole('link', { name: '류시원' }).click();
    await expectHeading('류시원 인사 정보');
    assert.equal(await page.getByTestId('shown-once').count(), 0, 'the code is not shown again');
    assert.equal(await page.content().then((html) => html.includes(value)), false);
  });

  test('creates an HR API key shown once, lists it without the key, and revokes it', async (t) => {
    if (skip) return t.skip(skip);
    await nav('인사 연계 키', '인사 연계 API 키');
    await page.getByLabel('인사 시스템').selectOption('e-saram');
    await page.getByLabel('이름', { exact: true }).fill('행정안전부 e-사람');
    await page.getByRole('button', { name: '키 만들기' }).click();
    const key = page.getByTestId('shown-once');
    await key.waitFor();
    const value = (await key.textContent()) ?? '';
    assert.match(value, /^gjhr_/);
    await page.getByRole('button', { name: '“행정안전부 e-사람” 키 폐기' }).waitFor();
    const tableText = (await page.locator('table').textContent()) ?? '';
    assert.ok(!tableText.includes(value), 'the list never shows the key');
    await check('admin-hr-keys');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '“행정안전부 e-사람” 키 폐기' }).click();
    await page.getByText('“행정안전부 e-사람” 키를 폐기했습니다.').waitFor();
    await page.locator('table .badge-blocked').first().waitFor();
  });

  test('the audit log shows every change, filters by action prefix and pages with a cursor', async (t) => {
    if (skip) return t.skip(skip);
    await nav('감사 기록', '감사 기록');
    await page.locator('tr[data-action]').first().waitFor();
    const actions = await page
      .locator('tr[data-action]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    for (const action of [
      'directory.agency.create',
      'directory.department.create',
      'directory.person.create',
      'account.create',
      'directory.person.move',
      'signup.code.issue',
      'hr.key.create',
      'hr.key.revoke',
    ]) {
      assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
    }
    assert.equal(actions[0], 'hr.key.revoke', 'newest first');
    await check('admin-audit');

    const rows = () =>
      page.locator('tr[data-action]').evaluateAll((list) => list.map((r) => r.getAttribute('data-action')));
    await page.getByLabel('한 번에 볼 개수').selectOption('10');
    await page.getByRole('button', { name: '검색' }).click();
    await page.getByText('최근 기록부터 10건').waitFor();
    const firstPage = await rows();
    assert.deepEqual(firstPage, actions.slice(0, 10));
    await page.getByRole('button', { name: '더 보기' }).click();
    await page.getByText(`최근 기록부터 ${actions.length}건`).waitFor();
    assert.deepEqual(await rows(), actions, 'the second page continues where the first ended');

    await page.getByLabel('동작').fill('directory.*');
    await page.getByRole('button', { name: '검색' }).click();
    await page.getByText('최근 기록부터 9건').waitFor();
    const filtered = await rows();
    assert.ok(
      filtered.every((a) => a?.startsWith('directory.')),
      filtered.join(', '),
    );

    await page.getByLabel('결과').selectOption('refused');
    await page.getByRole('button', { name: '검색' }).click();
    await page.getByText('조건에 맞는 기록이 없습니다.').waitFor();
    assert.equal(await heading().textContent(), '감사 기록');
  });
});
