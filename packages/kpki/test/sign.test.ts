import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import {
  assertKeyMatchesCertificate,
  ecdsaRawToDer,
  importPrivateKey,
  prepareChallengeVerifier,
  signChallenge,
  verifyChallenge,
} from '../src/index.ts';
import { GPKI_ISSUER, makeCertificate, POLICY, testKeys } from './helpers/certs.ts';

const challenge = new TextEncoder().encode('https://mail.example.kr|nonce=3f9a1c|2026-01-01T00:00:00Z');

async function subjectCert(kind: 'rsa' | 'ec' | 'ec-p384', slot = 0) {
  const keys = await testKeys(kind, slot);
  const der = await makeCertificate({
    subject: 'CN=850홍길동001,OU=행정안전부,O=Government of Korea,C=KR',
    issuer: GPKI_ISSUER,
    policies: [POLICY.gpkiPersonal],
    keys,
    issuerKeys: await testKeys('rsa', 9),
  });
  return { keys, der };
}

/** A PKCS#8 with KISA's randomNum attribute appended, as decrypted GPKI/NPKI key files carry. */
function withRandomNum(pkcs8: Uint8Array): Uint8Array {
  // [0] { SEQUENCE { OID 1.2.410.200004.10.1.1.3, SET { BIT STRING 0x00 0x01020304 } } }
  const attr = Uint8Array.from([
    0xa0, 0x19, 0x30, 0x17, 0x06, 0x0a, 0x2a, 0x83, 0x1a, 0x8c, 0x9a, 0x44, 0x0a, 0x01, 0x01, 0x03, 0x31,
    0x09, 0x03, 0x07, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
  ]);
  // Re-wrap the outer SEQUENCE (long form, 2 length bytes for RSA; 1 byte or short for EC).
  const { headerLength, length } = readHeader(pkcs8);
  const body = new Uint8Array(length + attr.byteLength);
  body.set(pkcs8.subarray(headerLength), 0);
  body.set(attr, length);
  return Uint8Array.from([0x30, ...lengthBytes(body.byteLength), ...body]);
}

function readHeader(der: Uint8Array): { headerLength: number; length: number } {
  const first = der[1]!;
  if (first < 0x80) return { headerLength: 2, length: first };
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + der[2 + i]!;
  return { headerLength: 2 + n, length };
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

for (const kind of ['rsa', 'ec'] as const) {
  test(`signs and verifies a login challenge with ${kind === 'rsa' ? 'RSASSA-PKCS1-v1_5 SHA-256' : 'ECDSA P-256'}`, async () => {
    const { keys, der } = await subjectCert(kind);
    const key = await importPrivateKey(keys.pkcs8, kind);
    assert.equal(key.extractable, false);
    const signature = await signChallenge(key, challenge);
    assert.equal(signature.byteLength, kind === 'rsa' ? 256 : 64);
    await verifyChallenge(der, challenge, signature);
    const verifier = await prepareChallengeVerifier(der);
    await verifyChallenge(verifier, challenge, signature);
  });
}

test('accepts a DER-encoded ECDSA challenge signature too', async () => {
  const { keys, der } = await subjectCert('ec');
  const raw = await signChallenge(await importPrivateKey(keys.pkcs8, 'ec'), challenge);
  await verifyChallenge(der, challenge, ecdsaRawToDer(raw));
});

test('imports a key file PKCS#8 that carries the randomNum attribute', async () => {
  const { keys, der } = await subjectCert('rsa');
  const key = await importPrivateKey(withRandomNum(keys.pkcs8), 'rsa');
  await verifyChallenge(der, challenge, await signChallenge(key, challenge));
  await assertKeyMatchesCertificate(withRandomNum(keys.pkcs8), der);
});

test('refuses a signature made with another key with ERR_PKI_SIGNATURE_INVALID', async () => {
  for (const kind of ['rsa', 'ec'] as const) {
    const { der } = await subjectCert(kind);
    const other = await testKeys(kind, 1);
    const signature = await signChallenge(await importPrivateKey(other.pkcs8, kind), challenge);
    await assert.rejects(verifyChallenge(der, challenge, signature), (err) =>
      isGongjikError(err, 'ERR_PKI_SIGNATURE_INVALID'),
    );
  }
});

test('refuses a signature over another challenge, a truncated one and an empty one with ERR_PKI_SIGNATURE_INVALID', async () => {
  const { keys, der } = await subjectCert('rsa');
  const signature = await signChallenge(await importPrivateKey(keys.pkcs8), challenge);
  const changed = new Uint8Array(challenge);
  changed[0] ^= 1;
  for (const [msg, sig] of [
    [changed, signature],
    [challenge, signature.subarray(0, 255)],
    [challenge, new Uint8Array(0)],
    [challenge, new Uint8Array(4096)],
  ] as const) {
    await assert.rejects(verifyChallenge(der, msg, sig), (err) =>
      isGongjikError(err, 'ERR_PKI_SIGNATURE_INVALID'),
    );
  }
  const ec = await subjectCert('ec');
  await assert.rejects(verifyChallenge(ec.der, challenge, new Uint8Array([0x30, 0x02, 0x05, 0x00])), (err) =>
    isGongjikError(err, 'ERR_PKI_SIGNATURE_INVALID'),
  );
});

test('refuses keys other than RSA and EC P-256 with ERR_PKI_ALGORITHM_UNSUPPORTED', async () => {
  const p384 = await subjectCert('ec-p384');
  await assert.rejects(verifyChallenge(p384.der, challenge, new Uint8Array(96)), (err) =>
    isGongjikError(err, 'ERR_PKI_ALGORITHM_UNSUPPORTED'),
  );
  await assert.rejects(importPrivateKey(p384.keys.pkcs8), (err) =>
    isGongjikError(err, 'ERR_PKI_ALGORITHM_UNSUPPORTED'),
  );
  const rsa = await testKeys('rsa');
  await assert.rejects(importPrivateKey(rsa.pkcs8, 'ec'), (err) =>
    isGongjikError(err, 'ERR_PKI_ALGORITHM_UNSUPPORTED'),
  );
});

test('refuses a garbage PKCS#8 with ERR_PKI_KEY_FILE_MALFORMED', async () => {
  await assert.rejects(importPrivateKey(new Uint8Array([1, 2, 3])), (err) =>
    isGongjikError(err, 'ERR_PKI_KEY_FILE_MALFORMED'),
  );
});

test('confirms that a private key belongs to its certificate', async () => {
  for (const kind of ['rsa', 'ec'] as const) {
    const { keys, der } = await subjectCert(kind);
    await assertKeyMatchesCertificate(keys.pkcs8, der);
  }
});

test('refuses a private key of another certificate with ERR_PKI_KEY_CERT_MISMATCH', async () => {
  const rsa = await subjectCert('rsa');
  const ec = await subjectCert('ec');
  for (const [pkcs8, der] of [
    [(await testKeys('rsa', 1)).pkcs8, rsa.der],
    [(await testKeys('ec', 1)).pkcs8, ec.der],
    [ec.keys.pkcs8, rsa.der],
    [rsa.keys.pkcs8, ec.der],
  ] as const) {
    await assert.rejects(assertKeyMatchesCertificate(pkcs8, der), (err) =>
      isGongjikError(err, 'ERR_PKI_KEY_CERT_MISMATCH'),
    );
  }
});
