// The issuer's refusals keep their code on the way through the headless Wallet, so the holder reads
// "wrong PIN, 3 attempts left" and not "the issuer refused".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGongjikError } from '@gongjik/errors';
import { fetchJson } from '@gongjik/mobile-id';
import { problemAwareFetch, unwrap } from '../src/app/wallet-service.ts';
import { ApiError, NetworkError } from '../src/errors/api-error.ts';

const problem = (status: number, body: unknown) => async () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });

test('a problem+json refusal reaches the screens as ApiError with its code and details', async () => {
  const f = problemAwareFetch(
    problem(403, { type: 'about:blank', status: 403, code: 'ERR_MID_PIN_WRONG', details: { remaining: 3 } }),
  );
  const err = await fetchJson(f, 'https://id.example/api/v1/mid/unlock', { method: 'POST' }).then(
    () => assert.fail('must refuse'),
    (e: unknown) => unwrap(e),
  );
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 'ERR_MID_PIN_WRONG');
  assert.equal(err.details.remaining, 3);
});

test('an OAuth error without a code stays the Wallet’s own refusal', async () => {
  const f = problemAwareFetch(problem(400, { error: 'invalid_grant' }));
  const err = await fetchJson(f, 'https://id.example/token').then(
    () => assert.fail('must refuse'),
    (e: unknown) => unwrap(e),
  );
  assert.ok(isGongjikError(err));
  assert.equal(err.code, 'ERR_MID_ISSUER_REFUSED');
  assert.equal(err.details.error, 'invalid_grant');
});

test('an unreachable issuer is a NetworkError (shown as "check your connection")', async () => {
  const f = problemAwareFetch(async () => {
    throw new TypeError('Failed to fetch');
  });
  const err = await fetchJson(f, 'https://id.example/x').then(
    () => assert.fail('must fail'),
    (e: unknown) => unwrap(e),
  );
  assert.ok(err instanceof NetworkError);
});

test('never sends cookies to the issuer', async () => {
  let seen: RequestInit | undefined;
  const f = problemAwareFetch(async (_url, init) => {
    seen = init;
    return new Response('{}');
  });
  await fetchJson(f, 'https://id.example/x');
  assert.equal(seen?.credentials, 'omit');
});
