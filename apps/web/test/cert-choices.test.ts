// Which certificates the login page marks: unusable ones (blockers) and usable ones to renew soon.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CertificateDescription } from '@gongjik/kpki';
import { blockersOf, type CertificateChoice, expiresWithin } from '../src/cert/choices.ts';

function choice(notAfter: string, cls: CertificateDescription['class'] = 'gpki-personal'): CertificateChoice {
  return {
    id: `folder:${notAfter}`,
    source: 'folder',
    description: {
      class: cls,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date(notAfter),
    } as CertificateDescription,
    readKeyFile: async () => new Uint8Array(1),
  };
}

// 2026-03-02 10:00 in Korea
const now = new Date('2026-03-02T01:00:00Z');

test('counts the days left to expiry in Korean calendar days, within 30, as the server does', () => {
  assert.equal(expiresWithin(choice('2026-03-20T03:00:00Z'), now), 18); // the server test's case
  assert.equal(expiresWithin(choice('2026-04-01T00:00:00Z'), now), 30);
  assert.equal(expiresWithin(choice('2026-04-02T00:00:00Z'), now), null);
  assert.equal(expiresWithin(choice('2026-03-02T14:59:00Z'), now), 0); // today, 23:59 in Korea
  assert.equal(expiresWithin(choice('2026-04-02T00:00:00Z'), now, 60), 31);
});

test('says nothing of renewal for an expired certificate: that one is blocked instead', () => {
  const expired = choice('2026-03-01T00:00:00Z');
  assert.equal(expiresWithin(expired, now), null);
  assert.deepEqual(blockersOf(expired, now), ['expired']);
  assert.deepEqual(blockersOf(choice('2026-03-20T03:00:00Z'), now), []);
});
