// The wallet's first run against the REAL server, in Debian's Chromium at 360 px: HR requests a
// card, the head approves, the SMS outbox holds the install link and the one-time code; the PWA
// redeems them, shows the identity, refuses trivial PINs, enrols biometrics on a CDP virtual
// authenticator, receives the card, shows its live status, unlocks with the server-checked PIN,
// shows the gate QR, keeps working offline, follows suspension, and locks after five wrong PINs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  GATE_CREDENTIAL_TYP,
  type IssuerJwks,
  MemorySeenCache,
  parseJws,
  verifyStatusListToken,
} from '@gongjik/mobile-id';
import { verifyGatePresentationSync } from '@gongjik/mobile-id/node';
import type { CDPSession, Page } from 'playwright-core';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltWallet, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { freePort, type Issuer, type Org, offerFor, seedOrg, startIssuer } from './helpers/issuer.ts';
import { readQr } from './helpers/qr.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';
import { startTestWalletSite } from './helpers/wallet-site.ts';

const skip = chromiumSkipReason();
const PIN = '482915';

describe('wallet first run against the real server (Chromium, 360 px)', () => {
  let browser: Browser;
  let built: BuiltWallet;
  let site: Awaited<ReturnType<typeof startTestWalletSite>>;
  let issuer: Issuer;
  let org: Org;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string;
  const errors: string[] = [];
  /** Console errors other than the browser's note on each refused request (4xx answers are expected). */
  const unexpectedErrors = () =>
    errors.filter(
      (e) =>
        !/Failed to load resource: (the server responded with a status of 4\d\d|net::ERR_INTERNET_DISCONNECTED)/.test(
          e,
        ),
    );

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    const walletPort = await freePort();
    const walletOrigin = `http://localhost:${walletPort}`;
    issuer = await startIssuer({ walletOrigin });
    site = await startTestWalletSite({
      dist: built.dir,
      issuer: issuer.url,
      webApp: issuer.url,
      port: walletPort,
    });
    assert.equal(site.origin, walletOrigin);
    org = await seedOrg(issuer);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    // Biometrics: a platform authenticator that verifies the user (fingerprint) every time.
    cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));
  });

  after(async () => {
    if (skip) return;
    if (process.env.DEBUG_WALLET) {
      console.log(errors);
      await page?.screenshot({ path: '/tmp/wallet-debug.png', fullPage: true });
    }
    await browser?.close();
    await site?.close();
    await issuer?.close();
    built?.dispose();
  });

  const h1 = () => page.getByRole('heading', { level: 1 });

  async function pinInto(label: string, pin: string) {
    await page.getByLabel(label, { exact: true }).fill(pin);
  }

  test('installs from the SMS outbox link: code, identity, PIN rules, biometrics, the card', async (t) => {
    if (skip) return t.skip(skip);
    const sms = await offerFor(issuer, org);
    assert.ok(sms.installUrl.startsWith(`${site.origin}/install?`), sms.installUrl);
    assert.match(sms.installSms, /류시원님의 모바일 공무원증이 준비되었습니다/);

    await page.goto(sms.installUrl);
    await h1().filter({ hasText: '일회용 코드 입력' }).waitFor();
    assert.match((await page.locator('.progress').textContent()) ?? '', /5단계 중 1단계/);
    await checkA11y(page);
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'install-code');

    // A wrong code is refused by the server, in Korean.
    const wrong = sms.txCode === '000000' ? '000001' : '000000';
    await page.getByLabel('일회용 코드 (6자리 숫자)').fill(wrong);
    await page.getByRole('button', { name: '확인' }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    assert.equal(await refusal.getAttribute('data-code'), 'ERR_MID_TX_CODE_INVALID');
    assert.match((await refusal.textContent()) ?? '', /일회용 코드가 올바르지 않거나/);

    await page.getByLabel('일회용 코드 (6자리 숫자)').fill(sms.txCode);
    await page.getByRole('button', { name: '확인' }).click();
    await h1().filter({ hasText: '본인 확인' }).waitFor();
    const identity = page.getByTestId('identity');
    const shown = (await identity.textContent()) ?? '';
    for (const expected of [org.member.name, org.agencyName, org.member.employeeNumber])
      assert.ok(shown.includes(expected), `identity shows ${expected}: ${shown}`);
    await checkA11y(page);
    await screenshot(page, 'install-identity');
    await page.getByRole('button', { name: '네, 본인입니다' }).click();

    // PIN: trivial ones are refused with a clear Korean message, before anything is sent.
    await h1().filter({ hasText: '비밀번호 설정' }).waitFor();
    const refusals: [string, string][] = [
      ['000000', '같은 숫자만 반복한 비밀번호(예: 000000)는 쓸 수 없습니다.'],
      ['123456', '연속된 숫자(예: 123456, 654321)는 쓸 수 없습니다.'],
      ['654321', '연속된 숫자(예: 123456, 654321)는 쓸 수 없습니다.'],
      ['121212', '두세 자리를 되풀이한 비밀번호(예: 121212, 123123)는 쓸 수 없습니다.'],
    ];
    for (const [pin, message] of refusals) {
      await pinInto('새 비밀번호 (숫자 6자리)', pin);
      await pinInto('새 비밀번호 확인', pin);
      await page.getByRole('button', { name: '다음' }).click();
      assert.equal(await page.locator('#pin-first-error').textContent(), message, pin);
      assert.equal(
        await page.getByLabel('새 비밀번호 (숫자 6자리)', { exact: true }).getAttribute('aria-invalid'),
        'true',
      );
    }
    await checkA11y(page);
    await screenshot(page, 'install-pin-refused');
    await pinInto('새 비밀번호 (숫자 6자리)', PIN);
    await pinInto('새 비밀번호 확인', '482916');
    await page.getByRole('button', { name: '다음' }).click();
    assert.equal(
      await page.locator('#pin-second-error').textContent(),
      '두 비밀번호가 다릅니다. 다시 입력하세요.',
    );
    await pinInto('새 비밀번호 확인', PIN);
    await page.getByRole('button', { name: '다음' }).click();

    // The card is issued and the PIN set; then biometrics on the virtual authenticator.
    await h1().filter({ hasText: '생체 인증 등록 (선택)' }).waitFor({ timeout: 30_000 });
    await checkA11y(page);
    await screenshot(page, 'install-biometrics');
    await page.getByRole('button', { name: '생체 인증 등록' }).click();

    await h1().filter({ hasText: '내 공무원증' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1, 'one platform credential enrolled');

    assert.equal(await page.locator('#card-name').textContent(), org.member.name);
    assert.equal(await page.locator('[data-claim="agency"]').textContent(), org.agencyName);
    assert.equal(await page.locator('[data-claim="department"]').textContent(), '디지털안전정책과');
    assert.equal(await page.locator('[data-claim="position"]').textContent(), '행정사무관');
    assert.equal(
      await page.locator('[data-claim="employee_number"]').textContent(),
      org.member.employeeNumber,
    );
    // The live status, read from the server's published, signed status list.
    await page.locator('[data-testid="card-status"][data-state="valid"]').waitFor();
    assert.match((await page.getByTestId('card-status').textContent()) ?? '', /유효/);
    assert.equal(await page.getByTestId('lock-state').textContent(), '잠김');
    await checkA11y(page);
    assert.equal(await overflowsHorizontally(page), false);
    await screenshot(page, 'card');

    // At rest: the device key is a non-extractable CryptoKey in IndexedDB.
    const key = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('gongjik-wallet');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const stored = await new Promise<{ privateKey: CryptoKey }>((resolve, reject) => {
        const r = db.transaction('kv').objectStore('kv').get('device-key');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      db.close();
      let exported = 'exported';
      try {
        await crypto.subtle.exportKey('pkcs8', stored.privateKey);
      } catch (e) {
        exported = (e as DOMException).name;
      }
      return {
        isCryptoKey: stored.privateKey instanceof CryptoKey,
        extractable: stored.privateKey.extractable,
        algorithm: (stored.privateKey.algorithm as EcKeyAlgorithm).namedCurve,
        exported,
      };
    });
    assert.deepEqual(key, {
      isCryptoKey: true,
      extractable: false,
      algorithm: 'P-256',
      exported: 'InvalidAccessError',
    });
    assert.deepEqual(unexpectedErrors(), [], 'no console errors (CSP, CORS)');
  });

  async function issuerKeys(): Promise<IssuerJwks> {
    return (await (await fetch(`${issuer.url}/api/v1/mid/jwks`)).json()) as IssuerJwks;
  }

  /** The status list the gate credential points to, fetched and verified. */
  async function statusList(qrText: string) {
    const credential = parseJws(qrText.split('~')[0]!, 'gate credential', GATE_CREDENTIAL_TYP).payload;
    const uri = (credential.status as { status_list: { uri: string } }).status_list.uri;
    const token = await (await fetch(uri)).text();
    return verifyStatusListToken(token, { issuerKeys: await issuerKeys(), uri, now: new Date() });
  }

  test('unlocks with biometrics verified by the issuer and with the server-checked PIN, counting a wrong PIN, then shows the gate QR', async (t) => {
    if (skip) return t.skip(skip);
    await page.getByRole('button', { name: '잠금 해제' }).click();
    // Biometrics, verified by the issuer. When the authenticator cannot verify the holder, no
    // assertion reaches the issuer (only the challenge was asked for) and nothing is unlocked.
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    const posted: string[] = [];
    const onRequest = (r: { url(): string; method(): string }) => {
      if (r.method() === 'POST' && r.url().includes('/api/v1/mid/')) posted.push(new URL(r.url()).pathname);
    };
    page.on('request', onRequest);
    await page.getByRole('button', { name: '생체 인증으로 잠금 해제' }).click();
    await page.getByRole('alert').filter({ hasText: '생체 인증으로 본인을 확인하지 못했습니다' }).waitFor();
    assert.deepEqual(posted, ['/api/v1/mid/webauthn/unlock/options'], 'no assertion, no PIN was sent');
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    await page.getByRole('button', { name: '생체 인증으로 잠금 해제' }).click();
    await page.getByTestId('lock-state').filter({ hasText: '잠금 해제됨' }).waitFor();
    page.off('request', onRequest);
    assert.deepEqual(posted.slice(1), ['/api/v1/mid/webauthn/unlock/options', '/api/v1/mid/webauthn/unlock']);
    const bioAudit = await issuer.server.db.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['mid.webauthn.register', 'mid.webauthn.unlock'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      bioAudit.map((a) => a.action),
      ['mid.webauthn.register', 'mid.webauthn.unlock'],
      'the issuer bound the credential at enrolment and verified the assertion',
    );
    // Lock again, then the PIN path: a wrong PIN is counted by the issuer.
    await page.getByRole('button', { name: '지금 잠그기' }).click();
    await page.getByTestId('lock-state').filter({ hasText: '잠김' }).waitFor();
    await page.getByRole('button', { name: '잠금 해제' }).click();

    await pinInto('비밀번호 (숫자 6자리)', '111222');
    await page.getByRole('button', { name: '잠금 해제' }).last().click();
    const wrong = page.locator('[data-code="ERR_MID_PIN_WRONG"]');
    await wrong.waitFor();
    assert.match((await wrong.textContent()) ?? '', /남은 시도 횟수: 4번/);
    await checkA11y(page);
    await screenshot(page, 'unlock-wrong');
    await pinInto('비밀번호 (숫자 6자리)', PIN);
    await page.getByRole('button', { name: '잠금 해제' }).last().click();
    await page.getByTestId('lock-state').filter({ hasText: '잠금 해제됨' }).waitFor();

    await page.getByRole('button', { name: '출입 QR 보기' }).click();
    await h1().filter({ hasText: '출입 QR' }).waitFor();
    const qr = page.getByTestId('gate-qr');
    await qr.waitFor();
    assert.ok(Number(await qr.getAttribute('data-version')) <= 25);
    // What a gate camera reads: decode the drawn QR and verify it as the kiosk does, offline-style,
    // with the issuer's keys and published status list, requiring the unlock token.
    const text = await readQr(page);
    const facts = verifyGatePresentationSync(text, {
      issuerKeys: await issuerKeys(),
      statusList: await statusList(text),
      gateGroup: 'default',
      now: new Date(),
      seenCache: new MemorySeenCache(),
      requireUnlock: true,
    });
    assert.ok(facts.unlockExp && facts.unlockExp * 1000 > Date.now(), 'carries a live unlock token');
    await checkA11y(page);
    await screenshot(page, 'gate');
    await page.getByRole('button', { name: '공무원증으로 돌아가기' }).click();
    await h1().filter({ hasText: '내 공무원증' }).waitFor();
  });

  test('works offline after the first load: the card and its last known status, with the time', async (t) => {
    if (skip) return t.skip(skip);
    await page.locator('[data-testid="card-status"][data-state="valid"]').waitFor();
    await browser.context.setOffline(true);
    try {
      await page.reload();
      await h1().filter({ hasText: '내 공무원증' }).waitFor();
      assert.equal(await page.locator('#card-name').textContent(), org.member.name);
      const status = page.getByTestId('card-status');
      await status.filter({ hasText: /오프라인 — .*에 마지막으로 확인/ }).waitFor();
      assert.equal(await status.getAttribute('data-state'), 'valid');
      await checkA11y(page);
      await screenshot(page, 'card-offline');
    } finally {
      await browser.context.setOffline(false);
    }
  });

  test('shows SUSPENDED as soon as the card is reported lost, and VALID again when reactivated', async (t) => {
    if (skip) return t.skip(skip);
    const suspend = await issuer.call(
      'POST',
      `/api/v1/admin/people/${org.member.employeeNumber}/mobile-id/suspend`,
      { auth: 'admin', body: {} },
    );
    assert.equal(suspend.status, 200, JSON.stringify(suspend.body));
    await page.getByRole('button', { name: '상태 새로 고침' }).click();
    await page.locator('[data-testid="card-status"][data-state="suspended"]').waitFor();
    assert.equal(
      await page.getByRole('button', { name: '출입 QR 보기' }).count(),
      0,
      'no gate QR while suspended',
    );
    await checkA11y(page);
    await screenshot(page, 'card-suspended');
    const resume = await issuer.call(
      'POST',
      `/api/v1/admin/people/${org.member.employeeNumber}/mobile-id/resume`,
      {
        auth: 'admin',
        body: {},
      },
    );
    assert.equal(resume.status, 200, JSON.stringify(resume.body));
    await page.getByRole('button', { name: '상태 새로 고침' }).click();
    await page.locator('[data-testid="card-status"][data-state="valid"]').waitFor();
  });

  test('five wrong PINs lock the card: the server says so, and the status list shows INVALID', async (t) => {
    if (skip) return t.skip(skip);
    await page.getByRole('button', { name: '지금 잠그기' }).click();
    await page.getByRole('button', { name: '잠금 해제' }).click();
    // The correct PIN of the unlock test reset the count: five wrong ones from here.
    for (const remaining of [4, 3, 2, 1]) {
      await pinInto('비밀번호 (숫자 6자리)', '111222');
      await page.getByRole('button', { name: '잠금 해제' }).last().click();
      await page
        .locator('[data-code="ERR_MID_PIN_WRONG"]')
        .filter({ hasText: `남은 시도 횟수: ${remaining}번` })
        .waitFor();
    }
    await pinInto('비밀번호 (숫자 6자리)', '111222');
    await page.getByRole('button', { name: '잠금 해제' }).last().click();
    await page.getByText('비밀번호를 5번 잘못 입력하여 공무원증이 잠겼습니다').waitFor();
    await page.getByRole('button', { name: '상태 새로 고침' }).click();
    await page.locator('[data-testid="card-status"][data-state="invalid"]').waitFor();
    assert.equal(await page.getByRole('button', { name: '잠금 해제' }).count(), 0);
    await checkA11y(page);
    await screenshot(page, 'card-locked');
    assert.deepEqual(unexpectedErrors(), [], 'no console errors');
  });

  test('removes the card and the device key from this device', async (t) => {
    if (skip) return t.skip(skip);
    await page.getByRole('button', { name: '이 기기에서 삭제' }).click();
    await page.getByRole('heading', { level: 2, name: '이 기기에서 삭제' }).waitFor();
    await page.getByRole('button', { name: '삭제', exact: true }).click();
    await h1().filter({ hasText: '모바일 공무원증 설치' }).waitFor();
    const keys = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('gongjik-wallet');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const all = await new Promise<IDBValidKey[]>((resolve, reject) => {
        const r = db.transaction('kv').objectStore('kv').getAllKeys();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      db.close();
      return all;
    });
    assert.deepEqual(keys, []);
  });
});
