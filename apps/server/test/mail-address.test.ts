import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { normalizeRecipients, parseAddress, parseMailbox } from '../src/domain/mail/address.ts';

const refuses = (fn: () => unknown, code: string, reason?: string) =>
  assert.throws(fn, (err: unknown) => {
    assert.ok(isGongjikError(err), 'a GongjikError');
    assert.equal(err.code, code);
    if (reason) assert.equal(err.details.reason, reason);
    return true;
  });

describe('parseAddress', () => {
  it('accepts a plain address and lower-cases only the domain', () => {
    const a = parseAddress(' Hong.Gil-dong@Korea.GO.KR ');
    assert.equal(a.address, 'Hong.Gil-dong@korea.go.kr');
    assert.equal(a.local, 'Hong.Gil-dong');
    assert.equal(a.domain, 'korea.go.kr');
  });

  it('converts an internationalised domain to punycode and keeps the Unicode form for display', () => {
    const a = parseAddress('hong@한국.kr');
    assert.equal(a.address, 'hong@xn--3e0b707e.kr');
    assert.equal(a.unicodeDomain, '한국.kr');
  });

  it('refuses CR, LF and NUL anywhere with ERR_MAIL_HEADER_INJECTION', () => {
    for (const bad of [
      'a@b.kr\r\nBcc: x@evil.kr',
      'a@b.kr\nX: y',
      'a\r@b.kr',
      'a@b.kr\u0000',
      'a@b.kr\u2028',
    ]) {
      refuses(() => parseAddress(bad), 'ERR_MAIL_HEADER_INJECTION');
    }
  });

  const invalid: [string, string][] = [
    ['', 'empty'],
    ['hong', 'missing-at'],
    ['@korea.kr', 'empty-local-part'],
    ['"hong gildong"@korea.kr', 'quoted-local-part'],
    ['홍길동@korea.kr', 'non-ascii-local-part'],
    ['.hong@korea.kr', 'local-part-syntax'],
    ['hong.@korea.kr', 'local-part-syntax'],
    ['ho..ng@korea.kr', 'local-part-syntax'],
    ['ho ng@korea.kr', 'local-part-syntax'],
    ['a@b@korea.kr', 'local-part-syntax'],
    [`${'a'.repeat(65)}@korea.kr`, 'local-part-too-long'],
    ['hong@', 'empty-domain'],
    ['hong@[10.0.0.1]', 'domain-literal'],
    ['hong@localhost', 'domain-not-qualified'],
    ['hong@10.0.0.1', 'domain-numeric-tld'],
    ['hong@-korea.kr', 'domain-syntax'],
    ['hong@korea-.kr', 'domain-syntax'],
    ['hong@kor_ea.kr', 'domain-syntax'],
    ['hong@korea..kr', 'domain-syntax'],
    ['hong@korea.kr.', 'domain-syntax'],
    ['hong@korea.kr/x', 'domain-syntax'],
    [`hong@${'a'.repeat(64)}.kr`, 'domain-syntax'],
    [`hong@${Array(60).fill('abcd').join('.')}.kr`, 'domain-too-long'],
    [`${'a'.repeat(64)}@${Array(38).fill('abcde').join('.')}.kr`, 'too-long'],
  ];
  for (const [input, reason] of invalid) {
    it(`refuses ${JSON.stringify(input.length > 40 ? `${input.slice(0, 30)}…` : input)} with ERR_MAIL_ADDRESS_INVALID (${reason})`, () => {
      refuses(() => parseAddress(input), 'ERR_MAIL_ADDRESS_INVALID', reason);
    });
  }

  it('never echoes the refused address in the error', () => {
    try {
      parseAddress('secret-person@@korea.kr');
      assert.fail('should refuse');
    } catch (err) {
      assert.ok(isGongjikError(err));
      assert.ok(!JSON.stringify(err.details).includes('secret-person'));
      assert.ok(!err.message.includes('secret-person'));
    }
  });
});

describe('parseMailbox', () => {
  it('reads Name <address>, a quoted name with a comma, and { name, address }', () => {
    assert.deepEqual(
      [parseMailbox('홍길동 <hong@korea.kr>'), parseMailbox('"Kim, Minsu" <kim@korea.kr>')].map((m) => [
        m.name,
        m.address,
      ]),
      [
        ['홍길동', 'hong@korea.kr'],
        ['Kim, Minsu', 'kim@korea.kr'],
      ],
    );
    const m = parseMailbox({ name: ' 류 시원 ', address: 'ryu@korea.kr' });
    assert.equal(m.name, '류 시원');
  });

  it('refuses a line break in a display name with ERR_MAIL_HEADER_INJECTION', () => {
    refuses(
      () => parseMailbox({ name: 'Hong\r\nBcc: x@evil.kr', address: 'hong@korea.kr' }),
      'ERR_MAIL_HEADER_INJECTION',
    );
    refuses(() => parseMailbox('Hong\n <hong@korea.kr>'), 'ERR_MAIL_HEADER_INJECTION');
  });

  it('refuses groups, two addresses and stray brackets', () => {
    for (const bad of [
      'a <b@c.kr> <d@e.kr>',
      'team: a@b.kr;',
      '"unterminated <a@b.kr>',
      'a"b <a@b.kr>',
      'a@b.kr, c@d.kr',
    ]) {
      assert.throws(
        () => parseMailbox(bad),
        (err: unknown) => isGongjikError(err, 'ERR_MAIL_ADDRESS_INVALID'),
        bad,
      );
    }
  });
});

describe('normalizeRecipients', () => {
  it('deduplicates case-insensitively across To, Cc and Bcc, keeping the first place', () => {
    const r = normalizeRecipients(
      ['hong@korea.kr', 'Kim <KIM@korea.kr>'],
      ['HONG@Korea.kr', 'lee@korea.kr'],
      ['kim@korea.kr', 'park@korea.kr', 'lee@korea.kr'],
    );
    assert.deepEqual(
      r.to.map((m) => m.address),
      ['hong@korea.kr', 'KIM@korea.kr'],
    );
    assert.deepEqual(
      r.cc.map((m) => m.address),
      ['lee@korea.kr'],
    );
    assert.deepEqual(
      r.bcc.map((m) => m.address),
      ['park@korea.kr'],
    );
    assert.deepEqual(r.all, ['hong@korea.kr', 'KIM@korea.kr', 'lee@korea.kr', 'park@korea.kr']);
  });

  it('refuses no recipients with ERR_MAIL_NO_RECIPIENTS', () => {
    refuses(() => normalizeRecipients([], null, undefined), 'ERR_MAIL_NO_RECIPIENTS');
  });

  it('refuses more than the maximum with ERR_MAIL_TOO_MANY_RECIPIENTS, counting distinct addresses', () => {
    const many = Array.from({ length: 6 }, (_, i) => `u${i}@korea.kr`);
    assert.equal(normalizeRecipients(many, [], [], { max: 6 }).all.length, 6);
    refuses(() => normalizeRecipients(many, ['x@korea.kr'], [], { max: 6 }), 'ERR_MAIL_TOO_MANY_RECIPIENTS');
    assert.equal(
      normalizeRecipients([...many, ...many], [], [], { max: 6 }).all.length,
      6,
      'duplicates do not count',
    );
  });

  it('refuses a huge list before parsing it', () => {
    const huge = Array.from({ length: 100_000 }, () => 'not an address');
    refuses(() => normalizeRecipients(huge, [], [], { max: 100 }), 'ERR_MAIL_TOO_MANY_RECIPIENTS');
  });

  it('names the offending field, e.g. cc[1]', () => {
    assert.throws(
      () => normalizeRecipients(['a@korea.kr'], ['b@korea.kr', 'broken'], []),
      (err: unknown) => isGongjikError(err, 'ERR_MAIL_ADDRESS_INVALID') && err.details.field === 'cc[1]',
    );
  });
});
