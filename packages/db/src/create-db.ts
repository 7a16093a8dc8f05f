import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export interface CreateDbOptions {
  /** `postgres://…`: use that PostgreSQL server. */
  readonly url?: string;
  /** Without url: the embedded PGlite database lives in `<dataDir>/pg`. Neither: in memory. */
  readonly dataDir?: string;
  /** PostgreSQL only: put this schema first on the search_path of every connection (tests). */
  readonly schema?: string;
  /** PostgreSQL only: pool size (default 10). */
  readonly poolSize?: number;
}

export interface DbHandle {
  readonly db: Kysely<Database>;
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const INT8 = 20;
const DATE = 1082;

/**
 * Put at the very start of a hot, fixed SQL text (`sql\`${PREPARED}select …\``): on PostgreSQL it
 * then runs as a named prepared statement — parsed (and, after a few runs, planned) once per
 * connection instead of on every call. Only for statements whose text is one of a few fixed
 * strings: each distinct text stays prepared on every pooled connection. PGlite ignores it.
 */
export const PREPARED = '/*gongjik:prepared*/ ';

/** Makes the pool's clients run PREPARED-marked texts as named statements (pg keeps them per connection). */
function namePreparedStatements(pool: pg.Pool): void {
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `gj_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    return name;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (first: unknown, ...rest: unknown[]) => {
      if (typeof first === 'string' && first.startsWith(PREPARED)) {
        const [values, callback] = rest;
        return callback === undefined
          ? query({ name: nameOf(first), text: first, values })
          : query({ name: nameOf(first), text: first, values }, callback);
      }
      return query(first, ...rest);
    };
  });
}

const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//.test(url);

/** Opens the database: PostgreSQL when a postgres:// url is given, otherwise PGlite. */
export async function createDb(options: CreateDbOptions = {}): Promise<DbHandle> {
  if (options.url !== undefined && options.url !== '') {
    if (!isPostgresUrl(options.url)) throw new TypeError('createDb: url must start with postgres://');
    return openPostgres(options.url, options);
  }
  return openPGlite(options.dataDir);
}

function openPostgres(url: string, options: CreateDbOptions): DbHandle {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
    throw new TypeError('createDb: schema must be a plain lower-case identifier');
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return (v: string) => Number(v);
        if (oid === DATE) return (v: string) => v;
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  namePreparedStatements(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

async function openPGlite(dataDir: string | undefined): Promise<DbHandle> {
  let dir: string | undefined;
  if (dataDir !== undefined) {
    dir = join(dataDir, 'pg');
    mkdirSync(dir, { recursive: true });
  }
  const pglite = await PGlite.create({
    ...(dir ? { dataDir: dir } : {}),
    parsers: {
      [pgliteTypes.INT8]: (v: string) => Number(v),
      [pgliteTypes.DATE]: (v: string) => v,
    },
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
