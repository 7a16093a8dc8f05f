// The API client and how refusals are shown (problem+json code → the registry's message).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMessage } from '@gongjik/errors';
import { ApiError, BadResponseError, createApiClient, NetworkError } from '../src/api/http.ts';
import { describeError } from '../src/errors/describe.ts';

function answering(status: number, body: unknown, seen?: { headers?: Headers }) {
  return createApiClient({
    lang: () => 'ko',
    csrfToken: () => 'csrf-123',
    fetch: async (_input, init) => {
      if (seen) seen.headers = new Headers(init?.headers);
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/problem+json' },
      });
    },
  });
}

test('sends the page language and the CSRF token', async () => {
  const seen: { headers?: Headers } = {};
  await answering(200, { ok: true }, seen).post('/api/x', {});
  assert.equal(seen.headers?.get('accept-language'), 'ko');
  assert.equal(seen.headers?.get('x-csrf-token'), 'csrf-123');
});

test('turns a problem+json refusal into ApiError with its code and details', async () => {
  const problem = {
    type: 'about:blank',
    title: 'Certificate name does not match the account',
    status: 403,
    code: 'ERR_AUTH_NAME_MISMATCH',
    certName: '류 시원',
    details: { accountName: '류시원' },
  };
  const err = await answering(403, problem)
    .post('/api/v1/signup/certificate', {})
    .catch((e: unknown) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 'ERR_AUTH_NAME_MISMATCH');
  assert.equal(err.status, 403);
  assert.deepEqual(err.details, { certName: '류 시원', accountName: '류시원' });
});

test('shows a name mismatch with both names, in Korean and in English', () => {
  const err = new ApiError(403, 'ERR_AUTH_NAME_MISMATCH', { certName: '류 시원', accountName: '류시원' });
  const ko = describeError(err, 'ko');
  assert.equal(ko.code, 'ERR_AUTH_NAME_MISMATCH');
  assert.equal(
    ko.message,
    formatMessage('ERR_AUTH_NAME_MISMATCH', 'ko', { certName: '류 시원', accountName: '류시원' }),
  );
  assert.ok(ko.message.includes('류 시원') && ko.message.includes('류시원'));
  assert.equal(
    describeError(err, 'en').message,
    formatMessage('ERR_AUTH_NAME_MISMATCH', 'en', { certName: '류 시원', accountName: '류시원' }),
  );
});

test('shows a code the registry does not know with the code itself', () => {
  const shown = describeError(new ApiError(401, 'ERR_SOMETHING_NEW'), 'ko');
  assert.equal(shown.code, 'ERR_SOMETHING_NEW');
  assert.ok(shown.message.includes('ERR_SOMETHING_NEW'));
});

test('reports an unreachable server as NetworkError and non-JSON success as BadResponseError', async () => {
  const offline = createApiClient({
    fetch: async () => {
      throw new TypeError('Failed to fetch');
    },
  });
  await assert.rejects(offline.post('/api/x', {}), NetworkError);
  await assert.rejects(answering(200, '<html>').post('/api/x', {}), BadResponseError);
});
