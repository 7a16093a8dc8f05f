// Starts inbound SMTP for `gongjik start`: the blob store in <data-dir>/blobs, TLS material
// (configured, or self-signed in <data-dir>/tls), the DNS resolver, then the listener.
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../domain/db.ts';
import type { BlobStore } from '../domain/mail/blobs/blob-store.ts';
import { openFsBlobStore } from '../domain/mail/blobs/fs-blob-store.ts';
import { cachingResolver, emptyResolver, systemResolver } from './authenticate.ts';
import { createSmtpServer, type RunningSmtp } from './server.ts';
import { ensureSelfSigned, readTlsFiles } from './tls.ts';

export async function startSmtp(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /** the blob store shared with the rest of the server (default: <data-dir>/blobs) */
  blobs?: BlobStore;
}): Promise<RunningSmtp> {
  const { config } = deps;
  const blobs = deps.blobs ?? (await openFsBlobStore(join(config.dataDir, 'blobs')));
  const tls =
    config.smtp.tlsKeyFile && config.smtp.tlsCertFile
      ? readTlsFiles(config.smtp.tlsKeyFile, config.smtp.tlsCertFile)
      : await ensureSelfSigned(join(config.dataDir, 'tls'), config.smtp.hostname, deps.clock.now());
  const smtp = createSmtpServer({
    db: deps.db,
    blobs,
    settings: {
      ...config.smtp,
      mailDomain: config.mailDomain,
      defaultQuotaBytes: config.mail.defaultQuotaBytes,
    },
    tls,
    resolver: config.smtp.dns === 'none' ? emptyResolver : cachingResolver(systemResolver()),
    now: () => deps.clock.now(),
    log: deps.log,
  });
  return smtp.listen();
}
