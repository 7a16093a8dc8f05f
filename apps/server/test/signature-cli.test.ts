// `gongjik sign verify` against a running server (mobile-ID bundles) and offline (GPKI CMS with a
// trust folder): OK with who/when, exit 1 with the code for a changed document.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { createDevCa, importPrivateKey, issueUserCertificates, signCmsDetached } from '@gongjik/kpki';
import { registerOidcClient } from '../src/domain/oidc/clients.ts';
import { gongjik } from './cli-helpers.ts';
import { call, type MidServer, midServer, newWallet, offerFor, PIN, seedOrg } from './mobile-id-helpers.ts';

const document = Buffer.from('공문: 2027년도 정보화 사업 예산 요구서 (최종)\n');
const changed = Buffer.from('공문: 2027년도 정보화 사업 예산 요구서 (최종) \n');

forEachDatabase('gongjik sign verify', (suite) => {
  let t: MidServer;
  let dir: string;
  before(async () => {
    t = await midServer(suite.db);
    dir = mkdtempSync(join(tmpdir(), 'gongjik-sign-cli-'));
    writeFileSync(join(dir, 'doc.txt'), document);
    writeFileSync(join(dir, 'changed.txt'), changed);
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies a mobile-ID bundle with the server’s keys, and exits 1 with ERR_SIGN_DOCUMENT_CHANGED for a changed document', async () => {
    const reg = await registerOidcClient(
      t.db,
      { clientName: '온-나라 전자결재', redirectUris: ['https://approval.test.korea.kr/cb'] },
      { actor: 'test', now: t.clock.now() },
    );
    const auth = {
      authorization: `Basic ${Buffer.from(`${reg.client.clientId}:${reg.clientSecret}`).toString('base64')}`,
    };
    const org = await seedOrg(t);
    const sms = await offerFor(t, org);
    const { wallet } = newWallet(t);
    await wallet.install(sms.url, sms.txCode, { pin: PIN });
    const sha256 = createHash('sha256').update(document).digest('hex');
    const req = await call(t, 'POST', '/api/v1/sign/requests', {
      headers: auth,
      body: { employeeNumber: org.member.employeeNumber, title: '예산 요구서', sha256 },
    });
    const [view] = await wallet.signatureRequests();
    await wallet.signRequest(view!, PIN);
    const bundle = (await call(t, 'GET', `/api/v1/sign/requests/${req.body.id}`, { headers: auth })).body
      .bundle;
    writeFileSync(join(dir, 'doc.gjsig.json'), JSON.stringify(bundle));

    const ok = await gongjik(
      'sign',
      'verify',
      join(dir, 'doc.gjsig.json'),
      '--document',
      join(dir, 'doc.txt'),
      '--server',
      t.url,
    );
    assert.equal(ok.status, 0, JSON.stringify(ok.out));
    assert.equal(ok.out.kind, 'mobile-id');
    assert.equal(ok.out.signer.name, '류시원');
    assert.equal(ok.out.signer.employeeNumber, org.member.employeeNumber);
    assert.equal(ok.out.card.status, 'VALID');
    assert.equal(
      ok.out.signedAtIso,
      t.clock
        .now()
        .toISOString()
        .replace(/\.\d{3}Z$/, '.000Z'),
    );

    const bad = await gongjik(
      'sign',
      'verify',
      join(dir, 'doc.gjsig.json'),
      '--document',
      join(dir, 'changed.txt'),
      '--server',
      t.url,
    );
    assert.equal(bad.status, 1);
    assert.equal(bad.out.ok, false);
    assert.equal(bad.out.error.code, 'ERR_SIGN_DOCUMENT_CHANGED');
  });

  it('verifies a GPKI .p7s against a trust folder, and refuses a changed document', async () => {
    const now = new Date();
    const ca = await createDevCa({ crypto, now });
    const user = await issueUserCertificates(
      ca,
      { kind: 'gpki', name: '류시원', org: '행정안전부' },
      { crypto, now },
    );
    const trust = join(dir, 'trust');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(trust);
    writeFileSync(join(trust, 'root.cer'), ca.authorities['gpki-root'].certificate);
    writeFileSync(join(trust, 'ca.cer'), ca.authorities['gpki-ca'].certificate);
    writeFileSync(join(trust, 'ca.crl'), ca.authorities['gpki-ca'].crl);
    const key = await importPrivateKey(user.sign.privateKey, 'rsa');
    const cms = await signCmsDetached({
      content: document,
      certDer: user.sign.certificate,
      privateKey: key,
      signingTime: now,
    });
    writeFileSync(join(dir, 'doc.txt.p7s'), cms);

    const ok = await gongjik(
      'sign',
      'verify',
      join(dir, 'doc.txt.p7s'),
      '--document',
      join(dir, 'doc.txt'),
      '--trust',
      trust,
    );
    assert.equal(ok.status, 0, JSON.stringify(ok.out));
    assert.equal(ok.out.kind, 'gpki-cms');
    assert.equal(ok.out.signer.name, '류시원');
    const bad = await gongjik(
      'sign',
      'verify',
      join(dir, 'doc.txt.p7s'),
      '--document',
      join(dir, 'changed.txt'),
      '--trust',
      trust,
    );
    assert.equal(bad.status, 1);
    assert.equal(bad.out.error.code, 'ERR_SIGN_DOCUMENT_CHANGED');
    const untrusted = await gongjik(
      'sign',
      'verify',
      join(dir, 'doc.txt.p7s'),
      '--document',
      join(dir, 'doc.txt'),
      '--trust',
      join(dir, 'nothing'),
    );
    assert.equal(untrusted.status, 1);
    assert.equal(untrusted.out.error.code, 'ERR_SIGN_CERT_UNTRUSTED');
  });
});
