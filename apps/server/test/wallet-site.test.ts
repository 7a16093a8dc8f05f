// `gongjik start` serves the wallet PWA on its own origin (GONGJIK_WALLET_PORT), and install links
// point there by default.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { startWalletListener } from '../src/wallet-site.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('install links point at the wallet on the public host, port GONGJIK_WALLET_PORT (8081), unless GONGJIK_MID_WALLET_URL says otherwise', () => {
  assert.equal(loadConfig({}, {}, '/tmp').mobileId.walletUrl, 'http://localhost:8081');
  assert.equal(
    loadConfig({ GONGJIK_PUBLIC_URL: 'https://mail.korea.kr', GONGJIK_WALLET_PORT: '9443' }, {}, '/tmp')
      .mobileId.walletUrl,
    'https://mail.korea.kr:9443',
  );
  assert.equal(
    loadConfig({ GONGJIK_MID_WALLET_URL: 'https://wallet.korea.kr/' }, {}, '/tmp').mobileId.walletUrl,
    'https://wallet.korea.kr',
  );
  assert.throws(() => loadConfig({ GONGJIK_WALLET_PORT: '70000' }, {}, '/tmp'), /GONGJIK_WALLET_PORT|CONFIG/);
});

test('serves the built wallet with its CSP and /config.json naming the issuer; not at all with port 0 or without a build', async () => {
  const off = await startWalletListener(loadConfig({ GONGJIK_WALLET_PORT: '0' }, {}, '/tmp'));
  assert.deepEqual(off, { skipped: 'GONGJIK_WALLET_PORT=0' });
  const empty = mkdtempSync(join(tmpdir(), 'gongjik-wallet-none-'));
  const dist = mkdtempSync(join(tmpdir(), 'gongjik-wallet-dist-'));
  try {
    const port = await freePort();
    const config = loadConfig(
      {
        GONGJIK_WALLET_PORT: String(port),
        GONGJIK_HTTP_HOST: '127.0.0.1',
        GONGJIK_PUBLIC_URL: 'http://127.0.0.1:8080',
      },
      {},
      '/tmp',
    );
    const none = await startWalletListener(config, empty);
    assert.ok('skipped' in none && /not built/.test(none.skipped));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>wallet</title>');
    const r = await startWalletListener(config, dist);
    assert.ok('site' in r);
    try {
      assert.equal(r.url, `http://127.0.0.1:${port}`);
      const page = await fetch(`${r.url}/install?credential_offer_uri=x`);
      assert.equal(page.status, 200);
      assert.match(
        page.headers.get('content-security-policy') ?? '',
        /connect-src 'self' http:\/\/127\.0\.0\.1:8080/,
      );
      assert.match(await page.text(), /<title>wallet<\/title>/);
      const cfg = (await (await fetch(`${r.url}/config.json`)).json()) as { issuer: string; webApp: string };
      assert.equal(cfg.issuer, 'http://127.0.0.1:8080');
      assert.equal(cfg.webApp, 'http://127.0.0.1:8080');
    } finally {
      await r.site.close();
    }
  } finally {
    rmSync(empty, { recursive: true, force: true });
    rmSync(dist, { recursive: true, force: true });
  }
});
