// Starts the sending side for `gongjik start`: DKIM keys of the local domains, the mail services
// the HTTP API uses, the outbound-queue worker and the export worker. Several server processes may
// run these at once (the queues are claimed with SKIP LOCKED).
import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Db } from './domain/db.ts';
import { collectBlobGarbage } from './domain/mail/blob-gc.ts';
import type { BlobStore } from './domain/mail/blobs/blob-store.ts';
import { dsnBouncer } from './domain/mail/bounce.ts';
import { ensureDkimKey } from './domain/mail/dkim.ts';
import { drainExports } from './domain/mail/export.ts';
import {
  drainOutbound,
  type OutboundWorkerDeps,
  startOutboundWorker,
} from './domain/mail/outbound-worker.ts';
import { lazyStream } from './domain/mail/send.ts';
import { DEFAULT_MAIL_SEND_SETTINGS, type MailServices } from './domain/mail/services.ts';
import { smtpDeliverer } from './domain/mail/smtp-deliver.ts';
import { isLocalDomain } from './domain/mail/store/index.ts';
import { pruneUploads } from './domain/mail/uploads.ts';

export interface Log {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface RunningMailSending {
  readonly services: MailServices;
  /** delivers everything due now (tests, `gongjik` tools) */
  drainOutbound(): Promise<void>;
  /** runs every pending export now */
  drainExports(): Promise<void>;
  close(): Promise<void>;
}

const LEASE_MS = 30 * 60_000;

/** The local mail domains: the server's and every agency's own. */
async function localDomains(db: Db, config: Config): Promise<string[]> {
  const rows = await db
    .selectFrom('agencies')
    .select('mail_domain')
    .where('mail_domain', 'is not', null)
    .execute();
  return [...new Set([config.mailDomain, ...rows.map((r) => r.mail_domain!)])];
}

export async function startMailSending(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  blobs: BlobStore;
  log: Log;
}): Promise<RunningMailSending> {
  const { db, config, clock, log } = deps;
  for (const domain of await localDomains(db, config)) await ensureDkimKey(db, domain, clock.now());

  let outbound: ReturnType<typeof startOutboundWorker> | null = null;
  let exportsRunning: Promise<void> | null = null;
  const runExports = () => {
    exportsRunning ??= drainExports({ db, mail: services, now: () => clock.now(), leaseMs: LEASE_MS })
      .then(() => undefined)
      .catch((err) => log.error({ err }, 'export failed'))
      .finally(() => {
        exportsRunning = null;
      });
    return exportsRunning;
  };
  const services: MailServices = {
    blobs: deps.blobs,
    settings: {
      ...DEFAULT_MAIL_SEND_SETTINGS,
      mailDomain: config.mailDomain,
      hostname: config.smtp.hostname,
      maxMessageBytes: config.smtp.maxMessageBytes,
      maxUploadBytes: config.smtp.maxMessageBytes,
      maxRecipients: config.smtp.maxRecipients,
      retry: config.outbound.retry,
    },
    kickOutbound: () => outbound?.kick(),
    kickExports: () => {
      void runExports();
    },
  };
  const workerDeps: OutboundWorkerDeps = {
    db,
    clock,
    deliverer: smtpDeliverer({
      heloName: config.smtp.hostname,
      smarthost: config.outbound.smarthost,
      port: config.outbound.mxPort,
      dkimKey: async (domain) =>
        (await isLocalDomain(db, domain, config.mailDomain)) ? ensureDkimKey(db, domain, clock.now()) : null,
    }),
    bounce: dsnBouncer(services),
    openBlob: (sha) => lazyStream(() => deps.blobs.open(sha)),
    policy: config.outbound.retry,
    leaseMs: LEASE_MS,
    batch: 20,
  };
  if (config.outbound.enabled) {
    outbound = startOutboundWorker(workerDeps, {
      intervalMs: 30_000,
      onError: (err) => log.error({ err }, 'outbound delivery pass failed'),
    });
  }
  const housekeeping = setInterval(() => {
    void runExports();
    pruneUploads(db, clock.now()).catch((err) => log.error({ err }, 'upload pruning failed'));
  }, 60_000);
  housekeeping.unref();
  void runExports();
  // Blob garbage collection: several processes may run it at once (safe; only wasted work).
  let gcRunning = false;
  const gc =
    config.mail.gcIntervalMs > 0
      ? setInterval(() => {
          if (gcRunning) return;
          gcRunning = true;
          collectBlobGarbage(db, deps.blobs, { now: clock.now(), graceMs: config.mail.gcGraceMs })
            .then((r) => log.info({ ...r }, 'blob garbage collection done'))
            .catch((err) => log.error({ err }, 'blob garbage collection failed'))
            .finally(() => {
              gcRunning = false;
            });
        }, config.mail.gcIntervalMs)
      : null;
  gc?.unref();

  return {
    services,
    async drainOutbound() {
      await drainOutbound(workerDeps);
    },
    async drainExports() {
      await runExports();
    },
    async close() {
      clearInterval(housekeeping);
      if (gc) clearInterval(gc);
      await outbound?.stop();
      await exportsRunning;
    },
  };
}
