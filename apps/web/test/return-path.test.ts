import assert from 'node:assert/strict';
import { it } from 'node:test';
import { interactionOf, returnPathOf, safeReturnPath } from '../src/app/return-path.ts';

const ORIGIN = 'https://mail.gongjik.go.kr';

it('honours a relative path on this origin (the OIDC interaction seam)', () => {
  assert.equal(safeReturnPath('/oidc/interaction/abcDEF123_-x', ORIGIN), '/oidc/interaction/abcDEF123_-x');
  assert.equal(safeReturnPath('/sessions?x=1#top', ORIGIN), '/sessions?x=1#top');
  assert.equal(
    returnPathOf({ search: '?return=%2Foidc%2Finteraction%2Fabc123defg', origin: ORIGIN }),
    '/oidc/interaction/abc123defg',
  );
  assert.equal(interactionOf('/oidc/interaction/abc123defg'), 'abc123defg');
  assert.equal(interactionOf('/sessions'), null);
});

it('refuses an absolute or other-origin return (no open redirect)', () => {
  for (const bad of [
    'https://evil.example/oidc/interaction/abc',
    'http://mail.gongjik.go.kr/',
    '//evil.example/x',
    '/\\evil.example/x',
    '\\\\evil.example',
    'javascript:alert(1)',
    'data:text/html,x',
    '/\t/evil.example',
    '/\n/evil.example',
    'oidc/interaction/abc',
    '',
    `/${'a'.repeat(3000)}`,
  ]) {
    assert.equal(safeReturnPath(bad, ORIGIN), null, bad);
  }
  assert.equal(returnPathOf({ search: '?return=https%3A%2F%2Fevil.example%2F', origin: ORIGIN }), null);
  assert.equal(returnPathOf({ search: '?return=%2F%2Fevil.example', origin: ORIGIN }), null);
  assert.equal(returnPathOf({ search: '', origin: ORIGIN }), null);
});
