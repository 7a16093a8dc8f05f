// The gate kiosk in Chromium against the REAL server: an administrator registers a gate and sets
// the kiosk up with its setup code; a holder's card (issued through the real workflow and installed
// in the headless wallet of @gongjik/mobile-id) is scanned through the keyboard-wedge input, as a
// USB scanner types it: ALLOW; the card is reported lost (SUSPENDED); before the kiosk refreshes
// its cached list it still allows (the documented offline trade-off); after the refresh, DENY.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeGateSetupCode, MemoryWalletStorage, Wallet } from '@gongjik/mobile-id';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { encode } from 'uqr';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import {
  type Browser,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumSkipReason,
  launchBrowser,
} from './helpers/chromium.ts';
import { type RealApp, startRealApp } from './helpers/real-server.ts';
import { overflowsHorizontally, SCREENSHOT_DIR, screenshot } from './helpers/screenshot.ts';

const skip = chromiumSkipReason();
const GROUP = 'sejong/bldg-6';
const PIN = '482915';

describe('gate kiosk (Chromium, real server)', () => {
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

  async function admin(method: string, path: string, body?: object): Promise<Record<string, unknown>> {
    const r = await fetch(new URL(path, app.apiUrl), {
      method,
      headers: { authorization: `Bearer ${app.adminToken}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${await r.clone().text()}`);
    return (await r.json()) as Record<string, unknown>;
  }

  let holderOnce: Promise<{ wallet: Wallet; employeeNumber: string }> | undefined;
  const holder = () => {
    holderOnce ??= makeHolder();
    return holderOnce;
  };

  /** An adopted agency, a head and a member; the member's card through request → approval → SMS → wallet. */
  async function makeHolder(): Promise<{ wallet: Wallet; employeeNumber: string }> {
    await admin('POST', '/api/v1/admin/agencies', {
      code: '1741000',
      name: '행정안전부',
      type: 'central',
      mobileIdAdopted: true,
    });
    await admin('PUT', '/api/v1/admin/agencies/1741000/departments/D1', { name: '디지털안전정책과' });
    const person = (no: string, name: string, head: boolean) =>
      admin('PUT', `/api/v1/admin/people/${no}`, {
        agencyCode: '1741000',
        departmentCode: 'D1',
        realName: name,
        position: '행정사무관',
        mobile: '010-1234-5678',
        isDepartmentHead: head,
        mailId: `u${no}`,
      });
    await person('2024100', '박과장', true);
    await person('2024101', '류시원', false);
    const request = await admin('POST', '/api/v1/admin/mobile-id/requests', { employeeNumber: '2024101' });
    await admin('POST', `/api/v1/admin/mobile-id/requests/${request.id}/approve`, {
      approverEmployeeNumber: '2024100',
    });
    const outbox = await admin('GET', `/api/v1/admin/sms-outbox?ref=mid-request:${request.id}`);
    const messages = outbox.messages as { kind: string; body: string }[];
    const link = /https?:\/\/\S+/.exec(messages.find((m) => m.kind === 'mid-install')!.body)![0];
    const code = /\b(\d{6})\b/.exec(messages.find((m) => m.kind === 'mid-code')!.body)![1]!;
    // The issuer's public URL is the front origin, which serves only the app and /api; the wallet
    // (a phone, in reality) reaches the server itself for the issuer's well-known documents.
    const toServer = (u: string) => (u.startsWith(app.origin) ? app.apiUrl + u.slice(app.origin.length) : u);
    const wallet = new Wallet({
      storage: new MemoryWalletStorage(),
      fetch: (u, init) => fetch(toServer(String(u)), init),
    });
    await wallet.install(link, code, { pin: PIN });
    await wallet.unlock(PIN);
    return { wallet, employeeNumber: '2024101' };
  }

  /** An administrator registers the gate in the portal (the key pair is made in that browser). */
  async function setupCodeFromPortal(page: Page): Promise<string> {
    await page.goto(`${app.origin}/admin/login`);
    await page.getByLabel('관리자 토큰').fill(app.adminToken);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.getByRole('heading', { name: '기관 관리' }).waitFor();
    await page.getByRole('link', { name: '출입구', exact: true }).click();
    await page.getByRole('heading', { name: '청사 출입구' }).waitFor();
    await page.getByLabel('이름', { exact: true }).fill('정부세종청사 6동 정문');
    await page.getByLabel('출입구 그룹', { exact: true }).fill(GROUP);
    await page.getByLabel('건물', { exact: true }).fill('bldg-6');
    await page.getByLabel('출입 허용 기관 코드', { exact: true }).fill('1741000');
    await page.getByRole('button', { name: '등록하고 설정 코드 만들기' }).click();
    const code = (await page.getByTestId('shown-once').innerText()).trim();
    assert.match(code, /^GJG1\./);
    await page.locator('tr[data-gate]').first().waitFor();
    await checkA11y(page);
    await screenshot(page, 'admin-gates');
    // The server got the public key only.
    const gates = (await admin('GET', '/api/v1/admin/gates')).gates as { policy: unknown }[];
    assert.equal(gates.length, 1);
    assert.ok(!JSON.stringify(gates).includes('"d"'));
    return code;
  }

  /** Registers a gate through the API, as `gongjik admin gate add` does; returns its setup code. */
  async function setupCodeFromApi(name: string): Promise<string> {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
    const r = await admin('POST', '/api/v1/admin/gates', {
      name,
      gateGroup: GROUP,
      building: 'bldg-6',
      policy: { timeZone: 'Asia/Seoul', rules: [{ agencies: ['*'], buildings: ['bldg-6'] }] },
      publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
    });
    return encodeGateSetupCode({
      gateId: (r.gate as { id: string }).id,
      privateJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, d: jwk.d! },
    });
  }

  /** Types the QR into the focused wedge input like a USB scanner (keystrokes, then Enter). */
  async function scan(page: Page, qr: string): Promise<{ decision: string; code: string; ms: number }> {
    const result = page.getByTestId('kiosk-result');
    await page.waitForFunction(() => document.activeElement?.id === 'gate-wedge');
    const before = await result.getAttribute('data-decision');
    if (before !== 'idle') {
      // Let the previous decision clear, so the next one is a new state.
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="kiosk-result"]')?.getAttribute('data-decision') === 'idle',
        undefined,
        { timeout: 10_000 },
      );
    }
    await page.keyboard.insertText(qr.slice(0, -1));
    await page.keyboard.type(qr.slice(-1));
    const t0 = Date.now();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => {
        const d = document.querySelector('[data-testid="kiosk-result"]')?.getAttribute('data-decision');
        return d === 'allow' || d === 'deny';
      },
      undefined,
      { timeout: 10_000 },
    );
    const ms = Date.now() - t0;
    return {
      decision: (await result.getAttribute('data-decision')) ?? '',
      code: (await result.getAttribute('data-code')) ?? '',
      ms,
    };
  }

  async function shoot(page: Page, name: string, qr: () => Promise<string>, expect: string) {
    for (const width of [1280, 360] as const) {
      await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
      const r = await scan(page, await qr());
      assert.equal(r.decision, expect);
      assert.equal(await overflowsHorizontally(page), false, `no horizontal scrolling at ${width}px`);
      await checkA11y(page);
      await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}-${width}.png` });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  test('decides ALLOW, then DENY after the card is reported lost and the cached list refreshed', async (t) => {
    if (skip) return t.skip(skip);
    const { wallet, employeeNumber } = await holder();
    const page = await browser.context.newPage();
    const code = await setupCodeFromPortal(page);

    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    await page.goto(`${app.origin}/kiosk`);
    await page.getByLabel('설정 코드').fill(code);
    await checkA11y(page);
    await page.getByRole('button', { name: '설정하고 동기화' }).click();
    await page.getByTestId('kiosk-result').waitFor();
    assert.match(await page.locator('.kiosk-info').innerText(), /정부세종청사 6동 정문/);
    // Nothing at rest reveals the gate key: IndexedDB holds a non-extractable CryptoKey.
    const exported = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('gongjik-gate', 1);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const config = await new Promise<{ key: CryptoKey }>((res) => {
        const g = db.transaction('kv').objectStore('kv').get('config');
        g.onsuccess = () => res(g.result);
      });
      return crypto.subtle.exportKey('jwk', config.key).then(
        () => 'exported',
        () => `refused (extractable=${config.key.extractable})`,
      );
    });
    assert.equal(exported, 'refused (extractable=false)');

    const first = await scan(page, await wallet.gateQr(GROUP));
    assert.deepEqual([first.decision, first.code], ['allow', '']);
    assert.ok(first.ms < 500, `QR → decision ${first.ms} ms (budget 500 ms)`);
    await shoot(page, 'kiosk-allow', () => wallet.gateQr(GROUP), 'allow');

    // The same QR again: a replay.
    const replayed = await wallet.gateQr(GROUP);
    await scan(page, replayed);
    assert.equal((await scan(page, replayed)).code, 'ERR_MID_NONCE_REPLAYED');

    // Reported lost: HR (here the administrator) suspends the card.
    const lost = await admin('POST', `/api/v1/admin/people/${employeeNumber}/mobile-id/suspend`, {});
    assert.equal((lost.card as { state: string }).state, 'suspended');
    // Before the kiosk refreshes its cached list it still allows: the documented offline trade-off.
    assert.equal((await scan(page, await wallet.gateQr(GROUP))).decision, 'allow');

    await page.getByRole('button', { name: '지금 동기화' }).click();
    await page.waitForFunction(() => document.activeElement?.id === 'gate-wedge');
    await page.waitForTimeout(300);
    const denied = await scan(page, await wallet.gateQr(GROUP));
    assert.deepEqual([denied.decision, denied.code], ['deny', 'ERR_MID_STATUS_SUSPENDED']);
    assert.match(await page.locator('.kiosk-reason').innerText(), /정지된 모바일 공무원증/);
    assert.match(await page.locator('.kiosk-reason-en').innerText(), /suspended/);
    await shoot(page, 'kiosk-deny', () => wallet.gateQr(GROUP), 'deny');

    // The decisions reached the server's log (uploaded by the kiosk).
    await page.waitForFunction(
      () => !document.querySelector('.kiosk-status')?.textContent?.includes('올리지 않은'),
    );
    const gates = (await admin('GET', '/api/v1/admin/gates')).gates as { id: string }[];
    const events = (await admin('GET', `/api/v1/admin/gates/${gates[0]!.id}/events`)).events as {
      allow: boolean;
      code: string | null;
    }[];
    assert.ok(events.some((e) => e.code === 'ERR_MID_STATUS_SUSPENDED'));
    assert.ok(events.some((e) => e.allow));

    // No reset for a working kiosk; once the administrator disables the gate, it can be cleared.
    assert.equal(await page.getByRole('button', { name: '출입구 설정 지우기' }).count(), 0);
    await admin('POST', `/api/v1/admin/gates/${gates[0]!.id}/disable`, {});
    await page.getByRole('button', { name: '지금 동기화' }).click();
    await page.getByRole('status').filter({ hasText: '사용이 중지된 출입구' }).waitFor();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: '출입구 설정 지우기' }).click();
    await page.getByRole('heading', { name: '출입구 설정' }).waitFor();

    // The kiosk is its own chunk: the login page does not load it, and the kiosk does not load the admin portal.
    assert.ok(
      scripts.some((u) => /GateKiosk/.test(u)),
      scripts.join(' '),
    );
    assert.ok(!scripts.some((u) => /AdminPortal/.test(u)));
    await page.close();
  });

  test('scans the QR with the camera (jsQR on the video frames of a fake camera showing the wallet’s QR)', async (t) => {
    if (skip) return t.skip(skip);
    const { wallet, employeeNumber } = await holder();
    // The first test reported the card lost; it was found again.
    await admin('POST', `/api/v1/admin/people/${employeeNumber}/mobile-id/resume`, {});
    const code = await setupCodeFromApi('정부세종청사 6동 후문');
    const dir = mkdtempSync(join(tmpdir(), 'gongjik-camera-'));
    const video = join(dir, 'qr.y4m');
    const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [
        ...CHROMIUM_ARGS,
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
      viewport: { width: 1280, height: 900 },
      locale: 'ko-KR',
      timezoneId: 'Asia/Seoul',
    });
    try {
      const page = await context.newPage();
      await page.goto(`${app.origin}/kiosk`);
      await page.getByLabel('설정 코드').fill(code);
      await page.getByRole('button', { name: '설정하고 동기화' }).click();
      await page.getByTestId('kiosk-result').waitFor();
      // The phone's screen in front of the camera: a fresh QR, drawn into the fake camera's video.
      writeFileSync(video, y4mOf(await wallet.gateQr(GROUP)));
      await page.getByRole('button', { name: '카메라로 읽기' }).click();
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="kiosk-result"]')?.getAttribute('data-decision') === 'allow',
        undefined,
        { timeout: 20_000 },
      );
      // The same QR stays in front of the camera: it is not decided again (no replay DENY).
      await page.waitForTimeout(1500);
      assert.notEqual(await page.getByTestId('kiosk-result').getAttribute('data-decision'), 'deny');
      await page.getByRole('button', { name: '카메라 끄기' }).click();
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A 640×480 Y4M video (two identical frames, looped by Chromium) of `text` as a QR code. */
function y4mOf(text: string): Buffer {
  const W = 640;
  const H = 480;
  const qr = encode(text, { ecc: 'L', border: 4 });
  const scale = Math.floor(Math.min(W, H) / qr.size);
  const ox = Math.floor((W - qr.size * scale) / 2);
  const oy = Math.floor((H - qr.size * scale) / 2);
  const y = Buffer.alloc(W * H, 235);
  for (const [r, row] of qr.data.entries()) {
    for (const [c, dark] of row.entries()) {
      if (!dark) continue;
      for (let dy = 0; dy < scale; dy++) {
        const line = (oy + r * scale + dy) * W + ox;
        y.fill(16, line + c * scale, line + (c + 1) * scale);
      }
    }
  }
  const chroma = Buffer.alloc((W / 2) * (H / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F5:1 Ip A1:1 C420jpeg\n`), frame, frame]);
}
