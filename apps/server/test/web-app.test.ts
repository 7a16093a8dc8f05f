import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { CONTENT_SECURITY_POLICY } from '@gongjik/web/csp';
import { manualClock } from '../src/clock.ts';
import { buildServer } from '../src/server.ts';
import { START, testConfig } from './helpers.ts';

function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gongjik-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Gongjik</title><script type="module" src="/assets/index-AbC123.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

forEachDatabase('web app serving', (suite) => {
  const server = async (env: Record<string, string> = {}) =>
    buildServer(
      {
        db: suite.db,
        config: testConfig({ GONGJIK_WEB_DIST: fakeDist(), ...env }),
        clock: manualClock(START),
      },
      { logLevel: 'silent' },
    );

  it('serves index.html at / with the app CSP, no framing and no-cache', async () => {
    const app = await server();
    const r = await app.inject({ method: 'GET', url: '/' });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    assert.match(r.body, /<title>Gongjik<\/title>/);
    assert.equal(r.headers['content-security-policy'], `${CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['cache-control'], 'no-cache');
  });

  it('answers index.html for page paths the app routes itself, and 404 for missing files and /api paths', async () => {
    const app = await server();
    for (const url of ['/login', '/signup/step-2', '/renew?x=1']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 200, url);
      assert.match(r.body, /<title>Gongjik/);
    }
    for (const url of ['/assets/nope-123.js', '/robots.txt', '/api/nope', '/api']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.equal(r.json().code, 'ERR_RESOURCE_NOT_FOUND');
    }
  });

  it('caches hashed assets as immutable and answers a matching ETag with 304', async () => {
    const app = await server();
    const r = await app.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/javascript/);
    assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
    const again = await app.inject({
      method: 'GET',
      url: '/assets/index-AbC123.js',
      headers: { 'if-none-match': String(r.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
    assert.equal(icon.headers['cache-control'], 'public, max-age=3600');
  });

  it('sends the security headers on API answers too, and HSTS only over https', async () => {
    const https = await server();
    const r = await https.inject({ method: 'GET', url: '/healthz' });
    assert.equal(r.headers['x-frame-options'], 'DENY');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['referrer-policy'], 'same-origin');
    assert.match(String(r.headers['permissions-policy']), /camera=\(\)/);
    assert.match(String(r.headers['strict-transport-security']), /max-age=31536000/);
    // Only the gate kiosk's page may use the camera (its own origin), for QR scanning.
    const kiosk = await https.inject({ method: 'GET', url: '/kiosk' });
    assert.match(String(kiosk.headers['permissions-policy']), /camera=\(self\)/);
    assert.match(String(kiosk.headers['permissions-policy']), /microphone=\(\)/);
    const login = await https.inject({ method: 'GET', url: '/login' });
    assert.match(String(login.headers['permissions-policy']), /camera=\(\)/);
    const local = await server({ GONGJIK_PUBLIC_URL: 'http://localhost:8080' });
    const l = await local.inject({ method: 'GET', url: '/healthz' });
    assert.equal(l.headers['strict-transport-security'], undefined);
  });

  it('says the web app is not built when dist is missing', async () => {
    const app = await server({ GONGJIK_WEB_DIST: join(tmpdir(), 'gongjik-no-such-dist') });
    const r = await app.inject({ method: 'GET', url: '/' });
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /npm run build -w @gongjik\/web/);
  });
});
