// CORS for the wallet PWA on its own origin: the issuer endpoints answer the wallet's origin only,
// the status lists and keys answer everyone, and nothing else gets CORS headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { installWalletCors } from '../src/http/wallet-cors.ts';

const WALLET = 'https://wallet.test.korea.kr';

async function app() {
  const a = Fastify();
  installWalletCors(a, WALLET);
  for (const url of [
    '/api/v1/mid/token',
    '/api/v1/mid/unlock',
    '/api/v1/mid/status/:id',
    '/api/v1/mid/me/suspend',
  ])
    a.post(url, async () => ({ ok: true }));
  a.get('/.well-known/openid-credential-issuer', async () => ({}));
  a.get('/api/v1/mid/status/:id', async () => 'jwt');
  return a;
}

test('answers the wallet origin on the issuer endpoints, with a preflight', async () => {
  const a = await app();
  const pre = await a.inject({
    method: 'OPTIONS',
    url: '/api/v1/mid/unlock',
    headers: { origin: WALLET, 'access-control-request-method': 'POST' },
  });
  assert.equal(pre.statusCode, 204);
  assert.equal(pre.headers['access-control-allow-origin'], WALLET);
  assert.match(String(pre.headers['access-control-allow-headers']), /authorization/);
  assert.equal(pre.headers['access-control-allow-credentials'], undefined, 'never with cookies');
  const meta = await a.inject({ url: '/.well-known/openid-credential-issuer', headers: { origin: WALLET } });
  assert.equal(meta.headers['access-control-allow-origin'], WALLET);
});

test('refuses CORS to any other origin on the issuer endpoints', async () => {
  const a = await app();
  const r = await a.inject({
    method: 'POST',
    url: '/api/v1/mid/token',
    headers: { origin: 'https://evil.example' },
  });
  assert.equal(r.headers['access-control-allow-origin'], undefined);
});

test('status lists are public; portal routes (cookie sessions) never get CORS', async () => {
  const a = await app();
  const s = await a.inject({ url: '/api/v1/mid/status/1', headers: { origin: 'https://gate.example' } });
  assert.equal(s.headers['access-control-allow-origin'], '*');
  const me = await a.inject({ method: 'POST', url: '/api/v1/mid/me/suspend', headers: { origin: WALLET } });
  assert.equal(me.headers['access-control-allow-origin'], undefined);
});

test('the wallet origin (only) reaches the signature-request endpoints; the work-system API gets no CORS', async () => {
  const a = await app();
  for (const url of [
    '/api/v1/mid/sign/pending',
    '/api/v1/mid/sign/requests/8d2f4c1e-2a51-4f3e-9a3b-6c0d1e2f3a4b/complete',
    '/api/v1/mid/sign/requests/8d2f4c1e-2a51-4f3e-9a3b-6c0d1e2f3a4b/decline',
  ]) {
    const pre = await a.inject({
      method: 'OPTIONS',
      url,
      headers: { origin: WALLET, 'access-control-request-method': 'POST' },
    });
    assert.equal(pre.headers['access-control-allow-origin'], WALLET, url);
    const evil = await a.inject({
      method: 'OPTIONS',
      url,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(evil.headers['access-control-allow-origin'], undefined, url);
  }
  const ws = await a.inject({
    method: 'OPTIONS',
    url: '/api/v1/sign/requests',
    headers: { origin: WALLET, 'access-control-request-method': 'POST' },
  });
  assert.equal(ws.headers['access-control-allow-origin'], undefined);
});
