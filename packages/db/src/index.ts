export { type CreateDbOptions, createDb, type DbHandle, PREPARED } from './create-db.ts';
export { listMigrations, type MigrateResult, type Migration, migrate } from './migrate.ts';
export { PGliteDialect } from './pglite-dialect.ts';
export type * from './schema.ts';
