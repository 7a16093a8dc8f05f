import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sql } from 'kysely';
import { createDb, listMigrations, migrate } from '../src/index.ts';
import { forEachDatabase, openTestDb } from '../src/testing.ts';

forEachDatabase('migrations', (suite) => {
  it('applies every migration once, in order, and a second run applies nothing', async () => {
    const fresh = await suite.fresh({ migrated: false });
    const first = await migrate(fresh.db);
    assert.deepEqual(
      first.applied,
      listMigrations().map((m) => m.version),
    );
    const second = await migrate(fresh.db);
    assert.deepEqual(second.applied, []);
    const rows = await fresh.db
      .selectFrom('schema_migrations')
      .select('version')
      .orderBy('version')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.version),
      first.applied,
    );
  });

  it('two concurrent migrations apply each migration exactly once', async () => {
    const fresh = await suite.fresh({ migrated: false });
    let other = fresh;
    if (suite.kind === 'postgres') {
      // A second pool on the same schema stands for a second server process.
      other = { ...fresh, ...(await createDb({ url: fresh.url!, schema: fresh.schema! })) };
    }
    try {
      const [a, b] = await Promise.all([migrate(fresh.db), migrate(other.db)]);
      const total = [...a.applied, ...b.applied].sort((x, y) => x - y);
      assert.deepEqual(
        total,
        listMigrations().map((m) => m.version),
      );
      assert.ok(a.applied.length === 0 || b.applied.length === 0, 'one of the two found nothing to do');
    } finally {
      if (other !== fresh) await other.close();
    }
  });

  it('refuses to run against a database newer than the code', async () => {
    const fresh = await suite.fresh();
    await fresh.db
      .insertInto('schema_migrations')
      .values({ version: 999, name: 'future', applied_at: new Date() })
      .execute();
    await assert.rejects(migrate(fresh.db), /newer than this code/);
  });

  it('rolls a failing migration back entirely', async () => {
    const fresh = await suite.fresh({ migrated: false });
    const broken = [
      ...listMigrations(),
      {
        version: listMigrations().length + 1,
        name: 'broken',
        sql: 'create table ok_part (a int); select 1/0;',
      },
    ];
    await assert.rejects(migrate(fresh.db, { migrations: broken }));
    const exists = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables
      where table_schema = current_schema() and table_name in ('ok_part', 'schema_migrations')`.execute(
      fresh.db,
    );
    assert.equal(exists.rows[0]!.n, 0);
  });
});

forEachDatabase('audit_log table', (suite) => {
  const row = () => ({
    at: new Date('2026-01-02T03:04:05Z'),
    actor: 'test',
    action: 'test.append',
    target: 'x',
    outcome: 'success' as const,
    code: null,
    details: JSON.stringify({ a: 1 }),
    ip: null,
  });

  it('accepts appended rows', async () => {
    const r = await suite.db
      .insertInto('audit_log')
      .values(row())
      .returning(['id', 'details'])
      .executeTakeFirstOrThrow();
    assert.equal(typeof r.id, 'number');
    assert.deepEqual(r.details, { a: 1 });
  });

  it('refuses UPDATE of an audit row', async () => {
    await suite.db.insertInto('audit_log').values(row()).execute();
    await assert.rejects(suite.db.updateTable('audit_log').set({ actor: 'forged' }).execute(), /append-only/);
  });

  it('refuses DELETE of an audit row', async () => {
    await suite.db.insertInto('audit_log').values(row()).execute();
    await assert.rejects(suite.db.deleteFrom('audit_log').execute(), /append-only/);
  });

  it('refuses TRUNCATE of the audit log', async () => {
    await assert.rejects(sql`truncate audit_log`.execute(suite.db), /append-only/);
  });
});

forEachDatabase('transactions', (suite) => {
  it('rolls back every statement of a failed transaction', async () => {
    await sql`create table if not exists tx_probe (a int)`.execute(suite.db);
    await assert.rejects(
      suite.db.transaction().execute(async (trx) => {
        await sql`insert into tx_probe values (1)`.execute(trx);
        throw new Error('boom');
      }),
    );
    const r = await sql<{ n: number }>`select count(*)::int as n from tx_probe`.execute(suite.db);
    assert.equal(r.rows[0]!.n, 0);
  });

  it('keeps concurrent transactions apart', async () => {
    await sql`create table if not exists tx_counter (id int primary key, n int not null)`.execute(suite.db);
    await sql`insert into tx_counter values (1, 0) on conflict do nothing`.execute(suite.db);
    const bump = () =>
      suite.db.transaction().execute(async (trx) => {
        const r = await sql<{ n: number }>`select n from tx_counter where id = 1 for update`.execute(trx);
        await sql`update tx_counter set n = ${r.rows[0]!.n + 1} where id = 1`.execute(trx);
      });
    await Promise.all(Array.from({ length: 10 }, bump));
    const r = await sql<{ n: number }>`select n from tx_counter where id = 1`.execute(suite.db);
    assert.equal(r.rows[0]!.n, 10);
  });

  it('reads dates as YYYY-MM-DD strings and bigints as numbers', async () => {
    const r = await sql<{ d: string; b: number }>`select date '2027-03-01' as d, 42::bigint as b`.execute(
      suite.db,
    );
    assert.deepEqual(r.rows[0], { d: '2027-03-01', b: 42 });
  });
});

it('opens PGlite in <dataDir>/pg and keeps data across restarts', async () => {
  const { mkdtempSync, existsSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'gongjik-db-'));
  try {
    const a = await createDb({ dataDir: dir });
    await migrate(a.db);
    await a.close();
    assert.ok(existsSync(join(dir, 'pg', 'PG_VERSION')));
    const b = await createDb({ dataDir: dir });
    assert.deepEqual((await migrate(b.db)).applied, []);
    await b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('openTestDb gives PostgreSQL runs their own schema', {
  skip: !process.env.TEST_DATABASE_URL,
}, async () => {
  const a = await openTestDb('postgres');
  const b = await openTestDb('postgres');
  try {
    assert.notEqual(a.schema, b.schema);
    await a.db
      .insertInto('audit_log')
      .values({
        at: new Date(),
        actor: 'a',
        action: 'x',
        target: null,
        outcome: 'success',
        code: null,
        ip: null,
      })
      .execute();
    const n = await b.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 0);
  } finally {
    await a.close();
    await b.close();
  }
});
