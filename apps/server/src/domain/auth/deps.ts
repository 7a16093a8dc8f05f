import type { Clock } from '../../clock.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../db.ts';
import type { CertificateChecker } from './certificate.ts';

/**
 * What the certificate sign-up and login functions need. `certificates` is the process's one
 * checker (one trust store, one validator): build it once with createCertificateChecker.
 */
export interface AuthDeps {
  readonly db: Db;
  readonly config: Pick<Config, 'publicOrigin' | 'sessions' | 'retirement' | 'auth' | 'mailDomain'>;
  readonly clock: Clock;
  readonly certificates: CertificateChecker;
}

/** The account as the login and sign-up answers show it (docs/auth-protocol.md). */
export interface AuthAccountView {
  readonly id: string;
  readonly address: string;
  readonly realName: string;
  readonly agency: string | null;
  readonly department: string | null;
}
