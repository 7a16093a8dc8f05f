// The login hot path's database work, counted (a regression guard for the login budget), and the
// stateless challenge ID's protection against tampering.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import {
  type AuthTestServer,
  authServer,
  challenge,
  json,
  login,
  signup,
  signupCandidate,
  testPki,
} from './auth-helpers.ts';

async function official(t: AuthTestServer) {
  const pki = await testPki();
  const cand = await signupCandidate(t.db);
  const user = await pki.issue('gpki', '류시원');
  assert.equal((await signup(t, cand, user)).statusCode, 200);
  return user;
}

forEachDatabase('login statements', (suite) => {
  it('issues a challenge without a database statement and logs in with one', async () => {
    let n = 0;
    const counted = suite.db.withPlugin({
      transformQuery: (args) => {
        n++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const t = await authServer(counted, await testPki());
    const user = await official(t); // loads the challenge key, warms the trust store
    for (let i = 0; i < 3; i++) {
      const n0 = n;
      const c = await challenge(t, 'login');
      assert.equal(n - n0, 0, 'issuing a challenge touches no table');
      const n1 = n;
      const r = await login(t, user, { challenge: c });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(n - n1, 1, 'consume, load, session and audit entries in one statement');
    }
  });

  it('refuses a challenge ID altered to look newer (its MAC breaks) with ERR_AUTH_CHALLENGE_INVALID', async () => {
    const t = await authServer(suite.db, await testPki());
    const user = await official(t);
    const c = await challenge(t, 'login');
    t.clock.advance(3 * 60_000);
    // the first 12 hex digits are the issue time in ms: move it 3 minutes later
    const hex = c.challengeId.replaceAll('-', '');
    const later = (Number.parseInt(hex.slice(0, 12), 16) + 3 * 60_000).toString(16).padStart(12, '0');
    const moved = `${later}${hex.slice(12)}`;
    const id = `${moved.slice(0, 8)}-${moved.slice(8, 12)}-${moved.slice(12, 16)}-${moved.slice(16, 20)}-${moved.slice(20)}`;
    const r = await login(t, user, { challenge: { ...c, challengeId: id } });
    assert.equal(json(r).code, 'ERR_AUTH_CHALLENGE_INVALID');
    // the original is still refused as expired
    assert.equal(json(await login(t, user, { challenge: c })).code, 'ERR_AUTH_CHALLENGE_EXPIRED');
  });
});
