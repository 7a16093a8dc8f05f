import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { CertificateChecker } from '../domain/auth/certificate.ts';
import type { Db } from '../domain/db.ts';

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
}
