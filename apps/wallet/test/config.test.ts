// The deployment config, install links, the CSP and the WebAuthn signature conversion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walletCsp } from '../csp.ts';
import { parseConfig } from '../src/app/config.ts';
import { jwtVcIssuerUrl, offerReferenceOf } from '../src/app/wallet-service.ts';
import { derToRawSignature } from '../src/biometrics/webauthn.ts';
import { ClientError } from '../src/errors/client-error.ts';

test('reads the config and refuses one without an http(s) issuer', () => {
  const c = parseConfig({
    issuer: 'https://id.gongjik.go.kr/',
    webApp: 'javascript:alert(1)',
    gateGroups: [{ id: 'a', name: 'A' }, 5],
  });
  assert.equal(c.issuer, 'https://id.gongjik.go.kr');
  assert.equal(c.webApp, null, 'a javascript: URL is not a web app link');
  assert.deepEqual(c.gateGroups, [{ id: 'a', name: 'A' }]);
  assert.throws(() => parseConfig({ issuer: 'ftp://x' }));
  assert.throws(() => parseConfig(null));
});

test('finds the offer in an install link, by reference or by value', () => {
  const uri = 'https://id.gongjik.go.kr/mid/offers/abc';
  assert.deepEqual(
    offerReferenceOf(`https://wallet.gongjik.go.kr/install?offer=${encodeURIComponent(uri)}`),
    { uri },
  );
  assert.deepEqual(
    offerReferenceOf(`https://w.example/install?credential_offer_uri=${encodeURIComponent(uri)}`),
    { uri },
  );
  assert.deepEqual(offerReferenceOf('https://w.example/install?credential_offer=%7B%7D'), { offer: '{}' });
  assert.throws(
    () => offerReferenceOf('https://w.example/install?foo=1'),
    (e) => e instanceof ClientError && e.key === 'welcome.linkInvalid',
  );
  assert.throws(() => offerReferenceOf('not a url'), ClientError);
});

test('puts the SD-JWT VC issuer metadata under /.well-known/jwt-vc-issuer', () => {
  assert.equal(
    jwtVcIssuerUrl('https://id.gongjik.go.kr'),
    'https://id.gongjik.go.kr/.well-known/jwt-vc-issuer',
  );
  assert.equal(jwtVcIssuerUrl('https://gov.kr/id/'), 'https://gov.kr/.well-known/jwt-vc-issuer/id');
});

test('the CSP allows scripts from the wallet only and connections to the issuer only', () => {
  const csp = walletCsp({ issuerOrigins: ['https://id.gongjik.go.kr/some/path'] });
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /connect-src 'self' https:\/\/id\.gongjik\.go\.kr;/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
});

test('converts a DER ECDSA signature to the 64-byte form WebCrypto verifies', () => {
  const r = new Uint8Array(32).fill(0x81); // high bit set: DER adds a leading zero
  const s = new Uint8Array(31).fill(0x11); // short: DER drops leading zeros
  const der = Uint8Array.from([0x30, 2 + 33 + 2 + 31, 0x02, 33, 0, ...r, 0x02, 31, ...s]);
  const raw = derToRawSignature(der);
  assert.equal(raw.length, 64);
  assert.deepEqual(raw.subarray(0, 32), r);
  assert.equal(raw[32], 0);
  assert.deepEqual(raw.subarray(33), s);
  assert.throws(() => derToRawSignature(Uint8Array.from([0x31, 0])));
});
