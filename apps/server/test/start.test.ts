import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { type RunningServer, startServer } from '../src/start.ts';

const bin = new URL('../bin/gongjik.mjs', import.meta.url).pathname;
const run = promisify(execFile);

/** Runs the CLI (asynchronously: the server under test lives in this process). */
async function gongjik(...args: string[]): Promise<{ status: number; out: Record<string, unknown> }> {
  try {
    const r = await run(process.execPath, [bin, ...args, '--json'], { encoding: 'utf8' });
    return { status: 0, out: JSON.parse(r.stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { status: e.code, out: JSON.parse(e.stdout) };
  }
}

describe('gongjik start and the admin CLI', () => {
  let dir: string;
  let server: RunningServer;
  let url: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongjik-start-'));
    server = await startServer(
      loadConfig({ GONGJIK_LOG_LEVEL: 'silent' }, { dataDir: join(dir, 'data'), port: 0, smtpPort: 0 }),
    );
    url = server.listenUrl;
  });

  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the data dir with the database and an admin token readable only by its owner', () => {
    assert.equal(server.createdAdminToken, true);
    const st = statSync(server.adminTokenFile);
    assert.equal(st.mode & 0o777, 0o600);
    assert.match(readFileSync(server.adminTokenFile, 'utf8'), /^gja_[A-Za-z0-9_-]{43}\n$/);
    assert.ok(statSync(join(dir, 'data', 'pg')).isDirectory());
  });

  it('answers /healthz on the address it listens on', async () => {
    const r = await fetch(`${url}/healthz`);
    assert.equal(r.status, 200);
  });

  it('administers agencies, people and HR keys over HTTP with the token from --data', async () => {
    const common = ['--server', url, '--data', join(dir, 'data')];
    const add = await gongjik(
      'admin',
      'agency',
      'add',
      ...common,
      '--code',
      '1741000',
      '--name',
      '행정안전부',
      '--type',
      'central',
    );
    assert.equal(add.status, 0, JSON.stringify(add.out));
    await gongjik(
      'admin',
      'agency',
      'add',
      ...common,
      '--code',
      'B552',
      '--name',
      '한국공공공사',
      '--type',
      'public',
    );
    const list = await gongjik('admin', 'agency', 'list', ...common);
    assert.deepEqual(
      (list.out.agencies as { code: string }[]).map((a) => a.code),
      ['1741000', 'B552'],
    );
    const person = await gongjik(
      'admin',
      'person',
      'add',
      ...common,
      '--employee',
      '2024001',
      '--agency',
      '1741000',
      '--name',
      '류시원',
      '--mail-id',
      'ryusiwon',
    );
    assert.equal(
      (person.out.person as { account: { address: string } }).account.address,
      'ryusiwon@korea.kr',
    );
    const refused = await gongjik(
      'admin',
      'person',
      'add',
      ...common,
      '--employee',
      'P1',
      '--agency',
      'B552',
      '--name',
      '김공공',
      '--mail-id',
      'kimpub',
    );
    assert.equal(refused.status, 1);
    assert.equal((refused.out.error as { code: string }).code, 'ERR_SIGNUP_ORG_NOT_ELIGIBLE');
    const code = await gongjik('admin', 'person', 'signup-code', ...common, '--employee', '2024001');
    assert.match(String(code.out.code), /^[A-Z2-9]{4}-/);
    const retire = await gongjik(
      'admin',
      'person',
      'retire',
      ...common,
      '--employee',
      '2024001',
      '--date',
      '2099-12-31',
    );
    assert.equal((retire.out.person as { retirementDate: string }).retirementDate, '2099-12-31');
    const people = await gongjik('admin', 'person', 'list', ...common);
    assert.equal((people.out.people as unknown[]).length, 1);
    const key = await gongjik('admin', 'hr-key', 'create', ...common, '--system', 'e-saram');
    assert.match(String(key.out.key), /^gjhr_/);
    const hr = await fetch(`${url}/api/v1/hr/people/2024001`, {
      headers: { authorization: `Bearer ${key.out.key}` },
    });
    assert.equal(hr.status, 200);
  });

  it('refuses a wrong token with ERR_AUTH_ADMIN_REQUIRED and an unreachable server with ERR_CLI_SERVER_UNREACHABLE', async () => {
    const wrong = await gongjik('admin', 'agency', 'list', '--server', url, '--token', 'gja_wrong');
    assert.equal(wrong.status, 1);
    assert.equal((wrong.out.error as { code: string }).code, 'ERR_AUTH_ADMIN_REQUIRED');
    const down = await gongjik(
      'admin',
      'agency',
      'list',
      '--server',
      'http://127.0.0.1:1',
      '--token',
      'gja_x',
    );
    assert.equal((down.out.error as { code: string }).code, 'ERR_CLI_SERVER_UNREACHABLE');
    const noFile = await gongjik('admin', 'agency', 'list', '--server', url, '--data', join(dir, 'nowhere'));
    assert.equal((noFile.out.error as { code: string }).code, 'ERR_CLI_FILE_NOT_FOUND');
  });

  it('keeps the admin token on a restart of the same data dir', async () => {
    const token = readFileSync(server.adminTokenFile, 'utf8');
    await server.close();
    server = await startServer(
      loadConfig({ GONGJIK_LOG_LEVEL: 'silent' }, { dataDir: join(dir, 'data'), port: 0, smtpPort: 0 }),
    );
    url = server.listenUrl;
    assert.equal(server.createdAdminToken, false);
    assert.equal(readFileSync(server.adminTokenFile, 'utf8'), token);
    const list = await gongjik('admin', 'agency', 'list', '--server', url, '--data', join(dir, 'data'));
    assert.equal(list.status, 0);
    assert.equal((list.out.agencies as unknown[]).length, 2, 'the data survived the restart');
  });
});
