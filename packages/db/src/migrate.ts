import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.ts';

const migrationsDir = new URL('../migrations/', import.meta.url).pathname;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** The migrations shipped with this package, in order (`NNNN_name.sql`). */
export function listMigrations(dir: string = migrationsDir): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const migrations = files.map((file) => {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) throw new Error(`migration file name must be NNNN_name.sql: ${file}`);
    return { version: Number(m[1]), name: m[2]!, sql: readFileSync(join(dir, file), 'utf8') };
  });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migrations must be numbered 1, 2, 3…: ${m.version} at ${i + 1}`);
  });
  return migrations;
}

/** Key of the advisory lock taken while migrating ('gong'), paired with a hash of the schema. */
const LOCK_KEY = 0x676f6e67;

export interface MigrateResult {
  readonly applied: number[];
  readonly current: number;
}

/**
 * Applies the pending migrations, forward only, in one transaction under a transaction-scoped
 * advisory lock: a second process that starts at the same moment waits, then finds nothing to do.
 */
export async function migrate(
  db: Kysely<Database>,
  options: { migrations?: readonly Migration[]; now?: Date } = {},
): Promise<MigrateResult> {
  const migrations = options.migrations ?? listMigrations();
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${LOCK_KEY}::int, hashtext(coalesce(current_schema(), ''))::int)`.execute(
      trx,
    );
    await sql
      .raw(
        `create table if not exists schema_migrations (
           version integer primary key,
           name text not null,
           applied_at timestamptz not null
         )`,
      )
      .execute(trx);
    const done = new Set(
      (await trx.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
    );
    const latest = Math.max(0, ...done);
    if (latest > migrations.length) {
      throw new Error(
        `the database is at migration ${latest}, newer than this code (${migrations.length}): refusing to run`,
      );
    }
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await sql.raw(m.sql).execute(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, applied_at: now })
        .execute();
      applied.push(m.version);
    }
    return { applied, current: migrations.length };
  });
}
