import assert from 'node:assert/strict';
import { createPublicKey, createSign, createVerify } from 'node:crypto';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import { dkimDnsRecord, ensureDkimKey, selectorFor } from '../src/domain/mail/dkim.ts';
import { mailTestServer } from './mail-send-helpers.ts';

forEachDatabase('DKIM keys', (suite) => {
  it('makes one RSA-2048 key per domain, once, even when two processes race', async () => {
    const now = new Date('2026-03-02T01:00:00Z');
    const [k1, k2] = await Promise.all([
      ensureDkimKey(suite.db, 'race.korea.kr', now),
      ensureDkimKey(suite.db, 'race.korea.kr', now),
    ]);
    assert.equal(k1.privateKeyPem, k2.privateKeyPem);
    assert.equal(k1.selector, 'gj202603');
    assert.equal(selectorFor(new Date('2027-11-30T00:00:00Z')), 'gj202711');
    const pub = createPublicKey({ key: Buffer.from(k1.publicKey, 'base64'), format: 'der', type: 'spki' });
    assert.equal(pub.asymmetricKeyDetails?.modulusLength, 2048);
    // The published key verifies what the private key signs.
    const sig = createSign('sha256').update('x').sign(k1.privateKeyPem);
    assert.ok(createVerify('sha256').update('x').verify(pub, sig));
  });

  it('publishes the TXT record through the admin API (what `gongjik admin dkim show` prints)', async () => {
    const t = await mailTestServer(suite.db);
    const key = await ensureDkimKey(suite.db, 'korea.kr', t.clock.now());
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/mail/dkim',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    assert.equal(r.statusCode, 200);
    const rec = (
      r.json().records as { domain: string; name: string; value: string; zoneLine: string }[]
    ).find((x) => x.domain === 'korea.kr')!;
    assert.deepEqual(rec, { ...dkimDnsRecord(key) });
    assert.equal(rec.name, `${key.selector}._domainkey.korea.kr`);
    assert.equal(rec.value, `v=DKIM1; k=rsa; p=${key.publicKey}`);
    assert.match(
      rec.zoneLine,
      /^gj\d{6}\._domainkey\.korea\.kr\. IN TXT \( "v=DKIM1; k=rsa; p=[^"]{1,239}" "[^"]+" \)$/,
    );
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/admin/mail/dkim' });
    assert.equal(anon.statusCode, 401);
  });
});
