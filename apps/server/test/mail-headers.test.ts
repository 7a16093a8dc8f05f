import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import {
  assertSafeHeaderValue,
  buildReferences,
  MAX_REFERENCES,
  validateCustomHeader,
  validateDisplayName,
  validateMessageId,
  validateSubject,
} from '../src/domain/mail/headers.ts';

const refuses = (fn: () => unknown, code: string) =>
  assert.throws(fn, (err: unknown) => isGongjikError(err) && err.code === code);

describe('header values for sending', () => {
  it('keeps an ordinary Korean subject, NFC-normalised and trimmed', () => {
    assert.equal(validateSubject('  [공지] 2025년 정기회의\t안내 '), '[공지] 2025년 정기회의\t안내');
    // Decomposed jamo (NFD) becomes precomposed syllables.
    assert.equal(validateSubject('\u1112\u1161\u11ab'), '한');
  });

  it('refuses CR, LF, NUL, NEL and line separators in a subject with ERR_MAIL_HEADER_INJECTION', () => {
    for (const bad of [
      '회의\r\nBcc: x@evil.kr',
      '회의\nX',
      '회의\r',
      'a\u0000b',
      'a\u0085b',
      'a\u2028b',
      'a\u2029b',
      'a\u001bb',
    ]) {
      refuses(() => validateSubject(bad), 'ERR_MAIL_HEADER_INJECTION');
    }
  });

  it('refuses a line break in a display name with ERR_MAIL_HEADER_INJECTION', () => {
    refuses(() => validateDisplayName('홍길동\r\nTo: x@evil.kr'), 'ERR_MAIL_HEADER_INJECTION');
  });

  it('refuses an over-long value with ERR_MAIL_HEADER_INVALID', () => {
    refuses(() => validateSubject('가'.repeat(999)), 'ERR_MAIL_HEADER_INVALID');
    refuses(() => validateDisplayName('a'.repeat(257)), 'ERR_MAIL_HEADER_INVALID');
    assert.equal(validateSubject('가'.repeat(998)).length, 998);
  });

  it('refuses a value that is not text', () => {
    refuses(() => assertSafeHeaderValue(42, 'x'), 'ERR_MAIL_HEADER_INVALID');
  });

  it('allows only X- custom headers, with safe names and values', () => {
    assert.deepEqual(validateCustomHeader('X-Gongjik-Doc', '1234'), { name: 'X-Gongjik-Doc', value: '1234' });
    refuses(() => validateCustomHeader('Bcc', 'x@evil.kr'), 'ERR_MAIL_HEADER_INVALID');
    refuses(() => validateCustomHeader('X-A: b\r\nBcc', 'x'), 'ERR_MAIL_HEADER_INJECTION');
    refuses(() => validateCustomHeader('X-A:B', 'x'), 'ERR_MAIL_HEADER_INVALID');
    refuses(() => validateCustomHeader('X-A', 'ok\r\nBcc: x@evil.kr'), 'ERR_MAIL_HEADER_INJECTION');
  });
});

describe('Message-IDs of replies', () => {
  it('accepts an id with or without brackets and returns it bracketed', () => {
    assert.equal(validateMessageId('abc.123@mail.korea.kr'), '<abc.123@mail.korea.kr>');
    assert.equal(validateMessageId('<abc@x>'), '<abc@x>');
  });

  it('refuses ids with spaces, brackets inside, no @ or a line break', () => {
    for (const bad of ['<a b@x>', '<a<b@x>', '<abc>', 'a@x>\r\nBcc: y', '<@x>', '<a@>']) {
      assert.throws(
        () => validateMessageId(bad),
        (err: unknown) => isGongjikError(err) && /^ERR_MAIL_HEADER_(INVALID|INJECTION)$/.test(err.code),
        bad,
      );
    }
  });

  it('builds References as parent references + parent id, deduplicated and bounded to root + newest', () => {
    assert.deepEqual(buildReferences(['<a@x>', '<b@x>', '<a@x>'], '<c@x>'), ['<a@x>', '<b@x>', '<c@x>']);
    const long = Array.from({ length: 80 }, (_, i) => `<m${i}@x>`);
    const refs = buildReferences(long, '<last@x>');
    assert.equal(refs.length, MAX_REFERENCES);
    assert.equal(refs[0], '<m0@x>');
    assert.equal(refs.at(-1), '<last@x>');
    assert.equal(refs.at(-2), '<m79@x>');
  });
});
