import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forEachDatabase } from '@gongjik/db/testing';
import type { GongjikError } from '@gongjik/errors';
import { createSession, csrfTokenFor } from '../src/domain/auth/sessions.ts';
import { setSessionCookie } from '../src/http/routes/sessions.ts';
import { activate, json, PUBLIC_URL, seedPerson, type TestServer, testServer } from './helpers.ts';

const COOKIE = '__Host-gongjik-session';

async function signedIn(t: TestServer) {
  const p = await seedPerson(t.db);
  await activate(t.db, p.accountId!);
  const s = await createSession(t.db, p.accountId!, {
    method: 'certificate',
    now: t.clock.now(),
    policy: t.config.sessions,
    ip: '192.0.2.1',
    userAgent: 'test',
  });
  return { ...p, ...s, cookie: { [COOKIE]: s.token } };
}

const writeHeaders = (token: string, origin = PUBLIC_URL) => ({
  origin,
  'x-csrf-token': csrfTokenFor(token),
});

forEachDatabase('sessions', (suite) => {
  it('sets the session cookie HttpOnly, Secure, SameSite=Lax with the __Host- prefix', async () => {
    const t = await testServer(suite.db);
    const s = await signedIn(t);
    t.app.get('/test-cookie', async (_req, reply) => {
      setSessionCookie({ db: t.db, config: t.config, clock: t.clock }, reply, s);
      return {};
    });
    const r = await t.app.inject({ method: 'GET', url: '/test-cookie' });
    const set = String(r.headers['set-cookie']);
    assert.match(set, new RegExp(`^${COOKIE}=`));
    assert.match(set, /; HttpOnly/);
    assert.match(set, /; Secure/);
    assert.match(set, /; SameSite=Lax/);
    assert.match(set, /; Path=\//);
  });

  it('stores only a hash of the session token', async () => {
    const t = await testServer(suite.db);
    const s = await signedIn(t);
    const row = await t.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', s.session.id)
      .executeTakeFirstOrThrow();
    assert.notEqual(row.token_hash, s.token);
    assert.ok(!JSON.stringify(row).includes(s.token));
  });

  it('shows the current session, its account and the CSRF token', async () => {
    const t = await testServer(suite.db);
    const s = await signedIn(t);
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: s.cookie });
    assert.equal(r.statusCode, 200);
    const body = json(r) as {
      session: { id: string; current: boolean };
      csrfToken: string;
      account: { realName: string };
    };
    assert.equal(body.session.id, s.session.id);
    assert.equal(body.session.current, true);
    assert.equal(body.csrfToken, s.csrfToken);
    assert.equal(body.account.realName, '류시원');
  });

  it('refuses a request without a session with ERR_AUTH_SESSION_REQUIRED, and an unknown token likewise', async () => {
    const t = await testServer(suite.db);
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions' });
    assert.equal(none.statusCode, 401);
    assert.equal(json(none).code, 'ERR_AUTH_SESSION_REQUIRED');
    const forged = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/sessions',
      cookies: { [COOKIE]: 'gjs_forged' },
    });
    assert.equal(json(forged).code, 'ERR_AUTH_SESSION_REQUIRED');
  });

  it('ends a session after the idle timeout with ERR_AUTH_SESSION_EXPIRED', async () => {
    const t = await testServer(suite.db);
    const s = await signedIn(t);
    t.clock.advance(t.config.sessions.idleMs - 1000);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: s.cookie })).statusCode,
      200,
    );
    // The request above counted as activity: the idle clock restarts from it.
    t.clock.advance(t.config.sessions.idleMs - 1000);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: s.cookie })).statusCode,
      200,
    );
    t.clock.advance(t.config.sessions.idleMs);
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: s.cookie });
    assert.equal(r.statusCode, 401);
    assert.equal(json(r).code, 'ERR_AUTH_SESSION_EXPIRED');
  });

  it('ends an active session at the absolute timeout with ERR_AUTH_SESSION_EXPIRED', async () => {
    const t = await testServer(suite.db);
    const s = await signedIn(t);
    const step = t.config.sessions.idleMs / 2;
    let elapsed = 0;
    while (elapsed + step < t.config.sessions.absoluteMs) {
      t.clock.advance(step);
      elapsed += step;
      const ok = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: s.cookie });
      assert.equal(ok.statusCode, 200, `still valid after ${elapsed} ms`);
    }
    t.clock.advance(t.config.sessions.absoluteMs - elapsed);
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: s.cookie });
    assert.equal(json(r).code, 'ERR_AUTH_SESSION_EXPIRED');
  });

  it('lists my sessions and revokes one; the revoked one is refused', async () => {
    const t = await testServer(suite.db);
    const a = await signedIn(t);
    const b = await createSession(t.db, a.accountId!, {
      method: 'certificate',
      now: t.clock.now(),
      policy: t.config.sessions,
    });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', cookies: a.cookie });
    const sessions = (json(list) as { sessions: { id: string; current: boolean }[] }).sessions;
    assert.equal(sessions.length, 2);
    assert.equal(sessions.find((x) => x.current)?.id, a.session.id);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${b.session.id}`,
      cookies: a.cookie,
      headers: writeHeaders(a.token),
    });
    assert.equal(del.statusCode, 204);
    const refused = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      cookies: { [COOKIE]: b.token },
    });
    assert.equal(json(refused).code, 'ERR_AUTH_SESSION_EXPIRED');
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target', '=', `session:${b.session.id}`)
      .where('action', '=', 'session.revoke')
      .execute();
    assert.equal(audit.length, 1);
  });

  it('cannot revoke another account’s session (ERR_RESOURCE_NOT_FOUND)', async () => {
    const t = await testServer(suite.db);
    const a = await signedIn(t);
    const other = await signedIn(t);
    const r = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other.session.id}`,
      cookies: a.cookie,
      headers: writeHeaders(a.token),
    });
    assert.equal(r.statusCode, 404);
    assert.equal(json(r).code, 'ERR_RESOURCE_NOT_FOUND');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: other.cookie })).statusCode,
      200,
    );
  });

  it('revokes all my other sessions and keeps this one; logout ends this one', async () => {
    const t = await testServer(suite.db);
    const a = await signedIn(t);
    const others = await Promise.all(
      [1, 2].map(() =>
        createSession(t.db, a.accountId!, {
          method: 'mobile-id',
          now: t.clock.now(),
          policy: t.config.sessions,
        }),
      ),
    );
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sessions/revoke-others',
      cookies: a.cookie,
      headers: writeHeaders(a.token),
    });
    assert.equal((json(r) as { revoked: number }).revoked, 2);
    for (const o of others) {
      const x = await t.app.inject({
        method: 'GET',
        url: '/api/v1/auth/session',
        cookies: { [COOKIE]: o.token },
      });
      assert.equal(json(x).code, 'ERR_AUTH_SESSION_EXPIRED');
    }
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: a.cookie,
      headers: writeHeaders(a.token),
    });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), /Expires=Thu, 01 Jan 1970/);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: a.cookie });
    assert.equal(json(after).code, 'ERR_AUTH_SESSION_EXPIRED');
  });

  it('refuses a state-changing request without the CSRF token, with a wrong one, or cross-origin (ERR_AUTH_CSRF_REFUSED)', async () => {
    const t = await testServer(suite.db);
    const a = await signedIn(t);
    const attempt = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sessions/revoke-others',
        cookies: a.cookie,
        headers,
      });
    const cases: Record<string, Record<string, string>> = {
      'no token, no origin': {},
      'origin but no token': { origin: PUBLIC_URL },
      'wrong token': { origin: PUBLIC_URL, 'x-csrf-token': csrfTokenFor('gjs_other') },
      'another site': writeHeaders(a.token, 'https://evil.example'),
      'token but no origin': { 'x-csrf-token': a.csrfToken },
      'http downgrade of our origin': writeHeaders(a.token, PUBLIC_URL.replace('https:', 'http:')),
    };
    for (const [name, headers] of Object.entries(cases)) {
      const r = await attempt(headers);
      assert.equal(r.statusCode, 403, name);
      assert.equal(json(r).code, 'ERR_AUTH_CSRF_REFUSED', name);
    }
    const viaReferer = await attempt({ referer: `${PUBLIC_URL}/mail/inbox`, 'x-csrf-token': a.csrfToken });
    assert.equal(viaReferer.statusCode, 200, 'a same-origin Referer stands in for a missing Origin');
    const live = await t.db
      .selectFrom('sessions')
      .select('revoked_at')
      .where('id', '=', a.session.id)
      .executeTakeFirstOrThrow();
    assert.equal(live.revoked_at, null);
  });

  it('refuses a session of a retired or locked account with that account’s code', async () => {
    const t = await testServer(suite.db);
    const a = await signedIn(t);
    await t.db.updateTable('accounts').set({ state: 'locked' }).where('id', '=', a.accountId!).execute();
    const locked = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: a.cookie });
    assert.equal(json(locked).code, 'ERR_AUTH_ACCOUNT_LOCKED');
    await t.db.updateTable('accounts').set({ state: 'retired' }).where('id', '=', a.accountId!).execute();
    const retired = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: a.cookie });
    assert.equal(json(retired).code, 'ERR_AUTH_RETIRED');
  });

  it('createSession refuses an account that may not sign in', async () => {
    const t = await testServer(suite.db);
    const p = await seedPerson(t.db);
    await assert.rejects(
      createSession(t.db, p.accountId!, {
        method: 'certificate',
        now: t.clock.now(),
        policy: t.config.sessions,
      }),
      (e: GongjikError) => e.code === 'ERR_AUTH_SIGNUP_INCOMPLETE',
    );
  });
});
