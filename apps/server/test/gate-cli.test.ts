// `gongjik admin gate …` and `gongjik gate …` against a running server: register a gate, set the
// gate up from its setup code, decide offline (the server address made unreachable), sync.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MemoryWalletStorage, Wallet } from '@gongjik/mobile-id';
import { loadConfig } from '../src/config.ts';
import { createAgency } from '../src/domain/directory/agencies.ts';
import { upsertDepartment } from '../src/domain/directory/departments.ts';
import { upsertPerson } from '../src/domain/directory/people.ts';
import { type RunningServer, startServer } from '../src/start.ts';
import { freePort, gongjik } from './cli-helpers.ts';

// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON output, read field by field below.
type Json = any;

describe('gongjik admin gate … and gongjik gate … against a running server', () => {
  let dir: string;
  let server: RunningServer;
  let url: string;
  let common: string[];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongjik-gate-cli-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = await startServer(
      loadConfig(
        { GONGJIK_LOG_LEVEL: 'silent', GONGJIK_PUBLIC_URL: url, GONGJIK_MID_PIN_ITERATIONS: '1000' },
        { dataDir: join(dir, 'data'), port, smtpPort: 0, noDemo: true },
      ),
    );
    common = ['--server', url, '--data', join(dir, 'data')];
    const ctx = { actor: 'test', now: new Date() };
    const db = server.db.db;
    await createAgency(
      db,
      { code: '1741000', name: '행정안전부', type: 'central', mobileIdAdopted: true },
      ctx,
    );
    await upsertDepartment(db, '1741000', 'D1', { name: '디지털안전정책과' }, ctx);
    for (const [emp, name, head] of [
      ['H0001', '박과장', true],
      ['M0001', '류시원', false],
    ] as const) {
      await upsertPerson(
        db,
        emp,
        {
          agencyCode: '1741000',
          departmentCode: 'D1',
          realName: name,
          position: '행정사무관',
          mobile: '01012345678',
          isDepartmentHead: head,
        },
        ctx,
        { mailDomain: 'korea.kr' },
      );
    }
  });

  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers a gate, sets it up, decides offline (ALLOW, replay, still ALLOW until the sync), syncs the log, then DENY', async () => {
    // A card in a headless wallet, through the CLI's issuance commands.
    const req = await gongjik('id', 'request', '--employee', 'M0001', ...common);
    await gongjik('id', 'approve', '--request', req.out.request.id, '--as', 'H0001', ...common);
    const outbox = await gongjik('id', 'outbox', '--request', req.out.request.id, ...common);
    const msgs = outbox.out.messages as { kind: string; body: string }[];
    const link = /https?:\/\/\S+/.exec(msgs.find((m) => m.kind === 'mid-install')!.body)![0];
    const code = /\b(\d{6})\b/.exec(msgs.find((m) => m.kind === 'mid-code')!.body)![1]!;
    const wallet = new Wallet({ storage: new MemoryWalletStorage(), fetch: (u, i) => fetch(u, i) });
    await wallet.install(link, code, { pin: '482915' });
    await wallet.unlock('482915');

    const add = await gongjik(
      'admin',
      'gate',
      'add',
      '--name',
      '6동 정문',
      '--group',
      'sejong/bldg-6',
      '--building',
      'bldg-6',
      '--agency',
      '1741000',
      ...common,
    );
    assert.equal(add.status, 0, JSON.stringify(add.out));
    assert.match(add.out.setupCode, /^GJG1\./);
    const gateId = add.out.gate.id as string;
    const bad = await gongjik(
      'admin',
      'gate',
      'add',
      '--name',
      'x',
      '--group',
      'g',
      '--building',
      'b',
      '--hours',
      '7-20',
      ...common,
    );
    assert.equal(bad.out.error.code, 'ERR_GATE_POLICY_INVALID');

    const gateDir = join(dir, 'gate');
    const setup = await gongjik(
      'gate',
      'setup',
      '--server',
      url,
      '--code',
      add.out.setupCode,
      '--dir',
      gateDir,
    );
    assert.equal(setup.status, 0, JSON.stringify(setup.out));
    assert.equal(statSync(join(gateDir, 'gate.json')).mode & 0o777, 0o600);

    // Offline from here: the gate's server address points nowhere.
    const configFile = join(gateDir, 'gate.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...config, server: 'http://127.0.0.1:9' }), { mode: 0o600 });
    // Each CLI run starts a Node process (seconds on a loaded machine): decide as of the QR's time.
    const scan = async (group = 'sejong/bldg-6') => {
      const at = new Date().toISOString();
      return { qr: await wallet.gateQr(group), at };
    };
    const verify = (q: { qr: string; at: string }) =>
      gongjik('gate', 'verify', q.qr, '--dir', gateDir, '--at', q.at);
    const qr = await scan();
    const ok = await verify(qr);
    assert.equal(ok.out.decision, 'ALLOW', JSON.stringify(ok.out));
    const replay = await verify(qr);
    assert.deepEqual([replay.out.decision, replay.out.code], ['DENY', 'ERR_MID_NONCE_REPLAYED']);
    assert.match(replay.out.message.ko, /이미 사용된/);
    const wrongGroup = await verify(await scan('sejong/bldg-7'));
    assert.equal(wrongGroup.out.code, 'ERR_MID_GATE_GROUP_MISMATCH');
    const offlineSync = await gongjik('gate', 'sync', '--dir', gateDir);
    assert.equal(offlineSync.out.error.code, 'ERR_CLI_SERVER_UNREACHABLE');

    // Reported lost while the gate is offline: it still allows with its cached list (the trade-off).
    assert.equal((await gongjik('id', 'suspend', '--employee', 'M0001', ...common)).status, 0);
    const stale = await verify(await scan());
    assert.equal(stale.out.decision, 'ALLOW');

    // Back online: the sync refreshes the list and uploads the four queued decisions.
    writeFileSync(configFile, JSON.stringify(config), { mode: 0o600 });
    const synced = await gongjik('gate', 'sync', '--dir', gateDir);
    assert.equal(synced.out.uploaded, 4, JSON.stringify(synced.out));
    const denied = await verify(await scan());
    assert.deepEqual([denied.out.decision, denied.out.code], ['DENY', 'ERR_MID_STATUS_SUSPENDED']);

    const list = await gongjik('admin', 'gate', 'list', ...common);
    assert.ok(list.out.gates.find((g: Json) => g.id === gateId).lastSyncAt);
    assert.equal((await gongjik('admin', 'gate', 'disable', gateId, ...common)).out.gate.state, 'disabled');
    assert.equal((await gongjik('gate', 'sync', '--dir', gateDir)).out.error.code, 'ERR_GATE_DISABLED');
  });

  it('refuses to verify before set-up or sync with ERR_GATE_NOT_CONFIGURED / ERR_GATE_NO_BUNDLE', async () => {
    const empty = join(dir, 'nothing');
    assert.equal((await gongjik('gate', 'sync', '--dir', empty)).out.error.code, 'ERR_GATE_NOT_CONFIGURED');
    assert.equal(
      (await gongjik('gate', 'verify', 'x~y', '--dir', empty)).out.error.code,
      'ERR_GATE_NO_BUNDLE',
    );
    assert.equal(
      (await gongjik('gate', 'setup', '--server', url, '--code', 'GJG1.AAAA', '--dir', empty)).out.error.code,
      'ERR_GATE_SETUP_CODE_INVALID',
    );
  });
});
