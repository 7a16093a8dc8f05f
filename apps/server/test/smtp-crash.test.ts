// Crash safety: `gongjik start` runs as a child process; a client sends up to 2,000 messages over
// several connections and the child is killed with SIGKILL part-way. After a restart, every message
// that got 250 is stored exactly once (counted by Message-ID), and none is stored twice.
// Real PostgreSQL when TEST_DATABASE_URL is set (a fresh database), else PGlite in the data dir.
//
// On PGlite this used to "stall" the test process. The cause: PGlite is slow here (a cold start
// takes 15-35 s on a loaded 2-core machine, recovery after kill -9 as long, and one connection
// gets ~5-10 messages/s), so the test hit its timeout while waiting for the restarted server; the
// `after` hook then killed only the first (already dead) child, and the second one — still holding
// the test's stdout/stderr pipes — kept the test process alive. Now every child is killed, PGlite
// kills after fewer messages, and the time limits fit a PGlite start.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createDb, migrate } from '@gongjik/db';
import { sql } from 'kysely';
import pg from 'pg';
import { activeAccount } from './mail-store-helpers.ts';
import { SmtpClient, testMessage } from './smtp-client.ts';

const bin = new URL('../bin/gongjik.mjs', import.meta.url).pathname;
const TOTAL = 2000;
const CONNECTIONS = 4;
/** every child ever started: the after hook kills them all, so none can keep this process alive */
const children = new Set<ChildProcess>();

describe('crash safety of inbound SMTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gongjik-crash-'));
  const baseUrl = process.env.TEST_DATABASE_URL;
  const dbName = `gj_crash_${randomBytes(4).toString('hex')}`;
  const url = baseUrl ? baseUrl.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`) : undefined;

  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    if (baseUrl) await admin(baseUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  });

  // A crash-and-restart test under concurrent load, on real PostgreSQL and on PGlite.
  it('keeps every message that got 250 exactly once after kill -9 and a restart', {
    timeout: 400_000,
  }, async () => {
    if (baseUrl) await admin(baseUrl, `CREATE DATABASE ${dbName}`);
    // Seed an active account, then let the server have the database.
    const seed = await createDb({ url, dataDir: dir });
    await migrate(seed.db);
    const rcpt = await activeAccount(seed.db);
    await seed.close();

    let server = await startChild(dir, url);
    const acked = new Set<string>();
    const attempted = new Set<string>();
    let next = 0;
    let killed = false;
    // Part-way through the 2,000: PostgreSQL takes hundreds of messages a second, PGlite a few.
    const killAt = baseUrl ? 300 + Math.floor(Math.random() * 500) : 40 + Math.floor(Math.random() * 80);

    const worker = async () => {
      let c: SmtpClient;
      try {
        c = (await SmtpClient.connect(server.port)).client;
        await c.command('EHLO crash.example.org');
      } catch {
        return;
      }
      while (next < TOTAL && !killed) {
        const id = `crash-${next++}@example.org`;
        attempted.add(id);
        const reply = await c.send(
          'x@example.org',
          [rcpt.address],
          testMessage({ to: rcpt.address, messageId: id }),
        );
        if (reply.startsWith('250')) acked.add(id);
        else break; // connection lost (or 4xx): this message has no 250
        if (acked.size >= killAt && !killed) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      }
      await c.quit().catch(() => {});
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    if (!killed) server.child.kill('SIGKILL'); // never wait for an exit that nothing will cause
    await exited(server.child);
    assert.ok(killed, 'the server was killed while messages were being sent');

    // Restart on the same data: it must come up and take mail again.
    server = await startChild(dir, url);
    const { client } = await SmtpClient.connect(server.port);
    await client.command('EHLO crash.example.org');
    assert.match(
      await client.send(
        'x@example.org',
        [rcpt.address],
        testMessage({ to: rcpt.address, messageId: 'after@example.org' }),
      ),
      /^250 /,
    );
    await client.quit();
    server.child.kill('SIGTERM');
    await exited(server.child);

    const check = await createDb({ url, dataDir: dir });
    const rows = await sql<{ id: string; n: number }>`
      SELECT m.header_message_id AS id, count(*)::int AS n
      FROM mail_messages m JOIN mail_entries e ON e.message_id = m.id
      WHERE e.account_id = ${rcpt.accountId} GROUP BY 1`.execute(check.db);
    const inbox = await check.db
      .selectFrom('mail_folders')
      .select('total_count')
      .where('account_id', '=', rcpt.accountId)
      .where('role', '=', 'inbox')
      .executeTakeFirstOrThrow();
    await check.close();
    const stored = new Map(rows.rows.map((r) => [r.id, r.n]));
    const missing = [...acked].filter((id) => stored.get(id) !== 1);
    assert.deepEqual(missing, [], 'every acknowledged message is stored exactly once');
    assert.ok(
      [...stored.values()].every((n) => n === 1),
      'no message is stored twice',
    );
    assert.ok([...stored.keys()].every((id) => attempted.has(id) || id === 'after@example.org'));
    assert.equal(inbox.total_count, rows.rows.length, 'the folder count matches after recovery');
    assert.ok(acked.size >= killAt);
  });
});

async function startChild(
  dataDir: string,
  url: string | undefined,
): Promise<{ child: ChildProcess; port: number }> {
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    GONGJIK_LOG_LEVEL: 'silent',
    GONGJIK_SMTP_DNS: 'none',
    GONGJIK_SMTP_MESSAGES_PER_MINUTE_PER_IP: '1000000',
    GONGJIK_RETIREMENT_CHECK_SECONDS: '86400',
  };
  if (url) env.DATABASE_URL = url;
  else delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    // one process: the one that takes SMTP is the one killed (cluster mode has its own tests)
    [bin, 'start', '--data', dataDir, '--port', '0', '--smtp-port', '0', '--no-demo', '--workers', '1'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 150_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /smtp:\s+\S+:(\d+)\r?\n/.exec(out); // the whole line: a chunk may end mid-port
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${out}`));
    });
  });
  return { child, port };
}

/**
 * Resolves when the child has exited. A child killed by a signal has `exitCode === null` and its
 * `signalCode` set, and its 'exit' event may already have fired: checking only `exitCode` waited
 * forever whenever SIGKILL landed before this call (the CI timeout of session 2).
 */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

async function admin(url: string, statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}
