// Certificate login across server processes: real `gongjik start` processes on one real PostgreSQL
// database. A challenge issued by one process is answered through another, exactly once; failures
// counted by one process rate-limit the other; `--workers 2` runs two workers behind one port.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createPrivateKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDb, migrate } from '@gongjik/db';
import { createDevCa } from '@gongjik/kpki';
import pg from 'pg';
import { seedCertifiedOfficials, writeGpkiTrust } from './official-fixtures.ts';

const bin = new URL('../bin/gongjik.mjs', import.meta.url).pathname;
const baseUrl = process.env.TEST_DATABASE_URL;
const skip = baseUrl
  ? false
  : 'needs real PostgreSQL (TEST_DATABASE_URL): several processes share one database';

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

interface Official {
  readonly key: KeyObject;
  readonly certificate: string;
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

function start(dataDir: string, env: Record<string, string>, workers: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    [bin, 'start', '--data', dataDir, '--port', '0', '--no-demo', '--workers', String(workers), '--json'],
    {
      env: {
        ...(process.env as Record<string, string>),
        GONGJIK_LOG_LEVEL: 'silent',
        GONGJIK_SMTP_ENABLED: 'false',
        GONGJIK_OUTBOUND_ENABLED: 'false',
        GONGJIK_PUBLIC_URL: 'http://localhost:8080',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 90_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{') && l.endsWith('}'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, url: (JSON.parse(line) as { listen: string }).listen });
      }
    });
    child.stderr!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${out}`));
    });
  });
}

async function stop(s: Server | undefined): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

async function challenge(s: Server): Promise<{ challengeId: string; nonce: string; origin: string }> {
  const r = await fetch(`${s.url}/api/v1/auth/challenge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"purpose":"login"}',
  });
  assert.equal(r.status, 200);
  return (await r.json()) as { challengeId: string; nonce: string; origin: string };
}

function proof(o: Official, c: { challengeId: string; nonce: string; origin: string }, forge = false) {
  const message = Buffer.from(
    `gongjik-login:v1\n${c.origin}\n${c.challengeId}\n${c.nonce}${forge ? 'x' : ''}`,
  );
  return JSON.stringify({
    challengeId: c.challengeId,
    certificate: o.certificate,
    signature: sign('sha256', message, o.key).toString('base64url'),
  });
}

/**
 * POST /auth/login on `s` from `ip` (the servers trust X-Forwarded-For: each test uses its own
 * addresses, so the per-IP failure limit of one test does not stop another); 'ok' (with a session
 * cookie) or the refusal's code.
 */
async function answer(s: Server, body: string, ip: string): Promise<string> {
  const r = await fetch(`${s.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body,
  });
  const json = (await r.json()) as { code?: string };
  if (r.status === 200) {
    assert.match(r.headers.get('set-cookie') ?? '', /gongjik-session=/);
    return 'ok';
  }
  return json.code ?? `HTTP ${r.status}`;
}

describe('certificate login across server processes [postgres]', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gongjik-workers-'));
  const dbName = `gj_workers_${randomBytes(4).toString('hex')}`;
  const url = baseUrl ? baseUrl.replace(/\/[^/?]*(\?|$)/, `/${dbName}$1`) : '';
  const trustDir = join(dir, 'trust');
  const officials: Official[] = [];
  let a: Server | undefined;
  let b: Server | undefined;
  let env: Record<string, string>;

  before(async () => {
    await admin(baseUrl!, `CREATE DATABASE ${dbName}`);
    const now = new Date(Date.now() - 3_600_000);
    const clock = { crypto: globalThis.crypto, now };
    const ca = await createDevCa(clock);
    writeGpkiTrust(ca, trustDir);
    const seed = await createDb({ url, poolSize: 2 });
    await migrate(seed.db);
    const names = ['류시원가', '류시원나'];
    const issued = await seedCertifiedOfficials(seed.db, ca, clock, {
      names,
      employeePrefix: 'W',
      localPrefix: 'worker',
    });
    for (const u of issued)
      officials.push({
        key: createPrivateKey({ key: Buffer.from(u.sign.privateKey), format: 'der', type: 'pkcs8' }),
        certificate: Buffer.from(u.sign.certificate).toString('base64url'),
      });
    await seed.close();
    env = {
      DATABASE_URL: url,
      GONGJIK_TRUST_DIR: trustDir,
      GONGJIK_TRUST_PROXY: 'true',
      GONGJIK_LOGIN_MAX_FAILURES_PER_IP: '6',
    };
    // two independent processes (one worker each) on the same database
    [a, b] = await Promise.all([start(join(dir, 'a'), env, 1), start(join(dir, 'b'), env, 1)]);
  });

  after(async () => {
    await Promise.all([stop(a), stop(b)]);
    rmSync(dir, { recursive: true, force: true });
    if (baseUrl) await admin(baseUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  });

  it('accepts a challenge issued by one process answered through another, once only', async () => {
    const o = officials[0]!;
    const c = await challenge(a!);
    const ip = '192.0.2.1';
    assert.equal(await answer(b!, proof(o, c), ip), 'ok');
    assert.equal(await answer(a!, proof(o, c), ip), 'ERR_AUTH_CHALLENGE_REPLAYED');
    assert.equal(await answer(b!, proof(o, c), ip), 'ERR_AUTH_CHALLENGE_REPLAYED');
    // and the other way round
    const d = await challenge(b!);
    assert.equal(await answer(a!, proof(o, d), ip), 'ok');
    assert.equal(await answer(b!, proof(o, d), ip), 'ERR_AUTH_CHALLENGE_REPLAYED');
  });

  it('lets exactly one of concurrent answers through two processes win', async () => {
    const o = officials[0]!;
    for (let round = 0; round < 3; round++) {
      const c = await challenge(round % 2 ? a! : b!);
      const body = proof(o, c);
      const ip = `192.0.2.${10 + round}`;
      const codes = (await Promise.all([a, b, a, b, a, b].map((s) => answer(s!, body, ip)))).sort();
      assert.deepEqual(codes, [
        'ERR_AUTH_CHALLENGE_REPLAYED',
        'ERR_AUTH_CHALLENGE_REPLAYED',
        'ERR_AUTH_CHALLENGE_REPLAYED',
        'ERR_AUTH_CHALLENGE_REPLAYED',
        'ERR_AUTH_CHALLENGE_REPLAYED',
        'ok',
      ]);
    }
  });

  it('refuses a challenge ID neither process issued with ERR_AUTH_CHALLENGE_INVALID', async () => {
    const o = officials[0]!;
    const c = await challenge(a!);
    // the same ID with its last hex digit changed (its MAC no longer matches)
    const last = c.challengeId.at(-1) === '0' ? '1' : '0';
    const tampered = { ...c, challengeId: `${c.challengeId.slice(0, -1)}${last}` };
    assert.equal(await answer(b!, proof(o, tampered), '192.0.2.20'), 'ERR_AUTH_CHALLENGE_INVALID');
    assert.equal(await answer(a!, proof(o, c), '192.0.2.20'), 'ok');
  });

  it('counts failures in the database: failures through one process rate-limit the other', async () => {
    // GONGJIK_LOGIN_MAX_FAILURES_PER_IP=6
    const o = officials[1]!;
    const ip = '192.0.2.30';
    const bad = async (s: Server) => answer(s, proof(o, await challenge(s), true), ip);
    for (const s of [a, b, a, b, a, b]) assert.equal(await bad(s!), 'ERR_PKI_SIGNATURE_INVALID');
    // a correct answer is refused now, through either process
    assert.equal(await answer(b!, proof(o, await challenge(a!)), ip), 'ERR_AUTH_RATE_LIMITED');
    assert.equal(await answer(a!, proof(o, await challenge(b!)), ip), 'ERR_AUTH_RATE_LIMITED');
    // another address is not affected
    assert.equal(await answer(a!, proof(o, await challenge(b!)), '192.0.2.31'), 'ok');
  });

  it('runs `gongjik start --workers 2`: two worker processes behind one port; logins through it', async () => {
    const c = await start(join(dir, 'c'), env, 2);
    try {
      const workers = readFileSync(`/proc/${c.child.pid}/task/${c.child.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean);
      assert.equal(workers.length, 2, 'the primary forked two workers');
      const o = officials[0]!;
      // separate connections are spread over the workers; every login works, each challenge once
      const results = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const ch = await challenge(c);
          const body = proof(o, ch);
          const ip = `192.0.2.${100 + i}`;
          return [await answer(c, body, ip), await answer(a!, body, ip)];
        }),
      );
      for (const [first, again] of results) {
        assert.equal(first, 'ok');
        assert.equal(again, 'ERR_AUTH_CHALLENGE_REPLAYED');
      }
    } finally {
      await stop(c);
    }
  });
});
