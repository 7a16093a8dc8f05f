import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { compareNames, extractHolderName, nameDifference } from '../src/index.ts';

test('extracts the name from GPKI/EPKI CNs wrapped in digits', () => {
  assert.equal(extractHolderName('850홍길동001'), '홍길동');
  assert.equal(extractHolderName('001류시원010', 'gpki-personal'), '류시원');
  assert.equal(extractHolderName('홍길동001'), '홍길동');
  assert.equal(extractHolderName('850홍길동'), '홍길동');
  assert.equal(extractHolderName('850Kim Minsu001', 'epki-personal'), 'Kim Minsu');
});

test('keeps a plain name and an inner space as they are', () => {
  assert.equal(extractHolderName('홍길동'), '홍길동');
  assert.equal(extractHolderName('850류 시원001'), '류 시원');
  assert.equal(extractHolderName('남궁 민수'), '남궁 민수');
});

test('extracts the name from NPKI CNs', () => {
  assert.equal(extractHolderName('홍길동()0010023400506789012345'), '홍길동');
  assert.equal(extractHolderName('홍길동()0010023400506789012345', 'npki'), '홍길동');
  assert.equal(extractHolderName('홍길동(HONG GILDONG)0010023400506789012345', 'npki'), '홍길동');
});

test('returns NFC even when the CN is NFD', () => {
  const nfd = '850홍길동001'.normalize('NFD');
  assert.notEqual(nfd, '850홍길동001');
  assert.equal(extractHolderName(nfd), '홍길동');
});

test('refuses a CN with nothing sensible left with ERR_PKI_NAME_UNREADABLE', () => {
  for (const cn of [
    '0123456789',
    '',
    '   ',
    '850#$%001',
    '850홍길동()001',
    '12a3',
    null,
    undefined,
    '850홍길동 2세001',
  ]) {
    assert.throws(
      () => extractHolderName(cn as string, 'gpki-personal'),
      (err) => isGongjikError(err, 'ERR_PKI_NAME_UNREADABLE'),
      String(cn),
    );
  }
  assert.throws(
    () => extractHolderName('()0010023400506789012345', 'npki'),
    (err) => isGongjikError(err, 'ERR_PKI_NAME_UNREADABLE'),
  );
  assert.throws(
    () => extractHolderName(`1${'가'.repeat(300)}1`),
    (err) => isGongjikError(err, 'ERR_PKI_NAME_UNREADABLE'),
  );
});

test('equal names compare fine', () => {
  compareNames('류시원', '류시원');
  compareNames('류 시원', '류 시원');
});

test('an NFD name matches its NFC twin', () => {
  const nfd = '류시원'.normalize('NFD');
  assert.notEqual(nfd, '류시원');
  compareNames(nfd, '류시원');
  compareNames('류시원', nfd);
});

test('refuses 류 시원 vs 류시원 with ERR_AUTH_NAME_MISMATCH saying a space differs at index 1', () => {
  assert.throws(
    () => compareNames('류 시원', '류시원'),
    (err) => {
      assert.ok(isGongjikError(err, 'ERR_AUTH_NAME_MISMATCH'));
      assert.deepEqual(err.details, {
        certName: '류 시원',
        accountName: '류시원',
        index: 1,
        reason: 'space',
      });
      return true;
    },
  );
});

test('does not trim: a trailing or leading space is a mismatch', () => {
  assert.deepEqual(nameDifference('류시원 ', '류시원'), { index: 3, reason: 'space' });
  assert.deepEqual(nameDifference(' 류시원', '류시원'), { index: 0, reason: 'space' });
});

test('reports a different character and a different length', () => {
  assert.throws(
    () => compareNames('류시원', '유시원'),
    (err) =>
      isGongjikError(err, 'ERR_AUTH_NAME_MISMATCH') &&
      err.details.reason === 'character' &&
      err.details.index === 0,
  );
  assert.throws(
    () => compareNames('류시원', '류시'),
    (err) =>
      isGongjikError(err, 'ERR_AUTH_NAME_MISMATCH') &&
      err.details.reason === 'length' &&
      err.details.index === 2,
  );
  assert.throws(
    () => compareNames('Kim', 'kim'),
    (err) => isGongjikError(err, 'ERR_AUTH_NAME_MISMATCH') && err.details.reason === 'character',
  );
});

test('counts the index in code points, after NFC', () => {
  // 𠀀 is one code point but two UTF-16 units.
  assert.deepEqual(nameDifference('𠀀가나', '𠀀가다'), { index: 2, reason: 'character' });
  assert.deepEqual(nameDifference('류시원'.normalize('NFD'), '류시완'), { index: 2, reason: 'character' });
});
