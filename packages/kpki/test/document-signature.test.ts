import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import {
  createDevCa,
  type DevCa,
  type DocumentTrust,
  type IssuedUser,
  importPrivateKey,
  issueUserCertificates,
  reissueCrls,
  revokeCertificate,
  signCmsDetached,
  verifyDocumentSignature,
} from '../src/index.ts';

const now = new Date('2026-03-02T09:00:00Z');
const clock = { crypto, now };
const document = new TextEncoder().encode('공문: 2027년도 정보화 사업 예산 요구서\n');
let ca: DevCa;
let user: IssuedUser;
let trust: DocumentTrust;

const isCode = (code: string, reason?: string) => (err: unknown) => {
  assert.ok(isGongjikError(err), String(err));
  assert.equal(err.code, code);
  if (reason) assert.equal(err.details.reason, reason);
  return true;
};

async function sign(content: Uint8Array, signingTime = now, who = user) {
  const key = await importPrivateKey(who.sign.privateKey, 'rsa');
  return signCmsDetached({ content, certDer: who.sign.certificate, privateKey: key, signingTime });
}

before(async () => {
  ca = await createDevCa(clock);
  user = await issueUserCertificates(
    ca,
    { kind: 'gpki', name: '류시원', org: '행정안전부', dept: '디지털정부국' },
    clock,
  );
  trust = {
    anchors: [ca.authorities['gpki-root'].certificate],
    intermediates: [ca.authorities['gpki-ca'].certificate],
    crls: [ca.authorities['gpki-ca'].crl],
  };
});

describe('GPKI document signatures (detached CMS)', () => {
  it('says who signed and when, with a path to the published GPKI root', async () => {
    const cms = await sign(document);
    const v = await verifyDocumentSignature(cms, document, {
      trust,
      now: new Date(now.getTime() + 86_400_000),
    });
    assert.equal(v.signer.name, '류시원');
    assert.equal(v.signer.class, 'gpki-personal');
    assert.match(v.signer.issuer, /CA131100001/);
    assert.equal(v.signingTime?.toISOString(), now.toISOString());
    assert.equal(v.revokedAfterSigning, null);
  });

  it('refuses a changed document with ERR_SIGN_DOCUMENT_CHANGED', async () => {
    const cms = await sign(document);
    const changed = new TextEncoder().encode('공문: 2027년도 정보화 사업 예산 요구서 \n');
    await assert.rejects(
      verifyDocumentSignature(cms, changed, { trust, now }),
      isCode('ERR_SIGN_DOCUMENT_CHANGED'),
    );
  });

  it('refuses an altered signature file with ERR_SIGN_BUNDLE_TAMPERED', async () => {
    const cms = await sign(document);
    const altered = new Uint8Array(cms);
    altered[altered.length - 5]! ^= 0x01;
    await assert.rejects(
      verifyDocumentSignature(altered, document, { trust, now }),
      isCode('ERR_SIGN_BUNDLE_TAMPERED'),
    );
    await assert.rejects(
      verifyDocumentSignature(new TextEncoder().encode('not a cms'), document, { trust, now }),
      isCode('ERR_SIGN_BUNDLE_TAMPERED'),
    );
  });

  it('refuses a certificate that does not chain to the published roots with ERR_SIGN_CERT_UNTRUSTED', async () => {
    const npki = await issueUserCertificates(ca, { kind: 'npki', name: '류시원', org: 'WRIBank' }, clock);
    const cms = await sign(document, now, npki);
    await assert.rejects(
      verifyDocumentSignature(cms, document, { trust, now }),
      isCode('ERR_SIGN_CERT_UNTRUSTED'),
    );
  });

  it('refuses a certificate revoked before the signing time, and warns when it was revoked after', async () => {
    const other = await issueUserCertificates(
      ca,
      { kind: 'gpki', name: '이주무관', org: '행정안전부' },
      clock,
    );
    const cms = await sign(document, now, other);
    const later = new Date(now.getTime() + 3_600_000);
    revokeCertificate(ca, other.sign.serial, { now: later });
    await reissueCrls(ca, { crypto, now: later });
    const withCrl = { ...trust, crls: [ca.authorities['gpki-ca'].crl] };
    const v = await verifyDocumentSignature(cms, document, { trust: withCrl, now: later });
    assert.equal(v.revokedAfterSigning?.toISOString(), later.toISOString());
    const backdatedAfter = await sign(document, new Date(later.getTime() + 60_000), other);
    await assert.rejects(
      verifyDocumentSignature(backdatedAfter, document, {
        trust: withCrl,
        now: new Date(later.getTime() + 120_000),
      }),
      isCode('ERR_SIGN_CERT_UNTRUSTED', 'ERR_PKI_REVOKED'),
    );
  });
});
