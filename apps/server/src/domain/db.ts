import type { Database } from '@gongjik/db';
import type { Kysely } from 'kysely';

/** The database, or a transaction on it: repository and domain functions take it first. */
export type Db = Kysely<Database>;

/** Runs fn in a transaction, or inside the caller's transaction when db already is one. */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}

/** Who does a change, when and from where: every changing domain call takes one, for the audit log. */
export interface ChangeContext {
  readonly actor: string;
  readonly now: Date;
  readonly ip?: string | null;
}
