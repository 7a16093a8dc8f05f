// Test support for the OpenID Connect provider: a server listening on a loopback port (the
// provider's URLs come from GONGJIK_PUBLIC_URL, which must be the address the relying party uses),
// a person with a department, a session, a tiny cookie-keeping browser and an openid-client RP.

import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import * as client from 'openid-client';
import { manualClock } from '../src/clock.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { createAdminToken } from '../src/domain/auth/admin-tokens.ts';
import { createSession } from '../src/domain/auth/sessions.ts';
import type { Db } from '../src/domain/db.ts';
import { createAgency } from '../src/domain/directory/agencies.ts';
import { upsertDepartment } from '../src/domain/directory/departments.ts';
import { upsertPerson } from '../src/domain/directory/people.ts';
import { buildServer } from '../src/server.ts';
import { freePort } from './cli-helpers.ts';

export const OIDC_KEY_SECRET = 'test-oidc-key-secret-not-for-production-0123456789';
export const SCOPE = 'openid profile email gongjik:org';
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

export interface OidcHarness {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly clock: ReturnType<typeof manualClock>;
  readonly config: Config;
  readonly publicUrl: string;
  readonly issuer: string;
  readonly adminToken: string;
  close(): Promise<void>;
}

export async function startOidcServer(db: Db): Promise<OidcHarness> {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  // oidc-provider runs on the system clock; our sessions must agree with it
  const clock = manualClock(new Date());
  const config = loadConfig(
    { GONGJIK_LOG_LEVEL: 'silent', GONGJIK_PUBLIC_URL: publicUrl, GONGJIK_OIDC_KEY_SECRET: OIDC_KEY_SECRET },
    {},
    '/tmp',
  );
  const app = await buildServer({ db, config, clock }, { logLevel: 'silent' });
  await app.listen({ port, host: '127.0.0.1' });
  const adminToken = await createAdminToken(db, 'test', { actor: 'test', now: clock.now() });
  return {
    app,
    db,
    clock,
    config,
    publicUrl,
    issuer: `${publicUrl}/oidc`,
    adminToken,
    close: () => app.close(),
  };
}

/**
 * One OIDC server per suite, started on first use and closed after the suite: call inside the
 * suite's callback (`db` is read at first use, inside a test); the returned function gives the
 * (shared) harness.
 */
export function suiteOidcServer(db: () => Db): () => Promise<OidcHarness> {
  let harness: Promise<OidcHarness> | undefined;
  after(async () => {
    if (harness) await (await harness).close();
  });
  return () => {
    harness ??= startOidcServer(db());
    return harness;
  };
}

/** The OAuth error code of a refused openid-client call (or its message). */
export async function oauthErrorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { error?: string; cause?: { parameters?: { error?: string } }[] };
    return e.error ?? e.cause?.[0]?.parameters?.error ?? String(err);
  }
  throw new Error('expected a refusal');
}

export const uniq = () => randomBytes(4).toString('hex');

/** An active official with an agency, a department and an employee number. */
export async function seedOfficial(h: OidcHarness, realName = '류시원') {
  const u = uniq();
  const ctx = { actor: 'test', now: h.clock.now() };
  const agencyCode = `A${u}`;
  await createAgency(h.db, { code: agencyCode, name: `행정안전부${u}`, type: 'central' }, ctx);
  await upsertDepartment(h.db, agencyCode, `D${u}`, { name: '디지털정부국' }, ctx);
  const employeeNumber = `E${u}`;
  const r = await upsertPerson(
    h.db,
    employeeNumber,
    { agencyCode, departmentCode: `D${u}`, realName, mailId: `user${u}` },
    ctx,
    { mailDomain: 'korea.kr' },
  );
  const accountId = r.person.account!.id;
  await h.db.updateTable('accounts').set({ state: 'active' }).where('id', '=', accountId).execute();
  return {
    agencyCode,
    departmentCode: `D${u}`,
    employeeNumber,
    accountId,
    mailId: `user${u}`,
    personId: r.person,
  };
}

/** A Gongjik session made the way the sign-in methods make it (the certificate login is tested elsewhere). */
export async function sessionFor(
  h: OidcHarness,
  accountId: string,
  method: 'certificate' | 'mobile-id' = 'certificate',
) {
  return createSession(h.db, accountId, {
    method,
    now: h.clock.now(),
    policy: h.config.sessions,
    ip: '127.0.0.1',
  });
}

export async function admin(
  h: OidcHarness,
  method: string,
  path: string,
  body?: unknown,
  token = h.adminToken,
) {
  const res = await fetch(`${h.publicUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read field by field
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, any> };
}

export async function registerClient(h: OidcHarness, body: Record<string, unknown> = {}) {
  const r = await admin(h, 'POST', '/api/v1/admin/oidc/clients', {
    clientName: '온나라 업무관리',
    redirectUris: [REDIRECT_URI],
    ...body,
  });
  if (r.status !== 201) throw new Error(`client registration failed: ${JSON.stringify(r.body)}`);
  return { clientId: r.body.client.clientId as string, clientSecret: r.body.clientSecret as string | null };
}

/** A minimal browser: keeps cookies (by name; fine for one host) and follows redirects by hand. */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(cookies: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(cookies)) this.cookies.set(k, v);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split('=');
        if (k?.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k?.toLowerCase() === 'expires') return new Date(v!).getTime() <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: this.header() },
    });
    this.store(res);
    return res;
  }

  /**
   * Follows redirects until one leaves the server (to `stopAt`, e.g. the client's redirect URI, or
   * the sign-in page), or a page is answered. Returns the stop URL or the final response.
   */
  async follow(
    start: string,
    stopAt: readonly string[],
  ): Promise<{ url: string; response: Response | null }> {
    let url = start;
    for (let i = 0; i < 15; i++) {
      if (stopAt.some((s) => url.startsWith(s))) return { url, response: null };
      const res = await this.request(url);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        url = new URL(location, url).href;
        continue;
      }
      return { url, response: res };
    }
    throw new Error('too many redirects');
  }
}

export interface Rp {
  readonly config: client.Configuration;
  authorizationUrl(
    extra?: Record<string, string>,
  ): Promise<{ url: URL; verifier: string; state: string; nonce: string }>;
}

/** An openid-client relying party, configured from the provider's discovery document. */
export async function relyingParty(
  h: OidcHarness,
  clientId: string,
  clientSecret: string | null,
): Promise<Rp> {
  const config = await client.discovery(
    new URL(h.issuer),
    clientId,
    clientSecret ?? undefined,
    clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
    { execute: [client.allowInsecureRequests] },
  );
  return {
    config,
    async authorizationUrl(extra = {}) {
      const verifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        ...extra,
      });
      return { url, verifier, state, nonce };
    },
  };
}
