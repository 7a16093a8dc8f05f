// The wallet's two message catalogs agree: same keys, same placeholders, nothing empty.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../src/i18n/en.ts';
import { placeholdersOf, translate } from '../src/i18n/format.ts';
import { ko, type MessageKey } from '../src/i18n/ko.ts';
import { loadLang, saveLang } from '../src/i18n/lang-store.ts';

test('the English catalog has exactly the Korean keys', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(ko).sort());
});

test('every message uses the same placeholders in both languages and none is empty', () => {
  for (const key of Object.keys(ko) as MessageKey[]) {
    assert.deepEqual(placeholdersOf(en[key]), placeholdersOf(ko[key]), key);
    assert.ok(ko[key].trim().length > 0 && en[key].trim().length > 0, key);
  }
});

test('fills placeholders in Korean and English', () => {
  assert.equal(translate('ko', 'lock.remaining', { remaining: 2 }), '남은 시도 횟수: 2번');
  assert.equal(translate('en', 'install.progress', { step: 1, total: 5 }), 'Step 1 of 5');
});

test('is Korean by default and remembers the switch to English', () => {
  const store = new Map<string, string>();
  const storage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  };
  assert.equal(loadLang(storage), 'ko');
  saveLang(storage, 'en');
  assert.equal(loadLang(storage), 'en');
  store.set('gongjik.wallet.lang', 'fr');
  assert.equal(loadLang(storage), 'ko', 'an unknown saved value falls back to Korean');
});
