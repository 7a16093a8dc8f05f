// Full certificate logins over real HTTP on real PostgreSQL (issue 3 budget: ≥ 1,000 logins/s at 50
// concurrent clients, p99 ≤ 10 ms at 4), with raw RSA-2048 verify measured in the same run.
//
// One login = POST /api/v1/auth/challenge → sign the challenge (RSA-2048, client side) → POST
// /api/v1/auth/login → session cookie. The server runs in a child process (its own event loop),
// the clients here (Node's fetch, which is undici, with keep-alive). Needs DATABASE_URL or TEST_DATABASE_URL; a fresh
// schema is made and dropped.
//
// Prints JSON: { loginsPerSec, p99MsAtC4, rawVerifyPerSec, ... }. Argument: seconds per phase (default 8).
import { fork } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDb, migrate } from '@gongjik/db';
import { createTestSchema, dropTestSchema } from '@gongjik/db/testing';
import { createDevCa, issueUserCertificates } from '@gongjik/kpki';

const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;

if (process.argv[2] === '--serve') {
  // ---- the server process ----
  const { loadConfig } = await import('../apps/server/src/config.ts');
  const { buildServer } = await import('../apps/server/src/server.ts');
  const { systemClock } = await import('../apps/server/src/clock.ts');
  const { createCertificateChecker } = await import('../apps/server/src/domain/auth/certificate.ts');
  const { createTrustStore } = await import('../apps/server/src/domain/auth/trust-store.ts');
  const schema = process.env.BENCH_SCHEMA!;
  const trustDir = process.env.BENCH_TRUST_DIR!;
  const handle = await createDb({ url, schema, poolSize: Number(process.env.BENCH_POOL ?? 20) });
  const config = loadConfig({
    GONGJIK_LOG_LEVEL: 'silent',
    GONGJIK_PUBLIC_URL: 'http://localhost:1',
    GONGJIK_TRUST_DIR: trustDir,
  });
  const certificates = createCertificateChecker(createTrustStore({ dir: trustDir }));
  const app = await buildServer(
    { db: handle.db, config, clock: systemClock, certificates },
    { logLevel: 'silent', webApp: false },
  );
  const listen = await app.listen({ port: 0, host: '127.0.0.1' });
  process.send?.({ listen });
  process.on('message', async (m) => {
    if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
    if (m === 'stop') {
      await app.close();
      await handle.close();
      process.exit(0);
    }
  });
} else {
  if (!url) {
    console.error('bench/login.ts needs DATABASE_URL or TEST_DATABASE_URL (real PostgreSQL)');
    process.exit(1);
  }
  const seconds = Number(process.argv[2] ?? 8);
  const USERS = 8;
  const now = new Date(Date.now() - 3_600_000);
  const clock = { crypto: globalThis.crypto, now };

  // ---- fixtures: a dev CA, USERS officials with registered GPKI certificates ----
  const schema = await createTestSchema(url);
  const trustDir = mkdtempSync(join(tmpdir(), 'gongjik-bench-trust-'));
  const ca = await createDevCa(clock);
  for (const id of ['gpki-root', 'gpki-ca'] as const) {
    writeFileSync(join(trustDir, `${id}.cer`), ca.authorities[id].certificate);
    writeFileSync(join(trustDir, `${id}.crl`), ca.authorities[id].crl);
  }
  const seed = await createDb({ url, schema, poolSize: 2 });
  await migrate(seed.db);
  const agency = await seed.db
    .insertInto('agencies')
    .values({ code: '1741000', name: '행정안전부', type: 'central', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const users: { der: Uint8Array; key: KeyObject; b64: string }[] = [];
  for (let i = 0; i < USERS; i++) {
    const name = `류시원${String.fromCharCode(0xac00 + i)}`;
    const u = await issueUserCertificates(ca, { kind: 'gpki', name, org: '행정안전부' }, clock);
    const person = await seed.db
      .insertInto('people')
      .values({
        employee_number: `B${i}`,
        agency_id: agency.id,
        real_name: name,
        state: 'active',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const account = await seed.db
      .insertInto('accounts')
      .values({
        person_id: person.id,
        agency_id: agency.id,
        local_part: `bench${i}`,
        domain: 'korea.kr',
        real_name: name,
        state: 'active',
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const fp = createHash('sha256').update(u.sign.certificate).digest('hex');
    await seed.db
      .insertInto('certificate_registrations')
      .values({
        account_id: account.id,
        fingerprint_sha256: fp,
        serial: u.sign.serial,
        issuer: 'dev',
        class: 'gpki-personal',
        subject_name: name,
        not_after: u.notAfter,
        registered_at: now,
      })
      .execute();
    users.push({
      der: u.sign.certificate,
      key: createPrivateKey({ key: Buffer.from(u.sign.privateKey), format: 'der', type: 'pkcs8' }),
      b64: Buffer.from(u.sign.certificate).toString('base64url'),
    });
  }
  await seed.close();

  // ---- the server process ----
  const child = fork(new URL(import.meta.url).pathname, ['--serve'], {
    env: { ...process.env, BENCH_SCHEMA: schema, BENCH_TRUST_DIR: trustDir },
    // BENCH_PROFILE=DIR writes a CPU profile of the server process there
    execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
  });
  const base = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { listen: string }).listen));
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });

  const enc = new TextEncoder();
  let signMs = 0;
  async function oneLogin(i: number): Promise<void> {
    const user = users[i % USERS]!;
    const c = (await (
      await fetch(`${base}/api/v1/auth/challenge`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"purpose":"login"}',
      })
    ).json()) as { challengeId: string; nonce: string; origin: string };
    const t0 = performance.now();
    const signature = sign(
      'sha256',
      enc.encode(`gongjik-login:v1\n${c.origin}\n${c.challengeId}\n${c.nonce}`),
      user.key,
    );
    signMs += performance.now() - t0;
    const r = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        challengeId: c.challengeId,
        certificate: user.b64,
        signature: signature.toString('base64url'),
      }),
    });
    const body = await r.text();
    if (r.status !== 200 || !r.headers.get('set-cookie'))
      throw new Error(`login failed: ${r.status} ${body}`);
  }

  const serverCpu = () =>
    new Promise<number>((resolve) => {
      const on = (m: unknown) => {
        const cpu = (m as { cpu?: { user: number; system: number } }).cpu;
        if (!cpu) return;
        child.off('message', on);
        resolve((cpu.user + cpu.system) / 1000);
      };
      child.on('message', on);
      child.send('cpu');
    });

  async function run(concurrency: number, durationS: number) {
    const cpu0 = await serverCpu();
    const latencies: number[] = [];
    let n = 0;
    signMs = 0;
    const start = performance.now();
    const end = start + durationS * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        for (let i = w; performance.now() < end; i += concurrency) {
          const t0 = performance.now();
          await oneLogin(i);
          latencies.push(performance.now() - t0);
          n++;
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    const serverCpuMs = (await serverCpu()) - cpu0;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
    return {
      perSec: n / elapsed,
      p50: q(0.5),
      p99: q(0.99),
      n,
      clientSignMs: signMs / n,
      serverCpuMsPerLogin: serverCpuMs / n,
    };
  }

  function rawVerify(durationS: number): number {
    const u = users[0]!;
    const pub = createPublicKey(u.key);
    const data = enc.encode('gongjik-login:v1\nhttps://mail.korea.kr\nid\nnonce');
    const sig = sign('sha256', data, u.key);
    let n = 0;
    const start = performance.now();
    const end = start + durationS * 1000;
    while (performance.now() < end) {
      for (let k = 0; k < 100; k++) if (!verify('sha256', data, pub, sig)) throw new Error('bad');
      n += 100;
    }
    return n / ((performance.now() - start) / 1000);
  }

  try {
    await run(8, 2); // warm-up: JIT, caches (certificate, chain, CRL), connections
    const raw1 = rawVerify(2);
    const c50 = await run(50, seconds);
    const c4 = await run(4, seconds);
    const raw2 = rawVerify(2);
    const r = (x: number, d = 0) => Number(x.toFixed(d));
    console.log(
      JSON.stringify({
        loginsPerSec: r(c50.perSec),
        p99MsAtC4: r(c4.p99, 2),
        rawVerifyPerSec: r((raw1 + raw2) / 2),
        budget: { loginsPerSec: 1000, p99MsAtC4: 10 },
        atC50: {
          p50Ms: r(c50.p50, 2),
          p99Ms: r(c50.p99, 2),
          logins: c50.n,
          clientSignMsPerLogin: r(c50.clientSignMs, 3),
          serverCpuMsPerLogin: r(c50.serverCpuMsPerLogin, 3),
        },
        atC4: {
          loginsPerSec: r(c4.perSec),
          p50Ms: r(c4.p50, 2),
          logins: c4.n,
          clientSignMsPerLogin: r(c4.clientSignMs, 3),
          serverCpuMsPerLogin: r(c4.serverCpuMsPerLogin, 3),
        },
        notes:
          'server in a child process; clients (and their RSA-2048 signing) in this process; PostgreSQL on the same machine',
        cpus: (await import('node:os')).cpus().length,
        secondsPerPhase: seconds,
        node: process.version,
      }),
    );
  } finally {
    child.send('stop');
    await new Promise((r) => child.once('exit', r));
    await dropTestSchema(url, schema);
    rmSync(trustDir, { recursive: true, force: true });
  }
}
