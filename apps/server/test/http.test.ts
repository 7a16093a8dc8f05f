import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createDb } from '@gongjik/db';
import { forEachDatabase } from '@gongjik/db/testing';
import { GongjikError } from '@gongjik/errors';
import { manualClock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import { buildServer } from '../src/server.ts';
import { json, testConfig, testServer } from './helpers.ts';

forEachDatabase('HTTP skeleton', (suite) => {
  it('answers GET /healthz with the database checked', async () => {
    const { app } = await testServer(suite.db);
    const r = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { status: 'ok', database: 'ok' });
  });

  it('serves a valid OpenAPI 3.1 document listing the routes', async () => {
    const { app } = await testServer(suite.db);
    const r = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(r.statusCode, 200);
    const doc = JSON.parse(r.body);
    assert.equal(doc.openapi, '3.1.0');
    for (const [path, method] of [
      ['/healthz', 'get'],
      ['/api/v1/hr/people/{employeeNumber}', 'put'],
      ['/api/v1/hr/people/{employeeNumber}/signup-code', 'post'],
      ['/api/v1/hr/people/{employeeNumber}/department', 'put'],
      ['/api/v1/hr/people/{employeeNumber}/retirement', 'put'],
      ['/api/v1/admin/audit', 'get'],
      ['/api/v1/admin/agencies', 'post'],
      ['/api/v1/auth/sessions', 'get'],
      ['/api/v1/auth/sessions/{id}', 'delete'],
    ] as const) {
      assert.ok(doc.paths[path]?.[method], `${method} ${path} is documented`);
    }
    const put = doc.paths['/api/v1/hr/people/{employeeNumber}'].put;
    assert.deepEqual(put.security, [{ hrApiKey: [] }]);
    assert.ok(put.requestBody.content['application/json'].schema.properties.realName);
    assert.ok(put.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key'));
    const ids = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops as Record<string, { operationId: string }>).map((o) => o.operationId),
    );
    assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
    for (const [path, ops] of Object.entries(
      doc.paths as Record<
        string,
        Record<string, { parameters: { name: string; in: string }[]; responses: object }>
      >,
    )) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops)) {
        for (const n of names)
          assert.ok(
            op.parameters.some((p) => p.in === 'path' && p.name === n),
            `${path} documents {${n}}`,
          );
        assert.ok(Object.keys(op.responses).length >= 2, `${path} has a success and an error response`);
      }
    }
    assert.ok(doc.components.schemas.Problem.properties.code.enum.includes('ERR_SIGNUP_ORG_NOT_ELIGIBLE'));
  });

  it('answers an unknown route with problem+json ERR_RESOURCE_NOT_FOUND', async () => {
    const { app } = await testServer(suite.db);
    const r = await app.inject({ method: 'GET', url: '/api/no/such/thing' });
    assert.equal(r.statusCode, 404);
    assert.match(r.headers['content-type'] as string, /^application\/problem\+json/);
    const p = json(r);
    assert.equal(p.code, 'ERR_RESOURCE_NOT_FOUND');
    assert.equal(p.status, 404);
    assert.equal(p.type, 'urn:gongjik:error:ERR_RESOURCE_NOT_FOUND');
    assert.equal(typeof p.title, 'string');
    assert.equal(typeof p.detail, 'string');
    assert.match(String(p.instance), /^urn:gongjik:request:/);
  });

  it('gives the detail in Korean by default and in English on request', async () => {
    const { app } = await testServer(suite.db);
    const ko = json(await app.inject({ method: 'GET', url: '/api/nope' }));
    const en = json(
      await app.inject({ method: 'GET', url: '/api/nope', headers: { 'accept-language': 'en-US,en;q=0.9' } }),
    );
    assert.match(String(ko.detail), /[가-힣]/);
    assert.doesNotMatch(String(en.detail), /[가-힣]/);
  });

  it('refuses malformed JSON with ERR_INPUT_INVALID', async () => {
    const { app, hrKey } = await testServer(suite.db);
    const r = await app.inject({
      method: 'PUT',
      url: '/api/v1/hr/people/E1',
      headers: { authorization: `Bearer ${hrKey}`, 'content-type': 'application/json' },
      payload: '{"agencyCode": ',
    });
    assert.equal(r.statusCode, 400);
    assert.equal(json(r).code, 'ERR_INPUT_INVALID');
  });

  it('refuses a body that fails validation with ERR_INPUT_INVALID naming the field', async () => {
    const { app, hrKey } = await testServer(suite.db);
    const r = await app.inject({
      method: 'PUT',
      url: '/api/v1/hr/people/E1',
      headers: { authorization: `Bearer ${hrKey}` },
      payload: { agencyCode: 'X', realName: '', unexpected: true },
    });
    assert.equal(r.statusCode, 400);
    const p = json(r);
    assert.equal(p.code, 'ERR_INPUT_INVALID');
    assert.match(String((p.details as { field: string }).field), /^body/);
  });

  it('refuses a body over the size limit with ERR_INPUT_TOO_LARGE', async () => {
    const { app, hrKey } = await testServer(suite.db);
    const r = await app.inject({
      method: 'PUT',
      url: '/api/v1/hr/people/E1',
      headers: { authorization: `Bearer ${hrKey}`, 'content-type': 'application/json' },
      payload: `{"realName":"${'x'.repeat(1_100_000)}"}`,
    });
    assert.equal(r.statusCode, 413);
    assert.equal(json(r).code, 'ERR_INPUT_TOO_LARGE');
  });

  it('maps an unexpected error to ERR_SERVER_INTERNAL without leaking its message', async () => {
    const { app } = await testServer(suite.db);
    app.get('/boom', async () => {
      throw new TypeError('secret internal detail at /srv/db.ts:42');
    });
    const r = await app.inject({ method: 'GET', url: '/boom' });
    assert.equal(r.statusCode, 500);
    const p = json(r);
    assert.equal(p.code, 'ERR_SERVER_INTERNAL');
    assert.doesNotMatch(r.body, /secret internal|db\.ts/);
  });

  it('maps a GongjikError to its registered status and code', async () => {
    const { app } = await testServer(suite.db);
    app.get('/refuse', async () => {
      throw new GongjikError('ERR_AUTH_RETIRED');
    });
    const r = await app.inject({ method: 'GET', url: '/refuse' });
    assert.equal(r.statusCode, 403);
    assert.equal(json(r).code, 'ERR_AUTH_RETIRED');
  });
});

it('reports ERR_SERVER_UNAVAILABLE from /healthz when the database is down', async () => {
  // Nothing listens on port 1: every query fails to connect.
  const handle = await createDb({ url: 'postgres://nobody@127.0.0.1:1/none' });
  const app = await buildServer(
    { db: handle.db, config: testConfig(), clock: manualClock('2026-01-01T00:00:00Z') },
    { logLevel: 'silent' },
  );
  const r = await app.inject({ method: 'GET', url: '/healthz' });
  await handle.close();
  assert.equal(r.statusCode, 503);
  assert.equal(json(r).code, 'ERR_SERVER_UNAVAILABLE');
});

it('parses the configuration once, with defaults, and freezes it', () => {
  const c = loadConfig({}, { dataDir: 'x' }, '/srv');
  assert.equal(c.http.port, 8080);
  assert.equal(c.mailDomain, 'korea.kr');
  assert.equal(c.dataDir, '/srv/x');
  assert.equal(c.publicUrl, 'http://localhost:8080');
  assert.equal(c.sessions.secureCookie, false, 'Secure is relaxed only for http://localhost');
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.sessions));
  assert.equal(loadConfig({ GONGJIK_PUBLIC_URL: 'https://mail.korea.kr' }).sessions.secureCookie, true);
});

it('refuses a plain-http public URL other than localhost with ERR_SERVER_CONFIG_INVALID', () => {
  assert.throws(
    () => loadConfig({ GONGJIK_PUBLIC_URL: 'http://mail.korea.kr' }),
    (e: GongjikError) => e.code === 'ERR_SERVER_CONFIG_INVALID' && e.details.field === 'GONGJIK_PUBLIC_URL',
  );
  assert.throws(
    () => loadConfig({ GONGJIK_HTTP_PORT: 'eighty' }),
    (e: GongjikError) => e.code === 'ERR_SERVER_CONFIG_INVALID' && e.details.field === 'GONGJIK_HTTP_PORT',
  );
});
