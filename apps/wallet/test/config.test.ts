// The deployment config, install links, the CSP and the WebAuthn signature conversion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { walletCsp } from '../csp.ts';
import { parseConfig } from '../src/app/config.ts';
import { jwtVcIssuerUrl, offerReferenceOf } from '../src/app/wallet-service.ts';
import { creationOptions, fromB64u, requestOptions, toB64u } from '../src/biometrics/webauthn.ts';
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

test('moves WebAuthn options from the issuer’s JSON to the browser’s buffers, always asking for user verification', () => {
  const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
  assert.equal(toB64u(bytes), 'AAEC-vv8_f7_');
  assert.deepEqual(fromB64u('AAEC-vv8_f7_'), bytes);
  assert.throws(() => fromB64u('not base64url!'));
  const create = creationOptions({
    rp: { id: 'wallet.gongjik.go.kr', name: '모바일 공무원증' },
    user: { id: 'Y2FyZA', name: '2024001', displayName: '류시원' },
    challenge: 'AAEC',
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { userVerification: 'discouraged' },
  });
  assert.equal(create.authenticatorSelection?.userVerification, 'required');
  assert.equal(create.authenticatorSelection?.authenticatorAttachment, 'platform');
  assert.deepEqual(new Uint8Array(create.challenge as ArrayBuffer), Uint8Array.from([0, 1, 2]));
  const get = requestOptions({
    challenge: 'AAEC',
    rpId: 'wallet.gongjik.go.kr',
    allowCredentials: [{ id: 'AAEC', type: 'public-key' }],
    userVerification: 'preferred',
  });
  assert.equal(get.userVerification, 'required');
  assert.equal(get.allowCredentials?.length, 1);
  assert.throws(() => requestOptions({ rpId: 'x' }));
});
