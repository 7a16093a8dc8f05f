// Signing the login challenge in the page (apps/web/src/cert/prove.ts), run in Node's WebCrypto.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { verifyChallenge } from '@gongjik/kpki';
import { fromBase64Url } from '../src/api/base64url.ts';
import { createApiClient } from '../src/api/http.ts';
import { challengeMessage, proveCertificate, unlockCertificate } from '../src/cert/prove.ts';
import { ClientError } from '../src/errors/client-error.ts';
import { type CertificateFolder, makeCertificateFolder } from './browser/helpers/certificates.ts';

const ORIGIN = 'https://mail.korea.kr';

/** An API whose challenge endpoint answers `challenge`; records every request. */
function fakeApi(challenge: Record<string, unknown>) {
  const calls: { url: string; body: unknown }[] = [];
  const api = createApiClient({
    fetch: async (input, init) => {
      calls.push({ url: String(input), body: JSON.parse(String(init?.body)) });
      return new Response(JSON.stringify(challenge), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  return { api, calls };
}

describe('proving a certificate in the page', () => {
  let folder: CertificateFolder;
  before(async () => {
    folder = await makeCertificateFolder(new Date('2026-03-01T00:00:00Z'));
  });
  after(() => rmSync(folder.root, { recursive: true, force: true }));

  test('builds the signed message as four lines without a trailing newline', () => {
    const bytes = challengeMessage({ origin: ORIGIN, challengeId: 'c1', nonce: 'n1' });
    assert.equal(new TextDecoder().decode(bytes), `gongjik-login:v1\n${ORIGIN}\nc1\nn1`);
  });

  test('refuses a wrong password with ERR_PKI_BAD_PASSWORD', async () => {
    await assert.rejects(unlockCertificate(folder.gpki.der, folder.gpki.keyFile, 'wrong'), {
      code: 'ERR_PKI_BAD_PASSWORD',
    });
  });

  test('refuses the key file of another certificate with ERR_PKI_KEY_CERT_MISMATCH', async () => {
    await assert.rejects(unlockCertificate(folder.gpki.der, folder.npki.keyFile, folder.npki.password), {
      code: 'ERR_PKI_KEY_CERT_MISMATCH',
    });
  });

  for (const which of ['gpki', 'npki'] as const) {
    test(`signs a login challenge with ${which === 'gpki' ? 'an RSA' : 'an EC P-256'} key and sends only certificate and signature`, async () => {
      const cert = folder[which];
      const challenge = {
        challengeId: 'ch1',
        nonce: 'nonce-1',
        origin: ORIGIN,
        purpose: 'login',
        expiresAt: null,
      };
      const { api, calls } = fakeApi(challenge);
      const unlocked = await unlockCertificate(cert.der, cert.keyFile, cert.password);
      assert.equal(unlocked.key.extractable, false, 'the signing key cannot be exported');
      const proof = await proveCertificate(api, unlocked, 'login', ORIGIN);
      assert.deepEqual(Object.keys(proof).sort(), ['certificate', 'challengeId', 'signature']);
      assert.deepEqual(fromBase64Url(proof.certificate), cert.der);
      await verifyChallenge(cert.der, challengeMessage(challenge), fromBase64Url(proof.signature));
      assert.deepEqual(calls, [{ url: '/api/v1/auth/challenge', body: { purpose: 'login' } }]);
    });
  }

  test('refuses to sign a challenge bound to another origin', async () => {
    const { api } = fakeApi({
      challengeId: 'c',
      nonce: 'n',
      origin: 'https://evil.example',
      purpose: 'login',
    });
    const unlocked = await unlockCertificate(folder.gpki.der, folder.gpki.keyFile, folder.gpki.password);
    await assert.rejects(
      proveCertificate(api, unlocked, 'login', ORIGIN),
      (err) => err instanceof ClientError && err.key === 'error.originMismatch',
    );
  });

  test('refuses to sign a registration challenge for a login', async () => {
    const { api } = fakeApi({ challengeId: 'c', nonce: 'n', origin: ORIGIN, purpose: 'register' });
    const unlocked = await unlockCertificate(folder.gpki.der, folder.gpki.keyFile, folder.gpki.password);
    await assert.rejects(
      proveCertificate(api, unlocked, 'login', ORIGIN),
      (err) => err instanceof ClientError && err.key === 'error.purposeMismatch',
    );
  });
});
