import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Db } from '../domain/db.ts';

/** What the HTTP layer is built from. */
export interface ServerDeps {
  readonly db: Db;
  readonly config: Config;
  readonly clock: Clock;
}
