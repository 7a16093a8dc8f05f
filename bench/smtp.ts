// SMTP ingest: ~10 KB messages to local accounts over SMTP, durable (blob fdatasync + rename +
// directory fsync, then the PostgreSQL commit) before each 250, on real PostgreSQL; and, in the same
// run when Postfix is installed, the same load through a private loopback-only Postfix delivering
// to a maildir. Prints {"msgsPerSec", "p99Ms", "postfixMsgsPerSec", …}. Budget: ≥ 1,000 msg/s.
//   BENCH_DATABASE_URL (default TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test)
//   --messages N (default 5000)  --connections C (default 32)  --processes P (default 1: SMTP server
//   processes sharing the port with SO_REUSEPORT; CPU time and round trips are summed over them)
import { type ChildProcess, execFile, fork, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { createDb, migrate } from '@gongjik/db';
import pg from 'pg';
import { createAgency } from '../apps/server/src/domain/directory/agencies.ts';
import { upsertPerson } from '../apps/server/src/domain/directory/people.ts';
import { openFsBlobStore } from '../apps/server/src/domain/mail/blobs/fs-blob-store.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '5000' },
    connections: { type: 'string', default: '32' },
    processes: { type: 'string', default: '1' },
  },
});
const P = Math.max(1, Number(values.processes));
const N = Number(values.messages);
const C = Number(values.connections);
const ACCOUNTS = 50;
const baseUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const dbName = `gj_bench_${randomBytes(4).toString('hex')}`;
const url = baseUrl.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`);
const dir = mkdtempSync(join(tmpdir(), 'gongjik-bench-smtp-'));
const loadScript = new URL('./_smtp-load.ts', import.meta.url).pathname;
const serverScript = new URL('./_smtp-server.ts', import.meta.url).pathname;

/** A free loopback port for the server processes to share. */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

type ServerMsg = { ready?: boolean; port?: number; cpuMs?: number; roundTrips?: number };
function nextMessage(p: ChildProcess): Promise<ServerMsg> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`SMTP server process exited (${code})`));
    p.once('exit', onExit);
    p.once('message', (m) => {
      p.off('exit', onExit);
      resolve(m as ServerMsg);
    });
  });
}

async function admin(statement: string) {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

function runLoad(
  port: number,
  rcpts: string[],
): Promise<{ sent: number; failed: number; wallMs: number; p50Ms: number; p99Ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [loadScript, String(port), String(N), String(C), rcpts.join(',')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load client exited ${code}`)),
    );
  });
}

const result: Record<string, unknown> = { messages: N, connections: C, accounts: ACCOUNTS, processes: P };
await admin(`CREATE DATABASE ${dbName}`);
try {
  const handle = await createDb({ url, poolSize: 40 });
  await migrate(handle.db);
  const ctx = { actor: 'bench', now: new Date() };
  await createAgency(handle.db, { code: 'BENCH', name: '벤치', type: 'central' }, ctx);
  const rcpts: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    await upsertPerson(
      handle.db,
      `B${i}`,
      { agencyCode: 'BENCH', realName: `사용자${i}`, mailId: `bench${i}` },
      ctx,
      { mailDomain: 'korea.kr' },
    );
    rcpts.push(`bench${i}@korea.kr`);
  }
  await handle.db.updateTable('accounts').set({ state: 'active' }).execute();
  await openFsBlobStore(join(dir, 'blobs'));
  // Database round trips: every query node-postgres sends (BEGIN and COMMIT too), in the servers.
  const port = await freePort();
  const servers = Array.from({ length: P }, () =>
    fork(serverScript, [url, join(dir, 'blobs'), String(port), String(Math.ceil(40 / P))], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  await Promise.all(servers.map(nextMessage));
  for (const p of servers) p.send('start');
  const load = await runLoad(port, rcpts);
  const done = servers.map(nextMessage);
  for (const p of servers) p.send('stop');
  const stats = await Promise.all(done);
  const cpuMs = stats.reduce((n, x) => n + (x.cpuMs ?? 0), 0);
  const trips = stats.reduce((n, x) => n + (x.roundTrips ?? 0), 0);
  const stored = await handle.db
    .selectFrom('mail_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await handle.close();
  Object.assign(result, {
    msgsPerSec: Math.round((load.sent / load.wallMs) * 1000),
    p99Ms: Math.round(load.p99Ms * 10) / 10,
    p50Ms: Math.round(load.p50Ms * 10) / 10,
    messageBytes: load.bytes,
    failed: load.failed,
    stored: Number(stored.n),
    serverCpuMsPerMsg: Math.round((cpuMs / N) * 100) / 100,
    roundTripsPerMsg: Math.round((trips / N) * 100) / 100,
    loadAverage: (await import('node:os')).loadavg()[0],
  });
  Object.assign(result, await postfix(rcpts.length));
} finally {
  rmSync(dir, { recursive: true, force: true });
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
}
console.log(JSON.stringify(result));

/** The same load through a private Postfix (loopback only, /tmp config) into maildirs. */
async function postfix(accounts: number): Promise<Record<string, unknown>> {
  const bin = ['/usr/sbin/postfix', '/usr/sbin/postconf'];
  if (!bin.every(existsSync)) return { postfixMsgsPerSec: null, postfix: 'not installed' };
  const root = mkdtempSync(join(tmpdir(), 'gongjik-bench-postfix-'));
  const conf = join(root, 'etc');
  const queue = join(root, 'queue');
  const vmail = join(root, 'vmail');
  const port = 20000 + Math.floor(Math.random() * 20000);
  chmodSync(root, 0o755); // the postfix user must reach its queue and data directories
  mkdirSync(conf);
  mkdirSync(vmail, { mode: 0o777 });
  spawnSync('chown', ['-R', 'nobody:nogroup', vmail]);
  const users = Array.from({ length: accounts }, (_, i) => `bench${i}@korea.kr bench${i}/`).join('\n');
  writeFileSync(join(conf, 'vmailbox'), `${users}\n`);
  writeFileSync(
    join(conf, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${queue}`,
      `data_directory = ${join(root, 'data')}`,
      'mail_owner = postfix',
      'inet_interfaces = loopback-only',
      'inet_protocols = ipv4',
      'myhostname = bench.localdomain',
      'mydestination =',
      'relayhost =',
      'mynetworks = 127.0.0.0/8',
      'smtpd_recipient_restrictions = permit_mynetworks, reject',
      'virtual_mailbox_domains = korea.kr',
      `virtual_mailbox_base = ${vmail}`,
      `virtual_mailbox_maps = texthash:${join(conf, 'vmailbox')}`,
      'virtual_uid_maps = static:65534',
      'virtual_gid_maps = static:65534',
      'default_transport = error:no outside network in the benchmark',
      `maillog_file = ${join(root, 'maillog')}`,
      `maillog_file_prefixes = ${root}`,
      'smtpd_banner = $myhostname ESMTP',
      'message_size_limit = 26214400',
      'default_process_limit = 100',
      '',
    ].join('\n'),
  );
  const master = spawnSync('sh', ['-c', `cat /etc/postfix/master.cf`], { encoding: 'utf8' }).stdout.replace(
    /^smtp\s+inet\s.*$/m,
    `127.0.0.1:${port} inet n - n - - smtpd`,
  );
  writeFileSync(join(conf, 'master.cf'), master);
  const env = { ...process.env, MAIL_CONFIG: conf };
  const run = promisify(execFile);
  try {
    mkdirSync(queue);
    await run('/usr/sbin/postfix', ['-c', conf, 'set-permissions', 'create-missing'], { env });
    await run('/usr/sbin/postfix', ['-c', conf, 'start'], { env });
    await new Promise((r) => setTimeout(r, 1500));
    const rcpts = Array.from({ length: accounts }, (_, i) => `bench${i}@korea.kr`);
    const load = await runLoad(port, rcpts);
    // Wait for local delivery of everything accepted (bounded).
    const t0 = performance.now();
    const count = () =>
      readdirSync(vmail).reduce((n, u) => {
        const d = join(vmail, u, 'new');
        return n + (existsSync(d) ? readdirSync(d).length : 0);
      }, 0);
    let delivered = count();
    while (delivered < load.sent && performance.now() - t0 < 120_000) {
      await new Promise((r) => setTimeout(r, 200));
      delivered = count();
    }
    return {
      postfixMsgsPerSec: Math.round((load.sent / load.wallMs) * 1000),
      postfixP99Ms: Math.round(load.p99Ms * 10) / 10,
      postfixFailed: load.failed,
      postfixDeliveredMsgsPerSec: Math.round((delivered / (load.wallMs + (performance.now() - t0))) * 1000),
    };
  } catch (err) {
    const e = err as Error & { stderr?: string };
    return { postfixMsgsPerSec: null, postfix: `failed: ${`${e.message} ${e.stderr ?? ''}`.slice(0, 300)}` };
  } finally {
    await run('/usr/sbin/postfix', ['-c', conf, 'stop'], { env }).catch(() => {});
    await new Promise((r) => setTimeout(r, 500));
    if (!process.env.BENCH_KEEP_POSTFIX) rmSync(root, { recursive: true, force: true });
  }
}
