// The scripted new-user run (issue 3, "Must show"): what a new user does on a clean clone after
// `npm ci`. Starts the server the `npm start` way (embedded PGlite, a temporary data dir, a free
// port), waits for /healthz, reads <data>/demo/kit.json, then with the `gongjik` CLI:
//   - `gongjik signup` with the name-mismatch folder as 류시원  → ERR_AUTH_NAME_MISMATCH (exit 1)
//   - `gongjik signup` with 류시원's folder                    → success
//   - `gongjik login`  with 류시원's folder                    → success (a session)
//   - `gongjik login`  with the npki-bank folder                → ERR_PKI_NPKI_NOT_ACCEPTED (exit 1)
//   - `gongjik login`  with the retired person's folder         → ERR_AUTH_RETIRED (exit 1)
// and checks that `/` serves the web app with its Content-Security-Policy. Stops the server and
// exits non-zero when anything differs. Run: `node scripts/demo-run.ts` (CI runs it after npm test).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/server/bin/gongjik.mjs');
const keep = process.argv.includes('--keep');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const steps: { step: string; ok: boolean; detail?: string }[] = [];
function check(step: string, ok: boolean, detail?: string): void {
  steps.push({ step, ok, ...(detail && !ok ? { detail } : {}) });
  console.error(`${ok ? 'ok  ' : 'FAIL'} ${step}${detail && !ok ? `: ${detail}` : ''}`);
}

interface CliResult {
  status: number;
  out: { ok?: boolean; error?: { code?: string }; [k: string]: unknown };
}

function gongjik(...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args, '--json'], { encoding: 'utf8', cwd: root });
  let out: CliResult['out'] = {};
  try {
    out = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}');
  } catch {
    out = { raw: r.stdout, stderr: r.stderr };
  }
  return { status: r.status ?? -1, out };
}

async function waitForHealth(url: string, server: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no /healthz answer within ${timeoutMs / 1000} s`);
}

const dataDir = mkdtempSync(join(tmpdir(), 'gongjik-demo-run-'));
const port = await freePort();
const smtpPort = await freePort();
const url = `http://localhost:${port}`;
const env: Record<string, string | undefined> = { ...process.env, GONGJIK_LOG_LEVEL: 'warn' };
delete env.DATABASE_URL; // the embedded database, as on a clean machine
delete env.GONGJIK_PUBLIC_URL;
delete env.GONGJIK_TRUST_DIR;
delete env.GONGJIK_DATA_DIR;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const server = spawn(
  npm,
  ['start', '--', '--data', dataDir, '--port', String(port), '--smtp-port', String(smtpPort)],
  {
    cwd: root,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  },
);
const stop = () => {
  try {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
};
process.on('exit', stop);

let failed = false;
try {
  await waitForHealth(url, server, 300_000);
  check('server answers /healthz', true);
  const kit = JSON.parse(readFileSync(join(dataDir, 'demo', 'kit.json'), 'utf8')) as {
    accounts: { name: string; accountId: string; otp: string | null; folder: string; certPassword: string }[];
    folders: {
      npkiBank: { folder: string; certPassword: string };
      nameMismatch: { folder: string; certPassword: string };
    };
  };
  const ryu = kit.accounts.find((a) => a.name === '류시원')!;
  const retired = kit.accounts.find((a) => a.accountId === 'parkjeongho')!;
  check('the demo kit lists 류시원 with a sign-up code', Boolean(ryu?.otp));

  const mismatch = gongjik(
    'signup',
    '--server',
    url,
    '--id',
    ryu.accountId,
    '--otp',
    ryu.otp!,
    '--cert-dir',
    kit.folders.nameMismatch.folder,
    '--password',
    kit.folders.nameMismatch.certPassword,
  );
  check(
    'signup with the name-mismatch folder → ERR_AUTH_NAME_MISMATCH',
    mismatch.status === 1 && mismatch.out.error?.code === 'ERR_AUTH_NAME_MISMATCH',
    JSON.stringify(mismatch),
  );

  const signup = gongjik(
    'signup',
    '--server',
    url,
    '--id',
    ryu.accountId,
    '--otp',
    ryu.otp!,
    '--cert-dir',
    ryu.folder,
    '--password',
    ryu.certPassword,
  );
  check(
    'signup with 류시원’s folder succeeds',
    signup.status === 0 && signup.out.ok === true,
    JSON.stringify(signup),
  );

  const login = gongjik('login', '--server', url, '--cert-dir', ryu.folder, '--password', ryu.certPassword);
  const account = login.out.account as { realName?: string } | undefined;
  check(
    'login with 류시원’s folder succeeds',
    login.status === 0 && login.out.ok === true && account?.realName === '류시원',
    JSON.stringify(login),
  );

  const npki = gongjik(
    'login',
    '--server',
    url,
    '--cert-dir',
    kit.folders.npkiBank.folder,
    '--password',
    kit.folders.npkiBank.certPassword,
  );
  check(
    'login with the npki-bank folder → ERR_PKI_NPKI_NOT_ACCEPTED',
    npki.status === 1 && npki.out.error?.code === 'ERR_PKI_NPKI_NOT_ACCEPTED',
    JSON.stringify(npki),
  );

  const gone = gongjik(
    'login',
    '--server',
    url,
    '--cert-dir',
    retired.folder,
    '--password',
    retired.certPassword,
  );
  check(
    'login of the retired person → ERR_AUTH_RETIRED',
    gone.status === 1 && gone.out.error?.code === 'ERR_AUTH_RETIRED',
    JSON.stringify(gone),
  );

  const page = await fetch(`${url}/login`);
  const csp = page.headers.get('content-security-policy') ?? '';
  check(
    'the web app is served at / with its Content-Security-Policy',
    page.status === 200 &&
      /text\/html/.test(page.headers.get('content-type') ?? '') &&
      csp.includes("script-src 'self'"),
    `${page.status} ${csp}`,
  );
} catch (err) {
  check('demo run', false, err instanceof Error ? err.message : String(err));
} finally {
  stop();
  await new Promise((r) => setTimeout(r, 500));
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
  failed = steps.some((s) => !s.ok);
  console.log(JSON.stringify({ ok: !failed, steps, ...(keep ? { dataDir } : {}) }));
}
process.exit(failed ? 1 : 0);
