// Starts the server: data directory, database + migrations, the first admin token, HTTP, timers.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb, type DbHandle, migrate } from '@gongjik/db';
import type { FastifyInstance } from 'fastify';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { applyRetirements } from './domain/accounts/retirement.ts';
import { createAdminToken, hasAdminToken, registerAdminToken } from './domain/auth/admin-tokens.ts';
import { createCertificateChecker } from './domain/auth/certificate.ts';
import { pruneChallenges } from './domain/auth/challenge.ts';
import { pruneFailures } from './domain/auth/rate-limit.ts';
import { createTrustStore } from './domain/auth/trust-store.ts';
import type { Db } from './domain/db.ts';
import { pruneIdempotency } from './domain/hr/idempotency.ts';
import { openFsBlobStore } from './domain/mail/blobs/fs-blob-store.ts';
import { ensureDkimKey } from './domain/mail/dkim.ts';
import { runMobileIdJobs } from './domain/mobile-id/jobs.ts';
import { getIssuerKeyring } from './domain/mobile-id/keys.ts';
import { midSettings } from './domain/mobile-id/settings.ts';
import { resolveKeyEncryptionKey } from './domain/oidc/key-secret.ts';
import { type RunningMailSending, startMailSending } from './mail-send-start.ts';
import { buildServer } from './server.ts';
import { startSmtp } from './smtp/start.ts';

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
  /** runs on every start before listening (the demo kit refreshes its CRLs with it) */
  readonly beforeListen?: (ctx: { db: Db; config: Config; now: Date }) => Promise<void>;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly db: DbHandle;
  /** where the server listens, e.g. http://127.0.0.1:8080 */
  readonly listenUrl: string;
  /** the SMTP port (null when GONGJIK_SMTP_ENABLED is off) */
  readonly smtpPort: number | null;
  /** the sending side: outbound and export workers */
  readonly mail: RunningMailSending;
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

export interface PreparedDataDir {
  readonly adminTokenFile: string;
  readonly createdAdminToken: boolean;
  readonly demoReadme: string | null;
}

/**
 * The once-per-start work on the data directory and the database: migrations, the first admin
 * token, the demo kit, `beforeListen`, the keys every process then only reads (mobile-ID issuer,
 * DKIM of the mail domain, the OIDC key secret file). `gongjik start --workers N` runs it once in the primary, before it forks.
 */
export async function prepareDataDir(
  db: Db,
  config: Config,
  options: StartOptions = {},
): Promise<PreparedDataDir> {
  const clock = options.clock ?? systemClock;
  await migrate(db, { now: clock.now() });
  const admin = await ensureAdminToken(db, config.dataDir, clock.now());
  let demoReadme: string | null = null;
  if (admin.created && config.demo && options.demo) {
    demoReadme = (await options.demo({ db, config, now: clock.now() })).readme;
  }
  if (options.beforeListen) await options.beforeListen({ db, config, now: clock.now() });
  await getIssuerKeyring(db, clock.now());
  await ensureDkimKey(db, config.mailDomain, clock.now());
  // the OIDC key secret file (when GONGJIK_OIDC_KEY_SECRET is unset): made here, before any worker
  // could race to create it on its first /oidc request
  resolveKeyEncryptionKey(config.oidc.keySecret, config.dataDir);
  return { adminTokenFile: admin.file, createdAdminToken: admin.created, demoReadme };
}

/**
 * Starts one server process. Outside a cluster (config.cluster.workerIndex null) it prepares the
 * data directory itself; a cluster worker finds it prepared by the primary. SMTP, the housekeeping
 * timer and the mobile-ID jobs run in one process only (outside a cluster, or worker 0): SMTP's
 * per-IP limits are counted in memory, and one timer is enough. HTTP and mail sending run in every
 * worker (sessions, challenges, rate limits and queues are in the database).
 */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const workerIndex = config.cluster.workerIndex;
  const background = workerIndex === null || workerIndex === 0;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const handle = await createDb({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
  });
  try {
    const prepared: PreparedDataDir =
      workerIndex === null
        ? await prepareDataDir(handle.db, config, options)
        : {
            adminTokenFile: join(config.dataDir, ADMIN_TOKEN_FILE),
            createdAdminToken: false,
            demoReadme: null,
          };
    const demoReadme = prepared.demoReadme;
    const admin = { file: prepared.adminTokenFile, created: prepared.createdAdminToken };
    // ONE certificate checker (trust store + kpki validator) for the whole process.
    const certificates = createCertificateChecker(createTrustStore({ dir: config.auth.trustDir }));
    await certificates.trust.refresh(clock.now());
    const blobs = await openFsBlobStore(join(config.dataDir, 'blobs'));
    let log: FastifyInstance['log'] | null = null;
    const mail = await startMailSending({
      db: handle.db,
      config,
      clock,
      blobs,
      log: { error: (o, m) => log?.error(o, m), info: (o, m) => log?.info(o, m) },
    });
    const app = await buildServer({ db: handle.db, config, clock, certificates, mail: mail.services });
    log = app.log;
    const listenUrl = await app
      .listen({ port: config.http.port, host: config.http.host })
      .catch(async (err) => {
        await mail.close();
        throw err;
      });
    let smtp: Awaited<ReturnType<typeof startSmtp>> | null = null;
    try {
      smtp =
        config.smtp.enabled && background
          ? await startSmtp({ db: handle.db, config, clock, log: app.log, blobs })
          : null;
    } catch (err) {
      await app.close();
      await mail.close();
      throw err;
    }

    const housekeeping = async () => {
      try {
        const r = await applyRetirements(handle.db, clock.now());
        if (r.retired.length) app.log.info({ retired: r.retired.length }, 'retirements applied');
        await pruneIdempotency(handle.db, new Date(clock.now().getTime() - 24 * 3_600_000));
        await pruneChallenges(handle.db, clock.now());
        await pruneFailures(handle.db, clock.now(), config.auth.rateLimit);
      } catch (err) {
        app.log.error({ err }, 'housekeeping failed');
      }
    };
    let timer: NodeJS.Timeout | undefined;
    if (background) {
      await housekeeping();
      timer = setInterval(housekeeping, config.retirement.checkIntervalMs);
      timer.unref();
    }

    // Mobile ID: the issuer key exists from the first start; offers expire, pre-approved reissues
    // are offered and webhook SMS delivered every few seconds.
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
    let midTimer: NodeJS.Timeout | undefined;
    if (background) {
      await midJobs();
      midTimer = setInterval(midJobs, 5_000);
      midTimer.unref();
    }

    return {
      app,
      db: handle,
      listenUrl,
      smtpPort: smtp?.port ?? null,
      mail,
      adminTokenFile: admin.file,
      createdAdminToken: admin.created,
      demoReadme,
      async close() {
        clearInterval(timer);
        await smtp?.close();
        await mail.close();
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
