import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import type { GongjikError } from '@gongjik/errors';
import { oidcAdapter, pruneOidcPayloads } from '../src/domain/oidc/adapter.ts';
import { assertRedirectUri, clientSecretMatches, registerOidcClient } from '../src/domain/oidc/clients.ts';
import { deriveKeyEncryptionKey, openSecret, sealSecret } from '../src/domain/oidc/key-secret.ts';
import { loadOidcKeys, rotateOidcKeys } from '../src/domain/oidc/keys.ts';

const T0 = new Date('2026-03-02T01:00:00Z');
const kek = deriveKeyEncryptionKey('a-test-secret-that-is-long-enough-0123456789');

forEachDatabase('oidc storage', (suite) => {
  it('stores, finds, consumes and expires provider models', async () => {
    let now = T0;
    const adapter = oidcAdapter(suite.db, { now: () => now });
    const codes = adapter('AuthorizationCode');
    await codes.upsert('c1', { accountId: 'a', grantId: 'g1', clientId: 'x' }, 60);
    assert.deepEqual(await codes.find('c1'), { accountId: 'a', grantId: 'g1', clientId: 'x' });
    assert.equal(await adapter('AccessToken').find('c1'), undefined, 'models are separate');
    await codes.consume('c1');
    assert.equal((await codes.find('c1'))!.consumed, Math.floor(T0.getTime() / 1000));
    now = new Date(T0.getTime() + 61_000);
    assert.equal(await codes.find('c1'), undefined, 'expired');
    assert.equal(await pruneOidcPayloads(suite.db, now), 1);
  });

  it('finds sessions by uid and revokes every token of a grant', async () => {
    const adapter = oidcAdapter(suite.db, { now: () => T0 });
    await adapter('Session').upsert('s1', { uid: 'u1', accountId: 'a' }, 600);
    assert.equal((await adapter('Session').findByUid('u1'))!.accountId, 'a');
    await adapter('AccessToken').upsert('at1', { grantId: 'g2' }, 600);
    await adapter('RefreshToken').upsert('rt1', { grantId: 'g2' }, 600);
    await adapter('AccessToken').upsert('at2', { grantId: 'other' }, 600);
    await adapter('AccessToken').revokeByGrantId('g2');
    assert.equal(await adapter('AccessToken').find('at1'), undefined);
    assert.equal(await adapter('RefreshToken').find('rt1'), undefined);
    assert.ok(await adapter('AccessToken').find('at2'));
    await adapter('Session').destroy('s1');
    assert.equal(await adapter('Session').findByUid('u1'), undefined);
  });

  it('reads registered clients, with the secret only as a hash', async () => {
    const r = await registerOidcClient(
      suite.db,
      { clientName: '업무', redirectUris: ['https://work.example.go.kr/cb'] },
      { actor: 'admin:test', now: T0 },
    );
    const meta = await oidcAdapter(suite.db)('Client').find(r.client.clientId);
    assert.equal(meta!.client_id, r.client.clientId);
    assert.notEqual(meta!.client_secret, r.clientSecret);
    assert.ok(clientSecretMatches(r.clientSecret!, meta!.client_secret as string));
    assert.ok(!clientSecretMatches(`${r.clientSecret}x`, meta!.client_secret as string));
    assert.ok(!clientSecretMatches(undefined, meta!.client_secret as string));
  });

  it('creates one set of keys, sealed at rest, and refuses a wrong key secret with ERR_OIDC_KEYS_UNREADABLE', async () => {
    const db = (await suite.fresh()).db;
    const [a, b] = await Promise.all([loadOidcKeys(db, kek, T0), loadOidcKeys(db, kek, T0)]);
    assert.deepEqual(
      a.jwks.keys.map((k) => k.kid),
      b.jwks.keys.map((k) => k.kid),
    );
    assert.deepEqual(
      a.jwks.keys.map((k) => k.alg),
      ['ES256', 'RS256'].filter((alg) => a.jwks.keys.some((k) => k.alg === alg)),
    );
    assert.equal(a.jwks.keys.length, 2);
    assert.equal(a.cookieKeys.length, 1);
    const rows = await db.selectFrom('oidc_keys').selectAll().execute();
    assert.equal(rows.length, 3);
    for (const row of rows) {
      const priv = a.jwks.keys.find((k) => k.kid === row.kid);
      if (priv) {
        assert.ok(!row.private_enc.includes(String(priv.d)), 'private part sealed');
        assert.equal((row.public_jwk as Record<string, unknown>).d, undefined);
      } else assert.ok(!row.private_enc.includes(a.cookieKeys[0]!));
    }
    await assert.rejects(
      loadOidcKeys(db, deriveKeyEncryptionKey('another-secret-that-is-long-enough-000000'), T0),
      (e: GongjikError) => e.code === 'ERR_OIDC_KEYS_UNREADABLE',
    );
  });

  it('rotates keys: new ones sign first, retired ones stay published until their retention ends', async () => {
    const db = (await suite.fresh()).db;
    const first = await loadOidcKeys(db, kek, T0);
    const r1 = await rotateOidcKeys(db, kek, { actor: 'admin:test', now: T0 });
    const after1 = await loadOidcKeys(db, kek, T0);
    assert.deepEqual(
      after1.jwks.keys
        .slice(0, 2)
        .map((k) => k.kid)
        .sort(),
      r1.created.slice(0, 2).sort(),
    );
    for (const k of first.jwks.keys) assert.ok(after1.jwks.keys.some((a) => a.kid === k.kid));
    assert.equal(after1.cookieKeys.length, 2);
    assert.notEqual(after1.version, first.version);
    const r2 = await rotateOidcKeys(db, kek, {
      actor: 'admin:test',
      now: new Date(T0.getTime() + 8 * 86_400_000),
    });
    assert.equal(r2.removed.length, 3, 'the first signing keys and cookie key');
    for (const k of first.jwks.keys) assert.ok(r2.removed.includes(k.kid));
    const after2 = await loadOidcKeys(db, kek, T0);
    for (const k of first.jwks.keys) assert.ok(!after2.jwks.keys.some((a) => a.kid === k.kid), 'removed');
  });

  it('seals with AES-GCM bound to the key id', () => {
    const sealed = sealSecret(kek, 'secret', 'kid-1');
    assert.equal(openSecret(kek, sealed, 'kid-1'), 'secret');
    assert.throws(
      () => openSecret(kek, sealed, 'kid-2'),
      (e: GongjikError) => e.code === 'ERR_OIDC_KEYS_UNREADABLE',
    );
  });

  it('accepts https redirect URIs and http only for loopback hosts', () => {
    for (const ok of [
      'https://work.example.go.kr/cb',
      'http://localhost:3000/cb',
      'http://127.0.0.1/cb',
      'http://[::1]:8/cb',
    ])
      assertRedirectUri(ok, 'x');
    for (const bad of [
      'http://work.example.go.kr/cb',
      'https://work.example.go.kr/cb#f',
      'https://user:pw@work.example.go.kr/cb',
      'ftp://work.example.go.kr/cb',
      '/relative',
      'http://localhost.evil.example/cb',
    ])
      assert.throws(
        () => assertRedirectUri(bad, 'x'),
        (e: GongjikError) => e.code === 'ERR_OIDC_REDIRECT_URI_INVALID',
        bad,
      );
  });
});
