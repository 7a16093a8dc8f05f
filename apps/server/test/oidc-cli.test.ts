import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { type RunningServer, startServer } from '../src/start.ts';
import { gongjik } from './cli-helpers.ts';

describe('gongjik admin oidc-client and oidc-keys', () => {
  let dir: string;
  let server: RunningServer;
  let common: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongjik-oidc-'));
    server = await startServer(
      loadConfig({ GONGJIK_LOG_LEVEL: 'silent' }, { dataDir: join(dir, 'data'), port: 0, smtpPort: 0 }),
    );
    common = ['--server', server.listenUrl, '--data', join(dir, 'data')];
  });

  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds, lists and removes a client; the secret is printed once', async () => {
    const add = await gongjik(
      'admin',
      'oidc-client',
      'add',
      ...common,
      '--id',
      'onnara',
      '--name',
      '온나라',
      '--redirect-uri',
      'https://onnara.example.go.kr/cb',
      '--redirect-uri',
      'https://onnara.example.go.kr/cb2',
    );
    assert.equal(add.status, 0, JSON.stringify(add.out));
    assert.match(add.out.clientSecret, /^gjcs_/);
    assert.deepEqual(add.out.client.redirectUris, [
      'https://onnara.example.go.kr/cb',
      'https://onnara.example.go.kr/cb2',
    ]);
    const list = await gongjik('admin', 'oidc-client', 'list', ...common);
    assert.ok(list.out.clients.some((c: { clientId: string }) => c.clientId === 'onnara'));
    assert.ok(!JSON.stringify(list.out).includes(add.out.clientSecret));
    const bad = await gongjik(
      'admin',
      'oidc-client',
      'add',
      ...common,
      '--name',
      'x',
      '--redirect-uri',
      'http://onnara.example.go.kr/cb',
    );
    assert.equal(bad.status, 1);
    assert.equal(bad.out.error.code, 'ERR_OIDC_REDIRECT_URI_INVALID');
    assert.equal((await gongjik('admin', 'oidc-client', 'remove', ...common, '--id', 'onnara')).status, 0);
    const again = await gongjik('admin', 'oidc-client', 'remove', ...common, '--id', 'onnara');
    assert.equal(again.out.error.code, 'ERR_RESOURCE_NOT_FOUND');
  });

  it('refuses without the admin token', async () => {
    const r = await gongjik(
      'admin',
      'oidc-client',
      'list',
      '--server',
      server.listenUrl,
      '--token',
      'gja_nope',
    );
    assert.equal(r.out.error.code, 'ERR_AUTH_ADMIN_REQUIRED');
  });

  it('publishes discovery, keeps the key secret in the data dir (0600) and rotates keys', async () => {
    const res = await fetch(`${server.listenUrl}/oidc/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { issuer: string };
    // the issuer is GONGJIK_PUBLIC_URL + /oidc (here the default, http://localhost:<configured port>)
    assert.equal(doc.issuer, 'http://localhost:0/oidc');
    const secretFile = join(dir, 'data', 'oidc-key-secret');
    assert.equal(statSync(secretFile).mode & 0o777, 0o600);
    assert.match(readFileSync(secretFile, 'utf8'), /^[A-Za-z0-9_-]{43}\n$/);
    const r = await gongjik('admin', 'oidc-keys', 'rotate', ...common);
    assert.equal(r.status, 0, JSON.stringify(r.out));
    assert.equal(r.out.created.length, 3);
    assert.equal(r.out.retired.length, 3);
  });
});
