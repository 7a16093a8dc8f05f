// The electronic-signature screens in Chromium against the REAL server: /verify with a mobile-ID
// bundle (good, then a changed document) and GPKI signing on /sign, whose .p7s is then verified on
// /verify against the trust roots the server publishes (GET /api/v1/sign/trust).
// The mobile-ID bundle is made here with the server's own issuer key (from its database) and a
// fresh device key: the full request → wallet → bundle flow is tested in apps/server/test/signature.test.ts.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDevCa, issueUserCertificates, userBundle } from '@gongjik/kpki';
import {
  generateDeviceKey,
  issueOfficialIdCredential,
  issueUnlockToken,
  jwkThumbprint,
  StatusList,
  signDocument,
  signStatusListToken,
} from '@gongjik/mobile-id';
import { createSession } from '../../../server/src/domain/auth/sessions.ts';
import { getIssuerKeyring } from '../../../server/src/domain/mobile-id/keys.ts';
import { checkA11y } from './helpers/a11y.ts';
import { type BuiltApp, ensureBuilt } from './helpers/build.ts';
import { type Browser, chromiumSkipReason, launchBrowser } from './helpers/chromium.ts';
import { type RealApp, startRealApp } from './helpers/real-server.ts';
import { overflowsHorizontally, screenshot } from './helpers/screenshot.ts';

const skip = chromiumSkipReason();
const PASSWORD = 'gpki-test-암호-1234';

describe('electronic signature screens (Chromium, real server)', () => {
  let browser: Browser;
  let app: RealApp;
  let built: BuiltApp;
  let dir: string;

  before(async () => {
    if (skip) return;
    built = await ensureBuilt();
    app = await startRealApp(built.dir);
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'gongjik-sign-web-'));
  });

  after(async () => {
    if (skip) return;
    await browser?.close();
    await app?.close();
    built?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const document = Buffer.from('공문: 2027년도 정보화 사업 예산 요구서 (최종)\n');
  const changed = Buffer.from('공문: 2027년도 정보화 사업 예산 요구서 (최종) \n');

  async function mobileIdBundle(): Promise<string> {
    const now = new Date();
    const ring = await getIssuerKeyring(app.db, now);
    const issuer = app.config.mobileId.issuer;
    const device = await generateDeviceKey();
    const statusUri = `${issuer}/api/v1/mid/status/1`;
    const credential = await issueOfficialIdCredential({
      issuer,
      issuerKey: ring.active,
      holderJwk: device.publicJwk,
      status: { idx: 7, uri: statusUri },
      validFrom: new Date(now.getTime() - 86_400_000),
      validUntil: new Date(now.getTime() + 365 * 86_400_000),
      now,
      claims: {
        name: '류시원',
        employee_number: '2024001',
        agency: { name: '행정안전부', code: '1741000' },
        department: '디지털정부혁신실',
        position: '행정사무관',
        photo_digest: '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU',
      },
    });
    const bundle = await signDocument({
      title: '2027년도 정보화 사업 예산 요구서',
      sha256: createHash('sha256').update(document).digest('hex'),
      reason: '결재',
      requestId: '8d2f4c1e-2a51-4f3e-9a3b-6c0d1e2f3a4b',
      audience: 'onnara-approval',
      credential,
      devicePrivateKey: device.privateKey,
      unlockToken: await issueUnlockToken({
        issuer,
        issuerKey: ring.active,
        deviceJkt: await jwkThumbprint(device.publicJwk),
        now,
        lifetimeSeconds: 3600,
      }),
      statusToken: await signStatusListToken({
        list: new StatusList(1024, 2),
        uri: statusUri,
        issuer,
        issuerKey: ring.active,
        now,
        ttlSeconds: 300,
        validSeconds: 86_400,
      }),
      now,
    });
    const path = join(dir, 'budget.gjsig.json');
    writeFileSync(path, JSON.stringify(bundle, null, 2));
    return path;
  }

  async function verifyOnPage(signaturePath: string, documentPath: string) {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${app.origin}/verify`);
    await page.getByRole('heading', { level: 1, name: '전자서명 검증' }).waitFor();
    await page.getByLabel('서명 파일').setInputFiles(signaturePath);
    await page.getByLabel('서명된 문서').setInputFiles(documentPath);
    await page.getByRole('button', { name: '서명 검증' }).click();
    await page.locator('.verify-verdict').waitFor();
    return { page, errors };
  }

  test('verify: a mobile-ID bundle says who signed, when and that the card was valid; a changed document is refused', async (t) => {
    if (skip) return t.skip(skip);
    const bundlePath = await mobileIdBundle();
    writeFileSync(join(dir, 'budget.txt'), document);
    writeFileSync(join(dir, 'budget-changed.txt'), changed);

    const { page, errors } = await verifyOnPage(bundlePath, join(dir, 'budget.txt'));
    const result = page.getByTestId('verify-result');
    assert.equal(await page.locator('.verify-verdict').textContent(), '유효한 서명입니다');
    const text = (await result.textContent()) ?? '';
    assert.match(text, /류시원/);
    assert.match(text, /행정안전부/);
    assert.match(text, /2024001/);
    assert.match(text, /유효 \(발급기관 상태 목록/);
    assert.match(text, /onnara-approval/);
    await checkA11y(page);
    await page.setViewportSize({ width: 360, height: 780 });
    assert.equal(await overflowsHorizontally(page), false, 'no horizontal scrolling at 360 px');
    await checkA11y(page);
    await screenshot(page, 'verify');
    assert.deepEqual(errors, [], 'no console errors (a CSP violation would show here)');
    await page.close();

    const bad = await verifyOnPage(bundlePath, join(dir, 'budget-changed.txt'));
    assert.equal(await bad.page.locator('.verify-verdict').textContent(), '이 서명을 인정할 수 없습니다');
    assert.equal(await bad.page.getByRole('alert').getAttribute('data-code'), 'ERR_SIGN_DOCUMENT_CHANGED');
    assert.match((await bad.page.getByRole('alert').textContent()) ?? '', /서명 후 문서가 변경되었습니다/);
    await screenshot(bad.page, 'verify-changed');
    await bad.page.close();
  });

  test('sign: a signed-in official signs with a GPKI certificate in the browser; /verify accepts the .p7s and refuses a changed document', async (t) => {
    if (skip) return t.skip(skip);
    // The dev CA's GPKI hierarchy is what the server trusts (its trust directory).
    const now = new Date(Date.now() - 60_000);
    const ca = await createDevCa({ crypto, now });
    const user = await issueUserCertificates(
      ca,
      { kind: 'gpki', name: '류시원', org: '행정안전부', dept: '디지털정부국' },
      { crypto, now },
    );
    const trustDir = app.config.auth.trustDir;
    mkdirSync(trustDir, { recursive: true });
    writeFileSync(join(trustDir, 'gpki-root.cer'), ca.authorities['gpki-root'].certificate);
    writeFileSync(join(trustDir, 'gpki-ca.cer'), ca.authorities['gpki-ca'].certificate);
    writeFileSync(join(trustDir, 'gpki-ca.crl'), ca.authorities['gpki-ca'].crl);
    const bundle = await userBundle(user, { password: PASSWORD, crypto, iterations: 2048 });
    const usb = join(dir, 'usb');
    const files: string[] = [];
    for (const f of bundle.files.filter((x) => x.role === 'signCert' || x.role === 'signKey')) {
      const folder = join(usb, ...f.path.slice(0, -1));
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(usb, ...f.path), f.data);
      files.push(join(usb, ...f.path));
    }
    writeFileSync(join(dir, 'memo.txt'), document);
    writeFileSync(join(dir, 'memo-changed.txt'), changed);

    // A signed-in official (the session seam the sign-in methods call).
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
    await app.db.updateTable('accounts').set({ state: 'active' }).where('id', '=', accountId).execute();
    const s = await createSession(app.db, accountId, {
      method: 'certificate',
      now: new Date(),
      policy: app.config.sessions,
    });
    await browser.context.addCookies([
      { name: 'gongjik-session', value: s.token, url: app.origin, httpOnly: true, sameSite: 'Lax' },
    ]);

    const page = await browser.context.newPage();
    const sent: string[] = [];
    page.on('request', (req) => {
      if (req.method() !== 'GET') sent.push(`${req.method()} ${req.url()} ${req.postData() ?? ''}`);
    });
    await page.goto(`${app.origin}/sign`);
    await page.getByRole('heading', { level: 1, name: 'GPKI 인증서로 문서 서명' }).waitFor();
    await page.getByTestId('sign-document-input').setInputFiles(join(dir, 'memo.txt'));
    await page.getByTestId('document-chosen').waitFor();
    assert.match(
      (await page.getByTestId('document-chosen').textContent()) ?? '',
      new RegExp(createHash('sha256').update(document).digest('hex')),
    );
    await page.getByTestId('files-input').setInputFiles(files);
    await page.locator('.cert-item', { hasText: '류시원' }).first().waitFor();
    await page.getByLabel('인증서 암호').fill(PASSWORD);
    await checkA11y(page);
    await screenshot(page, 'sign');
    await page.getByRole('button', { name: '서명', exact: true }).click();
    await page.getByTestId('sign-done').waitFor();
    const downloading = page.waitForEvent('download');
    await page.getByTestId('download').click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'memo.txt.p7s');
    const p7s = join(dir, 'memo.txt.p7s');
    await download.saveAs(p7s);
    assert.equal(readFileSync(p7s)[0], 0x30, 'DER CMS');
    await screenshot(page, 'sign-done');
    for (const line of sent) {
      assert.ok(!line.includes(PASSWORD), 'the password is never sent');
    }
    assert.deepEqual(sent, [], 'signing sends nothing to the server');
    await page.close();

    const good = await verifyOnPage(p7s, join(dir, 'memo.txt'));
    assert.equal(await good.page.locator('.verify-verdict').textContent(), '유효한 서명입니다');
    assert.match((await good.page.getByTestId('verify-result').textContent()) ?? '', /류시원/);
    assert.match((await good.page.getByTestId('verify-result').textContent()) ?? '', /CA131100001/);
    await screenshot(good.page, 'verify-gpki');
    await good.page.close();
    const bad = await verifyOnPage(p7s, join(dir, 'memo-changed.txt'));
    assert.equal(await bad.page.getByRole('alert').getAttribute('data-code'), 'ERR_SIGN_DOCUMENT_CHANGED');
    await bad.page.close();
  });
});
