// Full certificate logins over real HTTP on real PostgreSQL (issue 3 budget: ≥ 1,000 logins/s at 50
// concurrent clients on 2 cores, p99 ≤ 10 ms at 4), with raw RSA-2048 verify measured in the same run.
//
// One login = POST /api/v1/auth/challenge → sign THAT challenge (RSA-2048 PKCS#1 v1.5, client side,
// a fresh signature per login; only the keys are made in advance) → POST /api/v1/auth/login →
// 200 with the session cookie. The server is the real `gongjik start --workers N` (a child process:
// the cluster primary and its workers) on a fresh PostgreSQL database made for the run and dropped
// after it; the clients run in worker threads of this process (keep-alive connections through the
// lean HTTP/1.1 client of bench/_http-raw.ts, as wrk-style load generators do), each signing on its
// own thread.
//
// Measured per phase: logins/s and latency percentiles; CPU per login of the server processes
// (primary + workers) and of the PostgreSQL backends serving them, read from /proc (the machine may
// be shared, so CPU per login is the comparable number); the client side's CPU per login. Counted
// once, exactly, in this process: database statements per challenge and per login (a Kysely plugin
// counting every statement on the same code path).
//
// Usage: DATABASE_URL=postgres://… node bench/login.ts [seconds per phase, default 8]
//   BENCH_WORKERS      server worker processes (default: the CPU count)
//   BENCH_THREADS      client threads (default: the CPU count)
//   BENCH_POOL         PostgreSQL connections per server worker (default 10)
//   BENCH_SERVER_ROOT  another checkout's root to measure (before/after comparisons)
//   BENCH_PROFILE      a directory: write CPU profiles of the server processes there
// Prints JSON: { loginsPerSec, p99MsAtC4, rawVerifyPerSec, atC50, atC4, statementsPerLogin, ... }.
import { spawn } from 'node:child_process';
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { RawHttpConnection } from './_http-raw.ts';

interface ThreadJob {
  readonly base: string;
  readonly users: { pkcs8: Uint8Array; b64: string }[];
  readonly concurrency: number;
  readonly durationMs: number;
  readonly offset: number;
}
interface ThreadResult {
  readonly latencies: number[];
  readonly signMs: number;
  readonly failures: string[];
}

/** One client login: challenge → fresh signature → login (checks the 200 and the cookie). */
async function clientLogin(
  conn: RawHttpConnection,
  user: { key: import('node:crypto').KeyObject; b64: string },
): Promise<number> {
  const ch = await conn.postJson('/api/v1/auth/challenge', '{"purpose":"login"}');
  if (ch.status !== 200) throw new Error(`challenge failed: ${ch.status} ${ch.body}`);
  const c = JSON.parse(ch.body) as { challengeId: string; nonce: string; origin: string };
  const t0 = performance.now();
  const signature = sign(
    'sha256',
    Buffer.from(`gongjik-login:v1\n${c.origin}\n${c.challengeId}\n${c.nonce}`),
    user.key,
  );
  const signMs = performance.now() - t0;
  const r = await conn.postJson(
    '/api/v1/auth/login',
    `{"challengeId":"${c.challengeId}","certificate":"${user.b64}","signature":"${signature.toString('base64url')}"}`,
  );
  if (r.status !== 200 || !r.head.includes('\r\nset-cookie:'))
    throw new Error(`login failed: ${r.status} ${r.body}`);
  return signMs;
}

if (!isMainThread) {
  // ---- a client thread ----
  const job = workerData as ThreadJob;
  const users = job.users.map((u) => ({
    key: createPrivateKey({ key: Buffer.from(u.pkcs8), format: 'der', type: 'pkcs8' }),
    b64: u.b64,
  }));
  const latencies: number[] = [];
  const failures: string[] = [];
  const base = new URL(job.base);
  let signMs = 0;
  const end = performance.now() + job.durationMs;
  await Promise.all(
    Array.from({ length: job.concurrency }, async (_, w) => {
      const conn = new RawHttpConnection(base.hostname, Number(base.port));
      for (let i = job.offset + w; performance.now() < end; i += job.concurrency) {
        const t0 = performance.now();
        try {
          signMs += await clientLogin(conn, users[i % users.length]!);
          latencies.push(performance.now() - t0);
        } catch (err) {
          if (failures.length < 5) failures.push(String(err));
        }
      }
      conn.close();
    }),
  );
  parentPort!.postMessage({ latencies, signMs, failures } satisfies ThreadResult);
} else {
  await main();
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    console.error('bench/login.ts needs DATABASE_URL or TEST_DATABASE_URL (real PostgreSQL)');
    process.exit(1);
  }
  const { default: pg } = await import('pg');
  const { createDb, migrate } = await import('@gongjik/db');
  const { createDevCa } = await import('@gongjik/kpki');
  const { seedCertifiedOfficials, writeGpkiTrust } = await import('../apps/server/test/official-fixtures.ts');
  const seconds = Number(process.argv[2] ?? 8);
  const cpus = availableParallelism();
  const workers = Number(process.env.BENCH_WORKERS ?? cpus);
  const threads = Number(process.env.BENCH_THREADS ?? cpus);
  const root = process.env.BENCH_SERVER_ROOT ?? new URL('..', import.meta.url).pathname;
  const USERS = 16;
  const now = new Date(Date.now() - 3_600_000);
  const clock = { crypto: globalThis.crypto, now };

  // ---- a fresh database for the run ----
  const dbName = `gongjik_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const benchUrl = new URL(url);
  benchUrl.pathname = `/${dbName}`;
  const dbUrl = benchUrl.toString();
  const dir = mkdtempSync(join(tmpdir(), 'gongjik-bench-login-'));
  const trustDir = join(dir, 'trust');
  let child: import('node:child_process').ChildProcess | null = null;

  try {
    // ---- fixtures: a dev CA, USERS officials with registered GPKI certificates ----
    const ca = await createDevCa(clock);
    writeGpkiTrust(ca, trustDir);
    const seed = await createDb({ url: dbUrl, poolSize: 2 });
    await migrate(seed.db);
    const names = Array.from({ length: USERS }, (_, i) => `류시원${String.fromCharCode(0xac00 + i)}`);
    const issued = await seedCertifiedOfficials(seed.db, ca, clock, {
      names,
      employeePrefix: 'B',
      localPrefix: 'bench',
    });
    const users = issued.map((u) => ({
      pkcs8: u.sign.privateKey,
      b64: Buffer.from(u.sign.certificate).toString('base64url'),
      der: u.sign.certificate,
    }));

    // ---- statements per challenge and per login, counted exactly on the same code path ----
    const statements = await countStatements(root, seed.db, trustDir, users[0]!);
    await seed.close();

    // ---- the server: gongjik start --workers N ----
    // (an older checkout measured with BENCH_SERVER_ROOT may not know --workers: one process then)
    const supportsWorkers = readFileSync(
      join(root, 'apps/server/src/cli/commands/start.ts'),
      'utf8',
    ).includes("'--workers");
    const args = [
      // BENCH_PROFILE=DIR: CPU profiles of the server processes
      ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      join(root, 'apps/server/bin/gongjik.mjs'),
      'start',
      '--data',
      join(dir, 'data'),
      '--port',
      '0',
      '--no-demo',
      '--json',
      ...(supportsWorkers ? ['--workers', String(workers)] : []),
    ];
    child = spawn(process.execPath, args, {
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        GONGJIK_TRUST_DIR: trustDir,
        GONGJIK_LOG_LEVEL: 'warn',
        GONGJIK_SMTP_ENABLED: 'false',
        GONGJIK_OUTBOUND_ENABLED: 'false',
        GONGJIK_DB_POOL_SIZE: process.env.BENCH_POOL ?? '10',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const started = await new Promise<{ listen: string }>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve(JSON.parse(line) as { listen: string });
      });
      child!.once('exit', (code) => reject(new Error(`gongjik start exited ${code}: ${out}`)));
    });
    const base = started.listen;

    // ---- CPU accounting from /proc: the server's process tree and the database's backends ----
    const tick = 100; // USER_HZ
    const procCpuMs = (pid: number): number => {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
        return ((Number(rest[11]) + Number(rest[12])) * 1000) / tick;
      } catch {
        return 0;
      }
    };
    const childrenOf = (pid: number): number[] =>
      readdirSync('/proc')
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
        .filter((p) => {
          try {
            const f = readFileSync(`/proc/${p}/stat`, 'utf8');
            return Number(f.slice(f.lastIndexOf(')') + 2).split(' ')[1]) === pid;
          } catch {
            return false;
          }
        });
    const serverPids = [child.pid!, ...childrenOf(child.pid!)];
    const backendPids = async () =>
      (
        await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName])
      ).rows.map((r) => r.pid);
    const cpuSnapshot = async () => {
      const backends = await backendPids();
      return {
        server: serverPids.reduce((s, p) => s + procCpuMs(p), 0),
        db: new Map(backends.map((p) => [p, procCpuMs(p)])),
        client: process.cpuUsage(),
      };
    };

    const threadUsers = users.map(({ pkcs8, b64 }) => ({ pkcs8, b64 }));
    async function run(concurrency: number, durationS: number) {
      const cpu0 = await cpuSnapshot();
      const start = performance.now();
      const n = Math.min(threads, concurrency);
      const results = await Promise.all(
        Array.from({ length: n }, (_, t) => {
          const share = Math.floor(concurrency / n) + (t < concurrency % n ? 1 : 0);
          return new Promise<ThreadResult>((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), {
              workerData: {
                base,
                users: threadUsers,
                concurrency: share,
                durationMs: durationS * 1000,
                offset: t * 7,
              } satisfies ThreadJob,
            });
            w.once('message', resolve);
            w.once('error', reject);
          });
        }),
      );
      const elapsed = (performance.now() - start) / 1000;
      const cpu1 = await cpuSnapshot();
      const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
      const failures = results.flatMap((r) => r.failures);
      if (failures.length) throw new Error(`logins failed: ${failures.join('; ')}`);
      const logins = latencies.length;
      let dbMs = 0;
      for (const [pid, ms] of cpu1.db) dbMs += ms - (cpu0.db.get(pid) ?? 0);
      const client = process.cpuUsage(cpu0.client);
      const q = (p: number) => latencies[Math.min(logins - 1, Math.floor(logins * p))]!;
      return {
        perSec: logins / elapsed,
        p50: q(0.5),
        p99: q(0.99),
        logins,
        serverCpuMs: (cpu1.server - cpu0.server) / logins,
        dbCpuMs: dbMs / logins,
        clientCpuMs: (client.user + client.system) / 1000 / logins,
        signMs: results.reduce((s, r) => s + r.signMs, 0) / logins,
      };
    }

    const rawVerify = (durationS: number): number => {
      const key = createPrivateKey({ key: Buffer.from(users[0]!.pkcs8), format: 'der', type: 'pkcs8' });
      const pub = createPublicKey(key);
      const data = Buffer.from('gongjik-login:v1\nhttps://mail.korea.kr\nid\nnonce');
      const sig = sign('sha256', data, key);
      let n = 0;
      const start = performance.now();
      const end = start + durationS * 1000;
      while (performance.now() < end) {
        for (let k = 0; k < 100; k++) if (!verify('sha256', data, pub, sig)) throw new Error('bad');
        n += 100;
      }
      return n / ((performance.now() - start) / 1000);
    };

    await run(8, Math.max(3, seconds / 2)); // warm-up: JIT, caches (certificate, chain, CRL), connections, prepared statements
    const raw1 = rawVerify(2);
    const c50 = await run(50, seconds);
    const c4 = await run(4, seconds);
    const raw2 = rawVerify(2);
    const r = (x: number, d = 0) => Number(x.toFixed(d));
    const phase = (p: typeof c50) => ({
      loginsPerSec: r(p.perSec),
      p50Ms: r(p.p50, 2),
      p99Ms: r(p.p99, 2),
      logins: p.logins,
      serverCpuMsPerLogin: r(p.serverCpuMs, 3),
      dbCpuMsPerLogin: r(p.dbCpuMs, 3),
      clientCpuMsPerLogin: r(p.clientCpuMs, 3),
      clientSignMsPerLogin: r(p.signMs, 3),
    });
    const total = c50.serverCpuMs + c50.dbCpuMs + c50.clientCpuMs;
    console.log(
      JSON.stringify({
        loginsPerSec: r(c50.perSec),
        p99MsAtC4: r(c4.p99, 2),
        rawVerifyPerSec: r((raw1 + raw2) / 2),
        budget: { loginsPerSec: 1000, p99MsAtC4: 10 },
        atC50: phase(c50),
        atC4: phase(c4),
        statementsPerLogin: statements,
        // what the measured CPU per login allows on `cpus` otherwise idle cores (derived, not measured)
        cpuBoundLoginsPerSec: {
          serverAndDb: r((cpus * 1000) / (c50.serverCpuMs + c50.dbCpuMs)),
          serverDbAndClients: r((cpus * 1000) / total),
        },
        serverWorkers: supportsWorkers ? workers : 1,
        clientThreads: threads,
        dbPoolPerWorker: Number(process.env.BENCH_POOL ?? 10),
        loadAverage1m: r((await import('node:os')).loadavg()[0]!, 2),
        cpus,
        secondsPerPhase: seconds,
        node: process.version,
        notes:
          'server: gongjik start --workers N (log level warn) in a child process; clients: worker threads of the bench process (keep-alive connections of bench/_http-raw.ts, a fresh RSA-2048 signature per login); PostgreSQL on the same machine, fsync on; CPU from /proc (server = primary + workers, db = backends of the bench database)',
      }),
    );
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((res) => child!.once('exit', res));
    }
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => {});
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs a few challenges and logins in this process (Fastify inject, same routes and domain code)
 * through a Kysely that counts statements; returns the count per challenge and per login.
 */
async function countStatements(
  root: string,
  db: import('kysely').Kysely<import('@gongjik/db').Database>,
  trustDir: string,
  user: { pkcs8: Uint8Array; b64: string },
): Promise<{ challenge: number; login: number }> {
  const { loadConfig } = await import(join(root, 'apps/server/src/config.ts'));
  const { buildServer } = await import(join(root, 'apps/server/src/server.ts'));
  const { systemClock } = await import(join(root, 'apps/server/src/clock.ts'));
  let n = 0;
  const counted = db.withPlugin({
    transformQuery: (args) => {
      n++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  const config = loadConfig({
    GONGJIK_LOG_LEVEL: 'silent',
    GONGJIK_PUBLIC_URL: 'http://localhost:8080',
    GONGJIK_TRUST_DIR: trustDir,
  });
  const app = await buildServer(
    { db: counted, config, clock: systemClock },
    { logLevel: 'silent', webApp: false },
  );
  const key = createPrivateKey({ key: Buffer.from(user.pkcs8), format: 'der', type: 'pkcs8' });
  let challenge = 0;
  let login = 0;
  const rounds = 5;
  for (let i = 0; i < rounds + 1; i++) {
    const n0 = n;
    const c = (
      await app.inject({ method: 'POST', url: '/api/v1/auth/challenge', payload: { purpose: 'login' } })
    ).json() as { challengeId: string; nonce: string; origin: string };
    const n1 = n;
    const signature = sign(
      'sha256',
      Buffer.from(`gongjik-login:v1\n${c.origin}\n${c.challengeId}\n${c.nonce}`),
      key,
    );
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: {
        challengeId: c.challengeId,
        certificate: user.b64,
        signature: signature.toString('base64url'),
      },
    });
    if (res.statusCode !== 200) throw new Error(`counting login failed: ${res.statusCode} ${res.body}`);
    if (i > 0) {
      // the first round warms the trust store (which reads files, not the database)
      challenge += n1 - n0;
      login += n - n1;
    }
  }
  await app.close();
  return { challenge: challenge / rounds, login: login / rounds };
}
