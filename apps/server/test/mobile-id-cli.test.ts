import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../src/config.ts';
import { createAgency } from '../src/domain/directory/agencies.ts';
import { upsertDepartment } from '../src/domain/directory/departments.ts';
import { upsertPerson } from '../src/domain/directory/people.ts';
import { createHrApiKey } from '../src/domain/hr/api-keys.ts';
import { PIN_PEPPER_FILE } from '../src/domain/mobile-id/settings.ts';
import { type RunningServer, startServer } from '../src/start.ts';
import { freePort, gongjik } from './cli-helpers.ts';

describe('gongjik id … and gongjik wallet … against a running server', () => {
  let dir: string;
  let server: RunningServer;
  let url: string;
  let common: string[];
  let hrKey: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gongjik-mid-cli-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = await startServer(
      loadConfig(
        { GONGJIK_LOG_LEVEL: 'silent', GONGJIK_PUBLIC_URL: url, GONGJIK_MID_PIN_ITERATIONS: '1000' },
        { dataDir: join(dir, 'data'), port, smtpPort: 0 },
      ),
    );
    common = ['--server', url, '--data', join(dir, 'data')];
    const db = server.db.db;
    const ctx = { actor: 'test', now: new Date() };
    await createAgency(
      db,
      { code: '1741000', name: '행정안전부', type: 'central', mobileIdAdopted: true },
      ctx,
    );
    await upsertDepartment(db, '1741000', 'D1', { name: '디지털안전정책과' }, ctx);
    const person = (emp: string, name: string, head: boolean) =>
      upsertPerson(
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
    await person('H0001', '박과장', true);
    await person('M0001', '류시원', false);
    hrKey = (await createHrApiKey(db, { system: 'insaro', label: 'cli test' }, ctx)).key;
  });

  after(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the whole path from the CLI: request (HR key), approve, outbox, install, PIN, unlock, QR, suspend', async () => {
    const store = join(dir, 'wallet.json');
    const req = await gongjik('id', 'request', '--employee', 'M0001', '--hr-key', hrKey, '--server', url);
    assert.equal(req.status, 0, JSON.stringify(req.out));
    const id = req.out.request.id as string;
    const self = await gongjik('id', 'approve', '--request', id, '--as', 'M0001', ...common);
    assert.equal(self.status, 1);
    assert.equal(self.out.error.code, 'ERR_MID_SELF_APPROVAL');
    const ok = await gongjik('id', 'approve', '--request', id, '--as', 'H0001', ...common);
    assert.equal(ok.out.request.state, 'offered');
    const outbox = await gongjik('id', 'outbox', '--request', id, ...common);
    const msgs = outbox.out.messages as { kind: string; body: string }[];
    const link = /https?:\/\/\S+/.exec(msgs.find((m) => m.kind === 'mid-install')!.body)![0];
    const code = /\b(\d{6})\b/.exec(msgs.find((m) => m.kind === 'mid-code')!.body)![1]!;
    // the wallet's own origin: the public URL's host on GONGJIK_WALLET_PORT (8081)
    assert.ok(
      link.startsWith(
        `${new URL(url).protocol}//${new URL(url).hostname}:8081/install?credential_offer_uri=`,
      ),
      link,
    );

    const inst = await gongjik('wallet', 'install', '--offer', link, '--code', code, '--store', store);
    assert.equal(inst.status, 0, JSON.stringify(inst.out));
    assert.equal(inst.out.identity.employeeNumber, 'M0001');
    assert.equal(statSync(store).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'data', PIN_PEPPER_FILE)).mode & 0o777, 0o600);
    const trivial = await gongjik('wallet', 'pin', '--set', '--pin', '111111', '--store', store);
    assert.equal(trivial.out.error.code, 'ERR_MID_PIN_TRIVIAL');
    assert.equal((await gongjik('wallet', 'pin', '--set', '--pin', '482915', '--store', store)).status, 0);
    const locked = await gongjik('wallet', 'qr', '--gate', 'sejong/bldg-6', '--store', store);
    assert.equal(locked.out.error.code, 'ERR_MID_UNLOCK_REQUIRED');
    const wrong = await gongjik('wallet', 'unlock', '--pin', '130297', '--store', store);
    assert.equal(wrong.out.error.code, 'ERR_MID_PIN_WRONG');
    assert.equal(wrong.out.error.details.remaining, 4);
    assert.equal((await gongjik('wallet', 'unlock', '--pin', '482915', '--store', store)).status, 0);
    const qr = await gongjik('wallet', 'qr', '--gate', 'sejong/bldg-6', '--store', store);
    assert.equal(qr.out.qr.split('~').length, 3);

    const shown = await gongjik('wallet', 'show', '--store', store);
    assert.equal(shown.out.status, 'VALID');
    assert.ok(shown.out.unlockedUntil);
    assert.equal(
      (await gongjik('id', 'suspend', '--employee', 'M0001', '--hr-key', hrKey, '--server', url)).status,
      0,
    );
    assert.equal((await gongjik('wallet', 'show', '--store', store)).out.status, 'SUSPENDED');
    await gongjik('id', 'resume', '--employee', 'M0001', ...common);
    const status = await gongjik('id', 'status', '--employee', 'M0001', ...common);
    assert.equal(status.out.card.state, 'active');
    assert.equal(status.out.requests[0].state, 'issued');
    assert.equal((await gongjik('id', 'revoke', '--employee', 'M0001', ...common)).out.card.state, 'revoked');
    assert.equal((await gongjik('wallet', 'show', '--store', store)).out.status, 'INVALID');
  });
});
