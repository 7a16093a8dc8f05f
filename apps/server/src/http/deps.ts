import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { CertificateChecker } from '../domain/auth/certificate.ts';
import type { Db } from '../domain/db.ts';
import type { ImageProxyOptions } from '../domain/mail/image-proxy.ts';
import type { MailServices } from '../domain/mail/services.ts';

/** What the HTTP layer is built from. */
export interface ServerDeps {
  readonly db: Db;
  readonly config: Config;
  readonly clock: Clock;
  /**
   * The process's certificate checker (one trust store, one kpki validator). buildServer makes one
   * from config.auth.trustDir when it is not given.
   */
  readonly certificates?: CertificateChecker;
  /** the mail services (blob store, send settings); the mail API answers 503 without them */
  readonly mail?: MailServices;
  /** image proxy options (tests narrow the address check) */
  readonly imageProxy?: ImageProxyOptions;
}
