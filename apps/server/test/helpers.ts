// Shared set-up for the server tests: an app on the suite's database, a manual clock, tokens.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { manualClock } from '../src/clock.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { createAdminToken } from '../src/domain/auth/admin-tokens.ts';
import type { Db } from '../src/domain/db.ts';
import { createAgency } from '../src/domain/directory/agencies.ts';
import { upsertPerson } from '../src/domain/directory/people.ts';
import { createHrApiKey } from '../src/domain/hr/api-keys.ts';
import { buildServer } from '../src/server.ts';

export const PUBLIC_URL = 'https://mail.test.korea.kr';
export const START = '2026-03-02T01:00:00Z';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ GONGJIK_LOG_LEVEL: 'silent', GONGJIK_PUBLIC_URL: PUBLIC_URL, ...env }, {}, '/tmp');
}

/** A short random suffix: tests share their suite's database, so their rows must not collide. */
export const uniq = () => randomBytes(4).toString('hex');

export interface TestServer {
  readonly app: FastifyInstance;
  readonly clock: ReturnType<typeof manualClock>;
  readonly config: Config;
  readonly db: Db;
  readonly adminToken: string;
  readonly hrKey: string;
  readonly hrKeyId: string;
}

export async function testServer(db: Db, env: Record<string, string> = {}): Promise<TestServer> {
  const clock = manualClock(START);
  const config = testConfig(env);
  const app = await buildServer({ db, config, clock }, { logLevel: 'silent' });
  const ctx = { actor: 'test', now: clock.now() };
  const adminToken = await createAdminToken(db, 'test', ctx);
  const key = await createHrApiKey(db, { system: 'e-saram', label: 'test' }, ctx);
  return { app, clock, config, db, adminToken, hrKey: key.key, hrKeyId: key.id };
}

export const json = (r: LightMyRequestResponse) => r.json() as Record<string, unknown> & { code?: string };

/** An agency of the given type plus a person with an account in it; returns their codes. */
export async function seedPerson(
  db: Db,
  options: {
    type?: 'central' | 'local' | 'education' | 'public';
    realName?: string;
    mailId?: string | null;
    now?: Date;
  } = {},
) {
  const u = uniq();
  const now = options.now ?? new Date(START);
  const ctx = { actor: 'test', now };
  const agencyCode = `A${u}`;
  await createAgency(db, { code: agencyCode, name: `기관${u}`, type: options.type ?? 'central' }, ctx);
  const employeeNumber = `E${u}`;
  const mailId = options.mailId === null ? undefined : (options.mailId ?? `user${u}`);
  const r = await upsertPerson(
    db,
    employeeNumber,
    { agencyCode, realName: options.realName ?? '류시원', ...(mailId ? { mailId } : {}) },
    ctx,
    { mailDomain: 'korea.kr' },
  );
  return { agencyCode, employeeNumber, mailId, person: r.person, accountId: r.person.account?.id ?? null };
}

/** Marks an account active, as a completed sign-up will. */
export async function activate(db: Db, accountId: string): Promise<void> {
  await db.updateTable('accounts').set({ state: 'active' }).where('id', '=', accountId).execute();
}
