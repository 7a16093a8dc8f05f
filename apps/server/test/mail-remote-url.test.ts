import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { assertPublicAddress, isPublicAddress, isPublicHttpUrl } from '../src/domain/mail/remote-url.ts';

describe('isPublicAddress / assertPublicAddress (IANA special-purpose registries)', () => {
  const refused = [
    '0.0.0.0', '0.1.2.3', '10.0.0.1', '10.255.255.255', '100.64.0.1', '100.127.255.255', '127.0.0.1', '127.8.9.10',
    '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.0.0.8', '192.0.2.1', '192.88.99.1', '192.168.0.1',
    '198.18.0.1', '198.19.255.255', '198.51.100.7', '203.0.113.9', '224.0.0.1', '239.255.255.250', '240.0.0.1',
    '255.255.255.255',
    '::', '::1', 'fe80::1', 'fe80::1%eth0', 'febf::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'fec0::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:8.8.8.8', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a00:1',
    '64:ff9b::8.8.8.8', '100::1', '2001::1', '2001:0:4136:e378::1', '2001:db8::1', '2002:7f00:1::1', '2002:808:808::1',
    '3fff::1',
    // Not canonical addresses at all: the proxy must resolve names and pass real addresses.
    '0177.0.0.1', '0x7f.0.0.1', '2130706433', '127.1', 'localhost', '', '1.2.3', '1.2.3.4.5',
  ]; // biome-ignore format: a list
  for (const ip of refused) {
    it(`refuses ${JSON.stringify(ip)} with ERR_MAIL_REMOTE_ADDRESS_REFUSED`, () => {
      assert.equal(isPublicAddress(ip), false);
      assert.throws(
        () => assertPublicAddress(ip),
        (err: unknown) => isGongjikError(err, 'ERR_MAIL_REMOTE_ADDRESS_REFUSED'),
      );
    });
  }

  it('allows public IPv4 and global unicast IPv6', () => {
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '100.128.0.1',
      '172.32.0.1',
      '192.169.0.1',
      '211.234.1.1',
      '2606:4700::1111',
      '2001:4860:4860::8888',
      '2400:cb00::1',
    ]) {
      assert.equal(isPublicAddress(ip), true, ip);
      assertPublicAddress(ip);
    }
  });
});

describe('isPublicHttpUrl', () => {
  it('accepts public http(s) URLs on the usual ports', () => {
    for (const u of [
      'https://cdn.example.com/a.png',
      'http://1.1.1.1/x',
      'https://[2606:4700::1111]/x',
      'http://img.korea.kr:8080/a',
    ]) {
      assert.equal(isPublicHttpUrl(u), true, u);
    }
  });

  it('refuses private hosts however they are spelled, internal names, credentials, odd ports and schemes', () => {
    for (const u of [
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://017700000001/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:a00:1]/',
      'http://[fe80::1]/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.1.1/',
      'http://0.0.0.0/',
      'http://0/',
      'http://localhost/',
      'http://LOCALHOST./',
      'http://app.localhost/',
      'http://printer.local/',
      'http://db.internal/',
      'http://intranet/',
      'http://router.home.arpa/',
      'http://user:pass@cdn.example.com/',
      'http://cdn.example.com:22/',
      'http://cdn.example.com:6379/',
      'ftp://cdn.example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      `https://cdn.example.com/${'a'.repeat(2100)}`,
    ]) {
      // biome-ignore format: a list
      assert.equal(isPublicHttpUrl(u), false, u);
    }
  });
});
