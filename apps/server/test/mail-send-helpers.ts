// Test support for sending: a server with mail services (blob store in a temp dir), signed-in
// accounts with cookies and CSRF headers.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { manualClock } from '../src/clock.ts';
import type { Config } from '../src/config.ts';
import { createAdminToken } from '../src/domain/auth/admin-tokens.ts';
import { createSession, csrfTokenFor } from '../src/domain/auth/sessions.ts';
import type { Db } from '../src/domain/db.ts';
import { FsBlobStore } from '../src/domain/mail/blobs/fs-blob-store.ts';
import type { ImageProxyOptions } from '../src/domain/mail/image-proxy.ts';
import { DEFAULT_RETRY_POLICY } from '../src/domain/mail/outbound.ts';
import { DEFAULT_MAIL_SEND_SETTINGS, type MailServices } from '../src/domain/mail/services.ts';
import { buildServer } from '../src/server.ts';
import { activate, PUBLIC_URL, START, seedPerson, testConfig } from './helpers.ts';

export const COOKIE = '__Host-gongjik-session';

export interface MailTestServer {
  readonly app: FastifyInstance;
  readonly db: Db;
  readonly clock: ReturnType<typeof manualClock>;
  readonly config: Config;
  readonly mail: MailServices & { kicks: { outbound: number; exports: number } };
  readonly adminToken: string;
}

export async function mailServices(
  options: { mailDomain?: string; hostname?: string } = {},
): Promise<MailServices & { kicks: { outbound: number; exports: number } }> {
  const blobs = await new FsBlobStore(mkdtempSync(join(tmpdir(), 'gj-blobs-')), { durable: false }).init();
  const kicks = { outbound: 0, exports: 0 };
  return {
    blobs,
    settings: {
      ...DEFAULT_MAIL_SEND_SETTINGS,
      mailDomain: options.mailDomain ?? 'korea.kr',
      hostname: options.hostname ?? 'mail.test.korea.kr',
      retry: DEFAULT_RETRY_POLICY,
    },
    kicks,
    kickOutbound: () => {
      kicks.outbound++;
    },
    kickExports: () => {
      kicks.exports++;
    },
  };
}

export async function mailTestServer(db: Db, imageProxy?: ImageProxyOptions): Promise<MailTestServer> {
  const clock = manualClock(START);
  const config = testConfig();
  const mail = await mailServices();
  const app = await buildServer({ db, config, clock, mail, imageProxy }, { logLevel: 'silent' });
  const adminToken = await createAdminToken(db, 'test', { actor: 'test', now: clock.now() });
  return { app, db, clock, config, mail, adminToken };
}

export interface User {
  readonly accountId: string;
  readonly address: string;
  readonly cookies: Record<string, string>;
  /** headers for state-changing requests (Origin + CSRF token) */
  readonly write: Record<string, string>;
}

export async function signedInUser(t: MailTestServer, realName = '류시원'): Promise<User> {
  const p = await seedPerson(t.db, { realName });
  await activate(t.db, p.accountId!);
  const s = await createSession(t.db, p.accountId!, {
    method: 'certificate',
    now: t.clock.now(),
    policy: t.config.sessions,
  });
  return {
    accountId: p.accountId!,
    address: `${p.mailId}@korea.kr`,
    cookies: { [COOKIE]: s.token },
    write: { origin: PUBLIC_URL, 'x-csrf-token': csrfTokenFor(s.token) },
  };
}
