import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { importPrivateKey, signCmsDetached, verifyCmsDetached } from '../src/index.ts';
import { GPKI_ISSUER, makeCertificate, POLICY, pem, type TestKeys, testKeys } from './helpers/certs.ts';

const document = new TextEncoder().encode('공문: 2026년 정기회의 개최 알림\n');
const signingTime = new Date('2026-03-02T09:30:00Z');
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const needsOpenssl = hasOpenssl ? {} : { skip: 'openssl is not installed' };

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kpki-cms-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function signer(kind: 'rsa' | 'ec', slot = 0) {
  const keys = await testKeys(kind, slot);
  const der = await makeCertificate({
    subject: 'CN=850홍길동001,OU=행정안전부,O=Government of Korea,C=KR',
    issuer: GPKI_ISSUER,
    policies: [POLICY.gpkiPersonal],
    keys,
    issuerKeys: await testKeys('rsa', 9),
    serial: kind === 'rsa' ? '7f01' : '0080ff02',
    subjectKeyIdentifier: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, kind === 'rsa' ? 1 : 2]),
  });
  return { keys, der };
}

async function sign(kind: 'rsa' | 'ec', content = document) {
  const { keys, der } = await signer(kind);
  const privateKey = await importPrivateKey(keys.pkcs8, kind);
  return { cms: await signCmsDetached({ content, certDer: der, privateKey, signingTime }), der, keys };
}

function keyPem(keys: TestKeys): string {
  const lines = Buffer.from(keys.pkcs8)
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN PRIVATE KEY-----\n${lines}\n-----END PRIVATE KEY-----\n`;
}

function openssl(args: string[]): { status: number | null; stderr: string } {
  const run = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

function isCode(code: string) {
  return (err: unknown) => isGongjikError(err) && err.code === code;
}

for (const kind of ['rsa', 'ec'] as const) {
  test(`a detached CMS we make (${kind}) verifies with our code and returns the signer and signing time`, async () => {
    const { cms, der } = await sign(kind);
    const result = await verifyCmsDetached(cms, document);
    assert.deepEqual(result.signerCertDer, der);
    assert.equal(result.signingTime?.toISOString(), signingTime.toISOString());
    assert.equal(result.digestAlgorithm, 'SHA-256');
    assert.equal(result.signers.length, 1);
  });

  test(`a detached CMS we make (${kind}) verifies with openssl cms -verify`, needsOpenssl, async () => {
    const { cms } = await sign(kind);
    await writeFile(join(dir, `ours-${kind}.der`), cms);
    await writeFile(join(dir, 'doc.txt'), document);
    const run = openssl([
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir, `ours-${kind}.der`),
      '-content',
      join(dir, 'doc.txt'),
      '-noverify',
      '-out',
      join(dir, 'out.txt'),
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(new Uint8Array(await readFile(join(dir, 'out.txt'))), document);
  });

  test(
    `a detached CMS made by openssl cms -sign (${kind}) verifies with our code`,
    needsOpenssl,
    async () => {
      const { keys, der } = await signer(kind);
      await writeFile(join(dir, `cert-${kind}.pem`), pem(der));
      await writeFile(join(dir, `key-${kind}.pem`), keyPem(keys));
      await writeFile(join(dir, 'doc.txt'), document);
      const variants: [string, string[]][] = [
        ['default', []],
        ['subject key identifier', ['-keyid']],
        ['no signed attributes', ['-noattr']],
        ['SHA-384', ['-md', 'sha384']],
      ];
      for (const [label, extra] of variants) {
        const out = join(dir, `openssl-${kind}.der`);
        const run = openssl([
          'cms',
          '-sign',
          '-binary',
          '-outform',
          'DER',
          '-in',
          join(dir, 'doc.txt'),
          '-signer',
          join(dir, `cert-${kind}.pem`),
          '-inkey',
          join(dir, `key-${kind}.pem`),
          '-out',
          out,
          ...extra,
        ]);
        assert.equal(run.status, 0, run.stderr);
        const cms = new Uint8Array(await readFile(out));
        const result = await verifyCmsDetached(cms, document);
        assert.deepEqual(result.signerCertDer, der, label);
        if (label === 'no signed attributes') assert.equal(result.signingTime, null);
        else assert.ok(result.signingTime instanceof Date, label);
        const changed = new Uint8Array(document);
        changed[0] ^= 1;
        const expected =
          label === 'no signed attributes' ? 'ERR_PKI_SIGNATURE_INVALID' : 'ERR_PKI_CMS_CONTENT_MISMATCH';
        await assert.rejects(verifyCmsDetached(cms, changed), isCode(expected), label);
      }
    },
  );
}

test('refuses a changed document with ERR_PKI_CMS_CONTENT_MISMATCH', async () => {
  const { cms } = await sign('rsa');
  const changed = new TextEncoder().encode('공문: 2026년 정기회의 취소 알림\n');
  await assert.rejects(verifyCmsDetached(cms, changed), isCode('ERR_PKI_CMS_CONTENT_MISMATCH'));
  await assert.rejects(verifyCmsDetached(cms, new Uint8Array(0)), isCode('ERR_PKI_CMS_CONTENT_MISMATCH'));
});

test('refuses a changed signature or a changed signed attribute with ERR_PKI_SIGNATURE_INVALID', async () => {
  const { cms } = await sign('rsa');
  const badSignature = new Uint8Array(cms);
  badSignature[badSignature.length - 1]! ^= 1;
  await assert.rejects(verifyCmsDetached(badSignature, document), isCode('ERR_PKI_SIGNATURE_INVALID'));
  // Point messageDigest at another document: the attributes no longer match the signature.
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', document));
  const at = Buffer.from(cms).indexOf(Buffer.from(digest));
  assert.ok(at > 0);
  const badDigest = new Uint8Array(cms);
  badDigest[at]! ^= 1;
  await assert.rejects(verifyCmsDetached(badDigest, document), isCode('ERR_PKI_SIGNATURE_INVALID'));
});

test('refuses malformed CMS with ERR_PKI_CMS_MALFORMED', async () => {
  const { cms } = await sign('rsa');
  const wrongType = new Uint8Array(cms);
  // ContentInfo OID 1.2.840.113549.1.7.2 → .7.1 (data)
  const oidAt = Buffer.from(cms).indexOf(Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]));
  wrongType[oidAt + 8] = 0x01;
  for (const bad of [
    new Uint8Array(0),
    new Uint8Array([1, 2, 3]),
    cms.subarray(0, cms.length - 20),
    new Uint8Array([...cms, 0]),
    wrongType,
    new Uint8Array(1024 * 1024 + 1),
    new Uint8Array([0x30, 0x03, 0x06, 0x01, 0x00]),
  ]) {
    await assert.rejects(
      verifyCmsDetached(bad, document),
      isCode('ERR_PKI_CMS_MALFORMED'),
      String(bad.length),
    );
  }
});

test(
  'refuses a CMS without the signer certificate, and an attached one, with ERR_PKI_CMS_MALFORMED',
  needsOpenssl,
  async () => {
    const { keys, der } = await signer('rsa');
    await writeFile(join(dir, 'cert.pem'), pem(der));
    await writeFile(join(dir, 'key.pem'), keyPem(keys));
    await writeFile(join(dir, 'doc.txt'), document);
    for (const extra of [['-nocerts'], ['-nodetach']]) {
      const out = join(dir, 'variant.der');
      const run = openssl([
        'cms',
        '-sign',
        '-binary',
        '-outform',
        'DER',
        '-in',
        join(dir, 'doc.txt'),
        '-signer',
        join(dir, 'cert.pem'),
        '-inkey',
        join(dir, 'key.pem'),
        '-out',
        out,
        ...extra,
      ]);
      assert.equal(run.status, 0, run.stderr);
      await assert.rejects(
        verifyCmsDetached(new Uint8Array(await readFile(out)), document),
        isCode('ERR_PKI_CMS_MALFORMED'),
        extra[0],
      );
    }
  },
);

test('refuses to sign with a private key that is not the certificate’s with ERR_PKI_KEY_CERT_MISMATCH', async () => {
  const { der } = await signer('rsa');
  const other = await importPrivateKey((await testKeys('rsa', 1)).pkcs8);
  await assert.rejects(
    signCmsDetached({ content: document, certDer: der, privateKey: other, signingTime }),
    isCode('ERR_PKI_KEY_CERT_MISMATCH'),
  );
  const ec = await importPrivateKey((await testKeys('ec')).pkcs8);
  await assert.rejects(
    signCmsDetached({ content: document, certDer: der, privateKey: ec, signingTime }),
    isCode('ERR_PKI_KEY_CERT_MISMATCH'),
  );
});

test('uses GeneralizedTime for signing times from 2050 on', async () => {
  const { keys, der } = await signer('ec');
  const late = new Date('2051-05-05T05:05:05Z');
  const cms = await signCmsDetached({
    content: document,
    certDer: der,
    privateKey: await importPrivateKey(keys.pkcs8),
    signingTime: late,
  });
  assert.equal((await verifyCmsDetached(cms, document)).signingTime?.toISOString(), late.toISOString());
});
