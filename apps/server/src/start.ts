// Starts the server: data directory, database + migrations, the first admin token, HTTP, timers.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, type DbHandle, migrate } from '@gongjik/db';
import type { FastifyInstance } from 'fastify';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { applyRetirements } from './domain/accounts/retirement.ts';
import { createAdminToken, hasAdminToken, registerAdminToken } from './domain/auth/admin-tokens.ts';
import type { Db } from './domain/db.ts';
import { pruneIdempotency } from './domain/hr/idempotency.ts';
import { runMobileIdJobs } from './domain/mobile-id/jobs.ts';
import { getIssuerKeyring } from './domain/mobile-id/keys.ts';
import { midSettings } from './domain/mobile-id/settings.ts';
import { buildServer } from './server.ts';

export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * Writes the demo kit into <data-dir>/demo on the first start (unless --no-demo). The kit needs the
 * development CA from packages/kpki and arrives with the sign-up/login work; until then no installer
 * is passed and the server starts without one.
 */
export type DemoInstaller = (ctx: { db: Db; config: Config; now: Date }) => Promise<{ readme: string }>;

export interface StartOptions {
  readonly clock?: Clock;
  readonly demo?: DemoInstaller;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly db: DbHandle;
  /** where the server listens, e.g. http://127.0.0.1:8080 */
  readonly listenUrl: string;
  readonly adminTokenFile: string;
  /** set on the first start (the token is also in adminTokenFile) */
  readonly createdAdminToken: boolean;
  readonly demoReadme: string | null;
  close(): Promise<void>;
}

/**
 * Makes sure an admin token exists: on the first start, creates one and writes it to
 * <data-dir>/admin-token (mode 0600). A token file from an earlier start is (re-)registered, so the
 * same data dir keeps working against a new PostgreSQL database.
 */
export async function ensureAdminToken(
  db: Db,
  dataDir: string,
  now: Date,
): Promise<{ file: string; created: boolean }> {
  const file = join(dataDir, ADMIN_TOKEN_FILE);
  const ctx = { actor: 'system:start', now };
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token) await registerAdminToken(db, token, 'admin-token file', ctx);
    return { file, created: false };
  }
  if (await hasAdminToken(db)) return { file, created: false };
  const token = await createAdminToken(db, 'first start', ctx);
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { file, created: true };
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const handle = await createDb({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(handle.db, { now: clock.now() });
    const admin = await ensureAdminToken(handle.db, config.dataDir, clock.now());
    let demoReadme: string | null = null;
    if (admin.created && config.demo && options.demo) {
      demoReadme = (await options.demo({ db: handle.db, config, now: clock.now() })).readme;
    }
    const app = await buildServer({ db: handle.db, config, clock });
    const listenUrl = await app.listen({ port: config.http.port, host: config.http.host });

    const housekeeping = async () => {
      try {
        const r = await applyRetirements(handle.db, clock.now());
        if (r.retired.length) app.log.info({ retired: r.retired.length }, 'retirements applied');
        await pruneIdempotency(handle.db, new Date(clock.now().getTime() - 24 * 3_600_000));
      } catch (err) {
        app.log.error({ err }, 'housekeeping failed');
      }
    };
    await housekeeping();
    const timer = setInterval(housekeeping, config.retirement.checkIntervalMs);
    timer.unref();

    // Mobile ID: the issuer key exists from the first start; offers expire, pre-approved reissues
    // are offered and webhook SMS delivered every few seconds.
    await getIssuerKeyring(handle.db, clock.now());
    let midBusy = false;
    const midJobs = async () => {
      if (midBusy) return;
      midBusy = true;
      try {
        await runMobileIdJobs(handle.db, midSettings(config), clock.now());
      } catch (err) {
        app.log.error({ err }, 'mobile-ID jobs failed');
      } finally {
        midBusy = false;
      }
    };
    await midJobs();
    const midTimer = setInterval(midJobs, 5_000);
    midTimer.unref();

    return {
      app,
      db: handle,
      listenUrl,
      adminTokenFile: admin.file,
      createdAdminToken: admin.created,
      demoReadme,
      async close() {
        clearInterval(timer);
        clearInterval(midTimer);
        await app.close();
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
