// Test support: run a suite on PGlite, and on real PostgreSQL too when TEST_DATABASE_URL is set.
// Each PostgreSQL run gets its own fresh schema (CREATE SCHEMA t_<random> + search_path), so test
// files can run concurrently against one server; the schema is dropped afterwards.
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { createDb, type DbHandle } from './create-db.ts';
import { migrate } from './migrate.ts';
import type { Database } from './schema.ts';

export type TestDbKind = 'pglite' | 'postgres';

export interface TestDb extends DbHandle {
  /** PostgreSQL only: the schema this database lives in. */
  readonly schema?: string;
  /** PostgreSQL only: the connection URL (with the schema, pass `schema` to createDb too). */
  readonly url?: string;
}

/** The kinds of database the tests run on: always PGlite, plus PostgreSQL when TEST_DATABASE_URL is set. */
export function testDbKinds(): TestDbKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * Opens an empty database of the given kind (in-memory PGlite, or a fresh PostgreSQL schema),
 * migrated unless `migrated: false`. close() drops the schema.
 */
export async function openTestDb(kind: TestDbKind, options: { migrated?: boolean } = {}): Promise<TestDb> {
  let handle: TestDb;
  if (kind === 'pglite') {
    handle = await createDb();
  } else {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    const schema = await createTestSchema(url);
    const inner = await createDb({ url, schema, poolSize: 5 });
    handle = {
      db: inner.db,
      kind: 'postgres',
      schema,
      url,
      close: async () => {
        await inner.close();
        await dropTestSchema(url, schema);
      },
    };
  }
  if (options.migrated !== false) await migrate(handle.db);
  return handle;
}

/** Creates `t_<random>` on the server at url and returns its name. */
export async function createTestSchema(url: string): Promise<string> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await withClient(url, (c) => c.query(`create schema ${schema}`));
  return schema;
}

export async function dropTestSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (c) => c.query(`drop schema if exists ${schema} cascade`));
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface DatabaseSuite {
  readonly kind: TestDbKind;
  /** The suite's migrated database (opened before the suite's tests, closed after). */
  readonly db: Kysely<Database>;
  readonly handle: TestDb;
  /** A further, separate database of the same kind, closed when the suite ends. */
  fresh(options?: { migrated?: boolean }): Promise<TestDb>;
}

/**
 * Declares `describe(name [pglite])` and, with TEST_DATABASE_URL, `describe(name [postgres])`;
 * fn declares the tests and reads the database from the suite object inside them.
 *
 *   forEachDatabase('audit log', (suite) => {
 *     it('refuses UPDATE', async () => { await assert.rejects(sql`…`.execute(suite.db)); });
 *   });
 */
export function forEachDatabase(name: string, fn: (suite: DatabaseSuite) => void): void {
  for (const kind of testDbKinds()) {
    describe(`${name} [${kind}]`, () => {
      let handle: TestDb | undefined;
      const extra: TestDb[] = [];
      const suite: DatabaseSuite = {
        kind,
        get handle() {
          if (!handle) throw new Error('the test database is not open yet (use it inside a test)');
          return handle;
        },
        get db() {
          return suite.handle.db;
        },
        async fresh(options) {
          const h = await openTestDb(kind, options);
          extra.push(h);
          return h;
        },
      };
      before(async () => {
        handle = await openTestDb(kind);
      });
      after(async () => {
        for (const h of extra) await h.close();
        await handle?.close();
      });
      fn(suite);
    });
  }
}
