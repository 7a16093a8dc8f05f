import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  formatMessage,
  GongjikError,
  isGongjikError,
  registry,
  renderErrorsMarkdown,
  smtpReplyOf,
  toGongjikError,
} from '../src/index.ts';

const placeholders = (s: string) => [...s.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]).sort();

describe('error registry', () => {
  it('keeps docs/errors.md in sync with the registry (run `npm run gen:errors`)', () => {
    const onDisk = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    assert.equal(onDisk, renderErrorsMarkdown());
  });

  it('names every code ERR_<AREA>_<PROBLEM> and gives it a status, a title and both languages', () => {
    for (const [code, spec] of Object.entries(registry)) {
      assert.match(code, /^ERR_[A-Z0-9]+(_[A-Z0-9]+)+$/, code);
      assert.ok(spec.status >= 400 && spec.status <= 599, `${code} status`);
      assert.ok(spec.title.length > 0, `${code} title`);
      assert.match(spec.ko, /[가-힣]/, `${code} has a Korean message`);
      assert.ok(spec.en.length > 0, `${code} has an English message`);
      assert.deepEqual(placeholders(spec.ko), placeholders(spec.en), `${code} placeholders agree`);
      assert.match(smtpReplyOf(code as keyof typeof registry), /^[45]\d\d [45]\.\d\.\d+$/, `${code} smtp`);
    }
  });
});

describe('GongjikError', () => {
  it('carries the code, the status and safe details, and fills messages in both languages', () => {
    const err = new GongjikError('ERR_AUTH_NAME_MISMATCH', { certName: '류 시원', accountName: '류시원' });
    assert.equal(err.code, 'ERR_AUTH_NAME_MISMATCH');
    assert.equal(err.status, 403);
    assert.ok(err.localized('ko').includes('류 시원') && err.localized('ko').includes('류시원'));
    assert.ok(err.message.includes('(류 시원)'));
    assert.ok(isGongjikError(err, 'ERR_AUTH_NAME_MISMATCH'));
    assert.ok(!isGongjikError(err, 'ERR_PKI_BAD_PASSWORD'));
  });

  it('leaves an unfilled placeholder visible rather than inventing a value', () => {
    assert.ok(formatMessage('ERR_INPUT_INVALID', 'en').includes('{field}'));
  });

  it('wraps foreign errors as ERR_SERVER_INTERNAL and keeps the cause', () => {
    const cause = new TypeError('boom');
    const wrapped = toGongjikError(cause);
    assert.equal(wrapped.code, 'ERR_SERVER_INTERNAL');
    assert.equal(wrapped.cause, cause);
    assert.ok(!wrapped.message.includes('boom'), 'the message does not echo the internal text');
  });
});
